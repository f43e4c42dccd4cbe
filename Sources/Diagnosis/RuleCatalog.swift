import Foundation

/// Every rule, in a stable order (the order of CAUSES.md), and the documentation generated from them.
public enum RuleCatalog {
    /// All rules; one per cause code of CAUSES.md.
    public static let all: [any DiagnosisRule] = [
        NotEntitledRule(), CountryMismatchRule(), AccessDeniedRule(), InvalidRequestRule(),
        FeatureLevelMissingRule(), ClientOutdatedRule(), ClientOSUnsupportedRule(), NotSignedInRule(),
        OfflineExpiredRule(), OfflineNotAllowedRule(), ToolLoginMismatchRule(), PolicyStaleRule(),
        NoAccountRule(), CheckoutExpiredRule(), CheckoutWrongMachineRule(), EvaluationExpiredRule(),
        NetworkBlockedRule(), ClockSkewRule(), ServiceNotRunningRule(), NoPolicyRule(),
        TrialEntitlementRule(), PolicyInvalidRule(), WrongEnvironmentRule(), AccessKeyInvalidRule(),
        StoreCorruptedRule(), TermsNotAcceptedRule(), TerminalServerUnsupportedRule(), UsageUnsentRule(),
    ]

    /// The rule with this cause code.
    public static func rule(code: String) -> (any DiagnosisRule)? {
        all.first { $0.code == code }
    }

    /// Where the generated documentation lives, relative to the repository root.
    public static let documentationPath = "docs/rules.md"

    /// The rule documentation (`docs/rules.md`): code, title, why, evidence, fix, ranking and
    /// examples of every rule.
    public static func markdown() -> String {
        var lines = [
            "# Diagnosis rules",
            "",
            "<!-- Generated from RuleCatalog.markdown() in Sources/Diagnosis; do not edit by hand. -->",
            "<!-- Regenerate: REGENERATE_RULE_DOCS=1 swift test --scratch-path .build-diagnosis --filter DiagnosisTests -->",
            "",
            "One rule per cause code of CAUSES.md. A rule sees the facts of one bundle, judged as of its",
            "collection time, and either finds its cause (with evidence), rules it out (with the reason),",
            "or says it cannot apply (the bundle lacks what it needs).",
            "",
            "**Confidence.** Each piece of evidence has a weight: "
                + Weight.levels.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ".",
            "Independent pieces combine as 1 − Π(1 − w), at most \(Confidence.ceiling).",
            "Each needed item the bundle lacks multiplies the confidence by \(Confidence.missingItemFactor).",
            "A *product* cause while every requested product is licensed is multiplied by \(Confidence.licensedProductsFactor)"
                + " and kept below \(Diagnoser.causeThreshold).",
            "A finding at \(Diagnoser.causeThreshold) or more is a cause; below, a note.",
            "",
            "**Ranking.** The cause that explains another ranks above it: the explained finding's",
            "confidence is capped \(Ranking.step) below its explainer's. Findings stay sorted by confidence.",
            "",
            "| code | cause | scope |",
            "|---|---|---|",
        ]
        lines += all.map { "| [`\($0.code)`](#\($0.code)) | \($0.title) | \($0.scope.rawValue) |" }
        for rule in all {
            lines += ["", "## \(rule.code)", "", "**\(rule.title).** \(rule.why)", "",
                      "**Evidence.** \(rule.evidenceDescription)", "", "**Fix.** \(rule.fix)", ""]
            let needs = rule.needs.sorted().map { "`\($0.rawValue)`" }
            lines.append("**Needs.** " + (needs.isEmpty ? "nothing beyond its evidence." : needs.joined(separator: ", ")
                + " (each one missing lowers the confidence)."))
            let explains = Ranking.explains[rule.code] ?? []
            let explainedBy = Ranking.explainers(of: rule.code)
            if !explains.isEmpty { lines += ["", "**Ranks above** " + explains.map { "`\($0)`" }.joined(separator: ", ") + "."] }
            if !explainedBy.isEmpty { lines += ["", "**Ranks below** " + explainedBy.map { "`\($0)`" }.joined(separator: ", ") + "."] }
            lines += ["", "**Examples.**", ""]
            lines += rule.examples.map { "- \($0.expectation == .triggers ? "triggers" : "does not trigger"): \($0.name)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
