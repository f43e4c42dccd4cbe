import AnalyzeKit
import Foundation
import Testing

@Suite("Files recognised by content, whatever their names")
struct FileKindTests {
    static func utf16LE(_ text: String) -> Data { Data([0xFF, 0xFE]) + Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) }

    @Test("each kind from its first bytes under a name that says nothing", arguments: [
        (Data("{\n  \"kind\" : \"checkout\",\n  \"machine\": \"X\"}".utf8), FileKind.checkout),
        (Data("{ \"collectedAt\": \"2026-11-20T10:00:00Z\",\r\n \"client\" : { \"ccVersion\": \"23.0\" } }".utf8), .systemInfo),
        (utf16LE("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Bentley]\r\n"), .registry),
        (Data("\"ImageName\",\"PID\",\"SessionName\"\r\n\"Bentley.Licensing.Service.exe\",\"4242\",\"Services\"\r\n".utf8), .tasklist),
        (Data("<?xml version=\"1.0\"?>\n<Events>\n <Event xmlns=\"x\"/>".utf8), .events),
        (Data("<Entitlements collectedAt=\"x\">".utf8), .entitlements),
        (Data("<ProductStatus>".utf8), .productStatus),
        (Data("<?xml version=\"1.0\"?>\n<configuration>\n".utf8), .dotNetConfig),
        (Data("UltimateId,ProductId,FeatureString,Version,UsageType,Country,Machine,User,Start,End\r\n1,1000,,1,Production,GB,M,U,a,b\r\n".utf8), .usage),
        (Data("{ \"IsLoggedIn\": true }".utf8), .connectClient),
        (Data("eyJhbGciOiJSUzI1NiJ9.eyJQb2xpY3lJZCI6IngifQ.c2ln".utf8), .policy),
        (Data("{\"PolicyId\": \"7d1494bd\"}".utf8), .policy),
        (Data("2026-11-20 10:00:00,000 [1] INFO  A - one\r\n2026-11-20 10:00:01,000 [1] INFO  A - two\r\n".utf8), .log),
        (Data("SQLite format 3\0rest".utf8), .store),
    ])
    func byContent(head: Data, kind: FileKind) {
        #expect(FileKind.recognise(path: "bundle/unknown.bin", head: head) == kind)
    }

    @Test("names decide where content cannot: a manifest, a .belic, a log folder; nothing known is nil")
    func byName() {
        #expect(FileKind.recognise(path: "manifest.json", head: Data("{ \"entries\": [] }".utf8)) == .manifest)
        #expect(FileKind.recognise(path: "other.json", head: Data("{ \"entries\": [] }".utf8)) == nil)
        #expect(FileKind.recognise(path: "a/b.belic", head: Data([0x01, 0x02])) == .checkout)
        #expect(FileKind.recognise(path: "x/Logs/Service/trace.txt", head: Data("hello".utf8)) == .log)
        #expect(FileKind.recognise(path: "notes.txt", head: Data("eyJ without a dot".utf8)) == nil)
        #expect(FileKind.recognise(path: "notes.txt", head: Data("hello\nworld\n".utf8)) == nil)
    }
}
