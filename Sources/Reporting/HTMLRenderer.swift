import Diagnosis
import Foundation

/// Renders a report as one self-contained HTML file: the verdict, the causes and their
/// evidence, the products, what was ruled out, what the bundle lacks, and the timeline.
///
/// The file needs nothing else: the style is inline, there is no script and no URL at all, and
/// a Content-Security-Policy forbids loading anything should a browser be asked to. Every
/// string is escaped, as a bundle is untrusted.
public struct HTMLRenderer: Sendable {
    /// The most timeline events to show (the oldest are left out, and the page says how many).
    public var timelineLimit: Int
    /// A link at the top of the page back to where it was listed (a batch's report pages link
    /// their summary); nil for a page on its own, which then has no link at all.
    public var backLink: BackLink?

    /// A link back, e.g. to the batch summary.
    public struct BackLink: Sendable {
        /// A relative URL (the caller's; it is escaped, and only relative links are kept).
        public var href: String
        /// The link's text.
        public var label: String

        /// Creates a link.
        public init(href: String, label: String) {
            self.href = href
            self.label = label
        }
    }

    /// Creates a renderer.
    public init(timelineLimit: Int = 5_000) {
        self.timelineLimit = max(0, timelineLimit)
    }

    /// The report as an HTML document, ending with a newline.
    public func render(_ report: Report) -> String {
        let (label, sentence) = ReportWording.headline(report)
        let verdictClass = report.isFailure ? "error" : report.verdict.rawValue
        var body: [String] = []
        if let backLink, !backLink.href.contains(":") {
            body.append("<nav class=\"back\"><a href=\"\(Self.escape(backLink.href))\">← \(Self.escape(backLink.label))</a></nav>")
        }
        body.append("<header class=\"verdict \(verdictClass)\"><h1><span class=\"badge \(verdictClass)\">\(Self.escape(label))</span> "
                    + "\(Self.escape(sentence))</h1>")
        if report.damaged {
            body.append("<div class=\"damage\"><strong>Damaged bundle</strong><ul>"
                        + report.damage.map { "<li>\(Self.escape($0))</li>" }.joined()
                        + "</ul>No cause is rated 50% or more on what could not be read.</div>")
        }
        var about = "Bundle <code>\(Self.path(report.bundle.path))</code>"
        if let sha256 = report.bundle.sha256 { about += " · <span class=\"seg\">SHA-256</span> <code>\(Self.escape(sha256))</code>" }
        if let error = report.error {
            body.append("<p class=\"about\">\(about)</p></header>")
            body.append("<section><h2>Error</h2><p><code>\(Self.escape(error.code))</code>: "
                        + "\(Self.escape(error.message))</p></section>")
            return document(title: title(report, label, sentence), body: body)
        }
        about += " · \(Self.escape(ReportWording.collected(report))) · \(Self.escape(report.tool))"
        body.append("<p class=\"about\">\(about)</p></header>")
        body += findings(report)
        body += knownIssues(report)
        body += products(report)
        body += causeList("Ruled out", report.ruledOut)
        body += causeList("Not checked: the bundle lacks what they need", report.notChecked)
        if !report.missing.isEmpty {
            body.append("<section><h2>Missing from the bundle</h2><ul>")
            body += report.missing.map {
                "<li><code>\(Self.escape($0))</code>: \(Self.escape(ReportWording.missingDescription($0)))</li>"
            }
            body.append("</ul></section>")
        }
        body += list("Problems reading the bundle", report.notes, code: false)
        body += list("Files not recognised (\(report.unrecognized.count))", report.unrecognized, code: true)
        body += timeline(report)
        return document(title: title(report, label, sentence), body: body)
    }

    /// The page's title names the bundle first, so tabs and bookmarks tell pages apart.
    private func title(_ report: Report, _ label: String, _ sentence: String) -> String {
        let name = (report.bundle.path as NSString).lastPathComponent
        return "\(name.isEmpty ? report.bundle.path : name): \(label) — \(sentence)"
    }

    private func findings(_ report: Report) -> [String] {
        guard !report.findings.isEmpty else {
            return ["<section><h2>Causes</h2><p>No cause has evidence in this bundle.</p></section>"]
        }
        var out = ["<section><h2>Causes, most likely first</h2><ol class=\"findings\">"]
        for finding in report.findings {
            let percent = ReportWording.percent(finding.confidence)
            out.append("<li><div class=\"finding\"><span class=\"confidence\" title=\"confidence\">\(percent)</span> "
                       + "<strong>\(Self.prose(finding.title))</strong> <code>\(Self.escape(finding.cause))</code>"
                       + (ReportWording.followsFrom(finding, in: report).map { " <span class=\"follows\">\(Self.escape($0))</span>" } ?? "")
                       + "</div>")
            out.append("<div class=\"bar\"><div style=\"width: \(percent)\"></div></div>")
            out.append("<div class=\"fix\"><span class=\"fix-label\">Fix</span> \(Self.escape(finding.fix))</div>")
            let groups = ReportWording.groupedEvidence(finding)
            if !groups.isEmpty {
                out.append("<ul class=\"evidence\">")
                out += groups.map { group in
                    "<li>" + group.locations.map { "<code>\(Self.path($0))</code>" }.joined(separator: ", ")
                        + "<blockquote>\(Self.excerpt(group.excerpt))</blockquote></li>"
                }
                out.append("</ul>")
            }
            out.append("</li>")
        }
        out.append("</ol></section>")
        return out
    }

    /// The known issues `note:` signatures found, each with its fix, KB link and first lines.
    private func knownIssues(_ report: Report) -> [String] {
        guard !report.knownIssues.isEmpty else { return [] }
        var out = ["<section><h2>Known issues (signatures)</h2><ul class=\"findings\">"]
        for issue in report.knownIssues {
            out.append("<li><div class=\"finding\"><strong>\(Self.prose(issue.title))</strong> <code>\(Self.escape(issue.id))</code> "
                       + "<span class=\"follows\">\(Self.escape(issue.countLine))</span></div>")
            out.append("<div class=\"fix\"><span class=\"fix-label\">Fix</span> \(Self.escape(issue.fix))</div>")
            // Only http(s) links become links: the file is support's, but the page must stay inert.
            let kb = issue.kb.hasPrefix("https://") || issue.kb.hasPrefix("http://")
                ? "<a href=\"\(Self.escape(issue.kb))\" rel=\"noopener noreferrer\">\(Self.escape(issue.kb))</a>" : Self.escape(issue.kb)
            out.append("<div class=\"kb\">KB: \(kb)</div><ul class=\"evidence\">")
            out += issue.evidence.map { "<li><code>\(Self.path($0.location))</code><blockquote>\(Self.excerpt($0.excerpt))</blockquote></li>" }
            out.append("</ul></li>")
        }
        out.append("</ul></section>")
        return out
    }

    private func products(_ report: Report) -> [String] {
        guard !report.products.isEmpty else { return [] }
        var out = ["<section><h2>Products</h2><table class=\"stack\"><thead><tr><th>Product</th><th>Name</th>"
                   + "<th>Feature string</th><th>Status</th><th>Source</th></tr></thead><tbody>"]
        for product in report.products {
            let rowClass = product.isLicensed ? "ok" : "bad"
            out.append("<tr class=\"\(rowClass)\"><td class=\"num\" data-label=\"Product\">\(product.productId)</td>"
                       + "<td data-label=\"Name\">\(Self.escape(product.name ?? ""))</td>"
                       + "<td data-label=\"Feature string\">\(Self.codeOrNone(product.featureString))</td>"
                       + "<td data-label=\"Status\">\(Self.escape(product.spokenStatus))</td>"
                       + "<td data-label=\"Source\">\(Self.escape(product.statusSource))</td></tr>")
        }
        out.append("</tbody></table></section>")
        return out
    }

    private func causeList(_ title: String, _ items: [RuledOut]) -> [String] {
        guard !items.isEmpty else { return [] }
        let rows = items.map { "<li><code>\(Self.escape($0.cause))</code>: \(Self.prose($0.why))</li>" }
        return ["<section><h2>\(Self.escape(title))</h2><ul>"] + rows + ["</ul></section>"]
    }

    private func list(_ title: String, _ items: [String], code: Bool) -> [String] {
        guard !items.isEmpty else { return [] }
        let rows = items.map { code ? "<li><code>\(Self.path($0))</code></li>" : "<li>\(Self.escape($0))</li>" }
        return ["<section><h2>\(Self.escape(title))</h2><ul>"] + rows + ["</ul></section>"]
    }

    private func timeline(_ report: Report) -> [String] {
        guard !report.timeline.isEmpty else { return [] }
        let shown = report.timeline.suffix(timelineLimit)
        var out = ["<section><h2>Timeline</h2>"]
        if shown.count < report.timeline.count {
            out.append("<p>The \(report.timeline.count - shown.count) oldest events are left out.</p>")
        }
        out.append("<table class=\"timeline\"><thead><tr><th>Time (UTC)</th><th>Kind</th><th>What</th>"
                   + "<th>Where</th></tr></thead><tbody>")
        for event in shown {
            out.append("<tr class=\"\(Self.escape(Self.cssIdentifier(event.kind)))\"><td class=\"time\">"
                       + "\(ReportDate.readable(event.time))</td><td class=\"kind\">\(Self.escape(event.kind))</td>"
                       + "<td>\(Self.prose(event.summary))</td><td>\(Self.pathOrNone(event.location ?? ""))</td></tr>")
        }
        out.append("</tbody></table></section>")
        return out
    }

    private func document(title: String, body: [String]) -> String {
        Self.document(title: title, style: Self.style, body: body)
    }

    /// A self-contained page: no script, nothing fetched (the Content-Security-Policy says so),
    /// `style` inline. The one page skeleton of the report and the comparison.
    static func document(title: String, style: String, body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        \(body.joined(separator: "\n"))
        </body>
        </html>

        """
    }

    /// The text with `&`, `<`, `>`, `"` and `'` escaped, fit for element content and quoted
    /// attributes; control characters are made visible. The one HTML escaper: batch's summary
    /// page and charts use it too.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in PlainText.sanitize(text) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A path escaped, with a line-break opportunity (`<wbr>`) after each `/` and `\`, so a
    /// long path wraps between folders rather than inside a name.
    static func path(_ value: String) -> String {
        escape(value).replacingOccurrences(of: "\\", with: "\\<wbr>")
            .split(separator: "/", omittingEmptySubsequences: false)
            // A folder's or file's name does not break at its own hyphens ("country-mismatch");
            // only one too long for a narrow screen may.
            .map { $0.count <= 40 && !$0.isEmpty ? "<span class=\"seg\">\($0)</span>" : guidsKept(String($0), breakAfterCommas: false) }
            .joined(separator: "/<wbr>")
    }

    /// An excerpt escaped, with a line-break opportunity after each `,` and every GUID kept on
    /// one line, so a long record breaks between its fields, never inside an ID.
    static func excerpt(_ value: String, breakAfterCommas: Bool = true) -> String {
        guidsKept(escape(value), breakAfterCommas: breakAfterCommas)
    }

    /// Escaped text with each GUID in a span that does not break, and optionally a break
    /// opportunity after each `,` (escaping touches neither hex digits, `-` nor `,`).
    private static func guidsKept(_ escaped: String, breakAfterCommas: Bool) -> String {
        let characters = Array(escaped)
        var out = ""
        var index = 0
        while index < characters.count {
            if isGUID(characters, at: index) {
                out += "<span class=\"seg\">" + String(characters[index..<index + 36]) + "</span>"
                index += 36
                continue
            }
            out.append(characters[index])
            if breakAfterCommas, characters[index] == "," { out += "<wbr>" }
            index += 1
        }
        return out
    }

    /// Text escaped with every GUID kept on one line (a user or organisation ID in a sentence).
    static func prose(_ value: String) -> String { excerpt(value, breakAfterCommas: false) }

    /// Whether `characters` hold a GUID (8-4-4-4-12 hex digits) starting at `start`.
    private static func isGUID(_ characters: [Character], at start: Int) -> Bool {
        guard start + 36 <= characters.count else { return false }
        for offset in 0..<36 {
            let character = characters[start + offset]
            if [8, 13, 18, 23].contains(offset) {
                guard character == "-" else { return false }
            } else {
                guard character.isHexDigit else { return false }
            }
        }
        return true
    }

    /// A path as code (see `path(_:)`), or `(none)` in grey when it is empty.
    private static func pathOrNone(_ value: String) -> String {
        value.isEmpty ? "<span class=\"none\">(none)</span>" : "<code>\(path(value))</code>"
    }

    /// The value as code, or `(none)` in grey when it is empty.
    private static func codeOrNone(_ value: String) -> String {
        value.isEmpty ? "<span class=\"none\">(none)</span>" : "<code>\(escape(value))</code>"
    }

    /// `kind-` and the letters and digits of `value`, for a class name.
    private static func cssIdentifier(_ value: String) -> String {
        "kind-" + String(value.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    private static let style = """

    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1f21; margin: 0 auto;
           max-width: 60rem; padding: 1rem 1.5rem 3rem; }
    code, blockquote, td.time { font-family: ui-monospace, "SF Mono", Consolas, monospace; font-size: 0.9em; }
    h1 { font-size: 1.5rem; margin: 0 0 0.3rem; }
    h2 { font-size: 1.15rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2rem; }
    .verdict { border-left: 0.5rem solid #888; padding: 0.6rem 1rem; background: #f6f6f6; }
    .back { margin-bottom: 0.6rem; }
    .seg { white-space: nowrap; }
    .badge { display: inline-block; letter-spacing: 0.05em; color: #fff; background: #666; border-radius: 0.3rem;
             padding: 0.05rem 0.5rem; margin-right: 0.3rem; font-size: 0.85em; vertical-align: 0.1em; }
    .badge.trial, .badge.error { background: #c62828; }
    .badge.licensed { background: #2e7d32; }
    .badge.unknown { background: #9a5b00; }
    .damage { margin: 0.5rem 0; padding: 0.5rem 0.8rem; border: 2px solid #c62828; background: #fff;
              color: #8e0000; }
    .damage ul { margin: 0.2rem 0; padding-left: 1.2rem; }
    .verdict.trial, .verdict.error { border-color: #c62828; background: #fdecea; }
    .verdict.licensed { border-color: #2e7d32; background: #edf7ed; }
    .verdict.unknown { border-color: #b26a00; background: #fff4e5; }
    .about { margin: 0; color: #555; overflow-wrap: break-word; }
    code { overflow-wrap: break-word; }
    .findings > li { margin-bottom: 1.2rem; }
    .confidence { display: inline-block; min-width: 3rem; font-weight: 600; }
    .follows { color: #666; font-style: italic; margin-left: 0.4rem; }
    .bar { height: 0.3rem; background: #eee; max-width: 20rem; margin: 0.2rem 0; }
    .bar > div { height: 100%; background: #c62828; }
    .fix { margin: 0.4rem 0; padding: 0.4rem 0.7rem; background: #e8f4fd; border-left: 4px solid #1565c0; }
    .fix-label { font-weight: 700; color: #0d47a1; margin-right: 0.3rem; }
    .evidence { list-style: none; padding-left: 0; }
    .evidence blockquote { margin: 0.2rem 0 0.6rem 1rem; padding: 0.3rem 0.6rem; background: #f4f4f4;
                           border-left: 3px solid #ccc; white-space: pre-wrap; overflow-wrap: break-word; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; border-bottom: 1px solid #e4e4e4; padding: 0.25rem 0.5rem; vertical-align: top; }
    td.num { text-align: right; }
    .none { color: #888; }
    tr.bad td { color: #b71c1c; }
    .timeline td { overflow-wrap: break-word; }
    .timeline td.time { white-space: nowrap; }
    @media (max-width: 600px) {
      body { padding: 0.5rem 0.8rem 2rem; }
      .timeline thead { display: none; }
      .timeline tr, .timeline td { display: block; border: 0; padding: 0.05rem 0; }
      .timeline tr { border-bottom: 1px solid #e4e4e4; padding: 0.4rem 0; }
      .timeline td.time { font-weight: 600; display: inline; }
      .timeline td.kind { display: inline; margin-left: 0.5rem; color: #555; }
      table.stack thead { display: none; }
      table.stack tr, table.stack td { display: block; border: 0; padding: 0.05rem 0; text-align: left; }
      table.stack tr { border-bottom: 1px solid #e4e4e4; padding: 0.4rem 0; }
      table.stack td::before { content: attr(data-label) ": "; color: #666; }
    }
    @media (prefers-color-scheme: dark) {
      body { background: #17181a; color: #ddd; }
      .verdict, .evidence blockquote { background: #25272a; }
      .fix { background: #1b2a3a; } .fix-label { color: #90caf9; } .damage { background: #17181a; color: #ef9a9a; }
      .verdict.trial, .verdict.error { background: #3a1f1f; }
      .verdict.licensed { background: #1e3320; }
      .verdict.unknown { background: #3a2e17; }
      .about { color: #aaa; }
      tr.bad td { color: #ef9a9a; }
    }

    """
}
