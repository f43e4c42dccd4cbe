import Foundation
internal import CLibXML2

/// A safe pull reader over libxml2's `xmlTextReader`.
///
/// One reader per task: it is not thread-safe, and it is not `Sendable`. It streams: a file is
/// read in chunks, never whole, so a large event export costs memory for one element at a time.
public final class XMLPullReader {
    private let reader: xmlTextReaderPtr
    private let input: XMLByteInput
    private let errors = XMLErrorSink()
    private let options: XMLReaderOptions
    private let documentName: String
    private var pendingEnd: XMLEvent?
    /// The synthetic root that wraps a multi-root document; its depth is hidden from callers.
    private var depthOffset: Int { options.allowMultipleRoots ? 1 : 0 }
    private var finished = false

    /// Reads XML held in memory; `name` names the document in errors.
    public convenience init(data: Data, name: String = "input", options: XMLReaderOptions = .init()) throws {
        try self.init(input: XMLByteInput(data: data, wrapInRoot: options.allowMultipleRoots),
                      name: name, options: options)
    }

    /// Reads an XML file in chunks.
    public convenience init(path: String, options: XMLReaderOptions = .init()) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw XMLError(code: .io, document: path, line: nil, message: "cannot open the file")
        }
        try self.init(input: XMLByteInput(file: handle, wrapInRoot: options.allowMultipleRoots),
                      name: path, options: options)
    }

    private init(input: XMLByteInput, name: String, options: XMLReaderOptions) throws {
        XMLLibrary.initialize()
        self.input = input
        self.options = options
        self.documentName = name
        // NONET: no network. No NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR/DTDVALID.
        let flags = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        let context = Unmanaged.passUnretained(input).toOpaque()
        guard let reader = xmlReaderForIO(xmlByteInputRead, nil, context, name, nil, flags) else {
            throw XMLError(code: .io, document: name, line: nil, message: "libxml2 could not create a reader")
        }
        self.reader = reader
        xmlTextReaderSetParserProp(reader, Int32(XML_PARSER_SUBST_ENTITIES.rawValue), 0)
        xmlTextReaderSetParserProp(reader, Int32(XML_PARSER_LOADDTD.rawValue), 0)
        xmlTextReaderSetStructuredErrorHandler(reader, xmlErrorSinkCallback,
                                               Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit { xmlFreeTextReader(reader) }

    /// The next event, or nil at the end of the document.
    public func next() throws -> XMLEvent? {
        if let end = pendingEnd {
            pendingEnd = nil
            return end
        }
        while !finished {
            let status = xmlTextReaderRead(reader)
            if let error = errors.first { throw error.with(document: documentName) }
            if status == 0 { finished = true; break }
            if status < 0 {
                throw XMLError(code: .malformed, document: documentName, line: currentLine,
                               message: "the document is not well-formed XML")
            }
            if let event = try currentEvent() { return event }
        }
        return nil
    }

    /// Reads the next whole element at the current level as a tree; nil at the end.
    ///
    /// Text between elements at the current level is skipped. Call it repeatedly to walk the
    /// top-level elements of a multi-root file one at a time.
    public func readElement() throws -> XMLElement? {
        var stack: [XMLElement] = []
        while let event = try next() {
            switch event {
            case let .start(name, attributes, _, line, _):
                stack.append(XMLElement(name: name, attributes: attributes, line: line))
            case .text(let text):
                if !stack.isEmpty { stack[stack.count - 1].text += text }
            case .end:
                guard let done = stack.popLast() else { return nil }  // left the enclosing element
                if stack.isEmpty { return done }
                stack[stack.count - 1].children.append(done)
            }
        }
        return nil
    }

    /// Every top-level element of the document (or, for a single-root document, its root).
    public func readAllElements() throws -> [XMLElement] {
        var elements: [XMLElement] = []
        while let element = try readElement() { elements.append(element) }
        return elements
    }

    private var currentLine: Int? {
        let line = Int(xmlTextReaderGetParserLineNumber(reader))
        return line > 0 ? line : nil
    }

    private func currentEvent() throws -> XMLEvent? {
        let depth = Int(xmlTextReaderDepth(reader)) - depthOffset
        switch xmlTextReaderNodeType(reader) {
        case Int32(XML_READER_TYPE_ELEMENT.rawValue):
            if depth < 0 { return nil }  // the synthetic root
            if depth >= options.maxDepth {
                throw XMLError(code: .tooDeep, document: documentName, line: currentLine,
                               message: "elements nest deeper than \(options.maxDepth) levels")
            }
            let name = string(xmlTextReaderConstLocalName(reader))
            let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
            let attributes = readAttributes()
            if isEmpty { pendingEnd = .end(name: name, depth: depth) }
            let line = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
            return .start(name: name, attributes: attributes, depth: depth, line: max(line, 0),
                          isEmpty: isEmpty)
        case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
            if depth < 0 { return nil }
            return .end(name: string(xmlTextReaderConstLocalName(reader)), depth: depth)
        case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
             Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
            if depth <= 0 && options.allowMultipleRoots { return nil }  // text between roots
            return .text(string(xmlTextReaderConstValue(reader)))
        default:
            // Entity references, DTDs, comments, processing instructions: skipped, never expanded.
            return nil
        }
    }

    private func readAttributes() -> [String: String] {
        var attributes: [String: String] = [:]
        guard xmlTextReaderHasAttributes(reader) == 1 else { return attributes }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
            attributes[string(xmlTextReaderConstLocalName(reader))] = string(xmlTextReaderConstValue(reader))
        }
        xmlTextReaderMoveToElement(reader)
        return attributes
    }

    private func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}

/// Collects the first error libxml2 reports through the structured handler.
final class XMLErrorSink {
    var first: XMLError?
}

private let xmlErrorSinkCallback: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let sink = Unmanaged<XMLErrorSink>.fromOpaque(context).takeUnretainedValue()
    guard sink.first == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let message = error.pointee.message.map { String(cString: $0) }?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "XML error \(error.pointee.code)"
    let line = error.pointee.line > 0 ? Int(error.pointee.line) : nil
    let code: XMLError.Code = message.contains("depth") ? .tooDeep : .malformed
    sink.first = XMLError(code: code, document: "", line: line, message: message)
}

extension XMLError {
    func with(document: String) -> XMLError {
        XMLError(code: code, document: document, line: line, message: message)
    }
}

/// Process-wide libxml2 set-up, done once before any reader exists.
enum XMLLibrary {
    private static let once: Void = {
        xmlInitParser()
        // Belt and braces: even if some path asked for an external entity or DTD, load nothing.
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// Call before using libxml2 on the current thread (the error handler is per thread).
    static func initialize() {
        _ = once
        CLibXML2_silenceGenericErrors()
    }
}
