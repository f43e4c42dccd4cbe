import Foundation

/// The client details a batch line adds to the report (`"client": {…}`), for the summary's
/// charts by CONNECTION Client version and by country. CAUSES.md allows added fields.
public struct ClientSummary: Codable, Sendable, Equatable {
    /// The installed CONNECTION Client version, e.g. `11.00.03.14`.
    public var ccVersion: String?
    /// The country the user is in (`Geo\Name`), e.g. `GB`.
    public var country: String?

    /// Client details; either may be unknown.
    public init(ccVersion: String? = nil, country: String? = nil) {
        self.ccVersion = ccVersion
        self.country = country
    }

    enum CodingKeys: String, CodingKey { case ccVersion, country }

    /// Writes unknown values as `null`, as the report does.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ccVersion, forKey: .ccVersion)
        try container.encode(country, forKey: .country)
    }
}

/// What the summary, the CSV and the index need of one line of batch output: the plain data the
/// batch's renderers (`BatchSummary`, `SummaryPage`, `BatchCSV`) work from. BatchKit decodes it
/// from a line (`LineFields(line:)`) without the rest of the report.
public struct LineFields: Sendable, Equatable {
    /// `bundle.path`.
    public var path: String
    /// `bundle.sha256`.
    public var sha256: String?
    /// `bundle.collectedAt`, as written (`2026-11-20T10:00:00Z`).
    public var collectedAt: String?
    /// `verdict`; nil on an error line.
    public var verdict: String?
    /// The first finding at `Diagnoser.causeThreshold` or more: the top cause.
    public var topCause: String?
    /// Its confidence.
    public var confidence: Double?
    /// The added `client` details.
    public var client: ClientSummary?
    /// `error.code` and `error.message` of a bundle that could not be read.
    public var errorCode: String?
    public var errorMessage: String?
    /// `damaged`: the bundle was analysed, but not all of it could be read.
    public var damaged = false

    /// Fields as given; all but the path may be unknown.
    public init(path: String, sha256: String? = nil, collectedAt: String? = nil, verdict: String? = nil,
                topCause: String? = nil, confidence: Double? = nil, client: ClientSummary? = nil,
                errorCode: String? = nil, errorMessage: String? = nil, damaged: Bool = false) {
        self.path = path
        self.sha256 = sha256
        self.collectedAt = collectedAt
        self.verdict = verdict
        self.topCause = topCause
        self.confidence = confidence
        self.client = client
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.damaged = damaged
    }

    /// Whether the line is the error form.
    public var isError: Bool { errorCode != nil }

    /// `code: message` of an error line, as the summary's table and the CSV show it.
    var errorText: String? { errorCode.map { "\($0): \(errorMessage ?? "")" } }
}
