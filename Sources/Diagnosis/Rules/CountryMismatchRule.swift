import Foundation
import LicensingModel

/// `country-mismatch`: the license is for another entitlement country than the user's.
public struct CountryMismatchRule: DiagnosisRule {
    public static let code = "country-mismatch"
    public static let title = "The license is for another entitlement country"
    public static let why = """
        Licenses reside in an entitlement country. The account has a license for the application, but \
        it is for a different entitlement country than the one the user is located in, so the policy \
        does not grant it.
        """
    public static let fix = """
        Your administrator corrects your Usage Country (Entitlement Country in your IMS profile, \
        ims.bentley.com), or assigns you a license of that country. The license must reside in the \
        same Entitlement Country that you do.
        """
    public static let evidenceDescription = """
        The policy's UserData.UsageCountryISO against the user's location (registry Geo\\Name) and \
        against the account's country (UltimateCountryId, when it is a two-letter code); usage \
        records and RecordUsage log lines that count usage in another country.
        """
    public static let needs: Set<MissingItem> = [.policy]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let policy = facts.currentPolicy
        let usage = Normalized.country(policy?.userData?.usageCountryISO)
        let geo = Normalized.country(facts.client?.geoCountry)
        let account = Normalized.country(policy?.userData?.ultimateCountryId).flatMap { code in
            code.count == 2 && code.allSatisfy(\.isLetter) ? code : nil
        }
        guard let reference = usage ?? geo else {
            return .notApplicable("neither the usage country (policy) nor the user's location (Geo\\Name) is known")
        }
        var found = EvidenceSet()
        var matches: [String] = []
        let products = context.productsAtRisk.compactMap(\.productId)
        if let usage, let geo, let policy {
            if usage != geo {
                found.add(Weight.strong, "usage country \(usage) ≠ location \(geo)",
                          [policy.evidence("UsageCountryISO \"\(usage)\""), facts.clientEvidence("geoCountry", "Geo\\Name \"\(geo)\"")],
                          products: products)
            } else {
                matches.append("\(usage) = \(geo)")
            }
        }
        if let usage, let account, let policy, usage != account {
            found.add(Weight.strong, "usage country \(usage) ≠ account country \(account)",
                      [policy.evidence("UsageCountryISO \"\(usage)\", UltimateCountryId \"\(account)\"")], products: products)
        }
        // Usage records count in some country; one that differs from the usage country, the
        // location or the account's country confirms the mismatch independently.
        let known = Set([usage, geo, account].compactMap { $0 })
        func conflicts(_ country: String?) -> Bool {
            // Only a two-letter code compares: a store may hold anything (`826`, ISO's number for GB).
            guard let country = Normalized.country(country), country.count == 2, country.allSatisfy(\.isLetter) else { return false }
            return known.contains { $0 != country }
        }
        let records = facts.usageRecords.filter { conflicts($0.usageCountryISO) }
        let lines = facts.logObservations.filter {
            guard case .usageRecord(let country?, _, _) = $0.signal else { return false }
            return conflicts(country)
        }
        let recorded = Set(records.compactMap { Normalized.country($0.usageCountryISO) } + lines.compactMap {
            if case .usageRecord(let country?, _, _) = $0.signal { Normalized.country(country) } else { nil }
        })
        if !recorded.isEmpty {
            let elsewhere = known.subtracting(recorded).sorted()
            found.add(Weight.moderate, "usage recorded in \(recorded.sorted().joined(separator: ", "))"
                      + (elsewhere.isEmpty ? "" : ", not \(elsewhere.joined(separator: ", "))"),
                      records.prefix(2).map { Evidence($0.source, "UsageCountryISO \"\($0.usageCountryISO ?? "")\"") }
                          + lines.prefix(1).map(\.evidence), products: products)
        }
        guard found.isEmpty else { return found.finding("Entitlement country") }
        if usage == nil || geo == nil, facts.usageRecords.isEmpty {
            return .notApplicable("only one side of the comparison is known (\(reference))")
        }
        return .ruledOut("country matches: " + (matches.first ?? "every usage record is in \(reference)"))
    }

    public static let examples: [RuleExample] = [
        .triggers("usage country US, user in GB, MicroStation absent",
                  FactsBuilder.healthy.usageCountry("US").notEntitled(1000)),
        .triggers("usage country GB, but usage records and the user's location say DE",
                  FactsBuilder.healthy.geo("DE").usage(1000, country: "DE", ago: .days(1)).notEntitled(1000)),
        .doesNotTrigger("near miss: country matches (GB = GB) while the product is absent",
                        FactsBuilder.healthy.notEntitled(1000)),
        .doesNotTrigger("countries differ, but the product is licensed anyway",
                        FactsBuilder.healthy.usageCountry("US")),
        .doesNotTrigger("no policy and no location: cannot compare",
                        FactsBuilder.healthy.policyNotInBundle().geo(nil)),
    ]
}
