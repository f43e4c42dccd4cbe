import AnalyzeKit
import CollectKit
import Foundation
import Reporting
import Testing
import TestSupport

/// A bundle of a fixture root, collected by `logcollect` as of `now` (the roots are all
/// WS-JDOE-01 / jdoe, so any two of them are bundles of one machine).
private func bundle(_ root: String, at now: String, into dir: TemporaryDirectory, redact: Bool = false) throws -> String {
    var options = CollectOptions(root: ClientFixtures.root(root).path)
    options.now = ISO8601DateFormatter().date(from: now)
    options.output = dir.path("\(root)-\(now.prefix(13))\(redact ? "-redacted" : "").zip")
    options.redact = redact
    options.redactKey = redact ? "test-key" : nil
    return try Collector.run(options).output
}

/// `loganalyze compare OLD NEW` on pairs of real bundles: the follow-up of a ticket.
@Suite("loganalyze compare")
struct CompareTests {
    let tool = BuiltProducts.path("loganalyze")
    static let first = "2026-11-20T10:00:00Z"
    static let later = "2026-11-20T12:00:00Z"

    @Test("The user signed in again: offline-expired and not-signed-in resolved, the policy renewed")
    func fixed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let comparison = try Comparer.compare(old: try bundle("offline-expired", at: Self.first, into: dir),
                                              new: try bundle("healthy", at: Self.later, into: dir))
        #expect(comparison.old.report.verdict == .trial && comparison.new.report.verdict == .licensed)
        let resolved = comparison.causes(.resolved)
        #expect(resolved.map(\.cause) == ["offline-expired", "not-signed-in"])
        #expect(resolved.map(\.before) == [0.94, 0.9])
        #expect(resolved.allSatisfy { $0.after == nil && $0.why != nil })
        #expect(comparison.causes(.new).isEmpty && comparison.causes(.persisting).isEmpty)
        let changed = Dictionary(uniqueKeysWithValues: comparison.machine.filter(\.changed).map { ($0.field, $0) })
        #expect(changed["policy.expiresOn"]?.before?.hasPrefix("2026-11-17T12:03") == true)
        #expect(changed["policy.expiresOn"]?.after != nil)
        #expect(changed["signedIn"]?.before == "signed out" && changed["signedIn"]?.after == "signed in")
        #expect(changed["product 1000"]?.before == "Expired (105)" && changed["product 1000"]?.after == "OK (101)")
        #expect(comparison.warnings.isEmpty, "\(comparison.warnings)")
    }

    @Test("A fix of one cause: client-outdated resolved, country-mismatch persists with its confidence")
    func halfFixed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let comparison = try Comparer.compare(old: try bundle("two-outdated-and-country", at: Self.first, into: dir),
                                              new: try bundle("country-mismatch", at: Self.later, into: dir))
        #expect(comparison.causes(.resolved).map(\.cause) == ["client-outdated"])
        #expect(comparison.causes(.resolved).first?.before == 0.85)
        let persisting = comparison.causes(.persisting)
        #expect(persisting.map(\.cause) == ["country-mismatch", "not-entitled"])
        #expect(persisting.map(\.before) == [0.96, 0.84])
        #expect(persisting.map(\.after) == [0.96, 0.95])
        let version = try #require(comparison.machine.first { $0.field == "ccVersion" })
        #expect(version.changed && version.before == "10.00.19.31")
    }

    // Runs the built loganalyze by its Linux name, with a bare environment: Linux (and macOS) only.
    #if !os(Windows)
    @Test("Worse: the signed-out machine's offline grace ran out; offline-expired is new")
    func worse() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let old = try bundle("not-signed-in", at: Self.first, into: dir)
        let new = try bundle("offline-expired", at: Self.later, into: dir)
        let comparison = try Comparer.compare(old: old, new: new)
        #expect(comparison.causes(.new).map(\.cause) == ["offline-expired"])
        #expect(comparison.causes(.persisting).map(\.cause) == ["not-signed-in"])
        #expect(comparison.causes(.persisting).first.map { [$0.before, $0.after] } == [0.95, 0.9])

        // What the engineer sees first, in 80 columns.
        let text = try runTool(tool, ["compare", old, new], environment: ["NO_COLOR": "1"])
        #expect(text.status == 0)
        let lines = text.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        #expect(lines.first == "LICENSED → TRIAL — worse: MicroStation (1000) is not licensed now")
        let firstScreen = lines.prefix(20).joined(separator: "\n")
        for expected in ["OLD  WS-JDOE-01 / jdoe, collected 2026-11-20 10:00:00Z",
                         "NEW  WS-JDOE-01 / jdoe, collected 2026-11-20 12:00:00Z",
                         "New (1)", "+ offline-expired — → 94%", "Persisting (1)", "• not-signed-in 95% → 90%"] {
            #expect(firstScreen.contains(expected), "\(expected)\n\(firstScreen)")
        }
        #expect(text.output.contains("Policy expires"))
    }
    #endif

    // Runs the built loganalyze by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("Bundles of different machines: exit 64 naming both, unless --force")
    func differentMachines() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let old = try bundle("offline-expired", at: Self.first, into: dir)
        let other = try bundle("healthy", at: Self.later, into: dir, redact: true)
        let refused = try runTool(tool, ["compare", old, other])
        #expect(refused.status == 64)
        #expect(refused.output.contains("OLD is WS-JDOE-01 / jdoe (\(old))"), "\(refused.output)")
        #expect(refused.output.contains("NEW is ") && refused.output.contains("--force"))
        let forced = try runTool(tool, ["compare", old, other, "--force", "--format", "json"])
        #expect(forced.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(forced.output.utf8)) as? [String: Any])
        let warnings = try #require(object["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("different machines") })
    }
    #endif

    // Runs the built loganalyze by its Linux name, with a bare environment: Linux (and macOS) only.
    #if !os(Windows)
    @Test("OLD collected after NEW is a warning; formats and --output; a bundle that is none is exit 1")
    func orderFormatsAndErrors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let early = try bundle("offline-expired", at: Self.first, into: dir)
        let late = try bundle("healthy", at: Self.later, into: dir)
        let swapped = try runTool(tool, ["compare", late, early], environment: ["NO_COLOR": "1"])
        #expect(swapped.status == 0)
        #expect(swapped.output.contains("Warning: OLD was collected after NEW"))

        let markdown = try runTool(tool, ["compare", early, late, "--format", "markdown"])
        #expect(markdown.output.hasPrefix("## TRIAL → LICENSED — fixed") && markdown.output.contains("`offline-expired`"))
        let page = dir.path("comparison.html")
        #expect(try runTool(tool, ["compare", early, late, "--format", "html", "--output", page]).status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("offline-expired") && !html.contains("<script"))

        let empty = dir.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let notABundle = try runTool(tool, ["compare", early, empty])
        #expect(notABundle.status == 1)
        #expect(notABundle.output.contains("not a support bundle"))
        #expect(try runTool(tool, ["compare", early]).status == 64)
    }
    #endif

    @Test("The report names whose bundle it is (manifest host, user, case)")
    func identity() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = CollectOptions(root: ClientFixtures.root("healthy").path)
        options.now = ISO8601DateFormatter().date(from: Self.first)
        options.output = dir.path("case.zip")
        options.caseNumber = "CS-0042"
        let report = try Analyzer.analyze(path: try Collector.run(options).output).report
        #expect(report.bundle.host == "WS-JDOE-01")
        #expect(report.bundle.user == "jdoe")
        #expect(report.bundle.caseNumber == "CS-0042")
    }
}
