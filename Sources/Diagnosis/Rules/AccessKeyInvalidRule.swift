import Foundation
import LicensingModel

/// `access-key-invalid`: server-mode licensing with an access key that is missing, expired or revoked.
public struct AccessKeyInvalidRule: DiagnosisRule {
    public static let code = "access-key-invalid"
    public static let title = "The machine's access key is missing, expired or revoked"
    public static let why = """
        A server licenses in server mode with an access key instead of a user's sign-in. When the \
        key is deleted from the portal, expires or is revoked, every validation fails and the \
        products are no longer entitled.
        """
    public static let fix = """
        Your administrator issues a new access key in the portal and runs the server-mode setup on \
        this machine again with it.
        """
    public static let evidenceDescription = """
        The machine is in access-key mode — the policy's RequestData.AccessKey set and UserData.UserId \
        all zeros with a real OrganizationId (a user's own policy may carry an AccessKey too; that \
        alone is not access-key mode) — and, since the last good refresh, "AccessKey missing from \
        portal(deleted), expired, or revoked" or "ValidateAccessKey - Call to AccessKey service failed"; \
        products reported NotEntitled (110).
        """
    public static let needs: Set<MissingItem> = [.policy, .logs]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code, NoPolicyRule.code, NoAccountRule.code, PolicyStaleRule.code,
                                  CheckoutExpiredRule.code, CheckoutWrongMachineRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let policy = facts.currentPolicy else { return .notApplicable("no policy in the bundle") }
        guard policy.isAccessKeyPolicy else {
            return .ruledOut("not in access-key mode: the policy belongs to a user"
                             + (policy.requestData?.accessKeyPresent == true ? " (it carries an AccessKey, as older clients write)" : ""))
        }
        var found = EvidenceSet()
        let products = context.productsAtRisk.compactMap(\.productId)
        let refused = facts.currentObservations { $0 == .accessKeyInvalid }
        if !refused.isEmpty {
            found.add(Weight.strong, "the access key is refused (×\(refused.count) since the last refresh)",
                      [policy.evidence("RequestData.AccessKey set, UserData.UserId \(policy.userData?.userId ?? "")")]
                          + refused.suffix(2).map(\.evidence), products: products)
        }
        let notEntitled = facts.reportedStatuses.filter { $0.status == .notEntitled }
        if !notEntitled.isEmpty {
            found.add(Weight.supporting, "in access-key mode, reported NotEntitled (110)",
                      notEntitled.prefix(2).map(\.evidence),
                      products: notEntitled.compactMap(\.productId))
        }
        guard found.isEmpty else { return found.finding("Access key refused") }
        return .ruledOut("access-key mode, and no refused access key since the last refresh")
    }

    public static let examples: [RuleExample] = [
        .triggers("an access-key policy, the key revoked, MicroStation not entitled",
                  FactsBuilder.healthy.accessKeyPolicy().notEntitled(1000)
                      .log(.accessKeyInvalid, "AccessKey missing from portal(deleted), expired, or revoked", ago: .minutes(20))),
        .triggers("the AccessKey service call fails at every validation",
                  FactsBuilder.healthy.accessKeyPolicy().status(1000, .notEntitled)
                      .log(.accessKeyInvalid, "ValidateAccessKey - Call to AccessKey service failed", ago: .hours(5))
                      .log(.accessKeyInvalid, "ValidateAccessKey - Call to AccessKey service failed", ago: .hours(1))),
        .doesNotTrigger("near miss: a user's own policy that carries an AccessKey",
                        FactsBuilder.healthy.policy { $0.requestData?.accessKeyPresent = true }.notEntitled(1000)
                            .log(.accessKeyInvalid, "AccessKey missing from portal(deleted), expired, or revoked", ago: .hours(1))),
        .doesNotTrigger("near miss: access-key mode, the key refused once before a good refresh",
                        FactsBuilder.healthy.accessKeyPolicy()
                            .log(.accessKeyInvalid, "ValidateAccessKey - Call to AccessKey service failed", ago: .hours(6))),
    ]
}
