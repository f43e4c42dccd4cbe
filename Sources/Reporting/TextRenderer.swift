import Diagnosis
import Foundation

/// Whether terminal output should be coloured.
public enum TerminalStyle {
    /// Whether to colour output: only on a terminal, never when `NO_COLOR` is set to anything
    /// non-empty (no-color.org), nor when `TERM` is `dumb`.
    ///
    /// - Parameters:
    ///   - environment: The process environment, e.g. `ProcessInfo.processInfo.environment`.
    ///   - isTTY: Whether the output goes to a terminal (`isatty(STDOUT_FILENO) != 0`).
    public static func shouldUseColor(environment: [String: String], isTTY: Bool) -> Bool {
        guard isTTY else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }
}

/// Renders a report for a terminal: the verdict on the first line, then the causes, most
/// likely first, with their fix and evidence, what was ruled out and what the bundle lacks.
///
/// No line is longer than `width` characters (ANSI codes aside); text from the bundle has its
/// control characters made visible, so it cannot drive the terminal.
public struct TextRenderer: Sendable {
    /// Whether to use ANSI colours; decide with `TerminalStyle.shouldUseColor(environment:isTTY:)`.
    public var color: Bool
    /// The longest line, in characters; at least 40.
    public var width: Int
    /// How many unrecognised files to name before summing up the rest.
    public var unrecognizedLimit = 10

    /// Creates a renderer.
    public init(color: Bool, width: Int = 80) {
        self.color = color
        self.width = max(40, width)
    }

    /// The report as terminal text, ending with a newline.
    public func render(_ report: Report) -> String {
        var out: [String] = []
        let (label, sentence) = ReportWording.headline(report)
        let verdictStyle: ANSI = switch (report.isFailure, report.verdict) {
        case (true, _), (_, .trial): .red
        case (_, .licensed): .green
        case (_, .unknown): .yellow
        }
        out += wrap(sentence, first: "\(label) — ", rest: "  ").map { paint($0, .bold, verdictStyle) }
        out += wrap(report.bundle.path, first: "Bundle: ", rest: "  ")
        if let error = report.error {
            out += [""] + wrap(error.message, first: "\(error.code): ", rest: "  ")
            return out.joined(separator: "\n") + "\n"
        }
        let collected = ReportWording.collected(report)
        out += wrap(collected.prefix(1).uppercased() + collected.dropFirst(), first: "", rest: "  ")
        out += productLines(report)
        out += findingLines(report)
        if !report.ruledOut.isEmpty {
            out += section("Ruled out")
            for item in report.ruledOut {
                out += wrap("\(item.cause): \(item.why)", first: "  - ", rest: "    ")
            }
        }
        if !report.notChecked.isEmpty {
            out += section("Not checked: the bundle lacks what they need")
            for item in report.notChecked {
                out += wrap("\(item.cause): \(item.why)", first: "  - ", rest: "    ")
            }
        }
        if !report.missing.isEmpty {
            out += section("Missing from the bundle")
            for item in report.missing {
                out += wrap("\(item): \(ReportWording.missingDescription(item))", first: "  - ", rest: "    ")
            }
        }
        if !report.notes.isEmpty {
            out += section("Problems reading the bundle")
            for note in report.notes { out += wrap(note, first: "  - ", rest: "    ") }
        }
        if !report.unrecognized.isEmpty {
            out += section("Files not recognised (\(report.unrecognized.count))")
            for file in report.unrecognized.prefix(unrecognizedLimit) {
                out += wrap(file, first: "  - ", rest: "    ")
            }
            if report.unrecognized.count > unrecognizedLimit {
                out.append("  … and \(report.unrecognized.count - unrecognizedLimit) more")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func productLines(_ report: Report) -> [String] {
        guard !report.products.isEmpty else { return [] }
        var out = section("Products")
        for product in report.products {
            var line = "\(product.displayName): \(product.status)"
            if !product.featureString.isEmpty { line += ", feature string \"\(product.featureString)\"" }
            if !product.statusSource.isEmpty { line += " (\(product.statusSource))" }
            let lines = wrap(line, first: "  ", rest: "    ")
            out += product.isLicensed ? lines : lines.map { paint($0, .red) }
        }
        return out
    }

    private func findingLines(_ report: Report) -> [String] {
        guard !report.findings.isEmpty else {
            return section("Causes") + ["  No cause has evidence in this bundle."]
        }
        var out = section("Causes, most likely first")
        for (index, finding) in report.findings.enumerated() {
            let percent = ReportWording.percent(finding.confidence)
            let number = "  \(index + 1). "
            let lead = number + percent + "  "
            let indent = String(repeating: " ", count: number.count)
            let follows = ReportWording.followsFrom(finding, in: report).map { " — \($0)" } ?? ""
            var title = wrap("\(finding.title) [\(finding.cause)]\(follows)", first: lead,
                             rest: String(repeating: " ", count: lead.count))
            if color, let range = title[0].range(of: percent) {
                title[0].replaceSubrange(range, with: paint(percent, .bold, .confidence(finding.confidence)))
            }
            out += title
            out += wrap(finding.fix, first: indent + "Fix: ", rest: indent + "     ").map { paint($0, .cyan) }
            for evidence in finding.evidence {
                out += evidenceLines(evidence, indent: indent).map { paint($0, .dim) }
            }
        }
        return out
    }

    /// `file:line  "excerpt"`; the excerpt goes on to further lines (three at most) when it is
    /// long, and starts on its own line when the location leaves it too little room.
    private func evidenceLines(_ evidence: Report.Evidence, indent: String) -> [String] {
        let location = PlainText.sanitize(evidence.location)
        let quoted = "\"\(evidence.excerpt)\""
        let lead = indent + location + "  "
        if lead.count <= width - 20 {
            return wrap(quoted, first: lead, rest: indent + "  ", maxLines: 3)
        }
        return wrap(location, first: indent, rest: indent + "  ")
            + wrap(quoted, first: indent + "  ", rest: indent + "  ", maxLines: 3)
    }

    private func section(_ title: String) -> [String] {
        ["", paint(PlainText.truncate(title, width: width), .bold)]
    }

    private func wrap(_ text: String, first: String, rest: String, maxLines: Int? = nil) -> [String] {
        PlainText.wrap(text, width: width, first: first, rest: rest, maxLines: maxLines)
    }

    private func paint(_ text: String, _ styles: ANSI...) -> String {
        guard color, !styles.isEmpty else { return text }
        return styles.map(\.code).joined() + text + ANSI.reset
    }
}

/// The few ANSI styles the text report uses.
private enum ANSI {
    case bold, dim, red, green, yellow, cyan
    case confidence(Double)

    static let reset = "\u{1B}[0m"

    var code: String {
        switch self {
        case .bold: "\u{1B}[1m"
        case .dim: "\u{1B}[2m"
        case .red: "\u{1B}[31m"
        case .green: "\u{1B}[32m"
        case .yellow: "\u{1B}[33m"
        case .cyan: "\u{1B}[36m"
        case .confidence(let value): value >= 0.7 ? ANSI.red.code : value >= 0.4 ? ANSI.yellow.code : ANSI.dim.code
        }
    }
}
