import Foundation
import LicensingModel

/// Where a finding shows: a file of the bundle, a line, a short quote.
public struct Evidence: Sendable, Equatable {
    /// The bundle-relative path.
    public var file: String
    /// The 1-based line, when the evidence is a line.
    public var line: Int?
    /// A short quote (at most ~200 characters) or a description of the value.
    public var excerpt: String
    /// The database row, by table and key (`Policy PolicyId=…`), when the file is a database.
    public var row: String?

    /// Creates evidence.
    public init(file: String, line: Int? = nil, excerpt: String, row: String? = nil) {
        self.file = file
        self.line = line
        self.row = row
        self.excerpt = excerpt.count > 200 ? String(excerpt.prefix(197)) + "…" : excerpt
    }

    /// Evidence at a fact's source.
    public init(_ source: SourceRef, _ excerpt: String) {
        self.init(file: source.file, line: source.line, excerpt: excerpt, row: source.row)
    }

    /// `file:line`, `file (row)`, or `file`.
    public var location: String {
        if let row { return "\(file) (\(row))" }
        return line.map { "\(file):\($0)" } ?? file
    }
}

/// A cause with evidence.
public struct Finding: Sendable, Equatable {
    /// The cause code (CAUSES.md), e.g. `country-mismatch`.
    public var cause: String
    /// How sure, 0…1.
    public var confidence: Double
    /// One line: what is wrong, with the specifics ("Usage country US ≠ location GB").
    public var title: String
    /// What to do, in plain words.
    public var fix: String
    /// Where it shows.
    public var evidence: [Evidence]
    /// The products it concerns, when it concerns some.
    public var productIds: [Int]
    /// The cause among the findings that explains this one (CAUSES.md, "Ranking"); nil when none.
    public var explainedBy: String?
    /// The findings' causes that this one explains, in rank order.
    public var explains: [String] = []

    /// Creates a finding; the confidence is clamped to 0…1 (`Confidence.clamped`).
    public init(cause: String, confidence: Double, title: String, fix: String, evidence: [Evidence], productIds: [Int] = []) {
        self.cause = cause
        self.confidence = Confidence.clamped(confidence)
        self.title = title
        self.fix = fix
        self.evidence = evidence
        self.productIds = productIds
    }
}

/// A cause that was checked and does not apply, with the reason ("country matches: GB = GB").
public struct RuledOut: Sendable, Equatable, Codable {
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

/// The overall answer.
public enum Verdict: String, Sendable, Codable {
    /// Some requested product is not licensed.
    case trial
    /// Every requested product is licensed (possibly offline or checked out).
    case licensed
    /// The bundle cannot tell.
    case unknown
}

/// One product the user requested or used, and its status.
public struct ProductSummary: Sendable, Equatable, Codable {
    public var productId: Int
    public var name: String?
    public var featureString: String
    /// The status name (`NotEntitled`, `Ok`…).
    public var status: String
    /// Where the status came from (`product-status dump`, `CC API`, `decided from the policy`).
    public var statusSource: String

    public init(productId: Int, name: String?, featureString: String, status: String, statusSource: String) {
        self.productId = productId
        self.name = name
        self.featureString = featureString
        self.status = status
        self.statusSource = statusSource
    }
}

/// One moment of the licensing story, for the merged timeline.
public struct TimelineEvent: Sendable, Equatable, Codable {
    public var time: Date
    /// `log`, `event`, `policy`, `checkout`, `offline`, `usage`, `collection`.
    public var kind: String
    /// One line.
    public var summary: String
    public var source: SourceRef?

    public init(time: Date, kind: String, summary: String, source: SourceRef?) {
        self.time = time
        self.kind = kind
        self.summary = summary
        self.source = source
    }
}

/// Everything the diagnosis concluded about one bundle: what `Diagnoser.diagnose` returns and a
/// `Report` is built from. (Named apart from its module, so `Diagnosis.Finding` names a type.)
public struct Conclusion: Sendable {
    public var verdict: Verdict
    public var products: [ProductSummary]
    /// Sorted by confidence, highest first; the cause that explains others ranks above them.
    public var findings: [Finding]
    public var ruledOut: [RuledOut]
    public var missing: [MissingItem]
    public var timeline: [TimelineEvent]
    public var collectedAt: Date?
    public var collectedAtSource: CollectionTimeSource
    /// Causes that could not be checked because the bundle lacks what they need, with the reason.
    public var notChecked: [RuledOut]

    public init(verdict: Verdict, products: [ProductSummary], findings: [Finding], ruledOut: [RuledOut],
                missing: [MissingItem], timeline: [TimelineEvent], collectedAt: Date?, collectedAtSource: CollectionTimeSource,
                notChecked: [RuledOut] = []) {
        self.verdict = verdict
        self.products = products
        self.findings = findings
        self.ruledOut = ruledOut
        self.missing = missing
        self.timeline = timeline
        self.collectedAt = collectedAt
        self.collectedAtSource = collectedAtSource
        self.notChecked = notChecked
    }
}
