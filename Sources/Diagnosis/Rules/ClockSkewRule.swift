import Foundation
import LicensingModel

/// `clock-skew`: the machine clock is wrong, so a valid policy looks expired or not yet valid.
public struct ClockSkewRule: DiagnosisRule {
    public static let code = "clock-skew"
    public static let title = "The machine's clock is wrong"
    public static let why = """
        The client judges the policy's PolicyCreatedOn and PolicyExpiresOn by the machine's clock. A \
        clock (or time zone) that is hours off makes a valid policy look expired or not yet valid, \
        and the products fall to trial although the policy is fine.
        """
    public static let fix = "Set the machine's clock and time zone correctly (synchronise with internet time), then refresh the policy."
    public static let evidenceDescription = """
        RequestData.ClientDateTime (the machine's clock) an hour or more away from PolicyCreatedOn (the \
        service's clock); a policy created after the collection time, or log lines stamped an hour or \
        more after it (when the collector recorded the collection time).
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.machine
    public static let explains = [OfflineExpiredRule.code, PolicyStaleRule.code]
    /// How far apart two clocks may be before the difference counts.
    static let tolerance: TimeInterval = 3_600

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let policy = facts.currentPolicy
        let now = context.now
        guard policy != nil || (now != nil && facts.hasLogs) else {
            return .notApplicable("no policy, and no logs to set against the collection time")
        }
        var found = EvidenceSet()
        var agreement: String?
        if let policy, let created = policy.createdOn, let client = policy.requestData?.clientDateTime {
            let skew = client.timeIntervalSince(created)
            if abs(skew) >= Self.tolerance {
                found.add(abs(skew) >= 86_400 ? Weight.strong : Weight.notable,
                          "the client's clock was \(Wording.span(skew)) \(skew > 0 ? "ahead of" : "behind") the policy service",
                          [policy.evidence("ClientDateTime \(Wording.date(client)), PolicyCreatedOn \(Wording.date(created))")])
            } else {
                agreement = "the client and the policy service agree on the time (\(Wording.span(skew)) apart)"
            }
        }
        let recorded = facts.collectionTimeIsRecorded
        if recorded, let policy, let now, let created = policy.createdOn, created.timeIntervalSince(now) >= Self.tolerance {
            found.add(Weight.notable, "the policy was created \(Wording.span(created.timeIntervalSince(now))) after the collection time",
                      [policy.evidence("PolicyCreatedOn \(Wording.date(created))")])
        }
        if recorded, let now {
            let ahead = facts.logObservations.filter { ($0.entry.time ?? .distantPast).timeIntervalSince(now) >= Self.tolerance }
            if let last = ahead.last, let time = last.entry.time {
                found.add(Weight.moderate, "log lines stamped up to \(Wording.span(time.timeIntervalSince(now))) after the collection time",
                          [last.evidence])
            }
        }
        guard found.isEmpty else { return found.finding("Clock skew") }
        return .ruledOut(agreement ?? "no policy or log time far from the collection time")
    }

    public static let examples: [RuleExample] = [
        .triggers("the client's clock was 2 days behind when it requested the policy",
                  FactsBuilder.healthy.policyAge(.days(8)).clientClock(offset: .days(-2)).status(1000, .expired)),
        .triggers("the policy was created 5 h after the collection time",
                  FactsBuilder.healthy.policyAge(.hours(-5)).status(1000, .expired)),
        .doesNotTrigger("near miss: the clocks differ by 40 minutes",
                        FactsBuilder.healthy.clientClock(offset: .minutes(-40)).status(1000, .expired)),
        .doesNotTrigger("near miss: a policy \"from the future\" when the collection time is only a ZIP entry time",
                        FactsBuilder.healthy.policyAge(.hours(-5)).with { $0.collectedAtSource = .newestEntryTime }),
        .doesNotTrigger("no policy and no logs", FactsBuilder.healthy.policyNotInBundle().noLogs()),
    ]
}
