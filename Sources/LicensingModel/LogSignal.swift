import Foundation

/// What a log line says that analysis keys on: the known messages of CLIENT-MODEL §9,
/// recognised by content. `LicensingParsers.LogMessageClassifier` produces these.
public enum LogSignal: Sendable, Equatable, Hashable, Codable {
    /// "Call to entitlements failed, getting policy from DB".
    case policyFetchFailedUsingDB
    /// "authHandlerProvider is null, EntilementPolicyService GetPolicy requires authentication".
    case authenticationRequired
    /// "Policy token object is null. No policy obtained from entitlements or cached".
    case noPolicyObtained
    /// "LicenseStatus Returned: N".
    case licenseStatusReturned(Int)
    /// "Checkout found returning LicenseStatus OK".
    case checkoutFoundOK
    /// "Device ID does not match provided policy device id".
    case deviceIdMismatch
    /// "Product is evaluation, but is expired".
    case evaluationExpired
    /// "Database file is invalid or corrupted".
    case databaseCorrupt
    /// "Unable to perform policy request".
    case policyRequestFailed
    /// "RecordUsage - UsageLogEntry data: {…,country:GB,usageType:…}".
    case usageRecord(country: String?, usageType: String?, productId: Int?)
    /// A successful policy refresh ("Policy refreshed").
    case policyRefreshed
    /// An HTTP status other than success (401 sign-in refused, 403 access refused, 407 proxy).
    case http(status: Int)
    /// A TLS or certificate failure.
    case tlsError
    /// A name-resolution failure.
    case dnsFailure
    /// A timeout, with the host when the line names one.
    case timeout(host: String?)
    /// "Click here to sign in to CONNECTION Client and see entitlements".
    case signedOut
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
