import Foundation
import LicensingModel

/// `network-blocked`: a proxy, TLS inspection, DNS or a firewall stops the policy refresh.
public struct NetworkBlockedRule: DiagnosisRule {
    public static let code = "network-blocked"
    public static let title = "The network stops the policy refresh"
    public static let why = """
        The client refreshes the policy from Bentley's services (connect-ulastm.bentley.com, \
        entitlement-search.bentley.com). A proxy that wants credentials (407), TLS inspection that \
        replaces certificates, failing name resolution or a firewall keep it from doing so, and the \
        stored policy ages until it expires.
        """
    public static let fix = """
        Configure the proxy for CONNECTION Client, or have the network administrator allow the \
        Bentley endpoints (connect-ulastm.bentley.com, entitlement-search.bentley.com) without TLS inspection.
        """
    public static let evidenceDescription = """
        Since the last successful refresh: HTTP 407, TLS or certificate errors, name resolution \
        failures, repeated timeouts to Bentley endpoints; Schannel errors in the System log; a \
        configured proxy. Not HTTP 401 (that is sign-in), and not an old timeout followed by successful refreshes.
        """
    public static let needs: Set<MissingItem> = [.logs]
    public static let scope = RuleScope.machine
    public static let explains = [OfflineExpiredRule.code, PolicyStaleRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard facts.hasLogs else { return .notApplicable("no logs in the bundle") }
        var found = EvidenceSet()
        let kinds: [(String, Double, (LogSignal) -> Bool)] = [
            ("HTTP 407 from a proxy", Weight.strong, { $0 == .http(status: 407) }),
            ("TLS or certificate errors", Weight.strong, { $0 == .tlsError }),
            ("name resolution failures", Weight.strong, { $0 == .dnsFailure }),
        ]
        for (label, weight, matches) in kinds {
            let lines = facts.currentObservations(matches)
            if !lines.isEmpty { found.add(weight, "\(label) ×\(lines.count)", lines.suffix(2).map(\.evidence)) }
        }
        let timeouts = facts.currentObservations(Self.isBentleyTimeout)
        if !timeouts.isEmpty {
            let weight = timeouts.count >= 3 ? Weight.strong : timeouts.count == 2 ? Weight.moderate : Weight.hint
            found.add(weight, "timeouts to Bentley endpoints ×\(timeouts.count)", timeouts.suffix(2).map(\.evidence))
        }
        let refreshed = facts.lastRefresh?.entry.time ?? .distantPast
        let schannel = facts.events.filter {
            $0.provider.localizedCaseInsensitiveContains("Schannel") && ($0.timeCreated ?? .distantFuture) > refreshed
        }
        if !schannel.isEmpty {
            found.add(Weight.supporting, "Schannel (TLS) errors in the System log", schannel.suffix(1).map(\.evidence))
        }
        if !found.isEmpty, let proxy = facts.client?.proxyServer ?? facts.client?.configProxyAddress,
           facts.client?.proxyEnabled ?? true {
            found.add(Weight.hint, "a proxy is configured (\(proxy))", [facts.clientEvidence("proxyServer", "ProxyServer \(proxy)")])
        }
        guard found.isEmpty else { return found.finding("Network blocked") }
        return .ruledOut(reasonNothingFound(facts))
    }

    private static func isBentleyTimeout(_ signal: LogSignal) -> Bool {
        guard case .timeout(let host) = signal else { return false }
        return host.map { $0.lowercased().contains("bentley.com") } ?? true
    }

    private func reasonNothingFound(_ facts: Facts) -> String {
        let network = facts.observations { signal in
            switch signal {
            case .tlsError, .dnsFailure, .http(status: 407): true
            default: Self.isBentleyTimeout(signal)
            }
        }
        if let last = network.last, let refresh = facts.lastRefresh {
            return "network errors (last \(last.entry.time.map(Wording.date) ?? "undated")) were followed by a successful refresh"
                + (refresh.entry.time.map { " at \(Wording.date($0))" } ?? "")
        }
        if !facts.observations({ $0 == .http(status: 401) }).isEmpty {
            return "only HTTP 401 in the logs: a refused sign-in (not-signed-in), not the network"
        }
        return "no proxy, TLS, DNS or timeout errors in the logs since the last refresh"
    }

    public static let examples: [RuleExample] = [
        .triggers("HTTP 407 from the proxy since the last refresh",
                  FactsBuilder.healthy.policyAge(.days(8)).status(1000, .expired).noLogs()
                      .log(.http(status: 407), "(407) Proxy Authentication Required", ago: .hours(3))),
        .triggers("certificate errors and repeated timeouts to entitlement-search.bentley.com",
                  FactsBuilder.healthy.offline(since: .days(2)).status(1000, .notEntitled).noLogs()
                      .log(.tlsError, "The remote certificate is invalid according to the validation procedure", ago: .hours(5))
                      .log(.timeout(host: "entitlement-search.bentley.com"), "Timeout calling entitlement-search.bentley.com", ago: .hours(4))
                      .log(.timeout(host: "entitlement-search.bentley.com"), "Timeout calling entitlement-search.bentley.com", ago: .hours(3))),
        .doesNotTrigger("near miss: HTTP 401 is a sign-in problem",
                        FactsBuilder.healthy.status(1000, .expired).log(.http(status: 401), "(401) Unauthorized", ago: .minutes(10))),
        .doesNotTrigger("near miss: one old timeout followed by successful refreshes",
                        FactsBuilder.healthy.status(1000, .expired)
                            .log(.timeout(host: "connect-ulastm.bentley.com"), "Timeout calling connect-ulastm.bentley.com", ago: .days(4))),
        .doesNotTrigger("no logs", FactsBuilder.healthy.noLogs().status(1000, .expired)),
    ]
}
