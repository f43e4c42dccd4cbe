import Foundation
import LicensingModel

/// `checkout-expired`: a checked-out license has expired.
public struct CheckoutExpiredRule: DiagnosisRule {
    public static let code = "checkout-expired"
    public static let title = "A checked-out license has expired"
    public static let why = """
        A checked-out license lets a product run without signing in, for the checkout period only. \
        Once its ExpiresOn passes, the product falls back to the stored policy — and to trial when \
        the machine has been offline for longer than 7 days.
        """
    public static let fix = "Check the license out again, or go online and sign in to CONNECTION Client."
    public static let evidenceDescription = """
        A `.belic` file or Checkout row whose ExpiresOn (the ACL's, else PolicyExpiresOn) is before \
        the collection time, for a product no valid checkout covers.
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.product
    public static let explains = [OfflineExpiredRule.code, PolicyStaleRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard !facts.checkouts.isEmpty else {
            return facts.hasLicensingData ? .ruledOut("no checked-out license in the bundle")
                : .notApplicable("no licensing store, policy or checkout in the bundle")
        }
        guard let now = context.now else { return .notApplicable("the collection time is unknown") }
        let atRisk = Set(context.productsAtRisk.compactMap(\.productId))
        var found = EvidenceSet()
        var valid: [String] = []
        for checkout in facts.checkouts {
            let ids = checkout.policy.securables.map(\.productId)
            guard let end = checkout.expiresOn, end <= now else {
                valid.append("\(checkout.source.file) runs until \(checkout.expiresOn.map(Wording.date) ?? "no end given")")
                continue
            }
            let replaced = ids.allSatisfy { id in
                facts.checkouts.contains { $0.isValid(onMachine: nil, at: now) && !$0.policy.securables(forProduct: id).isEmpty }
            }
            guard !replaced else { continue }
            let matters = !atRisk.isDisjoint(with: ids)
            found.add(matters ? Weight.strong : Weight.supporting,
                      "the checkout of \(ids.map { Wording.product($0) }.joined(separator: ", ")) expired \(Wording.span(now.timeIntervalSince(end))) ago",
                      [Evidence(checkout.source, "ExpiresOn \(Wording.date(end))")], products: ids)
        }
        guard found.isEmpty else { return found.finding("Checkout expired") }
        return .ruledOut(valid.isEmpty ? "every expired checkout has a valid successor" : valid.joined(separator: "; "))
    }

    public static let examples: [RuleExample] = [
        .triggers("the MicroStation checkout ended 3 days ago, offline for 20 days",
                  FactsBuilder.healthy.checkout(1000, expiresIn: .days(-3)).offline(since: .days(20))
                      .policyAge(.days(21)).status(1000, .expired)),
        .triggers("an expired checkout, no status dump: the decision procedure says Expired",
                  FactsBuilder.healthy.checkout(1000, expiresIn: .hours(-5)).offline(since: .days(9)).status(1000, nil)),
        .doesNotTrigger("near miss: the checkout runs for another month",
                        FactsBuilder.healthy.checkout(1000, expiresIn: .days(30)).offline(since: .days(20)).status(1000, .ok)),
        .doesNotTrigger("an old expired checkout while the online policy licenses the product",
                        FactsBuilder.healthy.checkout(1000, expiresIn: .days(-90))),
        .doesNotTrigger("no checkouts at all", FactsBuilder.healthy),
    ]
}
