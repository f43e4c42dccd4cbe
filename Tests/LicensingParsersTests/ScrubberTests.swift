import Foundation
import Testing
@testable import LicensingParsers

@Suite("Secrets and pseudonyms")
struct ScrubberTests {
    static let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.c2lnbmF0dXJlX3NlZ21lbnQ"

    @Test("each kind of secret is removed and counted", arguments: [
        ("Authorization: Bearer abcdefghijklmnop123", SecretScrubber.Kind.bearerToken, "abcdefghijklmnop123"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", .basicAuth, "dXNlcjpwYXNzd29yZA=="),
        ("token is \(jwt) ok", .jwt, "c2lnbmF0dXJlX3NlZ21lbnQ"),
        ("GET /cb?code=1&access_token=ya29.secret&x=1", .oauthToken, "ya29.secret"),
        (#"{"refresh_token": "rt-secret-1"}"#, .oauthToken, "rt-secret-1"),
        ("id_token=abc.def.ghi", .oauthToken, "abc.def.ghi"),
        (#"{"AccessKey":"ak-123-secret","UserId":"x"}"#, .accessKey, "ak-123-secret"),
        ("proxy http://jdoe:S3cret@proxy:8080 used", .urlPassword, "S3cret"),
        ("Server=db;User Id=sa;Password=Pa55word;", .password, "Pa55word"),
        (#"<saml:Assertion ID="_1"><saml:Subject>jdoe</saml:Subject></saml:Assertion> tail"#, .samlAssertion, "jdoe"),
    ])
    func removes(line: String, kind: SecretScrubber.Kind, secret: String) {
        let result = SecretScrubber.scrub(line)
        #expect(!result.value.contains(secret), "\(result.value)")
        #expect(result.counts[kind] == 1)
        #expect(result.total == 1)
    }

    @Test("the URL keeps user and host; a JWT can keep its readable part")
    func shapes() {
        #expect(SecretScrubber.scrub("http://jdoe:S3cret@proxy:8080").value == "http://jdoe:***@proxy:8080")
        #expect(SecretScrubber.scrub("Bearer abcdefghijklmnop").value == "Bearer [REDACTED]")
        let kept = SecretScrubber.scrub(Self.jwt, jwtMode: .signatureOnly).value
        #expect(kept == "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqZG9lIn0.[REDACTED]")
    }

    @Test("a SAML assertion spanning lines is removed line by line")
    func multilineAssertion() {
        let text = "before\r\n<Assertion xmlns=\"urn:oasis\">\r\n<NameID>jdoe@contoso.com</NameID>\r\n</Assertion>after\r\nend\r\n"
        let result = SecretScrubber.scrub(data: Data(text.utf8))
        let scrubbed = String(decoding: result.value, as: UTF8.self)
        #expect(scrubbed == "before\r\n[REDACTED:saml-assertion]\r\n\r\nafter\r\nend\r\n")
        #expect(result.counts[.samlAssertion] == 1)
    }

    @Test("normal text is left alone, byte for byte", arguments: [
        "2026-11-20 10:15:22,123 [12] INFO  Bentley.Licensing.Service.PolicyManager - Policy refreshed. PolicyId=6f1c",
        "Password expired for user; see https://connect.bentley.com/help",
        "AccessKeyPresent=true; the bearer of this message; basic setup",
        "Visit https://www.bentley.com:443/path?q=1 and mailto:support@bentley.com",
        "password: see the policy",
        "",
    ])
    func untouched(line: String) {
        let result = SecretScrubber.scrub(line)
        #expect(result.value == line)
        #expect(result.total == 0)
        let data = Data((line + "\r\n").utf8)
        #expect(SecretScrubber.scrub(data: data).value == data)
    }

    @Test("pseudonyms are stable per key, differ between keys, and ignore case")
    func pseudonyms() {
        let first = Pseudonymizer(key: "bundle-key")
        let again = Pseudonymizer(key: "bundle-key")
        let other = Pseudonymizer(key: "another-key")
        #expect(first.email("J.Doe@Contoso.com") == again.email("j.doe@contoso.com"))
        #expect(first.email("j.doe@contoso.com") != other.email("j.doe@contoso.com"))
        #expect(first.email("j.doe@contoso.com").hasSuffix("@redacted.invalid"))
        #expect(first.user("jdoe").hasPrefix("USER-"))
        #expect(first.host("PC-01").hasPrefix("HOST-"))
        #expect(first.user("x") != first.host("x"))
        let text = first.pseudonymize("jdoe (j.doe@contoso.com) on PC-01, not PC-012", userNames: ["jdoe"],
                                      hostNames: ["PC-01"])
        #expect(text == "\(first.user("jdoe")) (\(first.email("j.doe@contoso.com"))) on \(first.host("pc-01")), not PC-012")
    }
}
