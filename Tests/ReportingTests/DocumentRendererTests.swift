import Foundation
@testable import Reporting
import Testing

@Suite("Markdown for a ticket")
struct MarkdownRendererTests {
    @Test("Heading, products table, numbered causes, ruled out, missing")
    func layout() throws {
        let markdown = MarkdownRenderer().render(ReportFixtures.trialReport)
        #expect(markdown.hasPrefix("## TRIAL — MicroStation (1000) is not licensed\n"))
        #expect(markdown.contains("| 1000 | MicroStation | (none) | Not entitled (110) | product-status dump |"))
        #expect(markdown.contains("| 2000 | OpenRoads Designer | `ORD-STD` | OK (101) | CC API |"))
        let first = try #require(markdown.range(of: "1. **Usage country US ≠ location GB** — `country-mismatch`, 92%"))
        let second = try #require(markdown.range(of: "2. **MicroStation (1000) is not in the policy**"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(markdown.contains("   - `licensing/policy.json:41`: `\"UsageCountryISO\": \"US\"`"))
        #expect(markdown.contains("### Ruled out\n\n- `not-signed-in`: CC is signed in as j.doe@example.com"))
        #expect(markdown.contains("- `email`: the sign-in e-mail"))
    }

    @Test("Table cells escape | and backticks")
    func tableEscapes() throws {
        let markdown = MarkdownRenderer().render(ReportFixtures.hostileReport)
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| 1000 ") })
        #expect(row.contains("Micro\\|Station \\`x\\` \\<b\\>"))
        let unescapedPipes = row.enumerated().filter { index, character in
            character == "|" && (index == 0 || row[row.index(row.startIndex, offsetBy: index - 1)] != "\\")
        }
        #expect(unescapedPipes.count == 6, "five cells need six separators: \(row)")
    }

    @Test("An excerpt with backticks stays one code span")
    func excerptBackticks() {
        let markdown = MarkdownRenderer().render(ReportFixtures.hostileReport)
        #expect(markdown.contains("`` <script>alert('x')</script> see https://evil.example/a.js ␛[31mred␛[0m | `tick` ``"))
    }

    @Test("The error form says what failed")
    func failure() {
        let markdown = MarkdownRenderer().render(ReportFixtures.failureReport)
        #expect(markdown.hasPrefix("## ERROR — the bundle could not be read (not-an-archive)\n"))
        #expect(markdown.contains("**not-an-archive**: "))
    }
}

@Suite("One self-contained HTML file")
struct HTMLRendererTests {
    @Test("Everything a reader needs is on the page")
    func content() {
        let html = HTMLRenderer().render(ReportFixtures.trialReport)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<h1><span class=\"badge trial\">TRIAL</span> MicroStation (1000) is not licensed</h1>"))
        #expect(html.contains("Usage country US ≠ location GB"))
        #expect(html.contains("&quot;UsageCountryISO&quot;: &quot;US&quot;"))
        #expect(html.contains("<td class=\"num\" data-label=\"Product\">1000</td><td data-label=\"Name\">MicroStation</td>"))
        #expect(html.contains("<h2>Ruled out</h2>"))
        #expect(html.contains("<h2>Missing from the bundle</h2>"))
        #expect(html.contains("<h2>Timeline</h2>"))
        #expect(html.contains("2026-11-20 09:15:22Z"))
    }

    @Test("the fix is a block of its own; a damaged bundle says so at the top; the timeline stacks on a narrow screen")
    func blocks() {
        var report = ReportFixtures.trialReport
        let html = HTMLRenderer().render(report)
        #expect(html.contains("<div class=\"fix\"><span class=\"fix-label\">Fix</span> The administrator corrects"))
        #expect(!html.contains("class=\"damage\""))
        #expect(html.contains("@media (max-width: 600px)") && html.contains(".timeline tr, .timeline td { display: block;"))
        report.damage = ["registry/HKLM.reg does not match its checksum (damaged in transfer?)"]
        let damaged = HTMLRenderer().render(report)
        let header = damaged.range(of: "</h1>")
        let block = damaged.range(of: "<div class=\"damage\"><strong>Damaged bundle</strong>")
        #expect(header != nil && block != nil && header!.upperBound <= block!.lowerBound, "right under the verdict")
    }

    @Test("a path breaks only after a /, an excerpt after a comma, never inside a GUID")
    func breakPoints() {
        #expect(HTMLRenderer.path("logs/Licensing Service/country-mismatch.log")
            == "<span class=\"seg\">logs</span>/<wbr><span class=\"seg\">Licensing Service</span>/<wbr><span class=\"seg\">country-mismatch.log</span>")
        #expect(HTMLRenderer.excerpt("a:1,b:7d3c2a91-5b1e-4f08-a6c2-9e41d0b7f352")
            == "a:1,<wbr>b:<span class=\"seg\">7d3c2a91-5b1e-4f08-a6c2-9e41d0b7f352</span>")
    }

    @Test("No script and no URL, for any report", arguments: ReportFixtures.all.map(\.name))
    func selfContained(name: String) throws {
        let report = try #require(ReportFixtures.all.first { $0.name == name }?.report)
        let html = HTMLRenderer().render(report).lowercased()
        for forbidden in ["<script", "src=\"", "href=\"", "src='", "href='", "url(", "@import", "<link", "<iframe",
                          "<img", "<object", "<embed"] {
            #expect(!html.contains(forbidden), "\(name): \(forbidden)")
        }
        if name != "hostile" {
            #expect(!html.contains("http://") && !html.contains("https://"), "\(name)")
        }
    }

    @Test("Hostile text from the bundle is escaped")
    func hostile() {
        let html = HTMLRenderer().render(ReportFixtures.hostileReport)
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("&lt;script src=&quot;http://evil.example/b.js&quot;&gt;"))
        #expect(html.contains("Micro|Station `x` &lt;b&gt;"))
        #expect(html.contains("<span class=\"seg\">logs</span>/<wbr><span class=\"seg\">&lt;img src=x&gt;.log:3</span>"))
        #expect(html.contains("/<wbr><span class=\"seg\">cases</span>/<wbr><span class=\"seg\">&quot;quoted&quot;</span>/<wbr>"))
        #expect(!html.contains("\u{1B}"))
    }

    @Test("The error form says what failed")
    func failure() {
        let html = HTMLRenderer().render(ReportFixtures.failureReport)
        #expect(html.contains("<code>not-an-archive</code>: /cases/4714/broken.zip is not a ZIP"))
    }
}

@Suite("The timeline as text")
struct TimelineRendererTests {
    @Test("One event a line, oldest first")
    func lines() {
        let text = TimelineRenderer().render(ReportFixtures.trialReport)
        #expect(text == """
            2026-11-19 08:00:00Z  policy  Policy created  (licensing/policy.json)
            2026-11-20 09:15:22Z  log  Policy refresh failed  (logs/Licensing.log:12)
            2026-11-20 10:00:00Z  collection  Bundle collected

            """)
    }

    @Test("Without a width, a summary with a line break stays on its line")
    func oneLinePerEvent() {
        let report = ReportFixtures.hostileReport
        let lines = TimelineRenderer(width: nil).render(report).split(separator: "\n")
        #expect(lines.count == report.timeline.count)
        #expect(lines.sorted() == lines, "the stamps lead, so sorted lines are time order")
    }

    @Test("At 80 columns a long event wraps at word boundaries, under its message")
    func wrapsAt80() throws {
        let long = Report.TimelineEntry(time: Date(timeIntervalSince1970: 1_795_000_000), kind: "log",
                                        summary: "Policy refresh failed: The remote name could not be resolved: "
                                            + "'entitlement-search.bentley.com' after 3 attempts with a proxy in between",
                                        file: "Users/jdoe/AppData/Local/Bentley/Logs/Licensing Service/Bentley.Licensing.Service.log",
                                        line: 1234)
        var report = ReportFixtures.trialReport
        report.timeline = [long]
        let lines = TimelineRenderer().render(report).split(separator: "\n").map(String.init)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines)")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 22)) })
        // Words stay whole: joining the lines gives the summary back.
        let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("'entitlement-search.bentley.com' after 3 attempts"))
        // The place wraps after a /, not inside "Licensing Service".
        #expect(lines.contains { $0.hasSuffix("Logs/Licensing Service/") }, "\(lines)")
        #expect(lines.last?.trimmingCharacters(in: .whitespaces) == "Bentley.Licensing.Service.log:1234)")
    }

    @Test("No events, no output")
    func empty() {
        #expect(TimelineRenderer().render(ReportFixtures.licensedReport) == "")
    }
}

// Runs /usr/bin/cmark: Linux (and macOS) tests.
#if !os(Windows)
/// The Markdown as a real CommonMark parser renders it (`cmark`, the reference implementation;
/// `Scripts/bootstrap` installs it).
@Suite("Markdown through a CommonMark parser")
struct CommonMarkTests {
    static let cmark = "/usr/bin/cmark"

    private func render(_ markdown: String) throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: Self.cmark), "cmark is missing: run Scripts/bootstrap")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.cmark)
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let html = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: html, as: UTF8.self)
    }

    @Test("each fix renders as its own paragraph, after its cause and before its evidence list")
    func fixOnItsOwn() throws {
        let report = ReportFixtures.trialReport
        let html = try render(MarkdownRenderer().render(report))
        #expect(html.contains("<h2>TRIAL — MicroStation (1000) is not licensed</h2>"))
        for finding in report.findings {
            let fix = try #require(html.range(of: "<p><strong>Fix:</strong> "), "\(html)")
            #expect(html[fix.upperBound...].hasPrefix(finding.fix.prefix(20)) || html.contains("<p><strong>Fix:</strong> \(finding.fix.prefix(20))"),
                    "\(finding.cause): \(html)")
        }
        // The title is a paragraph of its own: the fix is not run into it.
        #expect(!html.contains("% Fix:") && !html.contains("%\nFix:"), "\(html)")
        #expect(html.components(separatedBy: "<p><strong>Fix:</strong>").count - 1 == report.findings.count)
        #expect(html.contains("<li><code>licensing/policy.json:41</code>: <code>&quot;UsageCountryISO&quot;: &quot;US&quot;</code></li>"))
    }

    @Test("a damaged bundle says so in a block quote right under the heading")
    func damage() throws {
        var report = ReportFixtures.trialReport
        report.damage = ["the bundle was cut short (the archive is truncated); the rest could not be read"]
        let html = try render(MarkdownRenderer().render(report))
        let heading = try #require(html.range(of: "</h2>"))
        let quote = try #require(html.range(of: "<blockquote>\n<p><strong>Damaged bundle:</strong> the bundle was cut short"), "\(html)")
        #expect(heading.upperBound <= quote.lowerBound)
        #expect(html.range(of: "<h3>Products</h3>").map { quote.upperBound < $0.lowerBound } == true)
    }

    @Test("hostile text stays text: no tag, no link survives the parser", arguments: ReportFixtures.all.map(\.name))
    func inert(name: String) throws {
        let report = try #require(ReportFixtures.all.first { $0.name == name }?.report)
        let html = try render(MarkdownRenderer().render(report)).lowercased()
        for forbidden in ["<script", "<img", "<a href", "<iframe", "<b>"] {
            #expect(!html.contains(forbidden), "\(name): \(forbidden)")
        }
    }
}
#endif
