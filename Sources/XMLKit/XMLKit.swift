/// XMLKit: the one module that talks to libxml2.
///
/// It reads untrusted XML safely: a pull reader over `xmlTextReader` that never touches the
/// network, never loads a DTD, never expands entities (internal or external), stops at a depth
/// limit, and reports errors with line numbers. It also reads a file of concatenated elements
/// with no root element (the Windows event-log export). `XMLElement` is a small tree for
/// callers that want one element at a time; `XMLSchemaValidator` checks a document against an
/// XSD. No libxml2 pointer leaves this module.
import Foundation

/// Limits and modes of an `XMLPullReader`.
public struct XMLReaderOptions: Sendable {
    /// The deepest element nesting accepted; deeper input fails with `XMLError.Code.tooDeep`.
    public var maxDepth: Int
    /// Reads a sequence of top-level elements with no single root (each at depth 0).
    public var allowMultipleRoots: Bool

    /// Creates options; the defaults suit any document this project reads.
    public init(maxDepth: Int = 256, allowMultipleRoots: Bool = false) {
        self.maxDepth = maxDepth
        self.allowMultipleRoots = allowMultipleRoots
    }
}

/// A failure to read an XML document, with the line where the parser stopped.
public struct XMLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure it was.
    public enum Code: String, Sendable {
        /// The bytes are not well-formed XML.
        case malformed
        /// Elements nest deeper than `XMLReaderOptions.maxDepth`.
        case tooDeep
        /// The input could not be opened or read.
        case io
        /// A schema was invalid or a document did not validate.
        case invalid
    }

    /// What kind of failure it was.
    public let code: Code
    /// The document's name (a file path or the name given to the reader).
    public let document: String
    /// The 1-based line where it happened, when known.
    public let line: Int?
    /// What went wrong, in the parser's words.
    public let message: String

    /// One line: `name:line: message`.
    public var description: String {
        let place = line.map { "\(document):\($0)" } ?? document
        return "\(place): \(message)"
    }
}

/// One step of a pull reader.
public enum XMLEvent: Sendable, Equatable {
    /// An element opens. Empty elements (`<a/>`) are followed by their `.end` at once.
    case start(name: String, attributes: [String: String], depth: Int, line: Int, isEmpty: Bool)
    /// An element closes.
    case end(name: String, depth: Int)
    /// Character data or CDATA inside an element (entity references are never expanded).
    case text(String)
}

/// An element with its attributes, text and children: a small tree read by `readElement()`.
public struct XMLElement: Sendable, Equatable {
    /// The local name, without a namespace prefix.
    public var name: String
    /// Attributes by local name (namespace declarations are left out).
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [XMLElement]
    /// The element's own text, concatenated (not its children's).
    public var text: String
    /// The line the element starts on.
    public var line: Int

    /// Creates an element.
    public init(name: String, attributes: [String: String] = [:], children: [XMLElement] = [],
                text: String = "", line: Int = 0) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
        self.line = line
    }

    /// The first child with this local name (case-sensitive, as XML is).
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Every child with this local name.
    public func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// An attribute's value by local name.
    public subscript(attribute: String) -> String? { attributes[attribute] }
}

extension XMLElement {
    /// The element written back as XML text: attributes sorted, text and values escaped.
    ///
    /// `extraAttributes` are written first (for a namespace declaration the reader left out).
    public func xmlString(extraAttributes: [(String, String)] = []) -> String {
        var out = "<" + name
        for (key, value) in extraAttributes + attributes.sorted(by: { $0.key < $1.key }) {
            out += " \(key)=\"\(Self.escape(value, quotes: true))\""
        }
        if children.isEmpty && text.isEmpty { return out + "/>" }
        out += ">" + Self.escape(text, quotes: false)
        for child in children { out += child.xmlString() }
        return out + "</\(name)>"
    }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
