import Foundation

/// The client's licensing decision (CLIENT-MODEL §2) as a pure function.
///
/// It mirrors the public cross-platform client step by step, so analysis can say what status a
/// product *should* have given the facts, and why.
public enum DecisionProcedure {
    /// Offline days allowed when the policy has no `OfflineDuration`.
    public static let defaultOfflineDays = 7

    /// The status of `product` requested at `featureString`.
    ///
    /// - Parameters:
    ///   - checkouts: checked-out licenses on the machine; a valid one for the product wins.
    ///   - machineName: this machine's name, to reject another machine's checkout.
    ///   - online: whether the last policy fetch succeeded (no offline grace runs).
    ///   - offlineGraceStart: `OfflineGrace.OfflineGracePeriodStart`, written at the first
    ///     failed fetch and cleared by the next success; nil means "starts now".
    ///   - now: the time to judge at (the bundle's collection time).
    public static func status(
        product: Int, featureString: String, policy: Policy?, checkouts: [Checkout],
        machineName: String?, online: Bool, offlineGraceStart: Date?, now: Date
    ) -> (status: LicenseStatus, daysRemaining: Int?, reason: String) {
        for checkout in checkouts
        where !checkout.policy.securables(forProduct: product, featureString: featureString).isEmpty
            && checkout.isValid(onMachine: machineName, at: now)
        {
            let days = checkout.expiresOn.map { daysBetween(now, $0) }
            return (.ok, days, "a valid checkout for the product on this machine (\(checkout.source))")
        }
        guard let policy else { return (.error, nil, "no policy and no valid checkout") }
        if let invalid = policy.invalidReason {
            return (.disabledByPolicy, nil, "the policy is invalid: \(invalid)")
        }
        if policy.isExpired(at: now) {
            return (.expired, 0, "the policy expired (PolicyExpiresOn has passed)")
        }
        let matches = policy.securables(forProduct: product, featureString: featureString)
        guard !matches.isEmpty else {
            return (.notEntitled, nil,
                    "no securable for product \(product) with feature string \"\(featureString)\"")
        }
        let outcomes = matches.map {
            evaluate(securable: $0, policy: policy, online: online, graceStart: offlineGraceStart, now: now)
        }
        return outcomes.min { rank($0.status) < rank($1.status) } ?? outcomes[0]
    }

    private static func evaluate(
        securable: Securable, policy: Policy, online: Bool, graceStart: Date?, now: Date
    ) -> (status: LicenseStatus, daysRemaining: Int?, reason: String) {
        guard let acl = policy.acl(for: securable) else {
            return (.notEntitled, nil, "no ACL for the product's securable")
        }
        switch acl.accessKind {
        case .denied: return (.accessDenied, nil, "the ACL denies access (AccessKind 3)")
        case .trialExpired: return (.expired, 0, "the trial has expired (AccessKind 4)")
        default: break  // Allowed, and Maybe, which the client counts as Allowed
        }
        let usageType = policy.qualifier(named: QualifierName.usageType, for: acl, securable: securable)?
            .value.lowercased()
        let aclDays = acl.expiresOn.map { daysBetween(now, $0) }
        if usageType == "evaluation", let end = acl.expiresOn, end <= now {
            return (.expired, 0, "the product is an evaluation and its ExpiresOn has passed")
        }
        if usageType == "trial" {
            if let end = acl.expiresOn, end <= now {
                return (.expired, 0, "the product is a trial and its ExpiresOn has passed")
            }
            return (.trial, aclDays, "UsageType is Trial: the product runs as a trial")
        }
        if !online {
            let allowOffline = policy.qualifier(named: QualifierName.allowOfflineUsage, for: acl,
                                                securable: securable)?.value.uppercased()
            guard allowOffline == "TRUE" else {
                return (.disabledByPolicy, nil, "offline, and AllowOfflineUsage is not TRUE")
            }
            let durationText = policy.qualifier(named: QualifierName.offlineDuration, for: acl,
                                                securable: securable)?.value
            let duration = durationText.flatMap { Int($0.trimmed()) }
                ?? defaultOfflineDays
            let start = graceStart ?? now
            let left = daysBetween(now, start.addingTimeInterval(Double(duration) * 86_400))
            if left > 0 { return (.offline, left, "offline with \(left) of \(duration) grace days left") }
            return (.expired, 0, "offline for longer than the \(duration) days allowed")
        }
        return (.ok, aclDays, "entitled: an allowing ACL for a matching securable")
    }

    /// Whole days from `start` to `end`, truncated as the client counts them: the last partial
    /// day already counts as gone (0 with half a day left); negative when `end` is earlier.
    public static func daysBetween(_ start: Date, _ end: Date) -> Int {
        Int((end.timeIntervalSince(start) / 86_400).rounded(.towardZero))
    }

    private static func rank(_ status: LicenseStatus) -> Int {
        switch status {
        case .ok: 0
        case .offline: 1
        case .trial: 2
        case .disabledByPolicy: 3
        case .expired: 4
        case .accessDenied: 5
        case .disabledByLogSend: 6
        case .notEntitled: 7
        case .error: 8
        }
    }
}
