import Foundation

/// A file could not be read as the format it was expected to be.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure it was.
    public enum Code: String, Sendable, Equatable {
        /// The file is empty (or only whitespace).
        case empty
        /// Text that should be base64 (a token segment, a claim) is not.
        case notBase64
        /// Text that should be JSON is not.
        case notJSON
        /// The content is none of the forms the parser accepts.
        case unrecognized
        /// A field the format cannot do without is missing.
        case missingField
        /// The XML is malformed or nests too deep.
        case xml
        /// The file could not be read.
        case io
    }

    /// What kind of failure it was.
    public let code: Code
    /// The file, as the caller named it (bundle-relative where possible).
    public let file: String
    /// The 1-based line, when known.
    public let line: Int?
    /// What went wrong and, where it helps, what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, file: String, line: Int? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    /// One line: `file:line: message`.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(message)"
    }
}

/// A parser's result together with what it could not read but skipped.
public struct Parsed<Value> {
    /// What was read.
    public var value: Value
    /// Problems met and skipped (a truncated export, a malformed row).
    public var warnings: [ParseError]

    /// Creates a result.
    public init(value: Value, warnings: [ParseError] = []) {
        self.value = value
        self.warnings = warnings
    }
}

extension Parsed: Sendable where Value: Sendable {}
extension Parsed: Equatable where Value: Equatable {}
