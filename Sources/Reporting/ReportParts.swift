import Diagnosis
import Foundation
import LicensingModel

// The parts of a report and their JSON; unknown values are written as `null`, as the
// contract shows them, rather than left out.

extension Report {
    /// Which bundle a report is about.
    public struct BundleInfo: Sendable, Equatable {
        /// The bundle as the user named it.
        public var path: String
        /// The SHA-256 of the bundle file in lowercase hex; nil for a folder or when unknown.
        public var sha256: String?
        /// When the bundle was collected; nil when the bundle cannot tell.
        public var collectedAt: Date?
        /// The client's computer name, as the manifest gives it (a pseudonym in a redacted bundle).
        public var host: String?
        /// The user whose profile was collected, as the manifest gives it.
        public var user: String?
        /// The support case number the bundle was collected for (`logcollect --case`).
        public var caseNumber: String?

        /// Creates bundle information.
        public init(path: String, sha256: String?, collectedAt: Date?, host: String? = nil, user: String? = nil,
                    caseNumber: String? = nil) {
            self.path = path
            self.sha256 = sha256
            self.collectedAt = collectedAt
            self.host = host
            self.user = user
            self.caseNumber = caseNumber
        }
    }

    /// One product and its status.
    public struct Product: Sendable, Equatable {
        /// The product ID, e.g. `1000`.
        public var productId: Int
        /// The product's name, when known.
        public var name: String?
        /// The requested feature string (may be empty).
        public var featureString: String
        /// The status name, e.g. `NotEntitled`.
        public var status: String
        /// Where the status came from.
        public var statusSource: String

        /// Whether the status is one the client runs licensed with (`Ok`, `Offline`).
        public var isLicensed: Bool { LicenseStatus(name: status)?.isLicensed ?? false }

        /// `MicroStation (1000)`, or `product 1000` when the name is unknown (neither in the
        /// bundle nor in `ProductNames.default`).
        public var displayName: String {
            guard let name = name.flatMap({ $0.isEmpty ? nil : $0 }) ?? ProductNames.default.name(of: productId) else {
                return "product \(productId)"
            }
            return "\(name) (\(productId))"
        }

        /// The status as people say it: `Not entitled (110)`; the name as given when unknown.
        public var spokenStatus: String { LicenseStatus(name: status)?.spoken ?? status }

        /// Creates a product row.
        public init(productId: Int, name: String?, featureString: String, status: String, statusSource: String = "") {
            self.productId = productId
            self.name = name
            self.featureString = featureString
            self.status = status
            self.statusSource = statusSource
        }

        init(_ summary: ProductSummary) {
            productId = summary.productId
            name = summary.name.flatMap { $0.isEmpty ? nil : $0 } ?? ProductNames.default.name(of: summary.productId)
            featureString = summary.featureString
            status = summary.status
            statusSource = summary.statusSource
        }
    }

    /// A cause with evidence.
    public struct Finding: Sendable, Equatable {
        /// The cause code, e.g. `country-mismatch`.
        public var cause: String
        /// How sure, 0…1, two decimals.
        public var confidence: Double
        /// One line: what is wrong.
        public var title: String
        /// What to do.
        public var fix: String
        /// Where it shows.
        public var evidence: [Evidence]
        /// The products it concerns.
        public var productIds: [Int]
        /// The cause of another finding that explains this one; nil when none does.
        public var explainedBy: String?
        /// The causes of other findings that this one explains.
        public var explains: [String] = []

        init(_ finding: DiagnosedFinding) {
            cause = finding.cause
            let clamped = finding.confidence.isFinite ? min(1, max(0, finding.confidence)) : 0
            confidence = (clamped * 100).rounded() / 100
            title = finding.title
            fix = finding.fix
            evidence = finding.evidence.map(Evidence.init)
            productIds = finding.productIds
            explainedBy = finding.explainedBy
            explains = finding.explains
        }

        /// Creates a finding as given (the confidence is neither clamped nor rounded).
        public init(cause: String, confidence: Double, title: String, fix: String, evidence: [Evidence],
                    productIds: [Int] = [], explainedBy: String? = nil, explains: [String] = []) {
            self.cause = cause
            self.confidence = confidence
            self.title = title
            self.fix = fix
            self.evidence = evidence
            self.productIds = productIds
            self.explainedBy = explainedBy
            self.explains = explains
        }
    }

    /// Where a finding shows.
    public struct Evidence: Sendable, Equatable {
        /// The bundle-relative path.
        public var file: String
        /// The 1-based line, when the evidence is a line.
        public var line: Int?
        /// A short quote from the bundle (untrusted).
        public var excerpt: String
        /// The database row, by table and key (`Policy PolicyId=…`), when the file is a database.
        public var row: String?

        /// `file:line`, `file (row)`, or `file`.
        public var location: String {
            if let row { return "\(file) (\(row))" }
            return line.map { "\(file):\($0)" } ?? file
        }

        init(_ evidence: DiagnosedEvidence) {
            self.init(file: evidence.file, line: evidence.line, excerpt: evidence.excerpt, row: evidence.row)
        }

        /// Creates evidence.
        public init(file: String, line: Int?, excerpt: String, row: String? = nil) {
            self.row = row
            self.file = file
            self.line = line
            self.excerpt = excerpt
        }
    }

    /// A cause that was checked and does not apply.
    public struct RuledOut: Sendable, Equatable {
        /// The cause code.
        public var cause: String
        /// Why it does not apply.
        public var why: String

        /// Creates a ruled-out cause.
        public init(cause: String, why: String) {
            self.cause = cause
            self.why = why
        }
    }

    /// Why a bundle could not be read at all.
    public struct Failure: Sendable, Equatable {
        /// A stable kebab-case code, e.g. `not-an-archive`.
        public var code: String
        /// One line a user can act on.
        public var message: String

        /// Creates a failure.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// One moment of the licensing story.
    public struct TimelineEntry: Sendable, Equatable {
        /// When.
        public var time: Date
        /// `log`, `event`, `policy`, `checkout`, `offline`, `usage`, `collection`.
        public var kind: String
        /// One line (untrusted).
        public var summary: String
        /// The bundle file it came from, when known.
        public var file: String?
        /// The 1-based line in `file`, when known.
        public var line: Int?

        /// `file:line`, `file`, or nil.
        public var location: String? {
            guard let file else { return nil }
            return line.map { "\(file):\($0)" } ?? file
        }

        init(_ event: TimelineEvent) {
            time = event.time
            kind = event.kind
            summary = event.summary
            file = event.source?.file
            line = event.source?.line
        }

        /// Creates a timeline entry.
        public init(time: Date, kind: String, summary: String, file: String?, line: Int?) {
            self.time = time
            self.kind = kind
            self.summary = summary
            self.file = file
            self.line = line
        }
    }
}

extension Report.BundleInfo: Codable {
    enum CodingKeys: String, CodingKey {
        case path, sha256, collectedAt, host, user
        case caseNumber = "case"
    }

    /// Encodes `sha256` and `collectedAt` as `null` when unknown, as the contract shows them;
    /// `host`, `user` and `case` (additions) only when the bundle names them.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(collectedAt.map(ReportDate.iso), forKey: .collectedAt)
        try container.encodeIfPresent(host, forKey: .host)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(caseNumber, forKey: .caseNumber)
    }

    /// Decodes bundle information; `collectedAt` is an ISO 8601 string or `null`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        collectedAt = try ReportDate.decode(container, .collectedAt)
        host = try container.decodeIfPresent(String.self, forKey: .host)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        caseNumber = try container.decodeIfPresent(String.self, forKey: .caseNumber)
    }
}

extension Report.Product: Codable {
    enum CodingKeys: String, CodingKey { case productId, name, featureString, status, statusSource }

    /// Encodes the product; an unknown `name` is `null`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(productId, forKey: .productId)
        try container.encode(name, forKey: .name)
        try container.encode(featureString, forKey: .featureString)
        try container.encode(status, forKey: .status)
        try container.encode(statusSource, forKey: .statusSource)
    }

    /// Decodes a product; `statusSource` may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productId = try container.decode(Int.self, forKey: .productId)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        featureString = try container.decode(String.self, forKey: .featureString)
        status = try container.decode(String.self, forKey: .status)
        statusSource = try container.decodeIfPresent(String.self, forKey: .statusSource) ?? ""
    }
}

extension Report.Finding: Codable {
    enum CodingKeys: String, CodingKey { case cause, confidence, title, fix, evidence, productIds, explainedBy, explains }

    /// Encodes a finding; `explainedBy` and `explains` only when another finding is involved.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cause, forKey: .cause)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(title, forKey: .title)
        try container.encode(fix, forKey: .fix)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(productIds, forKey: .productIds)
        try container.encodeIfPresent(explainedBy, forKey: .explainedBy)
        if !explains.isEmpty { try container.encode(explains, forKey: .explains) }
    }

    /// Decodes a finding; `productIds`, `explainedBy` and `explains` may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(cause: try container.decode(String.self, forKey: .cause),
                  confidence: try container.decode(Double.self, forKey: .confidence),
                  title: try container.decode(String.self, forKey: .title),
                  fix: try container.decode(String.self, forKey: .fix),
                  evidence: try container.decode([Report.Evidence].self, forKey: .evidence),
                  productIds: try container.decodeIfPresent([Int].self, forKey: .productIds) ?? [],
                  explainedBy: try container.decodeIfPresent(String.self, forKey: .explainedBy),
                  explains: try container.decodeIfPresent([String].self, forKey: .explains) ?? [])
    }
}

extension Report.Evidence: Codable {
    enum CodingKeys: String, CodingKey { case file, line, excerpt, row }

    /// Encodes the evidence; `line` is `null` when the evidence is not a line; `row` only for a
    /// database row.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(excerpt, forKey: .excerpt)
        try container.encodeIfPresent(row, forKey: .row)
    }

    /// Decodes evidence; `line` and `row` may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try container.decode(String.self, forKey: .file),
                  line: try container.decodeIfPresent(Int.self, forKey: .line),
                  excerpt: try container.decode(String.self, forKey: .excerpt),
                  row: try container.decodeIfPresent(String.self, forKey: .row))
    }
}

extension Report.RuledOut: Codable {}
extension Report.Failure: Codable {}

extension Report.TimelineEntry: Codable {
    enum CodingKeys: String, CodingKey { case time, kind, summary, file, line }

    /// Encodes the entry; `time` as ISO 8601 UTC, `file` and `line` `null` when unknown.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ReportDate.iso(time), forKey: .time)
        try container.encode(kind, forKey: .kind)
        try container.encode(summary, forKey: .summary)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
    }

    /// Decodes an entry written by `encode(to:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let time = try ReportDate.decode(container, .time) else {
            throw DecodingError.valueNotFound(
                Date.self, .init(codingPath: container.codingPath, debugDescription: "timeline entry without time"))
        }
        self.init(time: time, kind: try container.decode(String.self, forKey: .kind),
                  summary: try container.decode(String.self, forKey: .summary),
                  file: try container.decodeIfPresent(String.self, forKey: .file),
                  line: try container.decodeIfPresent(Int.self, forKey: .line))
    }
}
