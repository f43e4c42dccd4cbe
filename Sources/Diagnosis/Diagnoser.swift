import Foundation
import LicensingModel

/// Runs every rule on one bundle's facts and concludes: ranked findings, what was ruled out,
/// what could not be checked, what the bundle lacks, the products and the verdict.
public enum Diagnoser {
    /// A finding at or above this confidence is a cause; below it, a note.
    public static let causeThreshold = 0.5

    /// Diagnoses one bundle, judged as of its collection time; `timeline: false` leaves the
    /// timeline empty (for a caller that does not show it).
    public static func diagnose(_ facts: Facts, rules: [any DiagnosisRule] = RuleCatalog.all,
                                timeline: Bool = true) -> Conclusion {
        let context = RuleContext(facts)
        var findings: [Finding] = []
        var ruledOut: [RuledOut] = []
        var notChecked: [RuledOut] = []
        for rule in rules {
            switch rule.assess(facts, context: context) {
            case .finding(let confidence, let title, let evidence, let productIds):
                findings.append(Finding(cause: rule.code, confidence: confidence, title: title, fix: rule.fix,
                                        evidence: evidence, productIds: productIds))
            case .ruledOut(let why): ruledOut.append(RuledOut(cause: rule.code, why: why))
            case .notApplicable(let why): notChecked.append(RuledOut(cause: rule.code, why: why))
            }
        }
        return Conclusion(
            verdict: verdict(context: context, findings: findings),
            products: context.products.compactMap(summary),
            findings: Ranking.rank(findings, catalogOrder: rules.map(\.code)),
            ruledOut: ruledOut, missing: context.missing.sorted(), timeline: timeline ? Timeline.build(facts) : [],
            collectedAt: facts.collectedAt, collectedAtSource: facts.collectedAtSource, notChecked: notChecked)
    }

    /// `trial` when the Licensing Service is down or there is no policy at all (no product can be
    /// licensed then), or some requested product is not licensed; `licensed` when every requested
    /// product is; `unknown` when the bundle cannot tell.
    static func verdict(context: RuleContext, findings: [Finding]) -> Verdict {
        let causes = Set(findings.filter { $0.confidence >= causeThreshold }.map(\.cause))
        if causes.contains(ServiceNotRunningRule.code) { return .trial }
        let requested = context.requestedProducts
        if requested.contains(where: { $0.isLicensed == false }) { return .trial }
        if context.allRequestedLicensed { return .licensed }
        if requested.isEmpty, causes.contains(NoPolicyRule.code) { return .trial }
        return .unknown
    }

    private static func summary(_ product: ProductState) -> ProductSummary? {
        guard let id = product.productId else { return nil }
        return ProductSummary(productId: id, name: product.name, featureString: product.featureString,
                              status: product.status?.name ?? "Unknown", statusSource: product.statusSource)
    }
}
