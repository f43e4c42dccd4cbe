import Foundation
import Testing
import TestSupport
@testable import SQLiteKit

@Suite("SQLiteDatabase")
struct SQLiteDatabaseTests {
    // Holds the store open from python3 through /usr/bin/env: Linux (and macOS) only.
    #if !os(Windows)
    /// A store in WAL mode whose newest row is still only in the -wal file, held open by Python.
    @Test("online backup copies rows still in the -wal file of a store held open")
    func backupReadsWAL() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = dir.path("LicensingStore.db")
        let script = """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA wal_autocheckpoint=0")
            db.execute("CREATE TABLE Policy(PolicyId TEXT, PolicyFile TEXT)")
            db.execute("INSERT INTO Policy VALUES ('old', '{}')")
            db.execute("INSERT INTO Policy VALUES ('newest', '{}')")
            print("ready", flush=True); sys.stdin.read()
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, store]
        let input = Pipe(), output = Pipe()
        python.standardInput = input
        python.standardOutput = output
        try python.run()
        defer { try? input.fileHandleForWriting.close(); python.waitUntilExit() }
        _ = output.fileHandleForReading.availableData  // "ready"
        #expect(FileManager.default.fileExists(atPath: store + "-wal"))

        let copy = dir.path("copy.db")
        try SQLiteDatabase(path: store).backup(to: copy)
        let ids = try SQLiteDatabase(path: copy).rows("SELECT PolicyId FROM Policy ORDER BY rowid").map { $0["policyid"]?.text }
        #expect(ids == ["old", "newest"])
    }
    #endif

    // Makes the store with python3 through /usr/bin/env: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a copy held in memory is queried without touching the disk")
    func inMemory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("s.db")
        let made = try runTool("/usr/bin/env", ["python3", "-c",
            "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute('create table OfflineGrace(GraceId, OfflineGracePeriodStart)'); d.execute(\"insert into OfflineGrace values (1, '2026-11-01T00:00:00Z')\"); d.commit()", path])
        #expect(made.status == 0)
        let db = try SQLiteDatabase(data: try Data(contentsOf: URL(fileURLWithPath: path)), name: "bundle.zip!LicensingStore.db")
        #expect(try db.tableNames() == ["OfflineGrace"])
        let row = try #require(try db.rows("SELECT * FROM OfflineGrace").first)
        #expect(row["GraceId"]?.integer == 1)
        #expect(row["OfflineGracePeriodStart"]?.text == "2026-11-01T00:00:00Z")
    }
    #endif

    @Test("a file that is not SQLite gives notADatabase, naming it")
    func notADatabase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("LicensingStore.db")
        try Data(String(repeating: "not sqlite ", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SQLiteError.self) { try SQLiteDatabase(path: path) }
        #expect(error.code == .notADatabase)
        #expect(error.description.hasPrefix(path))
        let memoryError = try #require(throws: SQLiteError.self) {
            try SQLiteDatabase(data: Data("garbage".utf8), name: "x.db")
        }
        #expect(memoryError.code == .notADatabase)
    }
}
