import Foundation
import LicensingModel

/// `policy-invalid`: the stored policy is malformed, so the client will not use it.
public struct PolicyInvalidRule: DiagnosisRule {
    public static let code = "policy-invalid"
    public static let title = "The stored policy is invalid"
    public static let why = """
        The client checks every policy before it uses it: one whose RequestData.UserId or \
        UserData.UserId is empty, or whose PolicyFile does not decode, is no policy at all to it, \
        and it reports 108 DisabledByPolicy for the products it should grant.
        """
    public static let fix = """
        Sign out of CONNECTION Client and in again, then refresh the policy in the Bentley \
        Licensing Tool (Tools → Refresh Policy). If it comes back, support escalates with this bundle.
        """
    public static let evidenceDescription = """
        The newest policy's RequestData.UserId or UserData.UserId empty; a stored PolicyFile that \
        does not decode (bad base64, bad JSON, no policy claim); products reported DisabledByPolicy \
        (108) while the machine is online or offline use is allowed.
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code, NoPolicyRule.code, NoAccountRule.code, PolicyStaleRule.code,
                                  CheckoutExpiredRule.code, CheckoutWrongMachineRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let policy = facts.currentPolicy
        guard policy != nil || !facts.undecodablePolicies.isEmpty else {
            return .notApplicable("no policy in the bundle")
        }
        var found = EvidenceSet()
        let products = context.productsAtRisk.compactMap(\.productId)
        if let policy, let reason = policy.invalidReason {
            found.add(Weight.decisive, reason, [policy.evidence(reason.replacingOccurrences(of: " is empty", with: ": empty"))],
                      products: products)
        }
        if policy == nil, let bad = facts.undecodablePolicies.first {
            found.add(Weight.strong, "the stored PolicyFile does not decode", [Evidence(bad.source, bad.reason)], products: products)
        }
        let disabled = facts.reportedStatuses.filter { $0.status == .disabledByPolicy }
        let offlineAllowed = policy.map { policy in
            products.allSatisfy { policy.qualifierValue(QualifierName.allowOfflineUsage, product: $0)?.uppercased() == "TRUE" }
        } ?? false
        if !found.isEmpty, !disabled.isEmpty, !context.isOffline || offlineAllowed {
            found.add(Weight.supporting, "reported DisabledByPolicy (108) although " + (context.isOffline ? "offline use is allowed" : "online"),
                      disabled.prefix(2).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Invalid policy") }
        return .ruledOut("the policy decodes and names its user (RequestData.UserId, UserData.UserId)")
    }

    public static let examples: [RuleExample] = [
        .triggers("UserData.UserId is empty, MicroStation reported DisabledByPolicy",
                  FactsBuilder.healthy.policy { $0.userData?.userId = "" }.status(1000, .disabledByPolicy)),
        .triggers("the only stored PolicyFile does not decode",
                  FactsBuilder.healthy.noPolicy().status(1000, .disabledByPolicy).with {
                      $0.undecodablePolicies = [(SourceRef(file: "licensing/LicensingStore.db", row: "Policy PolicyId=9f1c"),
                                                 "the JWT's payload is not base64")]
                  }),
        .doesNotTrigger("near miss: an access-key policy has an all-zero UserId, not an empty one",
                        FactsBuilder.healthy.accessKeyPolicy()),
        .doesNotTrigger("near miss: DisabledByPolicy offline without offline use, with a valid policy (offline-not-allowed)",
                        FactsBuilder.healthy.qualifier(QualifierName.allowOfflineUsage, "FALSE").offline(since: .days(1))
                            .status(1000, .disabledByPolicy)),
        .doesNotTrigger("a valid policy", FactsBuilder.healthy),
    ]
}
