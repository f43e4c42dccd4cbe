import Foundation

/// How findings are ranked: the cause that explains the others first, the specific before the
/// general (CAUSES.md, "Ranking").
///
/// Findings stay sorted by confidence (the JSON contract), so ranking caps an explained finding's
/// confidence just below the finding that explains it. Only causes (≥ `Diagnoser.causeThreshold`)
/// explain; ranking never adds a finding — a cause with no evidence of its own is not listed.
public enum Ranking {
    /// Which causes explain which: each key explains every cause in its value, as each rule
    /// declares in its own file (`DiagnosisRule.explains`).
    public static let explains: [String: [String]] = relations(RuleCatalog.all)

    /// The relations the rules declare; rules that explain nothing are left out.
    static func relations(_ rules: [any DiagnosisRule]) -> [String: [String]] {
        var relations: [String: [String]] = [:]
        for rule in rules where !rule.explains.isEmpty { relations[rule.code, default: []] += rule.explains }
        return relations
    }

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
        ranked.sort {
            if $0.confidence != $1.confidence { return $0.confidence > $1.confidence }
            if depth($0.cause) != depth($1.cause) { return depth($0.cause) < depth($1.cause) }
            return position($0.cause) < position($1.cause)
        }
        return linked(ranked)
    }

    /// Says which finding follows from which: each finding that a cause among the findings
    /// explains gets that cause as `explainedBy` (the first in rank when several do), and the
    /// cause lists it in `explains`. Findings are in rank order.
    static func linked(_ ranked: [Finding]) -> [Finding] {
        var linked = ranked
        for index in linked.indices {
            linked[index].explainedBy = nil
            linked[index].explains = []
        }
        for index in linked.indices {
            let explainers = Set(explainers(of: linked[index].cause))
            guard let explainer = linked.indices.first(where: {
                $0 != index && explainers.contains(linked[$0].cause) && linked[$0].confidence >= Diagnoser.causeThreshold
            }) else { continue }
            linked[index].explainedBy = linked[explainer].cause
            linked[explainer].explains.append(linked[index].cause)
        }
        return linked
    }
}
