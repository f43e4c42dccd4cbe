import Foundation

/// One left-to-right pass of `SecretScrubber` over a line's bytes.
///
/// At each byte only the patterns that can start there are tried; output is allocated on the
/// first secret found, so clean lines cost one scan and no copy.
struct ScrubPass {
    let input: UnsafeBufferPointer<UInt8>
    let jwtMode: SecretScrubber.JWTMode
    var inAssertion: Bool
    var output: [UInt8]?
    var counts: [SecretScrubber.Kind: Int] = [:]
    private var copied = 0

    private static let redacted = Array(SecretScrubber.redacted.utf8)
    private static let stars = Array("***".utf8)
    private static let assertionMarker = Array("[REDACTED:saml-assertion]".utf8)
    private static let jwtMarker = Array("[REDACTED:jwt]".utf8)

    /// Key names whose values are secrets, with their kind; all lower case.
    private static let keyNames: [(String, SecretScrubber.Kind)] = [
        ("access_token", .oauthToken), ("refresh_token", .oauthToken), ("id_token", .oauthToken),
        ("accesstoken", .oauthToken), ("refreshtoken", .oauthToken),
        ("accesskey", .accessKey), ("access_key", .accessKey),
        ("password", .password), ("passwd", .password), ("pwd", .password), ("client_secret", .password),
    ]
    private static let keys: [(name: [UInt8], kind: SecretScrubber.Kind)] = keyNames.map { (Array($0.0.utf8), $0.1) }

    init(input: UnsafeBufferPointer<UInt8>, jwtMode: SecretScrubber.JWTMode, inAssertion: Bool) {
        self.input = input
        self.jwtMode = jwtMode
        self.inAssertion = inAssertion
    }

    mutating func run() {
        var index = 0
        if inAssertion {
            if let end = assertionClose(from: 0) {
                replace(0, end, with: [])
                inAssertion = false
                index = end
            } else {
                replace(0, input.count, with: [])
                return
            }
        }
        while index < input.count {
            index = step(at: index)
        }
        if output != nil { output?.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied...])) }
    }

    /// Tries the patterns that can start at `index`; returns where to continue.
    private mutating func step(at index: Int) -> Int {
        switch ByteSearch.lower(input[index]) {
        case 0x3C: return assertion(at: index) ?? index + 1                        // <
        case 0x62: return authorization(at: index) ?? index + 1                    // b
        case 0x65: return jwt(at: index) ?? index + 1                              // e
        case 0x3A: return urlPassword(at: index) ?? index + 1                      // :
        case 0x61, 0x72, 0x69, 0x70, 0x63: return keyValue(at: index) ?? index + 1 // a r i p c
        default: return index + 1
        }
    }

    private mutating func replace(_ start: Int, _ end: Int, with replacement: [UInt8]) {
        if output == nil { output = []; output?.reserveCapacity(input.count) }
        output?.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<start]))
        output?.append(contentsOf: replacement)
        copied = end
    }

    private mutating func count(_ kind: SecretScrubber.Kind) { counts[kind, default: 0] += 1 }

    // MARK: SAML

    private mutating func assertion(at index: Int) -> Int? {
        var cursor = index + 1
        while cursor < input.count, cursor - index < 12, isNameByte(input[cursor]) { cursor += 1 }
        if cursor < input.count, input[cursor] == 0x3A { cursor += 1 } else { cursor = index + 1 }
        guard ByteSearch.matches(Array("assertion".utf8), in: input, at: cursor, caseInsensitive: true) else {
            return nil
        }
        let after = cursor + 9
        guard after < input.count, [0x20, 0x3E, 0x09, 0x2F].contains(input[after]) else { return nil }
        count(.samlAssertion)
        if let end = assertionClose(from: after) {
            replace(index, end, with: Self.assertionMarker)
            return end
        }
        replace(index, input.count, with: Self.assertionMarker)
        inAssertion = true
        return input.count
    }

    /// The index after a closing `</…Assertion>` tag at or after `from`.
    private func assertionClose(from: Int) -> Int? {
        var search = from
        while let found = ByteSearch.find(Array("assertion>".utf8), in: input, from: search, caseInsensitive: true) {
            var back = found - 1
            if back >= 0, input[back] == 0x3A {
                back -= 1
                while back >= 0, isNameByte(input[back]) { back -= 1 }
            }
            if back >= 1, input[back] == 0x2F, input[back - 1] == 0x3C { return found + 10 }
            search = found + 1
        }
        return nil
    }

    // MARK: Authorization headers

    private mutating func authorization(at index: Int) -> Int? {
        guard index == 0 || !isTokenByte(input[index - 1]) else { return nil }
        let bearer = ByteSearch.matches(Array("bearer".utf8), in: input, at: index, caseInsensitive: true)
        let basic = !bearer && ByteSearch.matches(Array("basic".utf8), in: input, at: index, caseInsensitive: true)
        guard bearer || basic else { return nil }
        var start = index + (bearer ? 6 : 5)
        guard start < input.count, input[start] == 0x20 || input[start] == 0x09 else { return nil }
        while start < input.count, input[start] == 0x20 || input[start] == 0x09 { start += 1 }
        var end = start
        while end < input.count, isCredentialByte(input[end]) { end += 1 }
        guard end - start >= 8 else { return nil }
        if basic {
            var before = index - 1
            while before >= 0, input[before] == 0x20 { before -= 1 }
            guard before >= 0, input[before] == 0x3A || input[before] == 0x22 || input[before] == 0x3D else { return nil }
        }
        count(bearer ? .bearerToken : .basicAuth)
        replace(start, end, with: Self.redacted)
        return end
    }

    // MARK: JWT

    private mutating func jwt(at index: Int) -> Int? {
        guard index + 3 < input.count, input[index + 1] == 0x79, input[index + 2] == 0x4A,
              index == 0 || !isBase64URLByte(input[index - 1])
        else { return nil }
        var cursor = index
        var segments: [Range<Int>] = []
        while segments.count < 3 {
            let start = cursor
            while cursor < input.count, isBase64URLByte(input[cursor]) { cursor += 1 }
            segments.append(start..<cursor)
            guard segments.count < 3, cursor < input.count, input[cursor] == 0x2E else { break }
            cursor += 1
        }
        guard segments.count >= 2, segments[0].count >= 10, segments[1].count >= 10 else { return nil }
        count(.jwt)
        let end = segments[segments.count - 1].upperBound
        switch jwtMode {
        case .wholeToken: replace(index, end, with: Self.jwtMarker)
        case .signatureOnly:
            guard segments.count == 3, !segments[2].isEmpty else { return end }
            replace(segments[2].lowerBound, end, with: Self.redacted)
        }
        return end
    }

    // MARK: URL passwords

    private mutating func urlPassword(at index: Int) -> Int? {
        guard index > 0, index + 2 < input.count, input[index + 1] == 0x2F, input[index + 2] == 0x2F,
              isLetter(input[index - 1])
        else { return nil }
        let start = index + 3
        var cursor = start
        var colon: Int?
        while cursor < input.count {
            let byte = input[cursor]
            if byte == 0x40 { break }
            if byte == 0x2F || byte == 0x20 || byte == 0x22 || byte == 0x27 || byte == 0x3C || byte == 0x3E
                || byte == 0x09 { return nil }
            if byte == 0x3A, colon == nil { colon = cursor }
            cursor += 1
        }
        guard cursor < input.count, let colon, cursor > colon + 1 else { return nil }
        let password = UnsafeBufferPointer(rebasing: input[(colon + 1)..<cursor])
        guard !password.elementsEqual(Self.stars) else { return cursor }
        count(.urlPassword)
        replace(colon + 1, cursor, with: Self.stars)
        return cursor
    }

    // MARK: key=value pairs

    private mutating func keyValue(at index: Int) -> Int? {
        guard index == 0 || !isWordByte(input[index - 1]) else { return nil }
        guard let key = Self.keys.first(where: {
            ByteSearch.matches($0.name, in: input, at: index, caseInsensitive: true)
        }) else { return nil }
        var cursor = index + key.name.count
        guard cursor >= input.count || !isWordByte(input[cursor]) else { return nil }
        let quotedKey = index > 0 && (input[index - 1] == 0x22 || input[index - 1] == 0x27)
        if cursor < input.count, input[cursor] == 0x22 || input[cursor] == 0x27 { cursor += 1 }
        while cursor < input.count, input[cursor] == 0x20 { cursor += 1 }
        guard cursor < input.count, input[cursor] == 0x3D || (input[cursor] == 0x3A && quotedKey) else { return nil }
        cursor += 1
        while cursor < input.count, input[cursor] == 0x20 { cursor += 1 }
        var quote: UInt8?
        if cursor < input.count, input[cursor] == 0x22 || input[cursor] == 0x27 {
            quote = input[cursor]
            cursor += 1
        }
        let start = cursor
        while cursor < input.count {
            let byte = input[cursor]
            if let quote {
                if byte == quote, input[cursor - 1] != 0x5C { break }
            } else if [0x26, 0x3B, 0x2C, 0x20, 0x09, 0x22, 0x27, 0x29, 0x7D, 0x5D, 0x3C, 0x3E].contains(byte) {
                break
            }
            cursor += 1
        }
        guard cursor > start else { return nil }
        let value = UnsafeBufferPointer(rebasing: input[start..<cursor])
        if value.elementsEqual(Self.redacted) || value.elementsEqual(Self.stars) { return cursor }
        if quote == nil, value.first == 0x5B { return cursor }
        count(key.kind)
        replace(start, cursor, with: Self.redacted)
        return cursor
    }

    // MARK: byte classes

    @inline(__always) private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) private func isWordByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) || byte == 0x5F }
    @inline(__always) private func isNameByte(_ byte: UInt8) -> Bool { isWordByte(byte) || byte == 0x2D }
    @inline(__always) private func isBase64URLByte(_ byte: UInt8) -> Bool { isWordByte(byte) || byte == 0x2D }
    @inline(__always) private func isTokenByte(_ byte: UInt8) -> Bool { isWordByte(byte) }
    @inline(__always) private func isCredentialByte(_ byte: UInt8) -> Bool {
        isBase64URLByte(byte) || byte == 0x2E || byte == 0x2B || byte == 0x2F || byte == 0x3D || byte == 0x7E
    }
}
