import Foundation
internal import CLibXML2

/// Checks documents against an XSD with libxml2's schema validator.
///
/// The schema and the documents are parsed without network access and without entity
/// expansion, like everything else in XMLKit.
public final class XMLSchemaValidator {
    private let schema: xmlSchemaPtr
    private let schemaName: String

    /// Compiles the schema; throws `XMLError` with code `.invalid` when it is not a valid XSD.
    public init(schema data: Data, name: String = "schema.xsd") throws {
        XMLLibrary.initialize()
        schemaName = name
        let sink = XMLErrorSink()
        let compiled: xmlSchemaPtr? = data.withUnsafeBytes { bytes -> xmlSchemaPtr? in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                  let context = xmlSchemaNewMemParserCtxt(base, Int32(bytes.count)) else { return nil }
            defer { xmlSchemaFreeParserCtxt(context) }
            xmlSchemaSetParserStructuredErrors(context, xmlValidationErrorCallback,
                                               Unmanaged.passUnretained(sink).toOpaque())
            return xmlSchemaParse(context)
        }
        guard let compiled else {
            throw XMLError(code: .invalid, document: name, line: sink.first?.line,
                           message: sink.first?.message ?? "not a valid XML schema")
        }
        schema = compiled
    }

    deinit { xmlSchemaFree(schema) }

    /// Validates a document; returns nothing when it is valid, else throws the first problem.
    public func validate(_ document: Data, name: String = "document") throws {
        let sink = XMLErrorSink()
        let flags = Int32(XML_PARSE_NONET.rawValue)
        let parsed: xmlDocPtr? = document.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlReadMemory(base, Int32(bytes.count), name, nil, flags)
        }
        guard let parsed else {
            throw XMLError(code: .malformed, document: name, line: nil, message: "not well-formed XML")
        }
        defer { xmlFreeDoc(parsed) }
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            throw XMLError(code: .io, document: name, line: nil, message: "libxml2 could not create a validator")
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, xmlValidationErrorCallback,
                                          Unmanaged.passUnretained(sink).toOpaque())
        let result = xmlSchemaValidateDoc(context, parsed)
        if result != 0 {
            throw XMLError(code: .invalid, document: name, line: sink.first?.line,
                           message: sink.first?.message ?? "does not match \(schemaName)")
        }
    }
}

private let xmlValidationErrorCallback: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let sink = Unmanaged<XMLErrorSink>.fromOpaque(context).takeUnretainedValue()
    guard sink.first == nil else { return }
    let message = error.pointee.message.map { String(cString: $0) }?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "XML schema error \(error.pointee.code)"
    sink.first = XMLError(code: .invalid, document: "", line: error.pointee.line > 0 ? Int(error.pointee.line) : nil,
                          message: message)
}
