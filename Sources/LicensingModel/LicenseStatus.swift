import Foundation

/// A product's license status as the Licensing Service reports it (CLIENT-MODEL §2).
public enum LicenseStatus: Int, Sendable, Equatable, Hashable, Codable, CaseIterable,
    CustomStringConvertible
{
    /// No policy at all (−1).
    case error = -1
    /// Licensed (101).
    case ok = 101
    /// Licensed from the stored policy while offline; grace days remain (102).
    case offline = 102
    /// The policy, the offline grace, a trial or an evaluation has run out (105).
    case expired = 105
    /// The administrator denied access (106).
    case accessDenied = 106
    /// Disabled because usage logs could not be sent (107).
    case disabledByLogSend = 107
    /// Offline while the policy does not allow offline use (108).
    case disabledByPolicy = 108
    /// Running as a trial (109).
    case trial = 109
    /// The policy has no entitlement for the product (110).
    case notEntitled = 110

    /// The status with this numeric code, e.g. `110`.
    public init?(code: Int) { self.init(rawValue: code) }

    /// The status with this name, case-insensitively: `"NotEntitled"`, `"notentitled"`.
    public init?(name: String) {
        let wanted = name.trimmed().lowercased()
        guard let match = Self.allCases.first(where: { $0.name.lowercased() == wanted }) else {
            return nil
        }
        self = match
    }

    /// The numeric code, e.g. `110`.
    public var code: Int { rawValue }

    /// The name the client uses, e.g. `"NotEntitled"`.
    public var name: String {
        switch self {
        case .error: "Error"
        case .ok: "Ok"
        case .offline: "Offline"
        case .expired: "Expired"
        case .accessDenied: "AccessDenied"
        case .disabledByLogSend: "DisabledByLogSend"
        case .disabledByPolicy: "DisabledByPolicy"
        case .trial: "Trial"
        case .notEntitled: "NotEntitled"
        }
    }

    /// Whether the product runs licensed (Ok or Offline).
    public var isLicensed: Bool { self == .ok || self == .offline }

    /// The name, e.g. `"NotEntitled"`.
    public var description: String { name }
}

/// An ACL's `AccessKind` (CLIENT-MODEL §2).
public enum AccessKind: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// 1: the principal may use the securable.
    case allowed
    /// 2: access depends on further checks.
    case maybe
    /// 3: the administrator denied access.
    case denied
    /// 4: a trial has ended.
    case trialExpired
    /// Any other code; `unknown(0)` when the ACL has none.
    case unknown(Int)

    /// The kind for a numeric code.
    public init(code: Int) {
        switch code {
        case 1: self = .allowed
        case 2: self = .maybe
        case 3: self = .denied
        case 4: self = .trialExpired
        default: self = .unknown(code)
        }
    }

    /// The numeric code.
    public var code: Int {
        switch self {
        case .allowed: 1
        case .maybe: 2
        case .denied: 3
        case .trialExpired: 4
        case .unknown(let code): code
        }
    }

    /// A readable name, e.g. `"Denied"`.
    public var description: String {
        switch self {
        case .allowed: "Allowed"
        case .maybe: "Maybe"
        case .denied: "Denied"
        case .trialExpired: "TrialExpired"
        case .unknown(let code): "Unknown(\(code))"
        }
    }

    /// Decodes from the numeric code.
    public init(from decoder: Decoder) throws {
        self.init(code: try decoder.singleValueContainer().decode(Int.self))
    }

    /// Encodes as the numeric code.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
