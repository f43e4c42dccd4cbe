import Foundation

/// How findings are ranked: the cause that explains the others first, the specific before the
/// general (CAUSES.md, "Ranking").
///
/// Findings stay sorted by confidence (the JSON contract), so ranking caps an explained finding's
/// confidence just below the finding that explains it. Only causes (≥ `Diagnoser.causeThreshold`)
/// explain; ranking never adds a finding — a cause with no evidence of its own is not listed.
public enum Ranking {
    /// Which causes explain which: each key explains every cause in its value. The one place
    /// these relations are written down.
    public static let explains: [String: [String]] = {
        var relations: [String: [String]] = [:]
        let absence = [
            CountryMismatchRule.code, InvalidRequestRule.code, FeatureLevelMissingRule.code,
            AccessDeniedRule.code, NoAccountRule.code, EvaluationExpiredRule.code, PolicyStaleRule.code,
            ToolLoginMismatchRule.code, ClientOutdatedRule.code,
        ]
        for code in absence { relations[code, default: []].append(NotEntitledRule.code) }
        relations[ClientOSUnsupportedRule.code, default: []].append(ServiceNotRunningRule.code)
        for code in [CheckoutExpiredRule.code, CheckoutWrongMachineRule.code, NetworkBlockedRule.code, ClockSkewRule.code] {
            relations[code, default: []].append(contentsOf: [OfflineExpiredRule.code, PolicyStaleRule.code])
        }
        for code in [OfflineExpiredRule.code, OfflineNotAllowedRule.code] {
            relations[code, default: []].append(NotSignedInRule.code)
        }
        return relations
    }()

    /// How far below its explainer an explained finding is capped.
    public static let step = 0.01

    /// The causes that explain `code`.
    public static func explainers(of code: String) -> [String] {
        explains.filter { $0.value.contains(code) }.map(\.key).sorted()
    }

    /// How many explanation steps lead to `code` at most (0: nothing explains it).
    static func depth(_ code: String) -> Int {
        explainers(of: code).map { depth($0) + 1 }.max() ?? 0
    }

    /// Caps explained findings below their explainers and sorts by confidence, highest first;
    /// ties go to the explainer, then to the catalog's order.
    public static func rank(_ findings: [Finding], catalogOrder: [String] = RuleCatalog.all.map(\.code)) -> [Finding] {
        var ranked = findings.sorted { depth($0.cause) < depth($1.cause) }
        for index in ranked.indices {
            let explained = ranked[index]
            let caps = ranked.filter {
                explainers(of: explained.cause).contains($0.cause) && $0.confidence >= Diagnoser.causeThreshold
            }
            guard let explainer = caps.map(\.confidence).min(), explained.confidence >= explainer else { continue }
            var capped = Confidence.rounded(explainer - step)
            if explained.confidence >= Diagnoser.causeThreshold { capped = max(capped, Diagnoser.causeThreshold) }
            ranked[index].confidence = capped
        }
        func position(_ code: String) -> Int { catalogOrder.firstIndex(of: code) ?? catalogOrder.count }
        return ranked.sorted {
            if $0.confidence != $1.confidence { return $0.confidence > $1.confidence }
            if depth($0.cause) != depth($1.cause) { return depth($0.cause) < depth($1.cause) }
            return position($0.cause) < position($1.cause)
        }
    }
}
