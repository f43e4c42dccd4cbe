import Foundation
@testable import LicensingParsers

/// Small synthetic inputs shared by the tests (no real client data).
enum TestData {
    /// A policy as the service writes it: all three date formats, "Vesrion", a string ProductId.
    static let policyJSON = #"""
    {
      "PolicyId": "6f1c2a55-0000-4000-8000-000000000001",
      "PolicyVersion": 1.2,
      "PolicyCreatedOn": "2026-11-13T16:09:45.8755003Z",
      "PolicyExpiresOn": "2026-11-20T16:09:45.535+00:00",
      "MachineSignature": "c2lnbmF0dXJl",
      "AppliesToUserId": "A1B2C3D4-0000-4000-8000-00000000AAAA",
      "AppliesToSecurableIds": ["5EC0-1"],
      "RequestData": {
        "MachineName": "PC-01", "MachineSID": "S-1-5-21-1", "AccessKey": "secret-access-key",
        "UserId": "a1b2c3d4-0000-4000-8000-00000000aaaa", "ClientDateTime": "2026-11-13T16:09:40",
        "Locale": "en-GB",
        "RequestedSecurables": [
          {"ProductId": "1000", "FeatureString": "", "Vesrion": "10.17.0.0"},
          {"ProductId": "MS", "FeatureString": "X"}
        ]
      },
      "ACLs": [
        {"PrincipalId": "a1b2", "SecurableId": "{5EC0-1}", "AccessKind": 1, "ExpiresOn": "2027-04-26T00:00:00",
         "QualifierOverrides": [{"Name": "UsageType", "Value": "Production"}]},
        {"PrincipalId": "a1b2", "SecurableId": "5ec0-2", "AccessKind": "3"}
      ],
      "SecurableData": [
        {"SecurableId": "5EC0-1", "ProductId": "1000", "ProductName": "MicroStation", "FeatureString": "",
         "Vesrion": "10.0.0.0", "QualifierOverrides": [{"Name": "AllowOfflineUsage", "Value": "TRUE"}]},
        {"SecurableId": "5EC0-2", "ProductId": 1052, "ProductName": "AutoPIPE", "FeatureString": "ADV"},
        {"SecurableId": "5EC0-3", "ProductId": "not-a-number"}
      ],
      "UserData": {"UserId": "a1b2", "OrganizationId": "00000000-0000-0000-0000-000000000000",
                   "UsageCountryISO": "GB", "UltimateId": "11111111-2222-3333-4444-555555555555",
                   "UnknownField": [1, 2, 3]},
      "MetaData": {"SiteName": "Contoso", "LicensingMode": 2},
      "DefaultQualifiers": [
        {"Name": "AllowOfflineUsage", "Value": "FALSE", "Prompt": "You must Sign In to use this application."},
        {"Name": "OfflineDuration", "Value": 7, "Type": "int"},
        {"Name": "PolicyInterval", "Value": "240"}
      ],
      "SomethingNew": {"nested": true}
    }
    """#

    /// Base64url without padding, as JWT segments are written.
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A JWT whose policy claim holds `json` as standard base64 (with padding, `+` and `/`).
    static func jwt(policy json: String = policyJSON) -> String {
        let header = base64URL(Data(#"{"typ":"JWT","alg":"RS256","x5t":"abc"}"#.utf8))
        let claims: [String: Any] = [
            PolicyEnvelope.policyClaim: Data(json.utf8).base64EncodedString(),
            "iss": "http://policyservice.bentley.com", "nbf": 1_763_049_000, "exp": 1_763_654_000,
        ]
        let payload = (try? JSONSerialization.data(withJSONObject: claims)) ?? Data()
        return "\(header).\(base64URL(payload)).c2lnbmF0dXJlLXNlZ21lbnQ"
    }

    /// UTF-16LE bytes with a BOM, as Windows tools write them.
    static func utf16LE(_ text: String) -> Data { TextDecoding.utf16LEWithBOM(text) }

    /// Deterministic pseudo-random bytes.
    static func garbage(count: Int, seed: UInt64) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        for index in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return Data(bytes)
    }

    /// A UTC date from ISO text, for expectations.
    static func date(_ text: String) -> Date {
        LicensingDate.parse(text) ?? Date(timeIntervalSince1970: -1)
    }
}
