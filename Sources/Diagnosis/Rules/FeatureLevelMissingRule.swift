import Foundation
import LicensingModel

/// `feature-level-missing`: a municipal application requested no feature level.
public struct FeatureLevelMissingRule: DiagnosisRule {
    public static let code = "feature-level-missing"
    public static let title = "No default feature level is set for the application"
    public static let why = """
        Municipal applications typically have to have a default feature level set in the Feature \
        Level Selector, otherwise the request is made for a license without a feature level, which is \
        invalid: every securable of the product has a feature level, so an empty one matches none.
        """
    public static let fix = """
        Set the default feature level in the Feature Level Selector (KB0057141), then restart the \
        application.
        """
    public static let evidenceDescription = """
        A requested FeatureString "" for a product whose every securable has a feature level; \
        FeatureLevelSelector.xml without a default for that product; the product reported \
        NotEntitled at feature "".
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let requested = context.requestedProducts.filter { $0.featureString.isEmpty && $0.productId != nil }
        guard let policy = facts.currentPolicy else {
            return .notApplicable("no policy: cannot tell which products have feature levels")
        }
        var found = EvidenceSet()
        for product in requested {
            guard let id = product.productId else { continue }
            let securables = policy.securables(forProduct: id)
            guard !securables.isEmpty, securables.allSatisfy({ !$0.featureString.isEmpty }) else { continue }
            let levels = securables.map { "\"\($0.featureString)\"" }.joined(separator: ", ")
            let request = policy.evidence("\(product.label) requested with FeatureString \"\"; its securables have \(levels)")
            let selector = facts.featureLevelDefaults?.first { $0.productId == id }
            switch (facts.featureLevelDefaults, selector?.hasDefault) {
            case (nil, _):
                found.add(Weight.strong, "\(product.label) requested without a feature level (the Feature Level Selector file is not in the bundle)",
                          [request], products: [id])
            case (_, true?):
                let feature = selector?.defaultFeature ?? ""
                found.add(Weight.hint, "\(product.label) requested without a feature level although the selector's default is \"\(feature)\"",
                          [request] + (selector.map { [Evidence($0.source, "DefaultFeature \"\(feature)\"")] } ?? []), products: [id])
            default:
                found.add(Weight.decisive, "\(product.label) requested without a feature level and no default is set",
                          [request] + (selector.map { [Evidence($0.source, "no DefaultFeature for product \(id)")] } ?? []),
                          products: [id])
            }
            for entry in facts.reportedStatuses(of: id, featureString: "") where entry.status == .notEntitled {
                found.add(Weight.supporting, "reported \(entry.rawStatus) at feature \"\"",
                          [Evidence(entry.source, "ProductId \(id) FeatureString \"\" status \(entry.rawStatus)")], products: [id])
            }
        }
        guard found.isEmpty else { return found.finding("Feature level") }
        return .ruledOut("no product was requested without a feature level where the policy needs one")
    }

    public static let examples: [RuleExample] = [
        .triggers("OpenRoads requested with \"\" and no default in the selector",
                  FactsBuilder.healthy.entitled(2900, name: "OpenRoads Designer", feature: "ORD-ADV")
                      .requesting("2900").featureDefault(2900, nil).status(2900, .notEntitled)),
        .triggers("the selector file is absent, the request is empty, every securable has a level",
                  FactsBuilder.healthy.entitled(2900, feature: "ORD-ADV").entitled(2900, feature: "ORD-PRO")
                      .requesting("2900").with { $0.featureLevelDefaults = nil }),
        .doesNotTrigger("near miss: the product has a securable without feature level, so \"\" matches",
                        FactsBuilder.healthy.requesting("1000")),
        .doesNotTrigger("near miss: the selector has a default (the application was not restarted)",
                        FactsBuilder.healthy.entitled(2900, feature: "ORD-ADV").requesting("2900")
                            .featureDefault(2900, "ORD-ADV").status(2900, .notEntitled)),
        .doesNotTrigger("the request carries a feature level",
                        FactsBuilder.healthy.entitled(2900, feature: "ORD-ADV").requesting("2900", feature: "ORD-ADV")),
    ]
}
