import Foundation
import Testing
import TestSupport

// Runs the built loganalyze by its Linux name and reads its printed lines (CRLF on Windows): Linux (and macOS) tests.
#if !os(Windows)

/// The `loganalyze` binary as scripts and support engineers run it.
@Suite("loganalyze command line")
struct CommandLineTests {
    let tool = BuiltProducts.path("loganalyze")

    @Test("json follows the contract; text, markdown and html render; --output writes a whole file")
    func formats() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bundle = try collectFixture("not-entitled", into: dir)
        let json = try runTool(tool, [bundle, "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["verdict"] as? String == "trial")
        #expect((object["bundle"] as? [String: Any])?["collectedAt"] as? String == ClientFixtures.now)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.first?["cause"] as? String == "not-entitled")
        let confidences = findings.compactMap { $0["confidence"] as? Double }
        #expect(confidences == confidences.sorted(by: >))
        for key in ["products", "ruledOut", "missing"] { #expect(object[key] != nil, "\(key)") }

        let text = try runTool(tool, [bundle], environment: ["NO_COLOR": "1"])
        #expect(text.output.hasPrefix("TRIAL"))
        #expect(!text.output.contains("\u{1B}["))
        #expect(text.output.split(separator: "\n").allSatisfy { $0.count <= 80 })

        let html = dir.path("report.html")
        #expect(try runTool(tool, [bundle, "--format", "html", "--output", html]).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"), "a whole page")
        #expect(!page.contains("<script"))
        // The page says what the text says: the verdict, the cause with its confidence and its fix.
        #expect(page.contains("TRIAL") && page.contains("not-entitled") && page.contains("96%"))
        #expect(page.contains("Your administrator adds the product to your account, or buys it."))
        let markdown = try runTool(tool, [bundle, "--format", "markdown"])
        let lines = markdown.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "## TRIAL — MicroStation (1000) is not licensed", "the verdict is the heading")
        #expect(lines.contains("| 1000 | MicroStation | (none) | Not entitled (110) | CC API |"), "the product's row")
        // The top cause: its code and confidence on its own numbered line, its fix and its evidence under it.
        let cause = try #require(lines.firstIndex { $0.hasPrefix("1. ") }, "a numbered list of causes")
        #expect(lines[cause].hasSuffix("— `not-entitled`, 96%"))
        #expect(lines[cause...].contains("   **Fix:** Your administrator adds the product to your account, or buys it."))
        #expect(lines[cause...].contains("   - `logs/Licensing Service/Bentley.Licensing.Service.log:13`: `LicenseStatus Returned: 110`"))
        #expect(lines.contains("- `country-mismatch`: country matches: GB = GB"), "what was ruled out, and why")
    }

    @Test("rules, explain and timeline")
    func subcommands() throws {
        let rules = try runTool(tool, ["rules"])
        #expect(rules.status == 0)
        let ruleLines = rules.output.split(separator: "\n")
        #expect(ruleLines.filter { !$0.hasPrefix(" ") }.count == 28, "one rule a line per cause code of CAUSES.md, a long title wrapped under it")
        #expect(ruleLines.allSatisfy { $0.count <= 80 })
        let explain = try runTool(tool, ["explain", "country-mismatch"])
        #expect(explain.output.contains("Fix:"))
        #expect(try runTool(tool, ["explain", "no-such-cause"]).status == 64)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let timeline = try runTool(tool, ["timeline", try collectFixture("offline-expired", into: dir)])
        #expect(timeline.status == 0)
        let lines = timeline.output.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 }, "the timeline fits 80 columns")
        // Each event starts with its stamp; its wrapped lines are indented under the message.
        let stamps = lines.filter { !$0.hasPrefix(" ") }.map { String($0.prefix(20)) }
        #expect(stamps.count > 5)
        #expect(stamps == stamps.sorted())
    }

    @Test("exit status: 1 with one line for an unreadable bundle, 64 for bad usage")
    func exitCodes() throws {
        let unreadable = try runTool(tool, [RepoPaths.fixture("archives/not-an-archive.zip").path])
        #expect(unreadable.status == 1)
        #expect(unreadable.output.hasPrefix("loganalyze: "))
        #expect(unreadable.output.split(separator: "\n").count == 1)
        #expect(try runTool(tool, ["x.zip", "--format", "pdf"]).status == 64)
    }
}
#endif
