import Foundation
import LicensingModel

/// `wrong-environment`: the client talks to a non-production Bentley environment.
public struct WrongEnvironmentRule: DiagnosisRule {
    public static let code = "wrong-environment"
    public static let title = "The client uses a non-production Bentley environment"
    public static let why = """
        HKCU\\Software\\Bentley BuddiRegionCode selects the Bentley environment the client talks to. \
        Any value but 0 points it at QA, DEV or PERF, whose policies do not hold the customer's \
        licenses, so the products fall to trial.
        """
    public static let fix = """
        Remove the BuddiRegionCode value from HKEY_CURRENT_USER\\Software\\Bentley (or set it to 0), \
        restart CONNECTION Client, sign in, then Tools → Refresh Policy in the Bentley Licensing Tool.
        """
    public static let evidenceDescription = """
        HKCU\\Software\\Bentley BuddiRegionCode present and not 0 (102 QA, 103 DEV, 294 PERF); calls to \
        qa-, dev- or perf- prefixed Bentley hosts in the logs.
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code, NoPolicyRule.code, NoAccountRule.code, PolicyStaleRule.code,
                                  CheckoutExpiredRule.code, CheckoutWrongMachineRule.code]

    /// The environments of known region codes.
    static let environments = ["102": "QA", "103": "DEV", "294": "PERF"]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard facts.client != nil || facts.hasLogs else { return .notApplicable("no registry and no logs") }
        var found = EvidenceSet()
        let products = context.productsAtRisk.compactMap(\.productId)
        let region = facts.client?.buddiRegionCode?.trimmed()
        if let region, !region.isEmpty, region != "0" {
            let name = Self.environments[region].map { "\($0) environment" } ?? "a non-production environment"
            found.add(Weight.decisive, "BuddiRegionCode \(region) selects the \(name)",
                      [facts.clientEvidence("buddiRegionCode", "BuddiRegionCode = \(region)")], products: products)
        }
        let calls = facts.observations {
            if case .nonProductionEndpoint = $0 { return true }
            return false
        }
        if !calls.isEmpty {
            let hosts = Set(calls.compactMap { observation -> String? in
                if case .nonProductionEndpoint(let host) = observation.signal { return host }
                return nil
            }).sorted()
            found.add(Weight.strong, "calls to " + (hosts.isEmpty ? "non-production hosts" : hosts.prefix(2).joined(separator: ", ")),
                      calls.suffix(2).map(\.evidence), products: products)
        }
        guard found.isEmpty else { return found.finding("Wrong environment") }
        if let region, !region.isEmpty { return .ruledOut("BuddiRegionCode \(region): production") }
        return .ruledOut("no BuddiRegionCode (production) and no non-production host in the logs")
    }

    public static let examples: [RuleExample] = [
        .triggers("BuddiRegionCode 102 (QA), MicroStation not entitled",
                  FactsBuilder.healthy.buddiRegion("102").notEntitled(1000)),
        .triggers("the policy is fetched from qa-connect-ulastm.bentley.com",
                  FactsBuilder.healthy.notEntitled(1000).log(
                      .nonProductionEndpoint(host: "qa-connect-ulastm.bentley.com"),
                      "GET https://qa-connect-ulastm.bentley.com/licensing/v2/policy 200", ago: .hours(1))),
        .doesNotTrigger("near miss: BuddiRegionCode 0 is production",
                        FactsBuilder.healthy.buddiRegion("0").notEntitled(1000)),
        .doesNotTrigger("near miss: no BuddiRegionCode, production hosts", FactsBuilder.healthy.notEntitled(1000)),
    ]
}
