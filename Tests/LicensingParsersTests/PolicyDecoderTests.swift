import Foundation
import LicensingModel
import Testing
@testable import LicensingParsers

@Suite("Policies, JWTs and checkouts")
struct PolicyDecoderTests {
    @Test("raw policy JSON reads every field the analysis needs, tolerantly")
    func rawJSON() throws {
        let policy = try PolicyDecoder.policy(from: Data(TestData.policyJSON.utf8), file: "licensing/policy.json")
        #expect(policy.policyId == "6f1c2a55-0000-4000-8000-000000000001")
        #expect(policy.policyVersion == "1.2")
        #expect(policy.createdOn == TestData.date("2026-11-13T16:09:45.8755003Z"))
        #expect(policy.expiresOn == TestData.date("2026-11-20T16:09:45.535Z"))
        #expect(policy.machineSignaturePresent)
        let request = try #require(policy.requestData)
        #expect(request.accessKeyPresent)
        #expect(request.clientDateTime == TestData.date("2026-11-13T16:09:40Z"))
        #expect(request.requestedSecurables.count == 2)
        #expect(request.requestedSecurables[0].productId == 1000)
        #expect(request.requestedSecurables[0].version == "10.17.0.0")  // "Vesrion"
        #expect(request.requestedSecurables[1].productId == nil)
        #expect(request.requestedSecurables[1].rawProductId == "MS")
        #expect(policy.securables.map(\.productId) == [1000, 1052])  // "1000" as a string, 1052 as a number
        #expect(policy.securables[0].version == "10.0.0.0")
        #expect(policy.notes.contains { $0.contains("SecurableData[2]") })
        #expect(policy.acls[1].accessKind == .denied)  // "3" as a string
        #expect(policy.acls[0].expiresOn == TestData.date("2027-04-26T00:00:00Z"))
        #expect(policy.userData?.usageCountryISO == "GB")
        #expect(policy.userData?.hasAccount == true)
        #expect(policy.metaData?.licensingMode == "2")
        #expect(policy.defaultQualifiers.count == 3)
        #expect(policy.source == SourceRef(file: "licensing/policy.json"))
    }

    @Test("qualifiers are looked up in the ACL, then the securable, then the defaults")
    func qualifierLookup() throws {
        let policy = try PolicyDecoder.policy(from: Data(TestData.policyJSON.utf8), file: "p.json")
        let microstation = try #require(policy.securables(forProduct: 1000, featureString: "").first)
        let acl = try #require(policy.acl(for: microstation))  // "{5EC0-1}" matches "5EC0-1"
        #expect(policy.qualifier(named: "usagetype", for: acl, securable: microstation)?.value == "Production")
        #expect(policy.qualifier(named: "AllowOfflineUsage", for: acl, securable: microstation)?.value == "TRUE")
        #expect(policy.qualifier(named: "AllowOfflineUsage", for: nil, securable: nil)?.value == "FALSE")
        #expect(policy.qualifier(named: "OfflineDuration", for: acl, securable: microstation)?.value == "7")
        #expect(policy.securables(forProduct: 1052, featureString: "").isEmpty)
    }

    @Test("a JWT whose claim is standard base64 decodes to the same policy")
    func jwtWithStandardBase64Claim() throws {
        let token = TestData.jwt()
        let envelope = try PolicyEnvelope.open(Data(token.utf8), file: "store/Policy.PolicyFile")
        #expect(envelope.form == .jwt)
        #expect(envelope.issuer == "http://policyservice.bentley.com")
        #expect(envelope.notBefore == Date(timeIntervalSince1970: 1_763_049_000))
        let fromToken = try PolicyDecoder.policy(from: Data(token.utf8), file: "x")
        let fromJSON = try PolicyDecoder.policy(from: Data(TestData.policyJSON.utf8), file: "x")
        #expect(fromToken == fromJSON)
    }

    @Test("a .belic reads as a checkout bound to its machine, ending at the ACL's ExpiresOn")
    func belic() throws {
        let text = TestData.jwt() + "\r\n\"" + Data("certificate".utf8).base64EncodedString() + "\"\r\n"
        let checkout = try PolicyDecoder.checkout(from: TestData.utf16LE(text), file: "Desktop/A1B2_PC-01.belic")
        #expect(checkout.certificatePresent)
        #expect(checkout.machineName == "PC-01")
        #expect(checkout.expiresOn == TestData.date("2027-04-26T00:00:00Z"))
        #expect(checkout.isValid(onMachine: "pc-01", at: TestData.date("2026-12-01T00:00:00Z")))
        #expect(!checkout.isValid(onMachine: "PC-02", at: TestData.date("2026-12-01T00:00:00Z")))
        #expect(!checkout.isValid(onMachine: "PC-01", at: TestData.date("2027-05-01T00:00:00Z")))
    }

    @Test("a token that is not base64 fails with an error naming the file")
    func notBase64() {
        let error = #expect(throws: ParseError.self) {
            try PolicyDecoder.policy(from: Data("eyJhbGciOi.!!!not*base64!!!.sig".utf8), file: "Checkouts/bad.belic")
        }
        #expect(error?.code == .notBase64)
        #expect(error?.description.hasPrefix("Checkouts/bad.belic") == true)
    }

    @Test("empty, garbage and non-policy inputs fail cleanly", arguments: [
        Data(), Data("   \r\n".utf8), Data("hello world".utf8), Data("a.b".utf8),
        TestData.garbage(count: 4096, seed: 7), Data("{\"PolicyId\": ".utf8),
    ])
    func failures(data: Data) {
        #expect(throws: ParseError.self) { try PolicyDecoder.policy(from: data, file: "f") }
    }

    @Test("the readable snapshot is sorted JSON without the access key's value or signatures")
    func readableSnapshot() throws {
        let data = try PolicyDecoder.readableJSON(Data(TestData.jwt().utf8), file: "p")
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("secret-access-key"))
        // An access key that was set says so (access-key mode is diagnosed from it), without its value.
        #expect(text.contains("\"AccessKey\" : \"[REDACTED]\""))
        #expect(text.contains("\"UsageCountryISO\" : \"GB\""))
        #expect(text.contains("\n"))
        let reread = try PolicyDecoder.policy(from: data, file: "p")
        #expect(reread.securables.count == 2)
        #expect(reread.requestData?.accessKeyPresent == true)
        #expect(TextDecoding.lineNumber(containing: "\"UsageCountryISO\"", in: data) != nil)
    }

    @Test("an all-zero account reads as no account")
    func noAccount() {
        let zero = "00000000-0000-0000-0000-000000000000"
        #expect(!UserData(organizationId: zero, ultimateId: "{\(zero)}").hasAccount)
        #expect(!UserData().hasAccount)
        #expect(UserData(organizationId: "0a", ultimateId: zero).hasAccount)
    }
}
