import Foundation
import LicensingModel

/// `store-corrupted`: the licensing store was corrupt and the client recreated it.
public struct StoreCorruptedRule: DiagnosisRule {
    public static let code = "store-corrupted"
    public static let title = "The licensing store was corrupt and was recreated"
    public static let why = """
        When the service finds its SQLite store corrupt, it deletes it and creates an empty one: \
        the cached policy, the offline grace and every imported checkout are gone, so products \
        fall to trial until the next successful refresh (or for good, offline).
        """
    public static let fix = """
        Sign in to CONNECTION Client and refresh the policy (Tools → Refresh Policy); import the \
        checked-out license into the Bentley Licensing Tool again; check the disk and the antivirus \
        (which may lock or damage the store).
        """
    public static let evidenceDescription = """
        "Database file is invalid or corrupted, attempting to delete file and re-create" in the logs; \
        the store's Policy, Checkout and OfflineGrace tables empty while the logs show earlier \
        refreshes or checkouts. A `.belic` lying in Downloads that was never imported is not evidence.
        """
    public static let needs: Set<MissingItem> = [.logs]
    public static let scope = RuleScope.product
    public static let explains = [NotEntitledRule.code, NoPolicyRule.code, NoAccountRule.code, PolicyStaleRule.code,
                                  CheckoutExpiredRule.code, CheckoutWrongMachineRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard facts.hasLogs else { return .notApplicable("no logs: the store's recreation shows only there") }
        var found = EvidenceSet()
        let products = context.productsAtRisk.compactMap(\.productId)
        let corrupt = facts.observations { $0 == .databaseCorrupt }
        guard let last = corrupt.last else { return .ruledOut("no corrupt-store message in the logs") }
        found.add(Weight.strong, "the service found the store corrupt" + (last.entry.time.map { " at \(Wording.date($0))" } ?? ""),
                  corrupt.suffix(2).map(\.evidence), products: products)
        // Earlier state the recreation lost: refreshes or checkouts before the message.
        let before = facts.logObservations.filter {
            ($0.signal == .policyRefreshed || $0.signal == .checkoutFoundOK)
                && ($0.entry.time ?? .distantFuture) < (last.entry.time ?? .distantPast)
        }
        let counts = facts.storeRowCounts
        let emptied = facts.storedPolicyRows?.isEmpty == true && (counts?["checkout"] ?? 0) == 0
            && (counts?["offlinegrace"] ?? 0) == 0
        if emptied, let earlier = before.last {
            found.add(Weight.moderate, "Policy, Checkout and OfflineGrace are empty although the logs show "
                      + (earlier.signal == .checkoutFoundOK ? "a checkout" : "a refresh") + " before",
                      [Evidence(facts.storeSource ?? SourceRef(file: "licensing/LicensingStore.db"), "Policy: 0 rows, Checkout: 0 rows, OfflineGrace: 0 rows"),
                       earlier.evidence], products: products)
        }
        return found.finding("Store recreated")
    }

    public static let examples: [RuleExample] = [
        .triggers("the store was found corrupt and recreated empty after earlier refreshes",
                  FactsBuilder.healthy.noPolicy().storeRows(["policy": 0, "checkout": 0, "offlinegrace": 0]).status(1000, .error)
                      .log(.policyRefreshed, "Policy refreshed.", ago: .days(2))
                      .log(.databaseCorrupt, "Database file is invalid or corrupted, attempting to delete file and re-create as a Database",
                           ago: .hours(3))),
        .triggers("the corrupt-store message alone",
                  FactsBuilder.healthy.notEntitled(1000)
                      .log(.databaseCorrupt, "Database file is invalid or corrupted", ago: .hours(1))),
        .doesNotTrigger("near miss: an empty store without any corrupt-store message (no-policy)",
                        FactsBuilder.healthy.noPolicy().storeRows(["policy": 0, "checkout": 0]).status(1000, .error)),
        .doesNotTrigger("near miss: no logs in the bundle", FactsBuilder.healthy.noPolicy().noLogs()),
    ]
}
