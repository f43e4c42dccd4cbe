import Foundation
import LicensingModel

/// `no-policy`: there is no policy at all on the machine.
public struct NoPolicyRule: DiagnosisRule {
    public static let code = "no-policy"
    public static let title = "There is no policy on the machine"
    public static let why = """
        To run an SES application you must have a policy that specifies you have a valid \
        entitlement. Without any stored policy and without a checked-out license the client answers \
        Error (−1) for every product.
        """
    public static let fix = """
        Sign in to CONNECTION Client once while online, then Tools → Refresh Policy in the Bentley \
        Licensing Tool; or import a checked-out license.
        """
    public static let evidenceDescription = """
        An empty Policy table in the store and no checkout; "Policy token object is null. No policy \
        obtained from entitlements or cached" since the last refresh; products reported Error (−1).
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.product

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        if let policy = facts.currentPolicy {
            return .ruledOut("a policy is on the machine (\(policy.policyId ?? "no id"), created "
                + "\(policy.createdOn.map(Wording.date) ?? "at an unknown time"))")
        }
        if let checkout = facts.checkouts.first { return .ruledOut("a checked-out license is on the machine (\(checkout.source.file))") }
        if let rows = facts.storedPolicyRows, !rows.isEmpty {
            return .ruledOut("the store holds \(rows.count) policy row(s), though none could be read")
        }
        var found = EvidenceSet()
        if facts.storedPolicyRows != nil {
            found.add(Weight.strong, "the store's Policy table is empty", [Evidence(facts.storeSource ?? SourceRef(file: "licensing/LicensingStore.db"), "Policy: 0 rows")])
        }
        let lines = facts.currentObservations { $0 == .noPolicyObtained }
        if !lines.isEmpty { found.add(Weight.strong, "the service obtained no policy", lines.suffix(1).map(\.evidence)) }
        let errors = facts.reportedStatuses.filter { $0.status == .error }
        if !errors.isEmpty {
            found.add(Weight.supporting, "products reported Error (−1)",
                      errors.prefix(2).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("No policy") }
        return .notApplicable("neither the store nor the logs are in the bundle")
    }

    public static let examples: [RuleExample] = [
        .triggers("an empty Policy table and no checkout", FactsBuilder.healthy.noPolicy().status(1000, .error)),
        .triggers("the log says no policy was obtained (store not in the bundle)",
                  FactsBuilder.empty.log(.noPolicyObtained, "Policy token object is null. No policy obtained from entitlements or cached",
                                         ago: .minutes(1))),
        .doesNotTrigger("a policy is on the machine", FactsBuilder.healthy),
        .doesNotTrigger("near miss: no policy, but a checked-out license",
                        FactsBuilder.healthy.noPolicy().checkout(1000, expiresIn: .days(30)).status(1000, .ok)),
        .doesNotTrigger("an empty bundle: cannot tell", FactsBuilder.empty),
    ]
}
