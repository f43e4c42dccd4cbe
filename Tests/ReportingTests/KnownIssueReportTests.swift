import Diagnosis
import Foundation
import Reporting
import Testing

/// A known issue (a `note:` signature's match) in every format, and as the schema says.
struct KnownIssueReportTests {
    static var report: Report {
        var report = ReportFixtures.trialReport
        report.knownIssues = [Report.KnownIssue(
            id: "note:proxy-pac-timeout", signature: "proxy-pac-timeout",
            title: "The proxy auto-configuration script loads too slowly", fix: "Set the proxy explicitly.",
            kb: "https://kb.example.com/pac", count: 4,
            evidence: [Evidence(file: "logs/CONNECTION Client/cc.log", line: 12, excerpt: "Proxy auto-config script <x> did not load")])]
        return report
    }

    @Test func theJSONHasKnownIssuesAsTheSchemaSays() throws {
        let validator = try SchemaValidator(schemaData: Data(contentsOf: ReportFixtures.schemaURL))
        let json = try ReportFixtures.jsonObject(Self.report)
        #expect(validator.problems(json) == [])
        let issues = try #require(json["knownIssues"] as? [[String: Any]])
        #expect(issues.first?["id"] as? String == "note:proxy-pac-timeout")
        #expect(try Report.decode(from: Self.report.jsonData()).knownIssues == Self.report.knownIssues)
        #expect(try ReportFixtures.jsonObject(ReportFixtures.trialReport)["knownIssues"] == nil)
    }

    @Test func everyFormatShowsTitleFixAndLinkWithTheBundleTextEscaped() {
        let text = TextRenderer(color: false).render(Self.report)
        let markdown = MarkdownRenderer().render(Self.report)
        let html = HTMLRenderer().render(Self.report)
        for output in [text, markdown, html] {
            #expect(output.contains("Known issues (signatures)"))
            #expect(output.contains("note:proxy-pac-timeout"))
            #expect(output.contains("https://kb.example.com/pac"))
            #expect(output.contains("4 matching lines"))
        }
        #expect(html.contains("<a href=\"https://kb.example.com/pac\""))
        #expect(html.contains("&lt;x&gt;"))
        #expect(!html.contains("<x>"))
    }
}
