import Foundation
import LicensingModel

/// `access-denied`: the administrator restricted the user's access to the product.
public struct AccessDeniedRule: DiagnosisRule {
    public static let code = "access-denied"
    public static let title = "The administrator restricted access to the product"
    public static let why = """
        The organization's License administrator configured Entitlement Management so that the user \
        is not among the product's users (General Access / Total Users): the policy carries a Denied \
        ACL for the product and the client answers AccessDenied (106).
        """
    public static let fix = """
        Your administrator looks up the application under Entitlement Management, opens the \
        "General Access" tab and adds you under "Total Users".
        """
    public static let evidenceDescription = """
        An ACL with AccessKind 3 (Denied) on a securable of a requested product; status 106 / \
        AccessDenied in the Product Status tab or the CC API; "LicenseStatus Returned: 106" since the last refresh.
        """
    public static let needs: Set<MissingItem> = [.entitlements]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let policy = facts.currentPolicy
        guard policy != nil || !facts.reportedStatuses.isEmpty || facts.hasLogs else {
            return .notApplicable("no policy, no product status and no logs")
        }
        var found = EvidenceSet()
        let requested = Set(context.requestedProducts.compactMap(\.productId))
        if let policy {
            for securable in policy.securables {
                guard let acl = policy.acl(for: securable), acl.accessKind == .denied else { continue }
                let id = securable.productId
                let name = Wording.product(id, name: securable.productName)
                found.add(requested.contains(id) ? Weight.decisive : Weight.supporting, "a Denied ACL on \(name)",
                          [policy.evidence("ACL AccessKind 3 on securable \(securable.securableId ?? "?") (ProductId \(id))")],
                          products: [id])
            }
        }
        for entry in facts.reportedStatuses where entry.status == .accessDenied {
            found.add(Weight.strong, "\(Wording.product(entry.productId)) reported AccessDenied",
                      [Evidence(entry.source, "status \(entry.rawStatus)")], products: entry.productId.map { [$0] } ?? [])
        }
        let returned = facts.currentObservations { $0.returns(.accessDenied) }
        if !returned.isEmpty {
            found.add(Weight.moderate, "the service returned 106 (AccessDenied)", returned.suffix(1).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Access denied") }
        return .ruledOut("no Denied ACL and no AccessDenied status for the requested products")
    }

    public static let examples: [RuleExample] = [
        .triggers("a Denied ACL on the requested MicroStation",
                  FactsBuilder.healthy.policy { $0.acls[0].accessKind = .denied }.status(1000, .accessDenied)),
        .triggers("Product Status AccessDenied with 106 in the log, no policy in the bundle",
                  FactsBuilder.healthy.policyNotInBundle().status(1000, .accessDenied)
                      .log(.licenseStatusReturned(106), "LicenseStatus Returned: 106", ago: .minutes(3))),
        .doesNotTrigger("the ACL allows access", FactsBuilder.healthy),
        .doesNotTrigger("near miss: a TrialExpired ACL (AccessKind 4) is not a denial",
                        FactsBuilder.healthy.policy { $0.acls[0].accessKind = .trialExpired }.status(1000, .expired)),
        .doesNotTrigger("a Denied ACL on a product nobody requested",
                        FactsBuilder.healthy.entitled(2545, name: "Bentley Navigator", access: .denied)),
    ]
}
