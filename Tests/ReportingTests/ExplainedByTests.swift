import Diagnosis
import Foundation
import LicensingModel
import Reporting
import Testing

/// One story per bundle: a finding another one explains says so in every format, and a store
/// row is named by its table and key.
@Suite("Which finding follows from which")
struct ExplainedByTests {
    /// The trial diagnosis, linked as `Diagnoser` links it: country-mismatch explains not-entitled.
    static var linked: Report {
        var diagnosis = ReportFixtures.trial
        diagnosis.findings = Ranking.rank(diagnosis.findings)
        var report = Report(diagnosis: diagnosis, bundlePath: "bundle.zip")
        report.findings[0].evidence.append(Evidence(file: "licensing/License.db", line: nil,
                                                    excerpt: "UsageCountryISO US", row: "Policy PolicyId=7d0c"))
        return report
    }

    @Test("ranking links the explained finding to its explainer, and back")
    func linking() {
        let findings = Ranking.rank(ReportFixtures.trial.findings)
        #expect(findings.map(\.cause) == ["country-mismatch", "not-entitled"])
        #expect(findings[1].explainedBy == "country-mismatch")
        #expect(findings[0].explains == ["not-entitled"])
        #expect(findings[0].explainedBy == nil)
    }

    @Test("two independent causes: neither caps nor explains the other")
    func independent() {
        let findings = Ranking.rank([
            Finding(cause: "client-outdated", confidence: 0.8, title: "t", fix: "f", evidence: []),
            Finding(cause: "country-mismatch", confidence: 0.9, title: "t", fix: "f", evidence: []),
        ])
        #expect(findings.map(\.confidence) == [0.9, 0.8])
        #expect(findings.allSatisfy { $0.explainedBy == nil && $0.explains.isEmpty })
    }

    @Test("JSON: explainedBy on the explained finding, explains on its explainer, row on store evidence")
    func json() throws {
        let data = try Self.linked.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings[0]["explainedBy"] == nil)
        #expect(findings[0]["explains"] as? [String] == ["not-entitled"])
        #expect(findings[1]["explainedBy"] as? String == "country-mismatch")
        #expect(findings[1]["explains"] == nil)
        let evidence = try #require(findings[0]["evidence"] as? [[String: Any]])
        #expect(evidence.last?["row"] as? String == "Policy PolicyId=7d0c")
        #expect(evidence.last?["line"] is NSNull)
        let decoded = try Report.decode(from: data)
        #expect(decoded.findings == Self.linked.findings, "a report reads back as written")
    }

    @Test("text, Markdown and HTML say \"follows from 1\" and name the row")
    func renderings() {
        // Words only: the text report wraps at 80 columns.
        let text = TextRenderer(color: false).render(Self.linked).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("[not-entitled] — follows from 1 (country-mismatch)"), "\(text)")
        #expect(text.contains("licensing/License.db (Policy PolicyId=7d0c)"))
        #expect(MarkdownRenderer().render(Self.linked).contains("follows from 1 (country-mismatch)"))
        #expect(HTMLRenderer().render(Self.linked).contains("<span class=\"follows\">follows from 1 (country-mismatch)</span>"))
    }
}
