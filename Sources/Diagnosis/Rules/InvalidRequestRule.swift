import Foundation
import LicensingModel

/// `invalid-request`: the application asked for a license no policy can hold.
public struct InvalidRequestRule: DiagnosisRule {
    public static let code = "invalid-request"
    public static let title = "The application requested an invalid license"
    public static let why = """
        The client grants a request only when a securable has the same ProductId and exactly the same \
        FeatureString, and an evaluation only for the version it is bound to. A request with a \
        malformed product id, a feature level the product does not have, or a version outside the \
        evaluation can never match, so the application runs in trial mode.
        """
    public static let fix = "Reinstall or update the application, and choose a valid feature level."
    public static let evidenceDescription = """
        The policy's RequestedSecurables: a ProductId that is not a number or is below 1000; a \
        non-empty FeatureString that no securable of that product has (compared exactly); a Version \
        outside an evaluation's Version qualifier (`12.0.0.0` binds major.minor, `12.0.5.1` the full version).
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let policy = facts.currentPolicy, let requests = policy.requestData?.requestedSecurables,
              !requests.isEmpty
        else { return .notApplicable("no policy request (RequestedSecurables) in the bundle") }
        var found = EvidenceSet()
        for request in requests {
            guard let id = request.productId, id >= 1000 else {
                found.add(Weight.decisive, "ProductId \"\(request.rawProductId)\" is not a product id (numeric, ≥ 1000)",
                          [policy.evidence("RequestedSecurables ProductId \"\(request.rawProductId)\"")])
                continue
            }
            let entries = policy.entries(forProduct: id)
            let features = Set(entries.map(\.securable.featureString))
            if !request.featureString.isEmpty, !entries.isEmpty, !features.contains(request.featureString) {
                found.add(Weight.strong, "feature \"\(request.featureString)\" is not one of \(Wording.product(id))'s "
                          + features.sorted().map { "\"\($0)\"" }.joined(separator: ", "),
                          [policy.evidence("RequestedSecurables ProductId \(id) FeatureString \"\(request.featureString)\"")],
                          products: [id])
            }
            guard let requested = request.version else { continue }
            for (securable, acl) in entries where securable.featureString == request.featureString {
                let usage = policy.qualifier(named: QualifierName.usageType, for: acl, securable: securable)?.value
                guard usage?.lowercased() == "evaluation",
                      let bound = policy.qualifier(named: QualifierName.version, for: acl, securable: securable)?.value,
                      !Self.admits(bound: bound, requested: requested)
                else { continue }
                found.add(Weight.strong, "version \(requested) is outside the evaluation's Version \(bound)",
                          [policy.evidence("RequestedSecurables Version \"\(requested)\"; evaluation Version \"\(bound)\"")],
                          products: [id])
            }
        }
        guard found.isEmpty else { return found.finding("Invalid request") }
        return .ruledOut("every request names a numeric product id ≥ 1000 with a feature level and version it has")
    }

    /// Whether an evaluation bound to `bound` admits `requested`: `12.0.0.0` binds major.minor,
    /// any other value the full version; text that is not a version must match exactly.
    static func admits(bound: String, requested: String) -> Bool {
        guard let limit = ClientVersion(bound), let version = ClientVersion(requested) else {
            return bound.trimmed() == requested.trimmed()
        }
        let significant = limit.parts[2] == 0 && limit.parts[3] == 0 ? 2 : 4
        return Array(limit.parts.prefix(significant)) == Array(version.parts.prefix(significant))
    }

    public static let examples: [RuleExample] = [
        .triggers("a non-numeric ProductId", FactsBuilder.healthy.requesting("MSTN").status(1000, .ok)),
        .triggers("a feature level the product does not have",
                  FactsBuilder.healthy.entitled(2900, name: "OpenRoads Designer", feature: "ORD-ADV")
                      .requesting("2900", feature: "ORD-PRO").status(2900, .notEntitled, feature: "ORD-PRO")),
        .triggers("version 13.0 outside an evaluation bound to 12.0.0.0",
                  FactsBuilder.healthy.entitled(1052, name: "AutoPIPE", usageType: "Evaluation", version: "12.0.0.0",
                                                expiresIn: .days(20))
                      .requesting("1052", version: "13.0.1.4").status(1052, .notEntitled)),
        .doesNotTrigger("the request matches the policy", FactsBuilder.healthy),
        .doesNotTrigger("near miss: 12.0.5.1 inside an evaluation bound to 12.0.0.0",
                        FactsBuilder.healthy.entitled(1052, usageType: "Evaluation", version: "12.0.0.0", expiresIn: .days(20))
                            .requesting("1052", version: "12.0.5.1")),
        .doesNotTrigger("near miss: an empty feature string is feature-level-missing, not invalid",
                        FactsBuilder.healthy.entitled(2900, feature: "ORD-ADV").requesting("2900")
                            .status(2900, .notEntitled)),
    ]
}
