import Foundation

/// A known log message (CLIENT-MODEL §9) recognised by content: what analysis keys on.
/// `LicensingParsers.LogMessageClassifier` produces these; diagnosis rules read them.
public enum LogSignal: Sendable, Equatable, Hashable, Codable {
    /// "Call to entitlements failed, getting policy from DB": the refresh failed, the stored
    /// policy is used (offline).
    case policyFetchFailedUsingDB
    /// "… GetPolicy requires authentication" / "authHandlerProvider is null": no sign-in token.
    case authenticationRequired
    /// "No policy obtained from entitlements or cached".
    case noPolicyObtained
    /// "LicenseStatus Returned: 110".
    case licenseStatusReturned(Int)
    /// "Checkout found returning LicenseStatus OK".
    case checkoutFoundOK
    /// "Device ID does not match provided policy device id": a checkout from another machine.
    case deviceIdMismatch
    /// "Product is evaluation, but is expired".
    case evaluationExpired
    /// "Database file is invalid or corrupted".
    case databaseCorrupt
    /// "Unable to perform policy request".
    case policyRequestFailed
    /// "RecordUsage - UsageLogEntry data: {…,country:GB,usageType:…}".
    case usageRecord(country: String?, usageType: String?, productId: Int?)
    /// "Policy refreshed": a successful refresh.
    case policyRefreshed
    /// An HTTP status (401 sign-in refused, 403 access refused, 407 proxy…).
    case http(status: Int)
    /// A TLS or certificate failure (trust relationship, secure channel, handshake).
    case tlsError
    /// A name-resolution failure ("The remote name could not be resolved").
    case dnsFailure
    /// A timeout, with the host when the message names one.
    case timeout(host: String?)
    /// A refused or failed connection ("Unable to connect to the remote server").
    case connectionFailed
    /// "Click here to sign in": the Licensing Tool shows no signed-in user.
    case signedOut
    /// "not signed in" / "not logged in".
    case notSignedIn
    /// "Unhandled exception".
    case unhandledException
    /// "Valid License. You are in trial mode.": the product runs as a trial (status 109).
    case trialMode
    /// "AccessKey missing from portal(deleted), expired, or revoked" / "ValidateAccessKey - Call
    /// to AccessKey service failed": the server-mode access key is refused.
    case accessKeyInvalid
    /// "<N> logs failed to post": usage records could not be sent.
    case logsFailedToPost(count: Int?)
    /// The terms-of-service agreement (`connect-agreement.bentley.com`, "has not accepted").
    case agreementRequired
    /// A call to a non-production Bentley host (`qa-`, `dev-`, `perf-`), with the host.
    case nonProductionEndpoint(host: String?)

    /// A stable kebab-case name, e.g. `"license-status-returned"`.
    public var code: String {
        switch self {
        case .policyFetchFailedUsingDB: "policy-fetch-failed-using-db"
        case .authenticationRequired: "authentication-required"
        case .noPolicyObtained: "no-policy-obtained"
        case .licenseStatusReturned: "license-status-returned"
        case .checkoutFoundOK: "checkout-found-ok"
        case .deviceIdMismatch: "device-id-mismatch"
        case .evaluationExpired: "evaluation-expired"
        case .databaseCorrupt: "database-corrupt"
        case .policyRequestFailed: "policy-request-failed"
        case .usageRecord: "usage-record"
        case .policyRefreshed: "policy-refreshed"
        case .http: "http"
        case .tlsError: "tls-error"
        case .dnsFailure: "dns-failure"
        case .timeout: "timeout"
        case .connectionFailed: "connection-failed"
        case .signedOut: "signed-out"
        case .notSignedIn: "not-signed-in"
        case .unhandledException: "unhandled-exception"
        case .trialMode: "trial-mode"
        case .accessKeyInvalid: "access-key-invalid"
        case .logsFailedToPost: "logs-failed-to-post"
        case .agreementRequired: "agreement-required"
        case .nonProductionEndpoint: "non-production-endpoint"
        }
    }
}

/// A log entry with what it says.
public struct LogObservation: Sendable, Equatable, Hashable, Codable {
    /// What the line says.
    public var signal: LogSignal
    /// The entry itself (time, message, file and line).
    public var entry: LogEntry

    /// Creates an observation.
    public init(signal: LogSignal, entry: LogEntry) {
        self.signal = signal
        self.entry = entry
    }
}
