import Foundation
import LicensingModel

/// `offline-not-allowed`: offline, and the administrator does not allow offline use.
public struct OfflineNotAllowedRule: DiagnosisRule {
    public static let code = "offline-not-allowed"
    public static let title = "Offline, and offline use is not allowed"
    public static let why = """
        While offline the client may run from the stored policy only if the administrator allows \
        offline use (AllowOfflineUsage=TRUE). Otherwise it answers DisabledByPolicy (108): "You must \
        Sign In to use this application."
        """
    public static let fix = """
        Go online and sign in to CONNECTION Client; your administrator may allow offline use.
        """
    public static let evidenceDescription = """
        AllowOfflineUsage not TRUE (ACL, securable or default qualifier of a requested product) while \
        the offline grace runs or the last policy fetch failed; status 108 / DisabledByPolicy.
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotSignedInRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let policy = facts.currentPolicy
        let disabled = facts.reportedStatuses.filter { $0.status == .disabledByPolicy }
        let returned = facts.currentObservations { $0.returns(.disabledByPolicy) }
        guard policy != nil || !disabled.isEmpty || !returned.isEmpty else {
            return .notApplicable("no policy and no DisabledByPolicy status")
        }
        var found = EvidenceSet()
        var allowed: [String] = []
        if let policy, context.isOffline {
            let ids = context.requestedProducts.compactMap(\.productId)
            for id in ids.isEmpty ? [nil] : ids.map(Optional.some) {
                let value = policy.qualifierValue(QualifierName.allowOfflineUsage, product: id)
                let name = id.map { Wording.product($0) } ?? "the policy"
                if value?.uppercased() == "TRUE" {
                    allowed.append(name)
                    continue
                }
                found.add(Weight.strong, "offline while AllowOfflineUsage is \(value ?? "not set") for \(name)",
                          [policy.evidence("AllowOfflineUsage \"\(value ?? "")\"")] +
                          (facts.offlineGraceStart.map { [Evidence(facts.offlineGraceSource ?? policy.source, "OfflineGracePeriodStart \(Wording.date($0))")] } ?? []),
                          products: id.map { [$0] } ?? [])
            }
        }
        if !disabled.isEmpty {
            found.add(Weight.strong, "reported DisabledByPolicy",
                      disabled.prefix(2).map(\.evidence),
                      products: disabled.compactMap(\.productId))
        }
        if !returned.isEmpty {
            found.add(Weight.moderate, "the service returned 108 (DisabledByPolicy)", returned.suffix(1).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Offline use not allowed") }
        if !context.isOffline { return .ruledOut("online: no offline grace runs and the last policy fetch did not fail") }
        return .ruledOut("offline, and AllowOfflineUsage=TRUE for " + allowed.joined(separator: ", "))
    }

    public static let examples: [RuleExample] = [
        .triggers("offline with AllowOfflineUsage=FALSE",
                  FactsBuilder.healthy.qualifier(QualifierName.allowOfflineUsage, "FALSE").offline(since: .days(1))
                      .status(1000, .disabledByPolicy)),
        .triggers("the last fetch failed, AllowOfflineUsage=FALSE, no status dump",
                  FactsBuilder.healthy.qualifier(QualifierName.allowOfflineUsage, "FALSE").status(1000, nil)
                      .log(.policyFetchFailedUsingDB, "Call to entitlements failed, getting policy from DB", ago: .minutes(10))),
        .doesNotTrigger("near miss: AllowOfflineUsage=FALSE while online",
                        FactsBuilder.healthy.qualifier(QualifierName.allowOfflineUsage, "FALSE")),
        .doesNotTrigger("offline with AllowOfflineUsage=TRUE",
                        FactsBuilder.healthy.offline(since: .days(1)).status(1000, .offline)),
        .doesNotTrigger("no policy and no status", FactsBuilder.empty),
    ]
}
