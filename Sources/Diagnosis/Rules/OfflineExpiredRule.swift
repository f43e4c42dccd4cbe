import Foundation
import LicensingModel

/// `offline-expired`: offline for longer than the policy allows.
public struct OfflineExpiredRule: DiagnosisRule {
    public static let code = "offline-expired"
    public static let title = "Offline for longer than the policy allows"
    public static let why = """
        The policy stored on the machine is valid for 7 days. Without a refresh (signed out, or no \
        connection) the client counts an offline grace; when it runs out, or the policy's \
        PolicyExpiresOn passes, products fall to trial unless a checked-out license covers them.
        """
    public static let fix = """
        Sign in to CONNECTION Client and refresh the policy (Tools → Refresh Policy); or import a \
        checked-out license into the Bentley Licensing Tool.
        """
    public static let evidenceDescription = """
        OfflineGrace.OfflineGracePeriodStart older than the policy's OfflineDuration (7 days); \
        PolicyExpiresOn before the collection time; products reported Expired (105).
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotSignedInRule.code, NoPolicyRule.code]

    /// Days past `PolicyExpiresOn` after which the client deletes a stored policy (CLIENT-MODEL §12).
    static let purgeDays = 21

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let now = context.now else { return .notApplicable("the collection time is unknown") }
        let policy = facts.currentPolicy
        guard policy != nil || facts.offlineGraceStart != nil else {
            return .notApplicable("no policy and no offline grace in the bundle")
        }
        var found = EvidenceSet()
        var standing: [String] = []
        let products = context.productsAtRisk.compactMap(\.productId)
        if let start = facts.offlineGraceStart {
            let days = policy?.offlineDays(product: products.first) ?? DecisionProcedure.defaultOfflineDays
            let offlineFor = now.timeIntervalSince(start)
            if offlineFor > Double(days) * 86_400 {
                found.add(Weight.strong, "offline for \(Wording.span(offlineFor)), \(days) allowed",
                          [Evidence(facts.offlineGraceSource ?? SourceRef(file: "OfflineGrace"),
                                    "OfflineGracePeriodStart \(Wording.date(start))")], products: products)
                // The client deletes a policy 21 days past its expiry: offline that long, no policy is left.
                if policy == nil, facts.storedPolicyRows?.isEmpty == true,
                   offlineFor > Double(days + Self.purgeDays) * 86_400 {
                    found.add(Weight.moderate, "the policy was purged (the client deletes it \(Self.purgeDays) days past its expiry)",
                              [Evidence(facts.storeSource ?? SourceRef(file: "licensing/LicensingStore.db"), "Policy: 0 rows")])
                }
            } else {
                standing.append("offline for \(Wording.span(offlineFor)) of \(days) days")
            }
        }
        if let policy, let expires = policy.expiresOn {
            if expires < now {
                found.add(Weight.strong, "the policy expired \(Wording.span(now.timeIntervalSince(expires))) ago",
                          [policy.evidence("PolicyExpiresOn \(Wording.date(expires))")], products: products)
            } else {
                standing.append("the policy is valid until \(Wording.date(expires))")
            }
        }
        let expired = facts.reportedStatuses.filter { $0.status == .expired }
        if !found.isEmpty, !expired.isEmpty {
            found.add(Weight.supporting, "reported Expired",
                      expired.prefix(2).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Offline too long") }
        return .ruledOut(standing.isEmpty ? "no offline grace and no policy expiry known" : standing.joined(separator: "; "))
    }

    public static let examples: [RuleExample] = [
        .triggers("offline for 10 days, the policy expired",
                  FactsBuilder.healthy.offline(since: .days(10)).policyAge(.days(11)).status(1000, .expired)),
        .triggers("the policy expired two days ago (no offline grace row)",
                  FactsBuilder.healthy.policyAge(.days(9)).status(1000, nil)),
        .triggers("offline for 35 days: the policy was purged, the store holds none (explains no-policy)",
                  FactsBuilder.healthy.noPolicy().offline(since: .days(35)).status(1000, .error)),
        .doesNotTrigger("near miss: offline for 3 of 7 days", FactsBuilder.healthy.offline(since: .days(3)).status(1000, .offline)),
        .doesNotTrigger("online with a fresh policy", FactsBuilder.healthy),
        .doesNotTrigger("offline 10 days, but a valid checkout licenses MicroStation",
                        FactsBuilder.healthy.offline(since: .days(10)).policyAge(.days(11)).status(1000, nil)
                            .checkout(1000, expiresIn: .days(60))),
    ]
}
