import Foundation

/// Renders a comparison for an 80-column terminal: the verdict before → after on the first
/// line, which bundle is OLD and which NEW, then the resolved, new and persisting causes, and
/// last what changed on the machine. Text from the bundles is sanitised, as in a report.
public struct ComparisonTextRenderer: Sendable {
    /// Whether to use ANSI colours (see `TerminalStyle`).
    public var color: Bool
    /// The longest line, in characters; at least 40.
    public var width: Int

    /// Creates a renderer.
    public init(color: Bool = false, width: Int = 80) {
        self.color = color
        self.width = max(40, width)
    }

    /// The comparison as terminal text, ending with a newline.
    public func render(_ comparison: Comparison) -> String {
        var out: [String] = []
        let (before, after) = (comparison.old.report, comparison.new.report)
        let headline = ComparisonWording.headline(comparison)
        out += wrap(headline.sentence, first: "\(headline.label) — ", rest: "  ").map { paint($0, bold: true, tone: headline.tone) }
        out += wrap(ComparisonWording.side(before), first: "OLD  ", rest: "     ")
        out += wrap(ComparisonWording.side(after), first: "NEW  ", rest: "     ")
        for warning in comparison.warnings {
            out += wrap(warning, first: "Warning: ", rest: "  ").map { paint($0, bold: false, tone: .warning) }
        }
        for status in Comparison.CauseStatus.allCases {
            let causes = comparison.causes(status)
            out.append("")
            guard !causes.isEmpty else {
                out.append(paint("\(ComparisonWording.heading(status)): none", bold: true, tone: nil))
                continue
            }
            out.append(paint("\(ComparisonWording.heading(status)) (\(causes.count))", bold: true, tone: nil))
            for change in causes {
                let confidences = ComparisonWording.confidences(change)
                out += wrap("\(change.cause)  \(confidences)", first: "  \(ComparisonWording.mark(status)) ", rest: "      ")
                out += wrap(change.title, first: "    ", rest: "    ")
                if let why = change.why {
                    out += wrap(why, first: "    ", rest: "      ")
                } else if status != .resolved, !change.fix.isEmpty {
                    out += wrap(change.fix, first: "    Fix: ", rest: "      ")
                }
            }
        }
        out.append("")
        let changed = comparison.machine.filter(\.changed)
        let unchanged = comparison.machine.filter { !$0.changed && $0.before != nil }
        out.append(paint(changed.isEmpty ? "On the machine: nothing changed" : "What changed on the machine", bold: true, tone: nil))
        let labelWidth = min(24, (changed.map(\.label.count).max() ?? 0) + 1)
        for change in changed {
            let label = PlainText.sanitize(change.label)
            let padded = label.count < labelWidth ? label + String(repeating: " ", count: labelWidth - label.count) : label + " "
            let value = "\(change.before ?? "none") → \(change.after ?? "none")"
            out += wrap(value, first: "  \(padded)", rest: "  " + String(repeating: " ", count: padded.count))
        }
        if !unchanged.isEmpty {
            let list = unchanged.map { "\($0.label): \($0.before ?? "")" }.joined(separator: "; ")
            out += wrap(list, first: "  Unchanged: ", rest: "    ")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func wrap(_ text: String, first: String, rest: String) -> [String] {
        PlainText.wrap(PlainText.sanitize(text), width: width, first: first, rest: rest)
    }

    private func paint(_ text: String, bold: Bool, tone: ComparisonWording.Tone?) -> String {
        guard color else { return text }
        let codes = (bold ? "\u{1B}[1m" : "") + (tone.map { tone in
            switch tone {
            case .good: "\u{1B}[32m"
            case .bad: "\u{1B}[31m"
            case .warning: "\u{1B}[33m"
            }
        } ?? "")
        return codes.isEmpty ? text : codes + text + "\u{1B}[0m"
    }
}

/// The words the comparison's renderers share.
enum ComparisonWording {
    /// How the headline reads: better, worse or neither.
    enum Tone { case good, bad, warning }

    /// `("TRIAL → LICENSED", "MicroStation (1000) is licensed now", .good)`.
    static func headline(_ comparison: Comparison) -> (label: String, sentence: String, tone: Tone?) {
        let (before, after) = (comparison.old.report, comparison.new.report)
        let label = "\(before.verdict.rawValue.uppercased()) → \(after.verdict.rawValue.uppercased())"
        // The counts are the sections' headings, right below: the headline stays one line.
        let now = ReportWording.headline(after).sentence
        switch (before.verdict, after.verdict) {
        case (.trial, .licensed): return (label, "fixed: \(now) now", .good)
        case (.licensed, .trial): return (label, "worse: \(now) now", .bad)
        case (.trial, .trial): return (label, "still in trial: \(now)", .bad)
        default: return (label, now, nil)
        }
    }

    /// `WS-JDOE-01 / jdoe, collected 2026-11-20 10:00:00Z, case 123 — old.zip`.
    static func side(_ report: Report) -> String {
        var text = "\(report.bundle.host ?? "unknown machine") / \(report.bundle.user ?? "unknown user"), "
            + (report.bundle.collectedAt.map { "collected \(ReportDate.readable($0))" } ?? "collection time unknown")
        if let caseNumber = report.bundle.caseNumber { text += ", case \(caseNumber)" }
        return text + " — \(report.bundle.path)"
    }

    static func heading(_ status: Comparison.CauseStatus) -> String {
        switch status {
        case .resolved: "Resolved"
        case .new: "New"
        case .persisting: "Persisting"
        }
    }

    static func mark(_ status: Comparison.CauseStatus) -> String {
        switch status {
        case .resolved: "✓"
        case .new: "+"
        case .persisting: "•"
        }
    }

    /// `92% → 30%`, `— → 80%`: before → after, `—` where a bundle has no such finding.
    static func confidences(_ change: Comparison.CauseChange) -> String {
        "\(change.before.map(ReportWording.percent) ?? "—") → \(change.after.map(ReportWording.percent) ?? "—")"
    }
}
