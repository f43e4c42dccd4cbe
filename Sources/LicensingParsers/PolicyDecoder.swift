import Foundation
import LicensingModel

/// Reads a policy from raw JSON, a JWT or a `.belic` checkout (CLIENT-MODEL §2, §4).
///
/// Tolerant by design: keys match in any case, unknown fields are ignored, `Vesrion` reads as
/// `Version`, a `ProductId` may be a number or a numeric string, and a field of the wrong type
/// reads as missing. What was skipped is listed in `Policy.notes`.
public enum PolicyDecoder {
    /// The policy in `data` (JSON, JWT or `.belic`), read from `file` (named in errors).
    public static func policy(from data: Data, file: String) throws -> Policy {
        let envelope = try PolicyEnvelope.open(data, file: file)
        return try policy(json: envelope.policyJSON, file: file)
    }

    /// A checked-out license: a `.belic`, or a `Checkout` row's `PolicyFile`.
    public static func checkout(from data: Data, file: String) throws -> Checkout {
        let envelope = try PolicyEnvelope.open(data, file: file)
        let policy = try policy(json: envelope.policyJSON, file: file)
        return Checkout(policy: policy, certificatePresent: envelope.certificatePresent,
                        source: SourceRef(file: file))
    }

    /// The decoded policy as pretty, key-sorted JSON with its secrets removed (`AccessKey`,
    /// `MachineSignature`, any signature: a value that was set reads `[REDACTED]`, so the policy
    /// still says it had one): what a collector keeps as a readable snapshot.
    public static func readableJSON(_ data: Data, file: String) throws -> Data {
        let envelope = try PolicyEnvelope.open(data, file: file)
        guard let object = try? JSONSerialization.jsonObject(with: envelope.policyJSON) else {
            throw ParseError(.notJSON, file: file, "the policy is not valid JSON")
        }
        let cleaned = removingSecrets(object)
        do {
            var output = try JSONSerialization.data(
                withJSONObject: cleaned, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            output.append(0x0A)
            return output
        } catch {
            throw ParseError(.notJSON, file: file, "the policy could not be written back as JSON: \(error)")
        }
    }

    /// Whether a key names a secret that a snapshot must not keep.
    public static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered == "accesskey" || lowered.contains("signature")
    }

    private static func removingSecrets(_ value: Any) -> Any {
        if let dictionary = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, item) in dictionary {
                guard isSecretKey(key) else { result[key] = removingSecrets(item); continue }
                // A secret that was set says so (an access key marks server mode); its value goes.
                if let text = item as? String, !text.isEmpty { result[key] = SecretScrubber.redacted }
                else if item is NSNull || (item as? String)?.isEmpty == true { result[key] = item }
            }
            return result
        }
        if let array = value as? [Any] { return array.map(removingSecrets) }
        return value
    }

    /// Maps policy JSON onto `Policy`.
    static func policy(json: Data, file: String) throws -> Policy {
        guard let root = JSONFields.parse(json) else {
            throw ParseError(.notJSON, file: file, "the policy is not a JSON object")
        }
        var notes: [String] = []
        var policy = Policy(source: SourceRef(file: file))
        policy.policyId = root.string("PolicyId")
        policy.policyVersion = root.string("PolicyVersion")
        policy.createdOn = root.date("PolicyCreatedOn")
        policy.expiresOn = root.date("PolicyExpiresOn")
        policy.requestData = root.object("RequestData").map(requestData)
        policy.machineSignaturePresent = !(root.string("MachineSignature") ?? "").isEmpty
        policy.appliesToUserId = root.string("AppliesToUserId")
        policy.appliesToSecurableIds = (root.array("AppliesToSecurableIds") ?? []).compactMap(JSONFields.text)
        policy.acls = root.objects("ACLs", "Acl", "AccessControlList").map(acl)
        for (index, item) in root.objects("SecurableData", "Securables").enumerated() {
            if let securable = securable(item) {
                policy.securables.append(securable)
            } else {
                let raw = item.string("ProductId") ?? "missing"
                notes.append("SecurableData[\(index)] skipped: ProductId \(raw) is not a number")
            }
        }
        policy.userData = root.object("UserData").map(userData)
        policy.metaData = root.object("MetaData").map {
            PolicyMetaData(siteName: $0.string("SiteName"), licensingMode: $0.string("LicensingMode"))
        }
        policy.defaultQualifiers = qualifiers(root.objects("DefaultQualifiers"))
        if policy.policyId == nil, policy.securables.isEmpty, policy.acls.isEmpty {
            notes.append("no PolicyId, ACLs or SecurableData: this may not be a policy")
        }
        policy.notes = notes
        return policy
    }

    private static func requestData(_ fields: JSONFields) -> RequestData {
        RequestData(
            machineName: fields.string("MachineName"), machineSID: fields.string("MachineSID"),
            userId: fields.string("UserId"), accessKeyPresent: !(fields.string("AccessKey") ?? "").isEmpty,
            checkedOutDate: fields.date("CheckedOutDate"), clientDateTime: fields.date("ClientDateTime"),
            locale: fields.string("Locale"),
            requestedSecurables: fields.objects("RequestedSecurables").map {
                RequestedSecurable(rawProductId: $0.string("ProductId") ?? "",
                                   featureString: $0.string("FeatureString") ?? "",
                                   version: $0.string("Version", "Vesrion"))
            })
    }

    private static func acl(_ fields: JSONFields) -> ACL {
        var kind = AccessKind.unknown(0)
        if let code = fields.int("AccessKind") {
            kind = AccessKind(code: code)
        } else if let name = fields.string("AccessKind")?.lowercased() {
            kind = ["allowed": .allowed, "maybe": .maybe, "denied": .denied,
                    "trialexpired": .trialExpired][name] ?? .unknown(0)
        }
        return ACL(principalId: fields.string("PrincipalId"), securableId: fields.string("SecurableId"),
                   accessKind: kind, expiresOn: fields.date("ExpiresOn"),
                   qualifierOverrides: qualifiers(fields.objects("QualifierOverrides")))
    }

    private static func securable(_ fields: JSONFields) -> Securable? {
        guard let productId = fields.int("ProductId") else { return nil }
        return Securable(
            securableId: fields.string("SecurableId"), productId: productId,
            productName: fields.string("ProductName"), featureString: fields.string("FeatureString") ?? "",
            version: fields.string("Version", "Vesrion"),
            qualifierOverrides: qualifiers(fields.objects("QualifierOverrides")))
    }

    private static func userData(_ fields: JSONFields) -> UserData {
        UserData(userId: fields.string("UserId"), organizationId: fields.string("OrganizationId"),
                 usageCountryISO: fields.string("UsageCountryISO"), ultimateSAPId: fields.string("UltimateSAPId"),
                 ultimateId: fields.string("UltimateId"), ultimateCountryId: fields.string("UltimateCountryId"),
                 entitlementGroupId: fields.string("EntitlementGroupId"))
    }

    private static func qualifiers(_ items: [JSONFields]) -> [Qualifier] {
        items.compactMap { item in
            guard let name = item.string("Name") else { return nil }
            return Qualifier(name: name, value: item.string("Value") ?? "", type: item.string("Type"),
                             prompt: item.string("Prompt"))
        }
    }
}
