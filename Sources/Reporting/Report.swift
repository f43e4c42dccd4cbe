import Diagnosis
import Foundation
import LicensingModel

/// One bundle's report: the JSON contract of CAUSES.md ("The JSON contract of one report").
///
/// Either a diagnosis (`init(diagnosis:bundlePath:sha256:notes:unrecognized:)`) or the error
/// form of a bundle that could not be read at all (`failure(path:sha256:code:message:)`). In the
/// error form `verdict` is `.unknown` and the lists are empty; none of them is encoded, only
/// `schemaVersion`, `bundle` and `error`. Fields beyond the contract (`collectedAtSource`, `tool`,
/// `notes`, `unrecognized`, `notChecked`, `timeline`, `statusSource`, `productIds`) are
/// additions it allows.
///
/// Findings, their evidence and ruled-out causes are Diagnosis' own `Finding`, `Evidence` and
/// `RuledOut`, whose JSON is the contract's; what the report changes is the confidence, clamped
/// and rounded to two decimals by Diagnosis' own `Confidence.clamped` and `Confidence.rounded`.
public struct Report: Sendable, Equatable {
    /// The contract's version; `1`.
    public static let currentSchemaVersion = 1
    /// The default `tool` value: `loganalyze 0.2.0`.
    public static let defaultTool = "loganalyze \(SuiteVersion.current)"

    /// The contract's version this report follows.
    public var schemaVersion: Int
    /// Which bundle, and when it was collected.
    public var bundle: BundleInfo
    /// The overall answer (`.unknown` in the error form).
    public var verdict: Verdict
    /// The products requested or used, and their status.
    public var products: [Product]
    /// The causes with evidence, highest confidence first.
    public var findings: [Finding]
    /// The causes checked and found not to apply.
    public var ruledOut: [RuledOut]
    /// The causes that could not be checked because the bundle lacks what they need.
    public var notChecked: [RuledOut]
    /// What the bundle lacks of what support needs (`email`, `client-version`…), in a fixed order.
    public var missing: [String]
    /// Where `bundle.collectedAt` came from (`manifest`, `system-info`…, `unknown`).
    public var collectedAtSource: String
    /// The program that wrote the report, e.g. `loganalyze 0.2.0`.
    public var tool: String
    /// Problems met while reading the bundle, one line each.
    public var notes: [String]
    /// Bundle files the analyser did not recognise.
    public var unrecognized: [String]
    /// How the bundle is damaged (truncated, encrypted entries, a bomb stopped, checksum
    /// errors), one line each; empty for a bundle read whole. No finding of a damaged bundle
    /// reaches 0.5 on evidence that was not read whole.
    public var damage: [String] = []
    /// Whether the bundle is damaged: analysed, but not all of it could be read.
    public var damaged: Bool { !damage.isEmpty }
    /// Known issues that `note:` signatures found in the logs (docs/signatures.md); in JSON only
    /// when there are some.
    public var knownIssues: [KnownIssue] = []
    /// The merged licensing timeline, oldest first; in JSON only when asked for.
    public var timeline: [TimelineEntry]
    /// Why the bundle could not be read; nil for a diagnosis.
    public var error: Failure?

    /// Whether this is the error form (the bundle could not be read at all).
    public var isFailure: Bool { error != nil }

    /// The report of a diagnosis.
    ///
    /// Findings are sorted by confidence, highest first (ties keep the diagnosis' ranking), and
    /// each confidence is rounded to two decimals; the timeline is sorted by time.
    ///
    /// - Parameters:
    ///   - diagnosis: What the diagnosis concluded.
    ///   - bundlePath: The bundle as the user named it.
    ///   - sha256: The bundle's SHA-256 in lowercase hex, when it is a file.
    ///   - notes: Problems met while reading the bundle.
    ///   - unrecognized: Bundle files the analyser did not recognise.
    ///   - tool: The program and version.
    public init(diagnosis: Conclusion, bundlePath: String, sha256: String? = nil, notes: [String] = [],
                unrecognized: [String] = [], tool: String = Report.defaultTool) {
        schemaVersion = Self.currentSchemaVersion
        bundle = BundleInfo(path: bundlePath, sha256: sha256, collectedAt: diagnosis.collectedAt)
        verdict = diagnosis.verdict
        products = diagnosis.products.map(Product.init)
        findings = diagnosis.findings.map { finding in
            var rounded = finding
            rounded.confidence = Confidence.rounded(Confidence.clamped(finding.confidence))
            return rounded
        }.enumerated()
            .sorted { ($0.element.confidence, $1.offset) > ($1.element.confidence, $0.offset) }
            .map(\.element)
        ruledOut = diagnosis.ruledOut
        notChecked = diagnosis.notChecked
        missing = Set(diagnosis.missing).sorted().map(\.rawValue)
        collectedAtSource = diagnosis.collectedAtSource.rawValue
        self.tool = tool
        self.notes = notes
        self.unrecognized = unrecognized
        timeline = diagnosis.timeline.map(TimelineEntry.init).enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        error = nil
    }

    /// The error form: one line of batch output for a bundle that could not be read at all.
    ///
    /// - Parameters:
    ///   - path: The bundle as the user named it.
    ///   - sha256: The bundle's SHA-256, when it could be computed.
    ///   - code: A stable kebab-case code, e.g. `not-an-archive`.
    ///   - message: One line a user can act on.
    public static func failure(path: String, sha256: String? = nil, code: String, message: String) -> Report {
        Report(bundle: BundleInfo(path: path, sha256: sha256, collectedAt: nil),
               error: Failure(code: code, message: message))
    }

    /// An empty report of `bundle`; the decoder and `failure` fill it in.
    init(bundle: BundleInfo, error: Failure?) {
        schemaVersion = Self.currentSchemaVersion
        self.bundle = bundle
        verdict = .unknown
        products = []
        findings = []
        ruledOut = []
        notChecked = []
        missing = []
        collectedAtSource = CollectionTimeSource.unknown.rawValue
        tool = Self.defaultTool
        notes = []
        unrecognized = []
        timeline = []
        self.error = error
    }
}
