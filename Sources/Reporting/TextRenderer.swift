import Diagnosis
import Foundation

/// Whether terminal output should be coloured.
public enum TerminalStyle {
    /// Whether to colour output: only on a terminal, never when `NO_COLOR` is set to anything
    /// non-empty (no-color.org), nor when `TERM` is `dumb`.
    ///
    /// - Parameters:
    ///   - environment: The process environment, e.g. `ProcessInfo.processInfo.environment`.
    ///   - isTTY: Whether the output goes to a terminal that shows escape sequences
    ///     (`CurrentProcess.standardOutputShowsEscapes`).
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
    /// Whether to list every ruled-out and not-checked cause; otherwise each list is one line
    /// that counts them, so the verdict, the top cause and its fix stay on the first screen.
    public var verbose: Bool
    /// How many unrecognised files to name before summing up the rest.
    public var unrecognizedLimit = 10

    /// Creates a renderer.
    public init(color: Bool, width: Int = 80, verbose: Bool = false) {
        self.color = color
        self.width = max(40, width)
        self.verbose = verbose
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
        for damage in report.damage {
            out += wrap(damage, first: "DAMAGED BUNDLE: ", rest: "  ").map { paint($0, .bold, .red) }
        }
        if report.damaged {
            out += wrap("No cause is rated 50% or more on what could not be read.", first: "  ", rest: "  ")
                .map { paint($0, .red) }
        }
        out += wrap(report.bundle.path, first: "Bundle: ", rest: "  ")
        if let error = report.error {
            out += [""] + wrap(error.message, first: "\(error.code): ", rest: "  ")
            return out.joined(separator: "\n") + "\n"
        }
        let collected = ReportWording.collected(report)
        out += wrap(collected.prefix(1).uppercased() + collected.dropFirst(), first: "", rest: "  ")
        out += productLines(report)
        out += findingLines(report)
        out += knownIssueLines(report)
        out += causeList("Ruled out", report.ruledOut, noun: "cause")
        out += causeList("Not checked: the bundle lacks what they need", report.notChecked, noun: "cause")
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
                out += PlainText.wrapPath(file, width: width, first: "  - ", rest: "    ")
            }
            if report.unrecognized.count > unrecognizedLimit {
                out.append("  … and \(report.unrecognized.count - unrecognizedLimit) more")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A list of causes with why; one line counting them unless `verbose`.
    private func causeList(_ title: String, _ items: [RuledOut], noun: String) -> [String] {
        guard !items.isEmpty else { return [] }
        guard verbose else {
            let head = title.components(separatedBy: ":").first ?? title
            return [""] + wrap(ReportWording.countLine(items.count, noun), first: "\(head): ", rest: "  ")
        }
        var out = section(title)
        for item in items {
            out += wrap("\(item.cause): \(item.why)", first: "  - ", rest: "    ")
        }
        return out
    }

    private func productLines(_ report: Report) -> [String] {
        guard !report.products.isEmpty else { return [] }
        var out = section("Products")
        for product in report.products {
            var line = "\(product.displayName): \(product.spokenStatus)"
            if !product.featureString.isEmpty { line += ", feature string \"\(product.featureString)\"" }
            if !product.statusSource.isEmpty { line += ", from the \(product.statusSource)" }
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
            for group in ReportWording.groupedEvidence(finding) {
                let more = verbose || group.locations.count == 1 ? "" : " (+\(group.locations.count - 1) more)"
                let locations = verbose ? group.locations : [group.locations[0] + more]
                out += evidenceLines(locations, group.excerpt, indent: indent).map { paint($0, .dim) }
            }
        }
        return out
    }

    /// The known issues `note:` signatures found: title and id, fix, KB link, the first lines.
    private func knownIssueLines(_ report: Report) -> [String] {
        guard !report.knownIssues.isEmpty else { return [] }
        var out = section("Known issues (signatures)")
        for issue in report.knownIssues {
            out += wrap("\(issue.title) [\(issue.id)] — \(issue.countLine)", first: "  - ", rest: "    ")
            out += wrap(issue.fix, first: "    Fix: ", rest: "         ").map { paint($0, .cyan) }
            out += PlainText.wrapPath(issue.kb, width: width, first: "    KB: ", rest: "        ")
            for evidence in issue.evidence {
                out += evidenceLines([evidence.location], evidence.excerpt, indent: "    ").map { paint($0, .dim) }
            }
        }
        return out
    }

    /// `file:line  "excerpt"`; the excerpt goes on to further lines (three at most) when it is
    /// long, and starts on its own line when the location leaves it too little room. The places
    /// that show the same excerpt are named together (by default the first, and how many more),
    /// so it is printed once; a path wraps only after a `/`.
    private func evidenceLines(_ locations: [String], _ excerpt: String, indent: String) -> [String] {
        let quoted = ReportWording.quoted(excerpt)
        if locations.count == 1 {
            let location = PlainText.sanitize(locations[0])
            let lead = indent + location + "  "
            if lead.count <= width - 20 {
                return wrap(quoted, first: lead, rest: indent + "  ", maxLines: 3)
            }
        }
        var out: [String] = []
        for (index, location) in locations.enumerated() {
            let text = location + (index < locations.count - 1 ? "," : "")
            out += PlainText.wrapPath(text, width: width, first: indent + (index == 0 ? "" : "  "), rest: indent + "  ")
        }
        return out + wrap(quoted, first: indent + "  ", rest: indent + "  ", maxLines: 3)
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
