import Diagnosis
import Foundation
import Reporting
import Testing

@Suite("Text for a terminal")
struct TextRendererTests {
    @Test("The verdict comes first, in one line")
    func verdictFirst() {
        let lines = TextRenderer(color: false).render(ReportFixtures.trialReport).split(separator: "\n")
        #expect(lines.first == "TRIAL — MicroStation (1000) is not licensed")
        #expect(TextRenderer(color: false).render(ReportFixtures.licensedReport)
            .hasPrefix("LICENSED — MicroStation (1000) is licensed (Offline)\n"))
        #expect(TextRenderer(color: false).render(ReportFixtures.unknownReport).hasPrefix("UNKNOWN — "))
        #expect(TextRenderer(color: false).render(ReportFixtures.failureReport)
            .hasPrefix("ERROR — the bundle could not be read (not-an-archive)\n"))
    }

    @Test("Causes are ranked, with confidence, fix and evidence")
    func causes() throws {
        let text = TextRenderer(color: false).render(ReportFixtures.trialReport)
        let first = try #require(text.range(of: "1. 92%  Usage country US ≠ location GB [country-mismatch]"))
        let second = try #require(text.range(of: "2. 60%  MicroStation (1000) is not in the policy [not-entitled]"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(text.contains("Fix: The administrator corrects"))
        // An excerpt with quotes of its own is not put between another pair.
        #expect(text.contains("licensing/policy.json:41  \"UsageCountryISO\": \"US\"\n"))
        #expect(!text.contains("\"\"UsageCountryISO"))
        #expect(text.contains("Missing from the bundle\n  - email: the sign-in e-mail\n  - logs: the logs"))
    }

    @Test("Ruled-out and not-checked causes are one line each, unless verbose")
    func ruledOutCounted() {
        let report = ReportFixtures.trialReport
        let text = TextRenderer(color: false).render(report)
        #expect(text.contains("\nRuled out: \(report.ruledOut.count) cause\(report.ruledOut.count == 1 ? "" : "s"); --verbose lists"))
        #expect(!text.contains("not-signed-in: CC is signed in"))
        #expect(text.contains("\nNot checked: \(report.notChecked.count) cause"))
        let verbose = TextRenderer(color: false, verbose: true).render(report)
        #expect(verbose.contains("Ruled out\n  - not-signed-in: CC is signed in as j.doe@example.com"))
        #expect(verbose.contains("Not checked: the bundle lacks what they need\n  - client-outdated: "))
    }

    @Test("An excerpt shown in several places is printed once, naming how many more")
    func duplicateExcerpts() {
        var report = ReportFixtures.trialReport
        let excerpt = "UsageCountryISO \"IE\""
        report.findings[0].evidence = [
            Evidence(file: "Users/jdoe/AppData/Local/Bentley/Licensing/LicensingStore.db", line: 1, excerpt: excerpt),
            Evidence(file: "Users/jdoe/AppData/Local/Bentley/Licensing/LicUsageLog.csv", line: 2, excerpt: excerpt),
        ]
        let text = TextRenderer(color: false).render(report)
        #expect(text.components(separatedBy: excerpt).count == 2, "once: \(text)")
        #expect(text.contains("LicensingStore.db:1 (+1 more)"))
        let verbose = TextRenderer(color: false, verbose: true).render(report)
        #expect(verbose.contains("LicUsageLog.csv:2"))
        #expect(verbose.components(separatedBy: excerpt).count == 2)
    }

    @Test("A long path wraps after a /, and a long excerpt between items, never inside a GUID")
    func wrapPoints() {
        var report = ReportFixtures.trialReport
        let guid = "7d3c2a91-5b1e-4f08-a6c2-9e41d0b7f352"
        report.findings[0].evidence = [Evidence(
            file: "Users/jdoe/AppData/Local/Bentley/Logs/Licensing Service/Bentley.Licensing.Service.log", line: 11,
            excerpt: "RecordUsage - UsageLogEntry data: {ultimateId:a3128a91-47f8-5614-a3eb-35ddf2193396,principalId:\(guid),productId:1000}")]
        let lines = TextRenderer(color: false).render(report).split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("Logs/Licensing Service/") }, "\(lines)")
        #expect(lines.contains { $0.contains(guid) }, "the GUID on one line: \(lines)")
    }

    @Test("No line is longer than the width", arguments: [80, 60, 40])
    func width(width: Int) {
        for (name, report) in ReportFixtures.all {
            for color in [false, true] {
                let text = ReportFixtures.strippingANSI(TextRenderer(color: color, width: width).render(report))
                for line in text.split(separator: "\n") {
                    #expect(line.count <= width, "\(name), color \(color): \(line)")
                }
            }
        }
    }

    @Test("A long excerpt is wrapped, not lost")
    func longExcerpt() {
        let text = TextRenderer(color: false).render(ReportFixtures.trialReport)
        #expect(text.contains("LicensingService.2026-11-20.log:1289"))
        #expect(text.contains("FeatureString=''"))
    }

    @Test("Colour only when asked for")
    func colour() {
        for (_, report) in ReportFixtures.all {
            #expect(!TextRenderer(color: false).render(report).contains("\u{1B}"))
        }
        let coloured = TextRenderer(color: true).render(ReportFixtures.trialReport)
        #expect(coloured.hasPrefix("\u{1B}["))
        #expect(ReportFixtures.strippingANSI(coloured) == TextRenderer(color: false).render(ReportFixtures.trialReport))
    }

    @Test("Escape sequences from the bundle cannot reach the terminal")
    func hostileText() {
        let text = TextRenderer(color: false).render(ReportFixtures.hostileReport)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("␛[31mred"))
    }

    @Test("NO_COLOR, TERM=dumb and a pipe turn colour off", arguments: [
        ([String: String](), true, true),
        (["NO_COLOR": "1"], true, false),
        (["NO_COLOR": ""], true, true),
        (["TERM": "dumb"], true, false),
        (["TERM": "xterm-256color"], true, true),
        ([:], false, false),
    ])
    func shouldUseColor(environment: [String: String], isTTY: Bool, expected: Bool) {
        #expect(TerminalStyle.shouldUseColor(environment: environment, isTTY: isTTY) == expected)
    }
}
