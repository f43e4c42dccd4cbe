import Foundation

/// Finds secrets in text and replaces them, line by line over bytes.
///
/// Removes bearer and basic credentials, JWTs, OAuth `access_token`/`refresh_token`/`id_token`
/// values, `AccessKey` values, passwords in URLs (`scheme://user:***@host`), `password=`-style
/// pairs, and SAML assertions (which may span lines: the scrubber remembers an open one).
/// Lines without secrets are passed through untouched and uncopied.
public struct SecretScrubber {
    /// What was removed.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// `Bearer <token>`.
        case bearerToken
        /// `Authorization: Basic <base64>`.
        case basicAuth
        /// A JSON Web Token (`eyJ….….…`).
        case jwt
        /// `access_token=`, `refresh_token=`, `id_token=` values.
        case oauthToken
        /// `"AccessKey": "…"` and `AccessKey=…`.
        case accessKey
        /// The password of `scheme://user:password@host`.
        case urlPassword
        /// `password=`, `pwd=`, `client_secret=` values.
        case password
        /// `<saml:Assertion>…</saml:Assertion>`.
        case samlAssertion
    }

    /// What to remove of a JWT.
    public enum JWTMode: Sendable {
        /// The whole token (for logs).
        case wholeToken
        /// Only the signature segment, keeping header and claims readable.
        case signatureOnly
    }

    /// Scrubbed text or bytes and how many secrets of each kind were removed.
    public struct Result<Value> {
        /// The scrubbed content.
        public var value: Value
        /// Removals per kind.
        public var counts: [Kind: Int]
        /// All removals.
        public var total: Int { counts.values.reduce(0, +) }
    }

    /// The text put in place of a secret value.
    public static let redacted = "[REDACTED]"

    /// Removals so far, per kind.
    public private(set) var counts: [Kind: Int] = [:]
    /// What to remove of a JWT.
    public let jwtMode: JWTMode
    private var inAssertion = false

    /// A scrubber; use one per file, as it carries an open SAML assertion across lines.
    public init(jwtMode: JWTMode = .wholeToken) { self.jwtMode = jwtMode }

    /// Scrubs one line (no terminator); nil when the line has no secret and stays as it is.
    public mutating func scrubLine(_ line: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var pass = ScrubPass(input: line, jwtMode: jwtMode, inAssertion: inAssertion)
        pass.run()
        inAssertion = pass.inAssertion
        for (kind, count) in pass.counts { counts[kind, default: 0] += count }
        return pass.output
    }

    /// Scrubs one line of text.
    public mutating func scrub(line: String) -> String {
        var line = line
        let output = line.withUTF8 { scrubLine($0) }
        return output.map { String(decoding: $0, as: UTF8.self) } ?? line
    }

    /// Scrubs a whole text.
    public static func scrub(_ text: String, jwtMode: JWTMode = .wholeToken) -> Result<String> {
        let result = scrub(data: Data(text.utf8), jwtMode: jwtMode)
        return Result(value: result.total == 0 ? text : String(decoding: result.value, as: UTF8.self),
                      counts: result.counts)
    }

    /// Scrubs a file's bytes, keeping its line terminators. Input without secrets comes back
    /// unchanged; scrubbed UTF-16 input comes back as UTF-8.
    public static func scrub(data: Data, jwtMode: JWTMode = .wholeToken) -> Result<Data> {
        let (encoding, bom) = TextDecoding.detect(data)
        let utf8 = encoding == .utf8 ? data : Data(TextDecoding.string(from: data).utf8)
        var scrubber = SecretScrubber(jwtMode: jwtMode)
        var output: Data?
        var copied = 0
        utf8.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = encoding == .utf8 ? bom : 0
            while start < bytes.count {
                var end = start
                if let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, bytes.count - start) {
                    end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                } else {
                    end = bytes.count
                }
                var contentEnd = end
                if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                if let replaced = scrubber.scrubLine(UnsafeBufferPointer(rebasing: bytes[start..<contentEnd])) {
                    if output == nil { output = Data(capacity: bytes.count) }
                    output?.append(UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                    output?.append(contentsOf: replaced)
                    copied = contentEnd
                }
                start = end + 1
            }
            if output != nil { output?.append(UnsafeBufferPointer(rebasing: bytes[copied..<bytes.count])) }
        }
        return Result(value: output ?? data, counts: scrubber.counts)
    }
}

extension SecretScrubber.Result: Sendable where Value: Sendable {}
extension SecretScrubber.Result: Equatable where Value: Equatable {}
