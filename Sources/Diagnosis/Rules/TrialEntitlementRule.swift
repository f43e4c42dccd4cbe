import Foundation
import LicensingModel

/// `trial-entitlement`: the account's entitlement for the product is itself a trial.
public struct TrialEntitlementRule: DiagnosisRule {
    public static let code = "trial-entitlement"
    public static let title = "The account's license for the product is a trial"
    public static let why = """
        The policy grants the product, but as a trial (UsageType Trial): the client answers 109 \
        Trial ("Valid License. You are in trial mode.") and the application runs as a trial until \
        the trial's end, although nothing is wrong on the machine.
        """
    public static let fix = """
        Your account manager converts the trial to a production license; after that, refresh the \
        policy in the Bentley Licensing Tool (Tools → Refresh Policy).
        """
    public static let evidenceDescription = """
        UsageType Trial for the product (ACL override, then securable override, then default) with \
        the ACL's ExpiresOn still ahead; the product reported Trial (109); "Valid License. You are in \
        trial mode" and "LicenseStatus Returned: 109" in the logs. A trial whose end has passed is \
        evaluation-expired instead.
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let lines = facts.currentObservations { $0 == .trialMode || $0.returns(.trial) }
        let reported = facts.reportedStatuses.filter { $0.status == .trial }
        guard let now = context.now, facts.currentPolicy != nil || !lines.isEmpty || !reported.isEmpty else {
            return .notApplicable("no policy, no reported status and no trial message")
        }
        let requested = Set(context.requestedProducts.compactMap(\.productId))
        var found = EvidenceSet()
        var ended: [String] = []
        if let policy = facts.currentPolicy {
            for (securable, acl) in requested.sorted().flatMap({ policy.entries(forProduct: $0) }) {
                guard let acl, acl.accessKind != .denied, acl.accessKind != .trialExpired,
                      policy.qualifier(named: QualifierName.usageType, for: acl, securable: securable)?.value
                          .trimmed().lowercased() == "trial"
                else { continue }
                let label = facts.label(securable.productId, context)
                if let end = acl.expiresOn, end <= now {
                    ended.append("the trial of \(label) ended \(Wording.date(end))")
                    continue
                }
                found.add(Weight.strong, "\(label) is licensed as a trial"
                          + (acl.expiresOn.map { " until \(Wording.date($0))" } ?? ""),
                          [policy.evidence("UsageType Trial" + (acl.expiresOn.map { ", ACL ExpiresOn \(Wording.date($0))" } ?? ""))],
                          products: [securable.productId])
            }
        }
        if !reported.isEmpty {
            found.add(Weight.strong, "reported Trial (109)",
                      reported.prefix(2).map(\.evidence),
                      products: reported.compactMap(\.productId))
        }
        if !lines.isEmpty {
            found.add(Weight.moderate, "the service says the product runs in trial mode", lines.suffix(2).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Trial license") }
        return .ruledOut(ended.isEmpty ? "no requested product is licensed as a trial" : ended.joined(separator: "; ") + " (evaluation-expired)")
    }

    public static let examples: [RuleExample] = [
        .triggers("MicroStation's entitlement is a trial for another 20 days, reported Trial",
                  FactsBuilder.healthy.trial(1000, name: "MicroStation", expiresIn: .days(20)).status(1000, .trial)),
        .triggers("the service answers 109 and says the product runs in trial mode (no policy in the bundle)",
                  FactsBuilder.healthy.policyNotInBundle().status(1000, .trial)
                      .log(.trialMode, "Valid License. You are in trial mode.", ago: .minutes(3))
                      .log(.licenseStatusReturned(109), "LicenseStatus Returned: 109", ago: .minutes(3))),
        .doesNotTrigger("near miss: the trial ended five days ago (evaluation-expired)",
                        FactsBuilder.healthy.trial(1000, expiresIn: .days(-5)).status(1000, .expired)),
        .doesNotTrigger("near miss: a trial of a product nobody requested",
                        FactsBuilder.healthy.entitled(2545, name: "Navigator", usageType: "Trial", expiresIn: .days(20))),
        .doesNotTrigger("a production license", FactsBuilder.healthy),
    ]
}
