import Foundation

/// A checked-out license: a policy bound to one machine for a period (CLIENT-MODEL §4).
public struct Checkout: Sendable, Equatable, Hashable, Codable {
    /// The checkout's policy.
    public var policy: Policy
    /// The machine it is valid on (`RequestData.MachineName`).
    public var machineName: String?
    /// The user it belongs to.
    public var userId: String?
    /// When it ends: the ACL's `ExpiresOn`, else `PolicyExpiresOn`.
    public var expiresOn: Date?
    /// Whether the signing certificate was present (a `.belic`'s second line).
    public var certificatePresent: Bool
    /// Where it was read from.
    public var source: SourceRef

    /// Creates a checkout.
    public init(policy: Policy, machineName: String?, userId: String?, expiresOn: Date?,
                certificatePresent: Bool, source: SourceRef) {
        self.policy = policy
        self.machineName = machineName
        self.userId = userId
        self.expiresOn = expiresOn
        self.certificatePresent = certificatePresent
        self.source = source
    }

    /// A checkout derived from its policy: machine and user from the request, the end from the
    /// first ACL with an `ExpiresOn`, else from `PolicyExpiresOn`.
    public init(policy: Policy, certificatePresent: Bool, source: SourceRef) {
        self.init(
            policy: policy, machineName: policy.requestData?.machineName,
            userId: policy.requestData?.userId ?? policy.userData?.userId ?? policy.appliesToUserId,
            expiresOn: policy.acls.lazy.compactMap(\.expiresOn).first ?? policy.expiresOn,
            certificatePresent: certificatePresent, source: source)
    }

    /// Whether it licenses on `machine` at `date`: same machine (case-insensitive) and not
    /// expired. An unknown machine name on either side does not disqualify it.
    public func isValid(onMachine machine: String?, at date: Date) -> Bool {
        if let expiresOn, expiresOn <= date { return false }
        if let machine, let machineName, machine.lowercased() != machineName.lowercased() { return false }
        return true
    }
}

/// One row of the Licensing Tool's "Product Status" tab, or of the service API.
public struct ProductStatusEntry: Sendable, Equatable, Hashable, Codable {
    /// The product id, when numeric.
    public var productId: Int?
    /// The feature string; `""` for none.
    public var featureString: String
    /// The status, or nil when the code or name was not recognised (see `rawStatus`).
    public var status: LicenseStatus?
    /// The status as it appeared (`"110"`, `"NotEntitled"`).
    public var rawStatus: String
    /// Days left (trial, offline grace), when reported.
    public var daysRemaining: Int?
    /// Where it was read from.
    public var source: SourceRef

    /// Creates an entry.
    public init(productId: Int?, featureString: String = "", status: LicenseStatus?,
                rawStatus: String? = nil, daysRemaining: Int? = nil, source: SourceRef) {
        self.productId = productId
        self.featureString = featureString
        self.status = status
        self.rawStatus = rawStatus ?? status.map { String($0.code) } ?? ""
        self.daysRemaining = daysRemaining
        self.source = source
    }
}
