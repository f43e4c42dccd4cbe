import Foundation

/// A four-part CONNECTION Client or product version, compared numerically (CLIENT-MODEL §10).
///
/// Reads dotted text (`11.00.03.14`, `10.0.19`) and the packed form of the store
/// (`1000200030004` = 1.2.3.4: the major part, then three 4-digit parts).
public struct ClientVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The four numeric parts: major, minor, build, revision.
    public let parts: [Int]
    /// The text it was read from.
    public let text: String

    /// A version from its parts; missing parts are 0, extra parts are dropped.
    public init(_ major: Int, _ minor: Int = 0, _ build: Int = 0, _ revision: Int = 0) {
        parts = [major, minor, build, revision]
        text = Self.format(parts)
    }

    /// Parses dotted or packed text; nil when it is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmed(.whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.allSatisfy(\.isASCIIDigit), trimmed.count > 12 {
            let digits = Array(trimmed)
            let majorEnd = digits.count - 12
            var parsed: [Int] = []
            for range in [0..<majorEnd, majorEnd..<majorEnd + 4, majorEnd + 4..<majorEnd + 8,
                          majorEnd + 8..<majorEnd + 12] {
                guard let value = Int(String(digits[range])) else { return nil }
                parsed.append(value)
            }
            parts = parsed
        } else {
            let pieces = trimmed.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...4).contains(pieces.count) else { return nil }
            var parsed: [Int] = []
            for piece in pieces {
                guard !piece.isEmpty, piece.allSatisfy(\.isASCIIDigit), let value = Int(piece) else {
                    return nil
                }
                parsed.append(value)
            }
            parts = parsed + Array(repeating: 0, count: 4 - parsed.count)
        }
        self.text = trimmed
    }

    /// The major part (10, 11, 23…).
    public var major: Int { parts[0] }

    /// The normalized form: major, then two-digit parts: `11.00.03.14`.
    public var description: String { Self.format(parts) }

    /// Compares numerically, part by part.
    public static func < (lhs: ClientVersion, rhs: ClientVersion) -> Bool {
        lhs.parts.lexicographicallyPrecedes(rhs.parts)
    }

    /// Equal when the numbers are equal, whatever the text.
    public static func == (lhs: ClientVersion, rhs: ClientVersion) -> Bool { lhs.parts == rhs.parts }

    /// Hashes the numbers only.
    public func hash(into hasher: inout Hasher) { hasher.combine(parts) }

    /// Decodes from its text.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let version = ClientVersion(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a version like 11.00.03.14")
        }
        self = version
    }

    /// Encodes as the normalized text.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func format(_ parts: [Int]) -> String {
        let rest = parts.dropFirst().map { $0 < 10 ? "0\($0)" : String($0) }
        return ([String(parts[0])] + rest).joined(separator: ".")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
