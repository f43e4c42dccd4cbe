import Foundation

/// Renders a comparison as CommonMark to paste into a ticket: the verdict before → after, the
/// two bundles, the causes in three tables and what changed on the machine.
public struct ComparisonMarkdownRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The comparison as Markdown, ending with a newline.
    public func render(_ comparison: Comparison) -> String {
        let headline = ComparisonWording.headline(comparison)
        var out = ["## \(MarkdownRenderer.text(headline.label)) — \(MarkdownRenderer.text(headline.sentence))", ""]
        out.append("- **OLD** \(MarkdownRenderer.text(ComparisonWording.side(comparison.old.report)))")
        out.append("- **NEW** \(MarkdownRenderer.text(ComparisonWording.side(comparison.new.report)))")
        for warning in comparison.warnings { out.append("- **Warning:** \(MarkdownRenderer.text(warning))") }
        for status in Comparison.CauseStatus.allCases {
            let causes = comparison.causes(status)
            out += ["", "### \(ComparisonWording.heading(status)) (\(causes.count))", ""]
            guard !causes.isEmpty else {
                out.append("None.")
                continue
            }
            out.append("| cause | confidence | what | \(status == .resolved ? "why it is gone" : "fix") |")
            out.append("|---|---|---|---|")
            for change in causes {
                out.append("| \(MarkdownRenderer.cell(change.cause, code: true)) | \(ComparisonWording.confidences(change)) | "
                           + "\(MarkdownRenderer.cell(change.title)) | \(MarkdownRenderer.cell(status == .resolved ? change.why ?? "" : change.fix)) |")
            }
        }
        out += ["", "### On the machine", "", "| | OLD | NEW | |", "|---|---|---|---|"]
        for change in comparison.machine {
            out.append("| \(MarkdownRenderer.cell(change.label)) | \(MarkdownRenderer.cell(change.before ?? "—")) | "
                       + "\(MarkdownRenderer.cell(change.after ?? "—")) | \(change.changed ? "**changed**" : "") |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// Renders a comparison as one self-contained HTML page (no scripts, no external resources).
public struct ComparisonHTMLRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The comparison as an HTML document.
    public func render(_ comparison: Comparison) -> String {
        let headline = ComparisonWording.headline(comparison)
        let tone = switch headline.tone {
        case .good: "licensed"
        case .bad: "trial"
        default: "unknown"
        }
        var body = ["<header class=\"verdict \(tone)\"><h1><span class=\"badge \(tone)\">\(escape(headline.label))</span> "
                    + "\(escape(headline.sentence))</h1>"]
        body.append("<p class=\"about\"><strong>OLD</strong> \(escape(ComparisonWording.side(comparison.old.report)))<br>"
                    + "<strong>NEW</strong> \(escape(ComparisonWording.side(comparison.new.report)))</p></header>")
        if !comparison.warnings.isEmpty {
            body.append("<div class=\"warning\"><ul>" + comparison.warnings.map { "<li>\(escape($0))</li>" }.joined() + "</ul></div>")
        }
        for status in Comparison.CauseStatus.allCases {
            let causes = comparison.causes(status)
            body.append("<section><h2>\(ComparisonWording.heading(status)) (\(causes.count))</h2>")
            if causes.isEmpty {
                body.append("<p>None.</p></section>")
                continue
            }
            body.append("<table><tr><th>Cause</th><th>Confidence</th><th>What</th><th>\(status == .resolved ? "Why it is gone" : "Fix")</th></tr>")
            for change in causes {
                body.append("<tr><td><code>\(escape(change.cause))</code></td><td class=\"n\">\(escape(ComparisonWording.confidences(change)))</td>"
                            + "<td>\(escape(change.title))</td><td>\(escape(status == .resolved ? change.why ?? "" : change.fix))</td></tr>")
            }
            body.append("</table></section>")
        }
        body.append("<section><h2>On the machine</h2><table><tr><th></th><th>OLD</th><th>NEW</th></tr>")
        for change in comparison.machine {
            body.append("<tr\(change.changed ? " class=\"changed\"" : "")><th>\(escape(change.label))</th>"
                        + "<td>\(escape(change.before ?? "—"))</td><td>\(escape(change.after ?? "—"))</td></tr>")
        }
        body.append("</table></section>")
        return HTMLRenderer.document(title: "\(headline.label) — \(comparison.new.identity)", style: Self.style, body: body)
    }

    private func escape(_ text: String) -> String { HTMLRenderer.escape(text) }

    private static let style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1d1d1f}
        h1{font-size:1.3rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}
        .badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;color:#fff;background:#777;white-space:nowrap}
        .badge.licensed{background:#1a7f37}.badge.trial{background:#c62828}
        .about{color:#444;overflow-wrap:anywhere}.warning{background:#fff4d6;border-left:4px solid #d9a400;padding:.3rem .8rem}
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        td.n{white-space:nowrap}tr.changed td{font-weight:600;background:#f3f7ff}
        code{font-family:ui-monospace,monospace}
        th,td code{overflow-wrap:normal}
        @media (max-width:480px){body{font-size:14px;padding:.5rem}}
        """
}

extension Comparison {
    /// The comparison in a format; `.json` is `jsonString()`.
    public func rendered(as format: ReportFormat, color: Bool = false) -> String {
        switch format {
        case .text: ComparisonTextRenderer(color: color).render(self)
        case .json: jsonString()
        case .markdown: ComparisonMarkdownRenderer().render(self)
        case .html: ComparisonHTMLRenderer().render(self)
        }
    }
}
