import Foundation

/// A named setting of a policy: `UsageType`, `AllowOfflineUsage`, `OfflineDuration`, … (§2).
public struct Qualifier: Sendable, Equatable, Hashable, Codable {
    /// The qualifier's name, e.g. `"UsageType"`.
    public var name: String
    /// The value as text, e.g. `"Trial"`, `"TRUE"`, `"7"`.
    public var value: String
    /// The declared type, when given (e.g. `"string"`).
    public var type: String?
    /// The message shown to the user, e.g. "You must Sign In to use this application."
    public var prompt: String?

    /// Creates a qualifier.
    public init(name: String, value: String, type: String? = nil, prompt: String? = nil) {
        self.name = name
        self.value = value
        self.type = type
        self.prompt = prompt
    }
}

/// Well-known qualifier names (§2).
public enum QualifierName {
    /// `Production`, `Trial` or `Evaluation`.
    public static let usageType = "UsageType"
    /// The version an evaluation is bound to.
    public static let version = "Version"
    /// `TRUE` or `FALSE`.
    public static let allowOfflineUsage = "AllowOfflineUsage"
    /// Days of offline use allowed (7).
    public static let offlineDuration = "OfflineDuration"
    /// Days of sign-in grace (7).
    public static let loginGracePeriod = "LoginGracePeriod"
    /// Minutes between policy refreshes (240).
    public static let policyInterval = "PolicyInterval"
    /// Whether the policy is a checkout.
    public static let isCheckedOut = "IsCheckedOut"
    /// `ALERT` when a license threshold is reached (warns, does not block).
    public static let useAlertingService = "UseAlertingService"
}

/// A product the application asked for in the policy request.
public struct RequestedSecurable: Sendable, Equatable, Hashable, Codable {
    /// The numeric product id, or nil when `rawProductId` is not a number.
    public var productId: Int?
    /// The product id as it appeared (kept to report a non-numeric request).
    public var rawProductId: String
    /// The requested feature level; `""` when none was requested.
    public var featureString: String
    /// The requested version, when given.
    public var version: String?

    /// Creates a requested securable; `productId` is derived from `rawProductId`.
    public init(rawProductId: String, featureString: String = "", version: String? = nil) {
        self.rawProductId = rawProductId
        self.productId = Int(rawProductId.trimmed())
        self.featureString = featureString
        self.version = version
    }
}

/// The request the client sent for the policy (`RequestData`).
public struct RequestData: Sendable, Equatable, Hashable, Codable {
    /// The machine the request came from.
    public var machineName: String?
    /// The machine's security identifier.
    public var machineSID: String?
    /// The IMS user GUID.
    public var userId: String?
    /// Whether an access key was in the request (the key itself is never kept).
    public var accessKeyPresent: Bool
    /// When the policy was checked out, for a checkout.
    public var checkedOutDate: Date?
    /// The client's clock when it sent the request (for clock-skew checks).
    public var clientDateTime: Date?
    /// The client's locale, e.g. `"en-US"`.
    public var locale: String?
    /// The products requested.
    public var requestedSecurables: [RequestedSecurable]

    /// Creates request data.
    public init(machineName: String? = nil, machineSID: String? = nil, userId: String? = nil,
                accessKeyPresent: Bool = false, checkedOutDate: Date? = nil,
                clientDateTime: Date? = nil, locale: String? = nil,
                requestedSecurables: [RequestedSecurable] = []) {
        self.machineName = machineName
        self.machineSID = machineSID
        self.userId = userId
        self.accessKeyPresent = accessKeyPresent
        self.checkedOutDate = checkedOutDate
        self.clientDateTime = clientDateTime
        self.locale = locale
        self.requestedSecurables = requestedSecurables
    }
}

/// An access-control entry: whether a principal may use a securable, and until when.
public struct ACL: Sendable, Equatable, Hashable, Codable {
    /// The principal (user) GUID.
    public var principalId: String?
    /// The securable GUID this entry is about.
    public var securableId: String?
    /// Allowed, Denied, …; `unknown(0)` when absent.
    public var accessKind: AccessKind
    /// When the access ends (a checkout's period; an evaluation's end).
    public var expiresOn: Date?
    /// Qualifiers that override the securable's and the defaults.
    public var qualifierOverrides: [Qualifier]

    /// Creates an ACL.
    public init(principalId: String? = nil, securableId: String? = nil,
                accessKind: AccessKind = .unknown(0), expiresOn: Date? = nil,
                qualifierOverrides: [Qualifier] = []) {
        self.principalId = principalId
        self.securableId = securableId
        self.accessKind = accessKind
        self.expiresOn = expiresOn
        self.qualifierOverrides = qualifierOverrides
    }
}

/// A licensable thing: a product at a feature level (`SecurableData`).
public struct Securable: Sendable, Equatable, Hashable, Codable {
    /// The securable GUID (ACLs refer to it).
    public var securableId: String?
    /// The numeric product id (≥ 1000).
    public var productId: Int
    /// The product's name, e.g. `"MicroStation"`.
    public var productName: String?
    /// The feature level; `""` when the securable has none.
    public var featureString: String
    /// The product version, when given.
    public var version: String?
    /// Qualifiers that override the defaults.
    public var qualifierOverrides: [Qualifier]

    /// Creates a securable.
    public init(securableId: String? = nil, productId: Int, productName: String? = nil,
                featureString: String = "", version: String? = nil,
                qualifierOverrides: [Qualifier] = []) {
        self.securableId = securableId
        self.productId = productId
        self.productName = productName
        self.featureString = featureString
        self.version = version
        self.qualifierOverrides = qualifierOverrides
    }
}

/// Who the policy's user is in the account system (`UserData`).
public struct UserData: Sendable, Equatable, Hashable, Codable {
    /// The IMS user GUID.
    public var userId: String?
    /// The organization GUID; all zeros when the user has no account.
    public var organizationId: String?
    /// The entitlement country, e.g. `"GB"`.
    public var usageCountryISO: String?
    /// The account's SAP id, when given.
    public var ultimateSAPId: String?
    /// The ultimate (account) GUID; all zeros when the user has no account.
    public var ultimateId: String?
    /// The account's country id.
    public var ultimateCountryId: String?
    /// The entitlement group GUID.
    public var entitlementGroupId: String?

    /// Creates user data.
    public init(userId: String? = nil, organizationId: String? = nil, usageCountryISO: String? = nil,
                ultimateSAPId: String? = nil, ultimateId: String? = nil,
                ultimateCountryId: String? = nil, entitlementGroupId: String? = nil) {
        self.userId = userId
        self.organizationId = organizationId
        self.usageCountryISO = usageCountryISO
        self.ultimateSAPId = ultimateSAPId
        self.ultimateId = ultimateId
        self.ultimateCountryId = ultimateCountryId
        self.entitlementGroupId = entitlementGroupId
    }

    /// False when both the organization and the ultimate id are missing or all-zero GUIDs.
    public var hasAccount: Bool {
        Self.isRealId(organizationId) || Self.isRealId(ultimateId)
    }

    /// Whether an id is present and not made only of zeros, dashes and braces.
    public static func isRealId(_ id: String?) -> Bool {
        guard let id else { return false }
        return id.contains { !"0-{} ".contains($0) }
    }
}

/// The policy's `MetaData`.
public struct PolicyMetaData: Sendable, Equatable, Hashable, Codable {
    /// The site (account) name.
    public var siteName: String?
    /// The licensing mode, as the service names it.
    public var licensingMode: String?

    /// Creates metadata.
    public init(siteName: String? = nil, licensingMode: String? = nil) {
        self.siteName = siteName
        self.licensingMode = licensingMode
    }
}
