import Foundation
import LicensingModel

/// `evaluation-expired`: an evaluation license ended.
public struct EvaluationExpiredRule: DiagnosisRule {
    public static let code = "evaluation-expired"
    public static let title = "An evaluation has ended"
    public static let why = """
        An evaluation grants a product (often one version) until a date. After its ExpiresOn the \
        client answers Expired: "Product is evaluation, but is expired".
        """
    public static let fix = "Contact your Bentley account manager to extend the evaluation or buy the product."
    public static let evidenceDescription = """
        An ACL whose UsageType qualifier (ACL, securable or default) is Evaluation and whose ExpiresOn \
        is before the collection time; "Product is evaluation, but is expired" in the logs.
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let lines = facts.currentObservations { $0 == .evaluationExpired }
        guard let now = context.now, facts.currentPolicy != nil || !lines.isEmpty else {
            return .notApplicable("no policy (or no collection time) and no evaluation message in the logs")
        }
        let requested = Set(context.requestedProducts.compactMap(\.productId))
        var found = EvidenceSet()
        var running: [String] = []
        if let policy = facts.currentPolicy {
            for securable in policy.securables {
                guard let acl = policy.acl(for: securable) else { continue }
                let usageType = policy.qualifier(named: QualifierName.usageType, for: acl, securable: securable)?.value
                    .trimmed().lowercased()
                let id = securable.productId
                let label = Wording.product(id, name: securable.productName)
                let weight = requested.contains(id) ? Weight.decisive : Weight.supporting
                if acl.accessKind == .trialExpired {
                    found.add(weight, "the trial of \(label) has expired (AccessKind 4)",
                              [policy.evidence("ACL AccessKind 4 (TrialExpired)")], products: [id])
                    continue
                }
                // An evaluation, or a trial (CLIENT-MODEL §12), whose ACL has ended: 105 Expired.
                guard let kind = usageType, kind == "evaluation" || kind == "trial" else { continue }
                let name = kind == "trial" ? "trial" : "evaluation"
                guard let end = acl.expiresOn, end <= now else {
                    running.append("the \(name) of \(id) runs until \(acl.expiresOn.map(Wording.date) ?? "no end given")")
                    continue
                }
                found.add(weight, "the \(name) of \(label) ended \(Wording.span(now.timeIntervalSince(end))) ago",
                          [policy.evidence("ACL UsageType \(name.capitalized), ExpiresOn \(Wording.date(end))")], products: [id])
            }
        }
        if !lines.isEmpty {
            found.add(Weight.strong, "the service says the evaluation is expired", lines.suffix(1).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Evaluation ended") }
        return .ruledOut(running.isEmpty ? "no evaluation in the policy" : running.joined(separator: "; "))
    }

    public static let examples: [RuleExample] = [
        .triggers("the AutoPIPE evaluation ended 5 days ago",
                  FactsBuilder.healthy.entitled(1052, name: "AutoPIPE", usageType: "Evaluation", expiresIn: .days(-5))
                      .requesting("1052").status(1052, .expired)),
        .triggers("the log says the evaluation is expired",
                  FactsBuilder.healthy.policyNotInBundle().status(1052, .expired)
                      .log(.evaluationExpired, "Product is evaluation, but is expired", ago: .minutes(4))),
        .doesNotTrigger("near miss: the evaluation runs for another 20 days",
                        FactsBuilder.healthy.entitled(1052, usageType: "Evaluation", expiresIn: .days(20)).requesting("1052")),
        .doesNotTrigger("near miss: a Production ACL whose ExpiresOn passed is not an evaluation",
                        FactsBuilder.healthy.entitled(1052, usageType: "Production", expiresIn: .days(-5)).requesting("1052")
                            .status(1052, .expired)),
        .doesNotTrigger("no evaluation at all", FactsBuilder.healthy),
        .triggers("MicroStation's trial ended three days ago (TrialExpired, 105)",
                  FactsBuilder.healthy.trial(1000, name: "MicroStation", expiresIn: .days(-3)).status(1000, .expired)),
        .doesNotTrigger("near miss: a trial that runs for another 10 days (trial-entitlement)",
                        FactsBuilder.healthy.trial(1000, expiresIn: .days(10)).status(1000, .trial)),
    ]
}
