import Foundation
import LicensingModel

/// `not-entitled`: the product is not in the user's policy — the general symptom.
public struct NotEntitledRule: DiagnosisRule {
    public static let code = "not-entitled"
    public static let title = "The account has no license for the product"
    public static let why = """
        The policy holds no entitlement (SecurableData) for the product the application asked for, \
        so the client answers NotEntitled (110) and the application runs in trial mode. This is the \
        general symptom: a more specific cause (country, feature level, access, account…) usually explains it.
        """
    public static let fix = "Your administrator adds the product to your account, or buys it."
    public static let evidenceDescription = """
        No SecurableData for a requested ProductId; status 110 / NotEntitled in the Product Status \
        tab or the CC API; Product Status "Trial"; "LicenseStatus Returned: 110" since the last refresh.
        """
    public static let needs: Set<MissingItem> = [.entitlements, .productStatus]
    public static let scope = RuleScope.product

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let policy = facts.currentPolicy
        guard policy != nil || !context.products.isEmpty || facts.hasLogs else {
            return .notApplicable("no policy, no product status and no logs")
        }
        var found = EvidenceSet()
        for product in context.productsAtRisk {
            guard let id = product.productId else { continue }
            let absent = policy.map { $0.securables(forProduct: id).isEmpty } ?? false
            if let policy, absent {
                found.add(Weight.strong, "\(product.label) has no SecurableData in the policy",
                          [policy.evidence("no SecurableData with ProductId \(id)")], products: [id])
            }
            for entry in facts.reportedStatuses(of: id, featureString: product.featureString) {
                guard entry.status == .notEntitled || entry.status == .trial else { continue }
                let weight = entry.status == .notEntitled ? Weight.strong : (absent ? Weight.moderate : Weight.supporting)
                found.add(weight, "\(product.label) reported \(entry.rawStatus)",
                          [Evidence(entry.source, "ProductId \(id) status \(entry.rawStatus)")], products: [id])
            }
        }
        let returned = facts.currentObservations { $0.returns(.notEntitled) }
        if !returned.isEmpty {
            found.add(Weight.moderate, "the service returned 110 (NotEntitled)", returned.suffix(1).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Not in the policy") }
        if context.requestedProducts.isEmpty { return .ruledOut("no product is reported NotEntitled") }
        return .ruledOut("every requested product has an entitlement: "
            + context.requestedProducts.map(\.label).joined(separator: ", "))
    }

    public static let examples: [RuleExample] = [
        .triggers("the requested product is absent and reported NotEntitled", FactsBuilder.healthy.notEntitled(1000)),
        .triggers("absent from the policy, no Product Status dump",
                  FactsBuilder.healthy.notEntitled(1000).status(1000, nil)),
        .triggers("absent from the policy, Product Status says Trial",
                  FactsBuilder.healthy.notEntitled(1000).status(1000, .trial)),
        .doesNotTrigger("only one log line, no policy and no statuses: at most a note",
                        FactsBuilder.empty.log(.licenseStatusReturned(110), "LicenseStatus Returned: 110", ago: .minutes(5))),
        .doesNotTrigger("the product is in the policy and Ok", FactsBuilder.healthy),
        .doesNotTrigger("near miss: 110 logged before a later successful refresh",
                        FactsBuilder.healthy.log(.licenseStatusReturned(110), "LicenseStatus Returned: 110", ago: .days(2))),
        .doesNotTrigger("an empty bundle", FactsBuilder.empty),
    ]
}
