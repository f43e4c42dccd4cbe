import Foundation
import Testing
import TestSupport
@testable import XMLKit

@Suite("XMLPullReader")
struct XMLPullReaderTests {
    @Test("reads elements, attributes and text with line numbers")
    func readsTree() throws {
        let xml = """
            <?xml version="1.0"?>
            <FeatureLevelSelector>
              <Product Id="2900" Name="OpenRoads Designer" DefaultFeature="ORD-ADV"/>
              <Product Id="1000" Name="MicroStation">note</Product>
            </FeatureLevelSelector>
            """
        let root = try #require(try XMLPullReader(data: Data(xml.utf8)).readElement())
        #expect(root.name == "FeatureLevelSelector")
        #expect(root.children("Product").count == 2)
        #expect(root.children[0]["DefaultFeature"] == "ORD-ADV")
        #expect(root.children[0].line == 3)
        #expect(root.children[1].text == "note")
    }

    @Test("reads a Windows event export: concatenated elements with no root")
    func readsMultiRoot() throws {
        let export = """
            <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Application Error'/><EventID>1000</EventID></System><EventData><Data>Bentley.Licensing.Service.exe</Data></EventData></Event>
            <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='.NET Runtime'/><EventID>1026</EventID></System></Event>
            """
        let reader = try XMLPullReader(data: Data(export.utf8), options: .init(allowMultipleRoots: true))
        let events = try reader.readAllElements()
        #expect(events.map(\.name) == ["Event", "Event"])
        #expect(events[0].child("System")?.child("Provider")?["Name"] == "Application Error")
        #expect(events[1].child("System")?.child("EventID")?.text == "1026")
        #expect(events[1].line == 2)
    }

    @Test("a UTF-16LE multi-root export with a BOM and declaration reads the same")
    func readsUTF16MultiRoot() throws {
        let export = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Event><EventID>7031</EventID></Event>\r\n<Event><EventID>7034</EventID></Event>\r\n"
        var data = Data([0xFF, 0xFE])
        data.append(export.data(using: .utf16LittleEndian)!)
        let reader = try XMLPullReader(data: data, options: .init(allowMultipleRoots: true))
        let ids = try reader.readAllElements().compactMap { $0.child("EventID")?.text }
        #expect(ids == ["7031", "7034"])
    }

    @Test("a file is read from disk in chunks")
    func readsFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let body = (0..<20_000).map { "<Event><EventID>\($0)</EventID></Event>" }.joined(separator: "\n")
        try Data(body.utf8).write(to: URL(fileURLWithPath: dir.path("System.xml")))
        let reader = try XMLPullReader(path: dir.path("System.xml"), options: .init(allowMultipleRoots: true))
        var count = 0
        var last = ""
        while let event = try reader.readElement() { count += 1; last = event.child("EventID")?.text ?? "" }
        #expect(count == 20_000)
        #expect(last == "19999")
    }

    @Test("malformed XML fails with the line where it broke")
    func malformedHasLine() throws {
        let xml = "<a>\n<b>\n</a>\n"
        let reader = try XMLPullReader(data: Data(xml.utf8), name: "broken.xml")
        let error = try #require(throws: XMLError.self) { try reader.readAllElements() }
        #expect(error.code == .malformed)
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("broken.xml:3:"))
    }

    @Test("100,000 nested elements stop at the depth limit")
    func depthLimit() throws {
        let xml = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        let reader = try XMLPullReader(data: Data(xml.utf8), options: .init(maxDepth: 64))
        let error = try #require(throws: XMLError.self) { try reader.readAllElements() }
        #expect(error.code == .tooDeep)
    }

    @Test("an external entity (XXE) is never loaded")
    func externalEntityNotLoaded() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let secret = dir.path("secret.txt")
        try Data("TOP-SECRET-CONTENT".utf8).write(to: URL(fileURLWithPath: secret))
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file://\(secret)">]>
            <r>before &xxe; after</r>
            """
        let text = try collectText(xml)
        #expect(!text.contains("TOP-SECRET"))
        #expect(text.contains("before"))
    }

    @Test("a billion-laughs document is refused at once, with a line, nothing expanded")
    func billionLaughs() throws {
        var dtd = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 {
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [\(dtd)]><lolz>&lol9;</lolz>"
        let clock = ContinuousClock()
        let start = clock.now
        let reader = try XMLPullReader(data: Data(xml.utf8))
        var text = ""
        let error = try #require(throws: XMLError.self) {
            while let event = try reader.next() {
                if case .text(let chunk) = event { text += chunk }
            }
        }
        #expect(error.code != .io)
        #expect("\(error)".contains("input:1"), "the error names the line: \(error)")
        #expect(!text.contains("lol"))
        #expect(clock.now - start < .seconds(5))
    }

    @Test("an internal entity is left unexpanded: its reference reads as nothing")
    func internalEntityNotExpanded() throws {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY who \"EXPANDED\">]><r>a&who;b</r>"
        let reader = try XMLPullReader(data: Data(xml.utf8))
        var (elements, text) = ([String](), "")
        while let event = try reader.next() {
            switch event {
            case let .start(name, _, _, _, _): elements.append(name)
            case .text(let chunk): text += chunk
            case .end: break
            }
        }
        #expect(elements == ["r"])
        #expect(text == "ab")
    }

    private func collectText(_ xml: String) throws -> String {
        let reader = try XMLPullReader(data: Data(xml.utf8))
        var text = ""
        do {
            while let event = try reader.next() {
                if case .text(let chunk) = event { text += chunk }
            }
        } catch let error as XMLError {
            // Refusing the document is also safe; what matters is that nothing was expanded.
            #expect(error.code != .io)
        }
        return text
    }
}

@Suite("XMLSchemaValidator")
struct XMLSchemaValidatorTests {
    let schema = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="Products"><xs:complexType><xs:sequence>
            <xs:element name="Product" maxOccurs="unbounded"><xs:complexType>
              <xs:attribute name="Id" type="xs:int" use="required"/>
            </xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """

    @Test("a valid document passes, an invalid one names the problem")
    func validates() throws {
        let validator = try XMLSchemaValidator(schema: Data(schema.utf8))
        try validator.validate(Data("<Products><Product Id=\"1000\"/></Products>".utf8))
        let error = try #require(throws: XMLError.self) {
            try validator.validate(Data("<Products><Product Id=\"abc\"/></Products>".utf8), name: "p.xml")
        }
        #expect(error.code == .invalid)
        #expect(error.message.contains("abc"))
    }

    @Test("a broken schema is refused")
    func brokenSchema() {
        #expect(throws: XMLError.self) { try XMLSchemaValidator(schema: Data("<xs:schema".utf8)) }
    }
}
