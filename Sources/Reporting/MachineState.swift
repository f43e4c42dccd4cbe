import Foundation

/// What a bundle says of the machine's licensing state, for `loganalyze compare`: the facts a
/// support engineer checks after the user tried a fix (CC version, the policy in use, sign-in,
/// offline grace, checkouts). The report's products carry the statuses.
///
/// The analyser fills it in from the bundle's facts (`MachineState(facts:)` in AnalyzeKit); a
/// value the bundle does not hold is nil, and says `unknown` when shown.
public struct MachineState: Sendable, Equatable {
    /// The policy the client uses (the newest).
    public struct PolicyState: Sendable, Equatable {
        /// `PolicyId`.
        public var id: String?
        /// `PolicyCreatedOn`.
        public var createdOn: Date?
        /// `PolicyExpiresOn`.
        public var expiresOn: Date?

        /// Creates a policy state.
        public init(id: String?, createdOn: Date?, expiresOn: Date?) {
            self.id = id
            self.createdOn = createdOn
            self.expiresOn = expiresOn
        }
    }

    /// One checked-out license.
    public struct CheckoutState: Sendable, Equatable, Hashable {
        /// The products it grants.
        public var productIds: [Int]
        /// The machine it was checked out for.
        public var machineName: String?
        /// When it expires.
        public var expiresOn: Date?

        /// Creates a checkout state.
        public init(productIds: [Int], machineName: String?, expiresOn: Date?) {
            self.productIds = productIds
            self.machineName = machineName
            self.expiresOn = expiresOn
        }

        /// `1000 for WS-JDOE-01, expires 2026-11-18 09:00:00Z`.
        public var summary: String {
            let products = productIds.isEmpty ? "checkout" : productIds.map(String.init).joined(separator: "+")
            return products + (machineName.map { " for \($0)" } ?? "")
                + ", expires " + (expiresOn.map(ReportDate.readable) ?? "unknown")
        }
    }

    /// The CONNECTION Client version, e.g. `11.00.03.14`.
    public var ccVersion: String?
    /// The policy in use; nil when the bundle has none.
    public var policy: PolicyState?
    /// Whether CONNECTION Client is signed in (its API's `IsLoggedIn`); nil when not known.
    public var signedIn: Bool?
    /// When the offline grace started (`OfflineGracePeriodStart`); nil when not offline.
    public var offlineGraceStart: Date?
    /// The checked-out licenses found.
    public var checkouts: [CheckoutState]

    /// Creates a machine state.
    public init(ccVersion: String? = nil, policy: PolicyState? = nil, signedIn: Bool? = nil, offlineGraceStart: Date? = nil,
                checkouts: [CheckoutState] = []) {
        self.ccVersion = ccVersion
        self.policy = policy
        self.signedIn = signedIn
        self.offlineGraceStart = offlineGraceStart
        self.checkouts = checkouts
    }
}
