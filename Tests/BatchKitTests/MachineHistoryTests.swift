@testable import BatchKit
import CollectKit
import Foundation
import SQLiteKit
import Testing
import TestSupport

/// `batch --index` records whose each bundle is; `loganalyze query --machine NAME` lists that
/// machine's bundles newest first, and an index written before it knew machines is migrated.
@Suite("batch index: a machine's history")
struct MachineHistoryTests {
    /// Three bundles: WS-JDOE-01 at 10:00 (offline-expired) and 12:00 (healthy), and another
    /// machine (the healthy root collected with --redact, so its name is a pseudonym) at 11:00.
    static func bundles(in dir: TemporaryDirectory) throws {
        for (root, now, redact) in [("offline-expired", "2026-11-20T10:00:00Z", false), ("healthy", "2026-11-20T12:00:00Z", false),
                                    ("healthy", "2026-11-20T11:00:00Z", true)] {
            var options = CollectOptions(root: ClientFixtures.root(root).path)
            options.now = ISO8601DateFormatter().date(from: now)
            options.output = dir.path("in/\(root)-\(now.dropFirst(11).prefix(2))\(redact ? "-other" : "").zip")
            options.redact = redact
            options.redactKey = redact ? "test-key" : nil
            try FileManager.default.createDirectory(atPath: dir.path("in"), withIntermediateDirectories: true)
            _ = try Collector.run(options)
        }
    }

    // Runs the built loganalyze by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("query --machine lists the machine's bundles newest first, in any case of its name")
    func history() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.bundles(in: dir)
        var options = batchOptions([dir.path("in")], output: dir.path("out.jsonl"))
        options.index = dir.path("triage.sqlite")
        _ = try BatchRunner.run(options, log: Messages().sink)
        let matches = try IndexQuery(machine: "ws-jdoe-01").run(index: dir.path("triage.sqlite"))
        #expect(matches.map { ($0.path as NSString).lastPathComponent } == ["healthy-12.zip", "offline-expired-10.zip"])
        #expect(matches.map(\.collectedAt) == ["2026-11-20T12:00:00Z", "2026-11-20T10:00:00Z"])
        #expect(matches.first?.historyLine.hasPrefix("2026-11-20T12:00:00Z\tjdoe\t") == true)
        #expect(matches.last?.cause == "offline-expired")

        let command = try runTool(BuiltProducts.path("loganalyze"), ["query", "--index", dir.path("triage.sqlite"), "--machine", "WS-JDOE-01"])
        #expect(command.status == 0)
        #expect(command.output.split(separator: "\n").count == 2)
    }
    #endif

    @Test("an index written before machines were recorded gains the columns and re-analyses its bundles once")
    func migration() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Self.bundles(in: dir)
        let index = dir.path("triage.sqlite")
        var options = batchOptions([dir.path("in")], output: dir.path("out.jsonl"))
        options.index = index
        _ = try BatchRunner.run(options, log: Messages().sink)
        // The layout before: no identity columns, and lines that name no machine.
        do {
            let database = try SQLiteDatabase(path: index, writable: true)
            try database.execute("DROP INDEX bundles_by_machine")
            try database.execute("ALTER TABLE bundles DROP COLUMN host")
            try database.execute("ALTER TABLE bundles DROP COLUMN user")
            try database.execute("UPDATE bundles SET line = json_remove(line, '$.bundle.host', '$.bundle.user')")
        }
        #expect(throws: BatchError.self) { try IndexQuery(machine: "WS-JDOE-01").run(index: index) }
        let again = try BatchRunner.run(options, log: Messages().sink)
        #expect(again.analysed == 3 && again.reused == 0)
        #expect(try IndexQuery(machine: "WS-JDOE-01").run(index: index).count == 2)
        let third = try BatchRunner.run(options, log: Messages().sink)
        #expect(third.reused == 3)
    }
}
