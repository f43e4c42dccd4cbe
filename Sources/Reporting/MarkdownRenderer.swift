import Foundation

/// Renders a report as Markdown (CommonMark with GitHub tables) to paste into a ticket: a
/// heading with the verdict, a products table, the causes as a numbered list with their
/// evidence as code spans, what was ruled out and what the bundle lacks.
///
/// Text from the bundle is escaped: it cannot close a code span, split a table cell, start a
/// link or emit HTML.
public struct MarkdownRenderer: Sendable {
    /// The heading level of the verdict (`##` by default, as a ticket already has a title).
    public var headingLevel: Int

    /// Creates a renderer.
    public init(headingLevel: Int = 2) {
        self.headingLevel = min(5, max(1, headingLevel))
    }

    /// The report as Markdown, ending with a newline.
    public func render(_ report: Report) -> String {
        let heading = String(repeating: "#", count: headingLevel)
        let sub = heading + "#"
        let (label, sentence) = ReportWording.headline(report)
        var out = ["\(heading) \(label) — \(Self.text(sentence))", ""]
        var about = "Bundle \(Self.code(report.bundle.path))"
        if let sha256 = report.bundle.sha256 { about += " · SHA-256 \(Self.code(sha256))" }
        if let error = report.error {
            out += [about, "", "**\(Self.text(error.code))**: \(Self.text(error.message))"]
            return out.joined(separator: "\n") + "\n"
        }
        about += " · \(Self.text(ReportWording.collected(report))) · \(Self.text(report.tool))"
        out += [about, ""]
        if report.damaged {
            out += report.damage.map { "> **Damaged bundle:** \(Self.text($0))  " }
            out += ["> No cause is rated 50% or more on what could not be read.", ""]
        }
        if !report.products.isEmpty {
            out += ["\(sub) Products", "", "| Product | Name | Feature string | Status | Source |", "|---:|---|---|---|---|"]
            for product in report.products {
                let cells = [String(product.productId), Self.cell(product.name ?? ""),
                             product.featureString.isEmpty ? "(none)" : Self.cell(product.featureString, code: true),
                             Self.cell(product.spokenStatus), Self.cell(product.statusSource)]
                out.append("| " + cells.joined(separator: " | ") + " |")
            }
            out.append("")
        }
        if report.findings.isEmpty {
            out += ["\(sub) Causes", "", "No cause has evidence in this bundle.", ""]
        } else {
            out += ["\(sub) Causes, most likely first", ""]
            for (index, finding) in report.findings.enumerated() {
                let number = "\(index + 1). "
                let indent = String(repeating: " ", count: number.count)
                out.append(number + "**\(Self.text(finding.title))** — \(Self.code(finding.cause)), "
                           + ReportWording.percent(finding.confidence)
                           + (ReportWording.followsFrom(finding, in: report).map { "; \(Self.text($0))" } ?? ""))
                // A blank line between the title, the fix and the evidence: without it CommonMark
                // joins the fix to the title's paragraph.
                out += ["", indent + "**Fix:** " + Self.text(finding.fix)]
                let groups = ReportWording.groupedEvidence(finding)
                if !groups.isEmpty { out.append("") }
                for group in groups {
                    let places = group.locations.map(Self.code).joined(separator: ", ")
                    out.append(indent + "- \(places): \(Self.code(group.excerpt))")
                }
                out.append("")
            }
        }
        if !report.knownIssues.isEmpty {
            out += ["\(sub) Known issues (signatures)", ""]
            for issue in report.knownIssues {
                out += ["- **\(Self.text(issue.title))** — \(Self.code(issue.id)), \(Self.text(issue.countLine))", "",
                        "  **Fix:** \(Self.text(issue.fix)) · KB: \(Self.code(issue.kb))", ""]
                out += issue.evidence.map { "  - \(Self.code($0.location)): \(Self.code($0.excerpt))" }
                out.append("")
            }
        }
        if !report.ruledOut.isEmpty {
            out += ["\(sub) Ruled out", ""]
            out += report.ruledOut.map { "- \(Self.code($0.cause)): \(Self.text($0.why))" }
            out.append("")
        }
        if !report.notChecked.isEmpty {
            out += ["\(sub) Not checked: the bundle lacks what they need", ""]
            out += report.notChecked.map { "- \(Self.code($0.cause)): \(Self.text($0.why))" }
            out.append("")
        }
        if !report.missing.isEmpty {
            out += ["\(sub) Missing from the bundle", ""]
            out += report.missing.map { "- \(Self.code($0)): \(Self.text(ReportWording.missingDescription($0)))" }
            out.append("")
        }
        if !report.notes.isEmpty {
            out += ["\(sub) Problems reading the bundle", ""]
            out += report.notes.map { "- " + Self.text($0) }
            out.append("")
        }
        if !report.unrecognized.isEmpty {
            out += ["\(sub) Files not recognised (\(report.unrecognized.count))", ""]
            out += report.unrecognized.map { "- " + Self.code($0) }
            out.append("")
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    /// Inline text with Markdown's active characters escaped and line breaks made spaces.
    static func text(_ value: String) -> String {
        var result = ""
        for character in oneLine(value) {
            if "\\`*_[]<>|#!~&".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// A code span holding `value` exactly: fenced by more backticks than any run inside it,
    /// padded with spaces when it starts or ends with a backtick.
    static func code(_ value: String) -> String {
        let content = oneLine(value)
        var longest = 0
        var run = 0
        for character in content {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = content.hasPrefix("`") || content.hasSuffix("`") || content.isEmpty ? " " : ""
        return fence + pad + content + pad + fence
    }

    /// A table cell: `|` escaped (GitHub splits cells before it reads code spans), and the rest
    /// escaped as text or as a code span.
    static func cell(_ value: String, code isCode: Bool = false) -> String {
        let inner = isCode ? code(value) : text(value)
        return isCode ? inner.replacingOccurrences(of: "|", with: "\\|") : inner
    }

    /// One line: line breaks and control characters become spaces or visible symbols.
    private static func oneLine(_ value: String) -> String {
        PlainText.sanitize(value.replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " "))
    }
}
