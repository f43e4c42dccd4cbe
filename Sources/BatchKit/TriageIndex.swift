import Foundation
import Platform
import Reporting
import SQLiteKit

/// The batch's SQLite index (`--index triage.sqlite`): one row per bundle path with its line,
/// keyed for reuse by the bundle's SHA-256 and the `RulesVersion`, with columns (and indexes)
/// for `loganalyze query` by cause, CC version, country, collection time and machine.
///
/// A file that is not a database, is damaged, or was written with another schema is rebuilt
/// empty with a one-line message: the index is a cache, never the only copy of a result.
/// Worker threads look lines up while the writer records them: every call takes the lock, so
/// the one connection is used by one thread at a time (hence `@unchecked Sendable`).
///
/// A kill at any moment leaves an index that opens: a new one is built aside (`PATH.partial`)
/// and renamed when its tables exist, and each line is its own transaction (WAL: appended to
/// `PATH-wal`, no fsync), committed before the line reaches the JSON Lines file, so a re-run
/// reuses every line a killed run wrote. A full disk rolls the line's transaction back.
public final class TriageIndex: @unchecked Sendable {
    /// The layout this code writes; another one is rebuilt.
    public static let schemaVersion = "1"
    /// Rows recorded per transaction: a kill loses at most these but the last (1 for a batch).
    let rowsPerCommit: Int

    /// The index file.
    public let path: String
    private let database: SQLiteDatabase
    private let lock = NSLock()
    private var uncommitted = 0

    /// What the index knows of a bundle's content.
    enum Lookup {
        /// A line judged by the current rules; `path` is where that bundle was then.
        case current(line: Data, path: String)
        /// Only lines judged by other rules: the bundle is analysed again.
        case outdated
        case unknown
    }

    /// Opens the index at `path`, creating it, or rebuilding it (with a message to `log`) when
    /// it cannot be used. Throws `BatchError` when it cannot be created. `rowsPerCommit` above 1
    /// is for filling an index in bulk (tests), where a kill may lose the last rows.
    public init(path: String, log: MessageSink, rowsPerCommit: Int = 1) throws {
        self.path = path
        self.rowsPerCommit = max(1, rowsPerCommit)
        // An index being built when a run was killed; never the only copy of anything.
        Self.removeAside(of: path)
        do {
            if let database = try Self.openExisting(path) {
                self.database = database
                return
            }
        } catch let error as SQLiteError where error.code == .io || error.code == .locked {
            // A full disk or another batch's lock says nothing about the index: keep it.
            throw BatchError("cannot open the index \(path): \(error.message)"
                             + (error.message.contains("disk is full") ? BatchError.outOfSpaceHint : ""))
        } catch {
            // Not a database, or a damaged one: rebuilt below.
        }
        if FileManager.default.fileExists(atPath: path) {
            log("loganalyze: index \(path) \(Self.whyUnusable(path)); rebuilding it")
            for suffix in ["", "-wal", "-shm", "-journal"] { FileSystem.remove(path + suffix) }
        }
        try Self.create(path)
        do {
            guard let database = try Self.openExisting(path) else { throw BatchError("cannot create the index \(path)") }
            self.database = database
        } catch let error as SQLiteError {
            throw BatchError("cannot open the index \(path): \(error.message)")
        }
    }

    /// Opens an index read-only for queries; throws `BatchError` when it is not one.
    public static func openForQuery(_ path: String) throws -> SQLiteDatabase {
        guard FileManager.default.fileExists(atPath: path) else { throw BatchError("\(path): no such index") }
        do {
            let database = try SQLiteDatabase(path: path)
            guard try schema(of: database) == schemaVersion else {
                throw BatchError("\(path): not a loganalyze index of this version; run `loganalyze batch --index` to rebuild it")
            }
            return database
        } catch let error as SQLiteError {
            throw BatchError("\(path): not a loganalyze index (\(error.message))")
        }
    }

    /// The stored line of a bundle with this content, preferring the one at `path`.
    func lookup(sha256: String, rulesVersion: String, path: String) -> Lookup {
        guard sha256.allSatisfy(\.isHexDigit) else { return .unknown }
        let sql = """
            SELECT path, line, rules_version FROM bundles WHERE sha256 = '\(sha256)'
            ORDER BY rules_version = \(SQLText.literal(rulesVersion)) DESC, path = \(SQLText.literal(path)) DESC LIMIT 1
            """
        let rows = locked { try? database.rows(sql) } ?? []
        guard let row = rows.first, let line = row["line"]?.text, let stored = row["path"]?.text else { return .unknown }
        guard row["rules_version"]?.text == rulesVersion else { return .outdated }
        return .current(line: Data((line + "\n").utf8), path: stored)
    }

    /// Records a bundle's line (replacing what the index held for its path).
    func record(_ fields: LineFields, line: Data, rulesVersion: String) throws {
        let values: [SQLiteValue] = [
            .text(fields.path), fields.sha256.map(SQLiteValue.text) ?? .null, .text(rulesVersion),
            fields.verdict.map(SQLiteValue.text) ?? .null, fields.topCause.map(SQLiteValue.text) ?? .null,
            fields.confidence.map(SQLiteValue.real) ?? .null,
            fields.client?.ccVersion.map(SQLiteValue.text) ?? .null, fields.client?.country.map(SQLiteValue.text) ?? .null,
            fields.collectedAt.map(SQLiteValue.text) ?? .null, fields.errorCode.map(SQLiteValue.text) ?? .null,
            .text(String(decoding: line.last == 0x0A ? line.dropLast() : line, as: UTF8.self)),
        ]
        try writing {
            if uncommitted == 0 && rowsPerCommit > 1 { try database.execute("BEGIN") }
            // The machine and user come from the line itself (`bundle.host`, `bundle.user`).
            try database.execute("""
                INSERT OR REPLACE INTO bundles (path, sha256, rules_version, verdict, cause, confidence, cc_version,
                country, collected_at, error_code, line, host, user) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                \(Self.identityColumns.map { "json_extract(?11, '$.bundle.\($0)')" }.joined(separator: ", ")))
                """, values)
            guard rowsPerCommit > 1 else { return }
            uncommitted += 1
            if uncommitted >= rowsPerCommit {
                try database.execute("COMMIT")
                uncommitted = 0
            }
        }
    }

    /// Commits what was recorded.
    func flush() throws {
        try writing {
            guard uncommitted > 0 else { return }
            try database.execute("COMMIT")
            uncommitted = 0
        }
    }

    /// Runs a write under the lock; an SQLite failure (a full disk: `SQLITE_FULL`) becomes one
    /// line naming the index, and an open transaction is rolled back, so the index keeps every
    /// row committed before.
    private func writing(_ body: () throws -> Void) throws {
        try locked {
            do {
                try body()
            } catch let error as SQLiteError {
                try? database.execute("ROLLBACK")
                uncommitted = 0
                throw BatchError("cannot write the index \(path): \(error.message)"
                                 + (error.message.contains("disk is full") ? BatchError.outOfSpaceHint : ""))
            }
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private static func openExisting(_ path: String) throws -> SQLiteDatabase? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let database = try SQLiteDatabase(path: path, writable: true)
        guard try schema(of: database) == schemaVersion,
              try database.rows("PRAGMA quick_check(1)").first?.values.first?.text == "ok" else { return nil }
        try tune(database)
        try addIdentityColumns(database)
        return database
    }

    /// The columns of a bundle's identity (`bundle.host` and `bundle.user` of its line), added
    /// after schema 1 was first written.
    static let identityColumns = ["host", "user"]

    /// Adds the identity columns to an index written before they existed, and its lines' values.
    ///
    /// Those lines were written before reports named the machine, so each is marked as of other
    /// rules (`rules_version` + `-noid`): the next batch analyses its bundle again and records
    /// the machine and user, instead of reusing a line without them.
    private static func addIdentityColumns(_ database: SQLiteDatabase) throws {
        let existing = Set(try database.columns(of: "bundles"))
        guard !identityColumns.allSatisfy(existing.contains) else { return }
        try database.execute("BEGIN")
        for column in identityColumns where !existing.contains(column) {
            try database.execute("ALTER TABLE bundles ADD COLUMN \(column) TEXT")
        }
        try database.execute("""
            UPDATE bundles SET host = json_extract(line, '$.bundle.host'), user = json_extract(line, '$.bundle.user')
            """)
        try database.execute("UPDATE bundles SET rules_version = rules_version || '-noid' WHERE host IS NULL AND error_code IS NULL")
        try database.execute(machineIndex)
        try database.execute("COMMIT")
    }

    /// `query --machine`: a machine's bundles by time, the name in any case.
    static let machineIndex = "CREATE INDEX IF NOT EXISTS bundles_by_machine ON bundles (host COLLATE NOCASE, collected_at)"

    private static func whyUnusable(_ path: String) -> String {
        do {
            let database = try SQLiteDatabase(path: path)
            let found = try schema(of: database)
            return found.map { "has schema \($0), not \(schemaVersion)" } ?? "is not a loganalyze index"
        } catch let error as SQLiteError {
            return "cannot be used (\(error.message))"
        } catch {
            return "cannot be used (\(error))"
        }
    }

    private static func schema(of database: SQLiteDatabase) throws -> String? {
        guard try database.tableNames().contains("meta") else { return nil }
        return try database.rows("SELECT value FROM meta WHERE key = 'schema'").first?.values.first?.text
    }

    /// The files of an index being built at `PATH.partial`.
    private static func removeAside(of path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { FileSystem.remove(path + ".partial" + suffix) }
    }

    /// Builds an empty index at `PATH.partial` (rollback journal, so it is one file once
    /// closed) and renames it to `path`: a kill or a full disk never leaves half an index.
    private static func create(_ path: String) throws {
        let aside = path + ".partial"
        // A zero-byte file is an empty database; SQLiteKit opens existing files only.
        guard FileManager.default.createFile(atPath: aside, contents: nil) else {
            throw BatchError("cannot create the index \(path): \(SystemError.last().message)")
        }
        do {
            // Rollback journal while it is built, so the closed file is the whole index.
            let database = try SQLiteDatabase(path: aside, writable: true)
            try database.execute("BEGIN")
            try database.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try database.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", [.text(schemaVersion)])
            try database.execute("""
                CREATE TABLE bundles (path TEXT PRIMARY KEY, sha256 TEXT, rules_version TEXT NOT NULL, verdict TEXT,
                cause TEXT, confidence REAL, cc_version TEXT, country TEXT, collected_at TEXT, error_code TEXT,
                line TEXT NOT NULL, host TEXT, user TEXT)
                """)
            try database.execute(machineIndex)
            for (name, columns) in [("content", "sha256, rules_version"), ("cause", "cause, collected_at"),
                                    ("version", "cc_version, collected_at"), ("country", "country, collected_at"),
                                    ("time", "collected_at")] {
                try database.execute("CREATE INDEX bundles_by_\(name) ON bundles (\(columns))")
            }
            try database.execute("COMMIT")
        } catch let error as SQLiteError {
            removeAside(of: path)
            throw BatchError("cannot create the index \(path): \(error.message)"
                             + (error.message.contains("disk is full") ? BatchError.outOfSpaceHint : ""))
        }
        do { try FileSystem.rename(aside, to: path) } catch {
            removeAside(of: path)
            throw BatchError("cannot create the index \(path): \(error.message)")
        }
    }

    /// WAL lets `loganalyze query` read while a batch writes; NORMAL sync is safe with WAL.
    private static func tune(_ database: SQLiteDatabase) throws {
        try database.execute("PRAGMA journal_mode = WAL")
        try database.execute("PRAGMA synchronous = NORMAL")
    }
}

/// SQL text literals, for the few statements `SQLiteDatabase.rows` runs without bindings.
enum SQLText {
    /// `'it''s'`: quotes doubled, so the value cannot end the literal; NUL removed.
    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
