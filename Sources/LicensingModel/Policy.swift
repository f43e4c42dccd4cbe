import Foundation

/// A user's licensing policy: what the service decides from (CLIENT-MODEL §2).
///
/// Fields the policy did not carry are nil or empty; `notes` says what the reader skipped.
public struct Policy: Sendable, Equatable, Hashable, Codable {
    /// `PolicyId`.
    public var policyId: String?
    /// `PolicyVersion`, as text.
    public var policyVersion: String?
    /// `PolicyCreatedOn`.
    public var createdOn: Date?
    /// `PolicyExpiresOn` (created + 7 days; a checkout's period for a checkout).
    public var expiresOn: Date?
    /// The request the client sent.
    public var requestData: RequestData?
    /// Whether the policy carried a `MachineSignature` (the signature itself is never kept).
    public var machineSignaturePresent: Bool
    /// `AppliesToUserId`.
    public var appliesToUserId: String?
    /// `AppliesToSecurableIds`.
    public var appliesToSecurableIds: [String]
    /// `ACLs`.
    public var acls: [ACL]
    /// `SecurableData`.
    public var securables: [Securable]
    /// `UserData`.
    public var userData: UserData?
    /// `MetaData`.
    public var metaData: PolicyMetaData?
    /// `DefaultQualifiers`.
    public var defaultQualifiers: [Qualifier]
    /// Where the policy was read from.
    public var source: SourceRef
    /// What the reader did not recognise or skipped, one sentence each.
    public var notes: [String]

    /// Creates a policy.
    public init(policyId: String? = nil, policyVersion: String? = nil, createdOn: Date? = nil,
                expiresOn: Date? = nil, requestData: RequestData? = nil,
                machineSignaturePresent: Bool = false, appliesToUserId: String? = nil,
                appliesToSecurableIds: [String] = [], acls: [ACL] = [], securables: [Securable] = [],
                userData: UserData? = nil, metaData: PolicyMetaData? = nil,
                defaultQualifiers: [Qualifier] = [], source: SourceRef, notes: [String] = []) {
        self.policyId = policyId
        self.policyVersion = policyVersion
        self.createdOn = createdOn
        self.expiresOn = expiresOn
        self.requestData = requestData
        self.machineSignaturePresent = machineSignaturePresent
        self.appliesToUserId = appliesToUserId
        self.appliesToSecurableIds = appliesToSecurableIds
        self.acls = acls
        self.securables = securables
        self.userData = userData
        self.metaData = metaData
        self.defaultQualifiers = defaultQualifiers
        self.source = source
        self.notes = notes
    }

    /// A qualifier by name (case-insensitive), looked up as the client does: the ACL's
    /// overrides, then the securable's, then the policy's defaults.
    public func qualifier(named name: String, for acl: ACL?, securable: Securable?) -> Qualifier? {
        let wanted = name.lowercased()
        let lists = [acl?.qualifierOverrides ?? [], securable?.qualifierOverrides ?? [], defaultQualifiers]
        for list in lists {
            if let found = list.first(where: { $0.name.lowercased() == wanted }) { return found }
        }
        return nil
    }

    /// Every securable of a product, whatever its feature string.
    public func securables(forProduct productId: Int) -> [Securable] {
        securables.filter { $0.productId == productId }
    }

    /// The securables that match a request exactly: same product and same feature string.
    public func securables(forProduct productId: Int, featureString: String) -> [Securable] {
        securables.filter { $0.productId == productId && $0.featureString == featureString }
    }

    /// The ACL about a securable (GUIDs compared case-insensitively, braces ignored).
    public func acl(for securable: Securable) -> ACL? {
        guard let id = securable.securableId else { return nil }
        return acls.first { GUIDText.same($0.securableId, id) }
    }

    /// Whether `PolicyExpiresOn` is before `date`; false when the policy has no expiry.
    public func isExpired(at date: Date) -> Bool {
        guard let expiresOn else { return false }
        return expiresOn < date
    }
}

/// Comparing GUIDs as the services write them: any case, with or without braces.
public enum GUIDText {
    /// The GUID in lower case without braces or surrounding spaces.
    public static func normalized(_ text: String) -> String {
        text.trimmed(CharacterSet(charactersIn: "{} \t")).lowercased()
    }

    /// Whether two GUIDs are the same; false when either is missing.
    public static func same(_ first: String?, _ second: String?) -> Bool {
        guard let first, let second else { return false }
        return normalized(first) == normalized(second)
    }
}

extension Policy {
    /// Why the client refuses this policy as invalid (CLIENT-MODEL §12: an empty
    /// `RequestData.UserId` or `UserData.UserId`, reported as 108 DisabledByPolicy); nil when
    /// it is valid or does not say.
    public var invalidReason: String? {
        if let request = requestData, (request.userId ?? "").trimmed().isEmpty { return "RequestData.UserId is empty" }
        if let user = userData, (user.userId ?? "").trimmed().isEmpty { return "UserData.UserId is empty" }
        return nil
    }

    /// Whether this is an access-key (server-mode) policy: `RequestData.AccessKey` set **and**
    /// an all-zero `UserData.UserId` with a real `OrganizationId` (CLIENT-MODEL §12). A user's
    /// own policy may carry an AccessKey too; that alone is not access-key mode.
    public var isAccessKeyPolicy: Bool {
        guard requestData?.accessKeyPresent == true, let user = userData, let userId = user.userId,
              !userId.trimmed().isEmpty else { return false }
        return !UserData.isRealId(userId) && UserData.isRealId(user.organizationId)
    }
}
