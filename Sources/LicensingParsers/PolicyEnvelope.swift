import Foundation
import LicensingModel

/// How a policy was wrapped, and the policy JSON taken out of the wrapping.
public struct PolicyEnvelope: Sendable, Equatable {
    /// The wrapping a policy came in.
    public enum Form: String, Sendable, Equatable {
        /// The policy JSON itself.
        case json
        /// A JWT whose policy claim holds the JSON as base64.
        case jwt
        /// A `.belic` checkout: the JWT, then the quoted base64 certificate.
        case belic
    }

    /// The wrapping.
    public var form: Form
    /// The policy JSON (UTF-8).
    public var policyJSON: Data
    /// Whether a signing certificate followed the token (`.belic`).
    public var certificatePresent: Bool
    /// The token's `iss`, when a JWT.
    public var issuer: String?
    /// The token's `nbf`, when a JWT.
    public var notBefore: Date?
    /// The token's `exp`, when a JWT.
    public var expires: Date?

    /// The JWT claim that holds the policy.
    public static let policyClaim = "http://schemas.bentley.com/ws/2011/03/identity/claims/policy"

    /// Takes the policy JSON out of raw JSON, a JWT or a `.belic` (any text encoding).
    public static func open(_ data: Data, file: String) throws -> PolicyEnvelope {
        // Trimmed and split by scalars, never through NSString or by Character: a hostile 50 MB
        // token then costs a second or so, not tens of seconds (docs/security.md).
        let text = trimmed(Substring(TextDecoding.string(from: data)), isSpace: { $0.properties.isWhitespace })
        guard !text.isEmpty else { throw ParseError(.empty, file: file, "the policy file is empty") }
        if text.hasPrefix("{") {
            return PolicyEnvelope(form: .json, policyJSON: Data(text.utf8), certificatePresent: false)
        }
        let lines = LineSplitter.lines(of: String(text))
            .map { trimmed(Substring($0), isSpace: { $0 == "\"" || $0 == " " || $0 == "\t" }) }
            .filter { !$0.isEmpty }
        guard let token = lines.first, token.utf8.contains(UInt8(ascii: ".")) else {
            throw ParseError(.unrecognized, file: file, line: 1,
                             "not a policy: neither JSON, a JWT nor a .belic checkout")
        }
        var envelope = try openToken(token, file: file)
        if lines.count > 1 {
            envelope.form = .belic
            envelope.certificatePresent = Base64Text.decode(lines[1]) != nil
        }
        return envelope
    }

    /// `text` without the leading and trailing scalars `isSpace` accepts.
    private static func trimmed(_ text: Substring, isSpace: (Unicode.Scalar) -> Bool) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return Substring(scalars[first...last])
    }

    private static func openToken(_ token: Substring, file: String) throws -> PolicyEnvelope {
        // The payload is the second `.`-separated segment ('.' is ASCII: UTF-8 indices are safe).
        let afterHeader = token.utf8.firstIndex(of: UInt8(ascii: ".")).map { token.utf8.index(after: $0) } ?? token.endIndex
        let payloadEnd = token.utf8[afterHeader...].firstIndex(of: UInt8(ascii: ".")) ?? token.endIndex
        guard let payloadBytes = Base64Text.decode(token[afterHeader..<payloadEnd]) else {
            throw ParseError(.notBase64, file: file, line: 1,
                             "the policy token's payload is not base64url; the file is damaged or not a policy token")
        }
        guard let claims = JSONFields.parse(payloadBytes) else {
            throw ParseError(.notJSON, file: file, line: 1, "the policy token's payload is not JSON")
        }
        var envelope = PolicyEnvelope(
            form: .jwt, policyJSON: Data(), certificatePresent: false, issuer: claims.string("iss"),
            notBefore: claims.int("nbf").map { Date(timeIntervalSince1970: Double($0)) },
            expires: claims.int("exp").map { Date(timeIntervalSince1970: Double($0)) })
        if let claim = policyClaimValue(claims) {
            envelope.policyJSON = try claimJSON(claim, file: file)
        } else if claims.has("PolicyId") {
            envelope.policyJSON = payloadBytes
        } else {
            throw ParseError(.missingField, file: file, line: 1,
                             "the token carries no policy claim (\(policyClaim))")
        }
        return envelope
    }

    private static func policyClaimValue(_ claims: JSONFields) -> Any? {
        if let value = claims.value([policyClaim, "policy"]) { return value }
        guard let key = claims.keys.first(where: { $0.hasSuffix("/claims/policy") }) else { return nil }
        return claims.value([key])
    }

    private static func claimJSON(_ claim: Any, file: String) throws -> Data {
        if let text = claim as? String {
            let trimmed = text.trimmed(.whitespacesAndNewlines)
            if trimmed.hasPrefix("{") { return Data(trimmed.utf8) }
            guard let decoded = Base64Text.decode(trimmed) else {
                throw ParseError(.notBase64, file: file, line: 1, "the token's policy claim is not base64")
            }
            return decoded
        }
        if JSONSerialization.isValidJSONObject(claim),
           let data = try? JSONSerialization.data(withJSONObject: claim) {
            return data
        }
        throw ParseError(.notJSON, file: file, line: 1, "the token's policy claim is neither text nor an object")
    }
}
