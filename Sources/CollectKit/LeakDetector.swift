import Foundation
import LicensingParsers

/// The last check before a bundle is published: finds secrets that slipped past scrubbing.
///
/// It is deliberately independent of the scrubber (other code, simpler patterns), so a bug
/// in one is caught by the other. With `--redact` it also looks for the original identities
/// (e-mail, user and machine names) that pseudonyms should have replaced.
public struct LeakDetector: Sendable {
    /// One secret found.
    public struct Leak: Sendable, Equatable, CustomStringConvertible {
        /// What kind of secret (`jwt-signature`, `bearer-token`, `url-password`, …).
        public let kind: String
        /// The bundle entry it is in.
        public let entry: String
        /// One line: `entry: kind`.
        public var description: String { "\(entry): \(kind)" }
    }

    private let identities: [[UInt8]]

    /// Creates a detector; `identities` are strings that must not appear (matched ignoring case).
    public init(identities: [String] = []) {
        self.identities = identities.filter { $0.count >= 3 }.map { Array($0.lowercased().utf8) }
    }

    /// The kinds of leak in one chunk of an entry (text lines, or a window of binary data).
    public func scan(_ bytes: UnsafeRawBufferPointer) -> [String] {
        guard bytes.count > 0 else { return [] }
        let data = bytes.bindMemory(to: UInt8.self)
        var kinds: [String] = []
        if containsSignedJWT(data) { kinds.append("jwt-signature") }
        if containsValue(after: ["Bearer ", "bearer ", "BEARER "], data, minimumLength: 12) { kinds.append("bearer-token") }
        if containsValue(after: ["access_token=", "refresh_token=", "id_token=", "\"access_token\":\"",
                                 "\"refresh_token\":\"", "\"id_token\":\""], data, minimumLength: 8) {
            kinds.append("oauth-token")
        }
        if containsValue(after: ["\"AccessKey\":\"", "\"AccessKey\": \"", "AccessKey=", "accessKey=", "access_key="],
                         data, minimumLength: 4) {
            kinds.append("access-key")
        }
        if containsValue(after: ["password=", "Password=", "pwd=", "\"password\":\"", "\"Password\":\""],
                         data, minimumLength: 1) {
            kinds.append("password")
        }
        if containsURLPassword(data) { kinds.append("url-password") }
        if find("<saml:Assertion", in: data, from: 0) != nil || find("<Assertion ", in: data, from: 0) != nil
            || find("<saml2:Assertion", in: data, from: 0) != nil {
            kinds.append("saml-assertion")
        }
        if !identities.isEmpty, containsIdentity(data) { kinds.append("identity") }
        return kinds
    }

    // MARK: - Patterns

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x5F || byte == 0x2B || byte == 0x2F || byte == 0x3D
    }

    private static func isRedacted(_ data: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index < data.count else { return true }
        let byte = data[index]
        return byte == UInt8(ascii: "*") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "<")
            || startsWith("REDACTED", data, at: index) || startsWith("redacted", data, at: index)
    }

    /// A JWT (`eyJ….eyJ….sig`) whose third segment is still there.
    private func containsSignedJWT(_ data: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let start = find("eyJ", in: data, from: from) {
            var index = start
            var segments = 0
            var lastLength = 0
            var length = 0
            while index < data.count {
                let byte = data[index]
                if byte == UInt8(ascii: ".") {
                    segments += 1
                    if segments == 3 { break }
                    length = 0
                } else if Self.isTokenByte(byte) && byte != UInt8(ascii: "+") && byte != UInt8(ascii: "/") && byte != UInt8(ascii: "=") {
                    length += 1
                    lastLength = length
                } else {
                    break
                }
                index += 1
            }
            if segments >= 2 && lastLength >= 16 && length == lastLength { return true }
            from = start + 3
        }
        return false
    }

    private func containsValue(after prefixes: [String], _ data: UnsafeBufferPointer<UInt8>, minimumLength: Int) -> Bool {
        for prefix in prefixes {
            var from = 0
            while let start = find(prefix, in: data, from: from) {
                let valueStart = start + prefix.utf8.count
                var end = valueStart
                while end < data.count, Self.isTokenByte(data[end]) || data[end] == UInt8(ascii: ".") { end += 1 }
                if end - valueStart >= minimumLength && !Self.isRedacted(data, at: valueStart) { return true }
                from = valueStart
            }
        }
        return false
    }

    /// `scheme://user:password@host` with a password that is not masked.
    private func containsURLPassword(_ data: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let start = find("://", in: data, from: from) {
            var index = start + 3
            var colon: Int?
            while index < data.count {
                let byte = data[index]
                if byte == UInt8(ascii: ":") && colon == nil { colon = index }
                else if byte == UInt8(ascii: "@") {
                    if let colon, index > colon + 1, !Self.isRedacted(data, at: colon + 1) { return true }
                    break
                } else if byte == UInt8(ascii: "/") || byte <= 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<") {
                    break
                }
                index += 1
            }
            from = start + 3
        }
        return false
    }

    private func containsIdentity(_ data: UnsafeBufferPointer<UInt8>) -> Bool {
        let lowered = data.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return lowered.withUnsafeBufferPointer { lower in
            identities.contains { identity in
                var from = 0
                while let start = ByteSearch.find(identity, in: lower, from: from) {
                    let end = start + identity.count
                    // Whole words only (letters and digits are word characters), as pseudonyms replace them.
                    if !(start > 0 && Self.isWordByte(lower[start - 1])) && !(end < lower.count && Self.isWordByte(lower[end])) {
                        return true
                    }
                    from = start + 1
                }
                return false
            }
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
    }

    private static func startsWith(_ text: String, _ data: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let bytes = Array(text.utf8)
        guard index + bytes.count <= data.count else { return false }
        for offset in 0..<bytes.count where data[index + offset] != bytes[offset] { return false }
        return true
    }

    private func find(_ needle: String, in data: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        ByteSearch.find(Array(needle.utf8), in: data, from: from)
    }
}
