import AnalyzeKit
import CollectKit
import Foundation
import Reporting
import Testing
import TestSupport

/// Collects a fixture client root with logcollect (in-process) and returns the bundle's path.
func collectFixture(_ name: String, into dir: TemporaryDirectory, redact: Bool = false) throws -> String {
    var options = CollectOptions(root: ClientFixtures.root(name).path)
    options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
    options.output = dir.path("\(name)\(redact ? "-redacted" : "").zip")
    options.redact = redact
    options.redactKey = redact ? "test-key" : nil
    return try Collector.run(options).output
}

/// The causes a report lists at 0.5 or more, most likely first.
func causes(_ report: Report) -> [String] {
    report.findings.filter { $0.confidence >= 0.5 }.map(\.cause)
}

@Suite("loganalyze on the fixture client roots, collected with logcollect")
struct FixtureAnalysisTests {
    @Test("each fixture's own cause is its top finding, with the expected verdict", arguments: ClientFixtures.names)
    func topCause(fixture: String) throws {
        let expected = try #require(try ClientFixtures.expected()[fixture])
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bundle = try collectFixture(fixture, into: dir)
        let report = try Analyzer.analyze(path: bundle).report
        #expect(try Analyzer.analyze(path: bundle, threads: .one).report == report, "one thread or several, the same report")
        #expect(report.verdict.rawValue == expected.verdict)
        #expect(causes(report).first == expected.topCause,
                "findings: \(report.findings.map { "\($0.cause) \($0.confidence)" })")
        for cause in expected.causes ?? [] {
            let finding = report.findings.first { $0.cause == cause }
            #expect((finding?.confidence ?? 0) >= 0.5, "\(cause) is a cause in its own right: \(report.findings.map { "\($0.cause) \($0.confidence)" })")
            #expect(finding?.explainedBy == nil, "\(cause) is independent, yet follows from \(finding?.explainedBy ?? "")")
        }
        for cause in expected.absent ?? [] {
            #expect(!report.findings.contains { $0.cause == cause }, "near miss: \(cause) must not be found")
        }
        // One story: whatever a cause explains says so, and the explainer lists it.
        for finding in report.findings {
            guard let explainer = finding.explainedBy else { continue }
            #expect(report.findings.first { $0.cause == explainer }?.explains.contains(finding.cause) == true)
        }
        #expect(report.bundle.collectedAt.map(LicensingTime.iso) == ClientFixtures.now)
        // A store with tables or columns nobody knows (wrong-environment plants them) says so,
        // and that is all a well-formed client's bundle may note.
        let notes = report.notes.filter { !$0.hasSuffix("unknown to this reader: kept in the bundle, not read") }
        #expect(notes.isEmpty, "a logcollect bundle of a well-formed client reads without problems: \(notes)")
        #expect(report.unrecognized.isEmpty, "\(report.unrecognized)")
        if let top = report.findings.first, expected.topCause != nil {
            #expect(!top.evidence.isEmpty, "a cause without evidence")
            #expect(!top.fix.isEmpty)
        }
    }

    @Test("a redacted bundle gives the same causes as the plain one", arguments: ClientFixtures.names)
    func redactedSameCauses(fixture: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let plain = try Analyzer.analyze(path: try collectFixture(fixture, into: dir)).report
        let redacted = try Analyzer.analyze(path: try collectFixture(fixture, into: dir, redact: true)).report
        #expect(causes(redacted) == causes(plain))
        #expect(redacted.verdict == plain.verdict)
    }
}

enum LicensingTime {
    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
