import Foundation
import LicensingModel

/// One cause of trial mode (a code of CAUSES.md) as a small, self-describing rule.
///
/// The static description (code, title, why, evidence, fix, examples) is what `docs/rules.md`
/// and `loganalyze rules` print; `evaluate` judges one bundle's facts. A rule never reads files
/// or the clock: it sees `Facts` and the `RuleContext` computed once for all rules.
public protocol DiagnosisRule: Sendable {
    /// The stable kebab-case cause code, e.g. `country-mismatch`. Never renamed or reused.
    static var code: String { get }
    /// The cause in one line.
    static var title: String { get }
    /// Why the cause makes a product fall to trial.
    static var why: String { get }
    /// What the user or the administrator does, in the support article's words where it has any.
    static var fix: String { get }
    /// What the rule looks at.
    static var evidenceDescription: String { get }
    /// What a bundle may lack that the rule needs; each missing one lowers its confidence.
    static var needs: Set<MissingItem> { get }
    /// Whether the cause shows as an unlicensed product or matters on its own.
    static var scope: RuleScope { get }
    /// Small facts that must, and must not, trigger the rule.
    static var examples: [RuleExample] { get }
    /// The cause codes this cause explains (CAUSES.md, "Ranking"): when both are found, this one
    /// ranks first and the other says it follows from this one. `Ranking` is built from these.
    static var explains: [String] { get }

    /// Judges the facts: a finding with its evidence, ruled out with the reason, or not
    /// applicable because the bundle lacks what the rule needs.
    func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome
}

/// Whether a cause shows as an unlicensed product or matters on its own.
public enum RuleScope: String, Sendable {
    /// The cause is why a product is not licensed: while every requested product is licensed,
    /// it is at most a note (below `Diagnoser.causeThreshold`).
    case product
    /// A state of the machine or the sign-in that matters even while the products are licensed:
    /// it stops the service or the policy refresh, so they fall to trial soon (signed out, a
    /// blocked network, a wrong clock, an unsupported client, a stopped service).
    case machine
}

/// What a rule concluded about one bundle.
public enum RuleOutcome: Sendable, Equatable {
    /// The cause shows: how sure (0…1), the specifics in one line, where it shows, which products.
    case finding(confidence: Double, title: String, evidence: [Evidence], productIds: [Int])
    /// The rule checked and the cause does not apply, e.g. "country matches: GB = GB".
    case ruledOut(String)
    /// The bundle lacks what the rule needs, e.g. "no process list in the bundle".
    case notApplicable(String)

    /// The finding's confidence; nil when there is no finding.
    public var confidence: Double? {
        if case .finding(let confidence, _, _, _) = self { return confidence }
        return nil
    }

    /// Whether this is a cause (a finding at or above `Diagnoser.causeThreshold`), not a note.
    public var isCause: Bool { (confidence ?? 0) >= Diagnoser.causeThreshold }
}

extension DiagnosisRule {
    /// By default a cause explains no other.
    public static var explains: [String] { [] }
    /// The cause code.
    public var code: String { Self.code }
    /// The cause in one line.
    public var title: String { Self.title }
    /// Why the cause makes a product fall to trial.
    public var why: String { Self.why }
    /// What to do.
    public var fix: String { Self.fix }
    /// What the rule looks at.
    public var evidenceDescription: String { Self.evidenceDescription }
    /// What a bundle may lack that the rule needs.
    public var needs: Set<MissingItem> { Self.needs }
    /// Whether the cause shows as an unlicensed product or matters on its own.
    public var scope: RuleScope { Self.scope }
    /// The cause codes this cause explains.
    public var explains: [String] { Self.explains }
    /// The rule's examples, each tagged with the rule's code.
    public var examples: [RuleExample] { Self.examples.map { $0.tagged(Self.code) } }

    /// Evaluates and applies what every rule shares: each needed item the bundle lacks lowers
    /// the confidence; a `.product` cause is at most a note while every requested product is
    /// licensed; confidences are rounded to two decimals.
    public func assess(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let outcome = evaluate(facts, context: context)
        guard case .finding(let raw, var title, let evidence, let productIds) = outcome else {
            return outcome
        }
        var confidence = raw
        let lacking = Self.needs.intersection(context.missing).sorted()
        if !lacking.isEmpty {
            confidence *= pow(Confidence.missingItemFactor, Double(lacking.count))
            title += " (less sure: the bundle lacks \(lacking.map(\.rawValue).joined(separator: ", ")))"
        }
        if Self.scope == .product, context.allRequestedLicensed {
            confidence = min(confidence * Confidence.licensedProductsFactor, Confidence.belowThreshold)
            title += " (note: the requested products are licensed)"
        }
        return .finding(confidence: Confidence.rounded(confidence), title: title, evidence: evidence,
                        productIds: productIds)
    }
}
