import CollectKit
import Foundation
import Testing
import TestSupport

// Hard and symbolic links swapped in with rename, and stores written by python3's sqlite3: Linux (and macOS) tests.
#if !os(Windows)

/// The licensing store while the machine uses it (issue #17): swapped for a link after the
/// listing, written to by a running service. The store's files are read from the root's
/// descriptor under SQLite's own locks, never by path.
@Suite("logcollect: the licensing store while it changes", .serialized)
struct StoreSnapshotTests {
    let licensing = "Users/jdoe/AppData/Local/Bentley/Licensing"
    static let marker = "OUTSIDE-STORE-7F3A"

    @Test("the store swapped for a link to another store in a loop: no bundle ever holds the other store")
    func storeSwappedForLink() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let store = root.appendingPathComponent(licensing + "/LicensingStore.db").path
        let spare = dir.path("spare.db")  // the machine's store, hard-linked back in each time
        #expect(rename(store, spare) == 0)
        #expect(link(spare, store) == 0)
        // Another store outside the root: a copy of the machine's with a table only it has.
        let outside = dir.path("outside.db")
        try FileManager.default.copyItem(atPath: spare, toPath: outside)
        try sqlite(outside, "CREATE TABLE Marker(Value TEXT); INSERT INTO Marker VALUES ('\(Self.marker)');")
        let swapper = Swapper(target: store, versions: [.link(outside), .hardLink(spare)], scratch: dir.path("swap"))
        swapper.start()
        defer { swapper.stop() }
        let runs = 25
        var leaked: [Int] = []
        var snapshots = 0
        for run in 0..<runs {
            let output = dir.path("s\(run).zip")
            _ = try Collector.run(options(root: root, output: output))
            let files = try bundleContents(output)
            if files.values.contains(where: { $0.range(of: Data(Self.marker.utf8)) != nil }) { leaked.append(run) }
            if files["licensing/LicensingStore.db"] != nil { snapshots += 1 }
            try FileManager.default.removeItem(atPath: output)
        }
        #expect(leaked.isEmpty, "\(leaked.count) of \(runs) bundles held the store outside the root: runs \(leaked)")
        #expect(swapper.swaps > runs, "the loop swapped \(swapper.swaps) times")
        #expect(snapshots > 0, "the store was never collected in \(runs) runs: refused, not dropped for good")
    }

    @Test("a store written to while collected (WAL mode, checkpointed; rollback journal): every snapshot is whole and consistent",
          arguments: ["WAL", "DELETE"])
    func storeWrittenDuringCollection(journalMode: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let store = root.appendingPathComponent(licensing + "/LicensingStore.db").path
        // A service that commits one row at a time (in WAL mode it checkpoints every 25 rows):
        // rows 1…n must all be in a snapshot, with no gap, whatever point it was taken at.
        try sqlite(store, "PRAGMA journal_mode=\(journalMode); CREATE TABLE Beat(N INTEGER PRIMARY KEY, Filler TEXT);")
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        writer.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
            db.execute("PRAGMA wal_autocheckpoint=0")
            n = 0
            print("writing", flush=True)
            while True:
                n += 1
                db.execute("INSERT INTO Beat VALUES (?, ?)", (n, "x" * 200))
                if n % 25 == 0 and sys.argv[2] == "WAL":
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                time.sleep(0.001)
            """, store, journalMode]
        let started = Pipe()
        writer.standardOutput = started
        try writer.run()
        // SIGKILL: this process blocks SIGTERM for its interrupt watch, and Foundation's `Process` passes that mask on.
        defer { kill(writer.processIdentifier, SIGKILL); writer.waitUntilExit() }
        _ = started.fileHandleForReading.availableData
        var counts: [Int] = []
        for run in 0..<8 {
            let output = dir.path("w\(run).zip")
            _ = try Collector.run(options(root: root, output: output))
            let copy = dir.path("w\(run).db")
            try #require(try bundleContents(output)["licensing/LicensingStore.db"]).write(to: URL(fileURLWithPath: copy))
            let answer = try sqlite(copy, "PRAGMA integrity_check; SELECT count(*), coalesce(min(N), 0), coalesce(max(N), 0) FROM Beat;")
            let lines = answer.split(separator: "\n").map(String.init)
            #expect(lines.first == "ok", "\(journalMode) run \(run): \(answer)")
            let numbers = (lines.last ?? "").split(separator: "|").compactMap { Int($0) }
            try #require(numbers.count == 3, "run \(run): \(answer)")
            #expect(numbers[0] == numbers[2] && (numbers[0] == 0 || numbers[1] == 1), "run \(run): rows \(numbers): a gap")
            counts.append(numbers[0])
            #expect(try manifest(output).source("policy")?.outcome == .ok)
        }
        #expect(counts.last ?? 0 > 0, "the writer's rows reached the snapshots: \(counts)")
        #expect(counts == counts.sorted(), "each snapshot holds at least the rows of the one before: \(counts)")
    }

    /// Runs SQL on a database file with Python's sqlite3 (the store as another program sees it);
    /// returns what the last statements printed, `|`-separated, one row a line.
    @discardableResult
    private func sqlite(_ path: String, _ sql: String) throws -> String {
        let result = try runTool("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            rows = []
            for statement in [s for s in sys.argv[2].split(";") if s.strip()]:
                rows += db.execute(statement).fetchall()
            db.close()
            print("\\n".join("|".join(str(v) for v in row) for row in rows))
            """, path, sql])
        guard result.status == 0 else { throw TestFailure("python3 sqlite3: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

private struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
#endif
