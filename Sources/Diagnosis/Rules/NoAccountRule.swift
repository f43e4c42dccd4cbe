import Foundation
import LicensingModel

/// `no-account`: the user is not assigned to an account.
public struct NoAccountRule: DiagnosisRule {
    public static let code = "no-account"
    public static let title = "The user is not assigned to an account"
    public static let why = """
        To get a policy online you must be tied to an account that has the license. Having a login to \
        the Bentley website does not indicate that you are tied correctly to your account: a user \
        without an organization gets a policy with no entitlements at all.
        """
    public static let fix = """
        Log into https://ims.bentley.com and check under "Job Info" that you are linked to an \
        account; your administrator links you to the organization's account.
        """
    public static let evidenceDescription = """
        The policy's UserData with all-zero OrganizationId and UltimateId; a policy with no ACLs and \
        no SecurableData at all.
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let policy = facts.currentPolicy else { return .notApplicable("no policy in the bundle") }
        if policy.isAccessKeyPolicy {
            return .ruledOut("an access-key (server-mode) policy: its all-zero UserId is the server's, not a missing account")
        }
        var found = EvidenceSet()
        let user = policy.userData
        let ids = [user?.organizationId, user?.ultimateId].compactMap { $0 }
        if let user, !ids.isEmpty, !user.hasAccount {
            found.add(Weight.strong, "OrganizationId and UltimateId are all zeros",
                      [policy.evidence("OrganizationId \(user.organizationId ?? "—"), UltimateId \(user.ultimateId ?? "—")")],
                      products: context.productsAtRisk.compactMap(\.productId))
        }
        if policy.acls.isEmpty, policy.securables.isEmpty, user?.hasAccount != true {
            found.add(Weight.moderate, "the policy has no ACLs and no SecurableData at all",
                      [policy.evidence("ACLs: [], SecurableData: []")])
        }
        guard found.isEmpty else { return found.finding("No account") }
        if let user, user.hasAccount {
            return .ruledOut("linked to organization \(user.organizationId ?? user.ultimateId ?? "")")
        }
        return .ruledOut("the policy carries entitlements, so the user has an account")
    }

    public static let examples: [RuleExample] = [
        .triggers("all-zero organization and ultimate ids, an empty policy",
                  FactsBuilder.healthy.account(organization: "00000000-0000-0000-0000-000000000000",
                                               ultimate: "{00000000-0000-0000-0000-000000000000}")
                      .policy { $0.acls = []; $0.securables = [] }.status(1000, .notEntitled)),
        .triggers("all-zero ids while the Product Status says NotEntitled",
                  FactsBuilder.healthy.account(organization: "00000000-0000-0000-0000-000000000000", ultimate: nil)
                      .notEntitled(1000)),
        .doesNotTrigger("near miss: a real organization id", FactsBuilder.healthy.notEntitled(1000)),
        .doesNotTrigger("near miss: an empty policy for a user with a real organization (not-entitled)",
                        FactsBuilder.healthy.policy { $0.acls = []; $0.securables = [] }.status(1000, .notEntitled)),
        .doesNotTrigger("no policy in the bundle", FactsBuilder.healthy.policyNotInBundle()),
        .doesNotTrigger("near miss: an access-key policy has an all-zero UserId but a real organization",
                        FactsBuilder.healthy.accessKeyPolicy().account(organization: FactsBuilder.organizationId, ultimate: nil)
                            .notEntitled(1000)),
    ]
}
