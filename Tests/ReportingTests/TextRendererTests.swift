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
        #expect(text.contains("licensing/policy.json:41  \"\"UsageCountryISO\": \"US\"\""))
        #expect(text.contains("Ruled out\n  - not-signed-in: CC is signed in as j.doe@example.com"))
        #expect(text.contains("Not checked: the bundle lacks what they need\n  - client-outdated: "))
        #expect(text.contains("Missing from the bundle\n  - email: the sign-in e-mail\n  - logs: the logs"))
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
