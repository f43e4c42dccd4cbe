import Foundation
import LicensingModel

/// `policy-stale`: the policy predates a change of entitlements and has not been refreshed.
public struct PolicyStaleRule: DiagnosisRule {
    public static let code = "policy-stale"
    public static let title = "The policy predates a change of entitlements"
    public static let why = """
        Changes made regarding the availability of entitlements do not propagate instantly. If a new \
        entitlement was recently added (new contract or new order), the change won't be reflected on \
        the workstation until the policy file is updated — every 4 hours while signed in, or by hand.
        """
    public static let fix = """
        Refresh the policy from the Bentley Licensing Tool ("Tools" → "Refresh Policy").
        """
    public static let evidenceDescription = """
        A requested product absent from (or denied by) a policy older than its PolicyInterval (240 \
        minutes), while policy fetches fail since the last refresh, or no refresh has run since the \
        policy was created.
        """
    public static let needs: Set<MissingItem> = [.policy, .logs]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let now = context.now, let policy = facts.currentPolicy, let created = policy.createdOn else {
            return .notApplicable("no policy with a creation time, or no collection time")
        }
        let absent = context.productsAtRisk.filter { product in
            guard let id = product.productId else { return false }
            let entries = policy.entries(forProduct: id)
            return entries.isEmpty || entries.allSatisfy { $0.acl?.accessKind == .denied }
                || product.status == .notEntitled || product.status == .accessDenied
        }
        guard !absent.isEmpty else { return .ruledOut("no requested product is absent from or denied by the policy") }
        let age = now.timeIntervalSince(created)
        let interval = Double(policy.refreshIntervalMinutes) * 60
        guard age > interval else {
            return .ruledOut("the policy is fresh: created \(Wording.span(age)) ago, refreshed every \(Wording.span(interval))")
        }
        var found = EvidenceSet()
        let ids = absent.compactMap(\.productId)
        found.add(Weight.supporting, "\(absent.map(\.label).joined(separator: ", ")) not granted by a policy \(Wording.span(age)) old",
                  [policy.evidence("PolicyCreatedOn \(Wording.date(created))")], products: ids)
        let failures = facts.currentObservations { signal in
            switch signal {
            case .policyFetchFailedUsingDB, .policyRequestFailed, .authenticationRequired, .tlsError, .dnsFailure,
                 .timeout, .http: true
            default: false
            }
        }
        if !failures.isEmpty {
            found.add(Weight.moderate, "policy fetches fail (\(failures.count)× since the last refresh)",
                      failures.suffix(2).map(\.evidence))
        } else if facts.hasLogs, age > 86_400, !facts.logObservations.contains(where: {
            // The refresh that fetched this policy is logged seconds after its creation.
            $0.signal == .policyRefreshed && ($0.entry.time ?? .distantPast) > created.addingTimeInterval(600)
        }) {
            found.add(Weight.moderate, "no refresh has run since the policy was created", [])
        }
        return found.finding("Stale policy")
    }

    public static let examples: [RuleExample] = [
        .triggers("MicroStation absent from a 3-day-old policy, fetches failing",
                  FactsBuilder.healthy.policyAge(.days(3)).notEntitled(1000).noLogs()
                      .log(.policyRequestFailed, "Unable to perform policy request", ago: .hours(2))),
        .triggers("absent from a 5-day-old policy, no refresh since",
                  FactsBuilder.healthy.noLogs().log(.licenseStatusReturned(110), "LicenseStatus Returned: 110", ago: .hours(1))
                      .policyAge(.days(5)).notEntitled(1000)),
        .doesNotTrigger("near miss: absent from a policy created 1 h ago (fresh)", FactsBuilder.healthy.notEntitled(1000)),
        .doesNotTrigger("an old policy that grants every requested product", FactsBuilder.healthy.policyAge(.days(3))),
        .doesNotTrigger("an old policy without the product, refreshing fine since", FactsBuilder.healthy.policyAge(.days(3))
            .notEntitled(1000).log(.policyRefreshed, "Policy refreshed.", ago: .minutes(20))),
    ]
}
