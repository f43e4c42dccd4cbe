import Foundation
import LicensingModel

/// `usage-unsent`: usage records cannot be posted, and the client stops licensing once it has
/// kept them too long.
public struct UsageUnsentRule: DiagnosisRule {
    public static let code = "usage-unsent"
    public static let title = "Usage records cannot be sent"
    public static let why = """
        The client records every use of a product and posts the records to Bentley. When they \
        cannot be posted for longer than the policy's TimeToKeepUnSentLogs, it stops licensing: \
        the products report 107 DisabledByLogSend.
        """
    public static let fix = """
        Let the client reach Bentley's usage service (proxy and firewall must allow it) and sign in \
        to CONNECTION Client; support clears the backlog of unsent usage logs if it does not drain.
        """
    public static let evidenceDescription = """
        Products reported DisabledByLogSend (107) or "LicenseStatus Returned: 107"; unsent usage \
        (LicUsageLog / LicFeatureLog CSVs, Usage and Feature rows) older than the policy's \
        TimeToKeepUnSentLogs (minutes); "N logs failed to post". Without status 107 this is a note \
        below 0.5, not a cause.
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.product

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let now = context.now else { return .notApplicable("the collection time is unknown") }
        var found = EvidenceSet()
        let products = context.productsAtRisk.compactMap(\.productId)
        let reported = facts.reportedStatuses.filter { $0.status == .disabledByLogSend }
        let returned = facts.currentObservations { $0.returns(.disabledByLogSend) }
        if !reported.isEmpty || !returned.isEmpty {
            found.add(Weight.strong, "reported DisabledByLogSend (107)",
                      reported.prefix(2).map(\.evidence)
                          + returned.suffix(1).map(\.evidence), products: products)
        }
        let keepMinutes = facts.currentPolicy?.qualifierValue("TimeToKeepUnSentLogs", product: products.first).flatMap { Double($0) }
        let times = facts.usageRecords.compactMap { record in (record.startTimeUTC ?? record.entryDate).map { ($0, record) } }
        var backlog: String?
        if let (oldest, record) = times.min(by: { $0.0 < $1.0 }) {
            let age = now.timeIntervalSince(oldest)
            if let keepMinutes, age > keepMinutes * 60 {
                found.add(Weight.moderate, "\(times.count) unsent usage record(s), the oldest \(Wording.span(age)) old "
                          + "(kept at most \(Wording.span(keepMinutes * 60)))",
                          [Evidence(record.source, "usage of \(record.productId.map(String.init) ?? "?") at \(Wording.date(oldest))")])
            } else {
                backlog = "\(times.count) unsent usage record(s), the oldest \(Wording.span(age)) old"
                    + (keepMinutes.map { ", within the \(Wording.span($0 * 60)) kept" } ?? "")
            }
        }
        let failed = facts.currentObservations {
            if case .logsFailedToPost = $0 { return true }
            return false
        }
        if !failed.isEmpty {
            found.add(Weight.moderate, "usage logs failed to post (×\(failed.count))", failed.suffix(2).map(\.evidence))
        }
        guard !found.isEmpty else {
            return .ruledOut(backlog.map { "\($0), and no product reported 107" } ?? "no unsent usage backlog and no status 107")
        }
        let outcome = found.finding("Usage not sent")
        // Without 107 the client still licenses: a backlog is worth showing, not a cause.
        guard reported.isEmpty, returned.isEmpty, case .finding(let confidence, let title, let evidence, let ids) = outcome else {
            return outcome
        }
        return .finding(confidence: min(confidence, Confidence.belowThreshold), title: title + " (note: no product reports 107)",
                        evidence: evidence, productIds: ids)
    }

    public static let examples: [RuleExample] = [
        .triggers("MicroStation reports DisabledByLogSend, usage unsent for 10 days (kept 7)",
                  FactsBuilder.healthy.qualifier("TimeToKeepUnSentLogs", "10080").status(1000, .disabledByLogSend)
                      .usage(1000, country: "GB", ago: .days(10))),
        .triggers("the service returns 107 and says logs failed to post",
                  FactsBuilder.healthy.status(1000, .disabledByLogSend)
                      .log(.logsFailedToPost(count: 212), "212 logs failed to post", ago: .minutes(40))
                      .log(.licenseStatusReturned(107), "LicenseStatus Returned: 107", ago: .minutes(5))),
        .doesNotTrigger("near miss: a small backlog (2 hours) within TimeToKeepUnSentLogs, no 107",
                        FactsBuilder.healthy.qualifier("TimeToKeepUnSentLogs", "10080")),
        .doesNotTrigger("near miss: no unsent usage and no 107", FactsBuilder.healthy.with { $0.usageRecords = [] }),
    ]
}
