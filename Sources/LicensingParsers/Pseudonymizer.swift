import Foundation

/// Stable stand-ins for e-mail addresses, user names and machine names.
///
/// The same input and key give the same pseudonym in every file of a bundle, so facts still
/// line up ("the policy's user is the signed-in user") without naming anyone. The digest is a
/// keyed FNV-1a 64 with a final avalanche mix: a pseudonym, not a secret — anyone with the key
/// can test a guess. Inputs compare case-insensitively.
public struct Pseudonymizer: Sendable {
    private let key: [UInt8]

    /// A pseudonymizer keyed with `key` (e.g. a random per-bundle value, or a site secret).
    public init(key: [UInt8]) { self.key = key }

    /// A pseudonymizer keyed with the UTF-8 bytes of `key`.
    public init(key: String) { self.init(key: Array(key.utf8)) }

    /// `user-1a2b3c4d@redacted.invalid`.
    public func email(_ address: String) -> String { "user-\(digest(address, kind: "email"))@redacted.invalid" }

    /// `USER-1a2b3c4d`.
    public func user(_ name: String) -> String { "USER-\(digest(name, kind: "user"))" }

    /// `HOST-1a2b3c4d`.
    public func host(_ name: String) -> String { "HOST-\(digest(name, kind: "host"))" }

    /// Eight hex digits for `text` in a namespace `kind`.
    public func digest(_ text: String, kind: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        key.forEach(mix)
        mix(0xFF)
        kind.utf8.forEach(mix)
        mix(0xFF)
        text.lowercased().utf8.forEach(mix)
        key.forEach(mix)
        hash ^= hash >> 30
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 27
        hash = hash &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        let hex = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `text` with every e-mail address, and every listed user and host name (whole words, any
    /// case), replaced by its pseudonym.
    public func pseudonymize(_ text: String, userNames: [String] = [], hostNames: [String] = []) -> String {
        var result = replacingEmails(in: text)
        let names = userNames.map { ($0, user($0)) } + hostNames.map { ($0, host($0)) }
        for (name, replacement) in names.sorted(by: { $0.0.count > $1.0.count }) where name.count >= 2 {
            result = replacingWord(name, with: replacement, in: result)
        }
        return result
    }

    private func replacingEmails(in text: String) -> String {
        guard text.contains("@") else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var copied = 0
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "@" else { index += 1; continue }
            var start = index
            while start > copied, isLocalPart(scalars[start - 1]) { start -= 1 }
            var end = index + 1
            while end < scalars.count, isDomainPart(scalars[end]) { end += 1 }
            while end > index + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
            let domain = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
            let topLevel = domain.split(separator: ".").last ?? ""
            guard start < index, domain.contains("."), topLevel.count >= 2,
                  topLevel.allSatisfy(\.isLetter), domain.lowercased() != "redacted.invalid"
            else { index += 1; continue }
            output.append(contentsOf: scalars[copied..<start])
            output.append(contentsOf: email(String(String.UnicodeScalarView(scalars[start..<end]))).unicodeScalars)
            copied = end
            index = end
        }
        output.append(contentsOf: scalars[copied...])
        return String(output)
    }

    private func replacingWord(_ word: String, with replacement: String, in text: String) -> String {
        var result = ""
        var rest = text[...]
        while let range = rest.range(of: word, options: .caseInsensitive) {
            let before = range.lowerBound > rest.startIndex ? rest[rest.index(before: range.lowerBound)] : nil
            let after = range.upperBound < rest.endIndex ? rest[range.upperBound] : nil
            let isWhole = !(before.map(isWordCharacter) ?? false) && !(after.map(isWordCharacter) ?? false)
            result += rest[..<range.lowerBound]
            result += isWhole ? replacement : String(rest[range])
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Letters and digits: `_`, `-` and `.` separate words, so `7D3C…_WS-JDOE-01.belic` gives up
    /// its machine name too (the collector's leak check uses the same boundaries).
    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private func isLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._%+-".unicodeScalars.contains(scalar)
    }

    private func isDomainPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
    }
}
