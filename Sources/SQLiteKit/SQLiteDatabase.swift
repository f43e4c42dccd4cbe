/// SQLiteKit: the one module that talks to SQLite.
///
/// It opens a store read-only (from a file, or from bytes held in memory so that a bundle's
/// copy is never extracted to disk), runs queries, and copies a live store with SQLite's online
/// backup, which also reads rows still in a `-wal` file. Untrusted databases are opened in
/// defensive mode with `trusted_schema` off. No SQLite pointer leaves this module.
import Foundation
internal import CSQLite

/// A failure to open or read a SQLite database, in one line.
public struct SQLiteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure it was.
    public enum Code: String, Sendable {
        /// The file is not a SQLite database, or is damaged.
        case notADatabase
        /// Another process holds a lock that did not clear in time.
        case locked
        /// The file could not be opened, read or written.
        case io
        /// A statement failed.
        case query
    }

    /// What kind of failure it was.
    public let code: Code
    /// The database's name (a path, or the name given for an in-memory copy).
    public let database: String
    /// What went wrong, in SQLite's words.
    public let message: String

    /// One line: `database: message`.
    public var description: String { "\(database): \(message)" }

    init(status: Int32, database: String, handle: OpaquePointer?) {
        let text = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(status))
        let code: Code
        switch status & 0xFF {
        case SQLITE_NOTADB, SQLITE_CORRUPT: code = .notADatabase
        case SQLITE_BUSY, SQLITE_LOCKED: code = .locked
        case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM, SQLITE_READONLY, SQLITE_FULL: code = .io
        default: code = .query
        }
        self.init(code: code, database: database, message: text)
    }

    /// An error of this kind, e.g. a lock met by a reader that copies a store itself.
    public init(code: Code, database: String, message: String) {
        self.code = code
        self.database = database
        self.message = message
    }
}

/// One value of a result row.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// The value as text (numbers formatted, blobs decoded as UTF-8), or nil for NULL.
    public var text: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        case .blob(let value): String(decoding: value, as: UTF8.self)
        }
    }

    /// The value as an integer when it is one or is numeric text.
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): Int64(exactly: value.rounded()) 
        case .text(let value): Int64(value.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }
}

/// A result row: values by column name (case-insensitive, as SQL is).
public struct SQLiteRow: Sendable {
    /// Column names in select order.
    public let columns: [String]
    /// Values in select order.
    public let values: [SQLiteValue]

    /// The value of a column by name, compared case-insensitively.
    public subscript(column: String) -> SQLiteValue? {
        columns.firstIndex { $0.caseInsensitiveCompare(column) == .orderedSame }.map { values[$0] }
    }
}

/// A read-only connection to one database. One task at a time; not `Sendable`.
public final class SQLiteDatabase {
    /// The database's name in errors.
    public let name: String
    private let handle: OpaquePointer

    /// Opens a database file, read-only unless `writable` (for a private copy the caller
    /// owns: a scratch file, so its writes do not wait for the disk, `synchronous = OFF`),
    /// waiting up to `busyTimeout` for another process's lock.
    public init(path: String, writable: Bool = false, busyTimeout: Duration = .seconds(2)) throws {
        name = path
        var db: OpaquePointer?
        let mode = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY
        let status = sqlite3_open_v2(path, &db, mode | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            let error = SQLiteError(status: status, database: path, handle: db)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        Self.harden(db)
        if writable { Self.unsynced(db) }
        sqlite3_busy_timeout(db, Int32(busyTimeout.components.seconds * 1000))
        try checkIsDatabase()
    }

    /// Opens a copy of a database held in memory (a bundle's store, never written to disk).
    public init(data: Data, name: String) throws {
        self.name = name
        var db: OpaquePointer?
        let status = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            sqlite3_close_v2(db)
            throw SQLiteError(code: .io, database: name, message: "cannot open an in-memory database")
        }
        handle = db
        Self.harden(db)
        guard let buffer = sqlite3_malloc64(sqlite3_uint64(max(data.count, 1))) else {
            throw SQLiteError(code: .io, database: name, message: "out of memory for the database copy")
        }
        _ = data.withUnsafeBytes { memcpy(buffer, $0.baseAddress ?? UnsafeRawPointer(buffer), data.count) }
        // SQLite owns (and frees) the buffer; the connection may only read it.
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY)
        let loaded = sqlite3_deserialize(db, "main", buffer.assumingMemoryBound(to: UInt8.self),
                                         sqlite3_int64(data.count), sqlite3_int64(data.count), flags)
        guard loaded == SQLITE_OK else { throw SQLiteError(status: loaded, database: name, handle: db) }
        try checkIsDatabase()
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs a query, binding `values` to its `?` parameters in order, and returns every row;
    /// `limit` bounds how many rows are kept.
    public func rows(_ sql: String, _ values: [SQLiteValue] = [], limit: Int = 100_000) throws -> [SQLiteRow] {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard prepared == SQLITE_OK, let statement else {
            throw SQLiteError(status: prepared, database: name, handle: handle)
        }
        defer { sqlite3_finalize(statement) }
        bind(values, to: statement)
        let count = Int(sqlite3_column_count(statement))
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        var rows: [SQLiteRow] = []
        while rows.count < limit {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw SQLiteError(status: step, database: name, handle: handle) }
            rows.append(SQLiteRow(columns: columns, values: (0..<count).map { value(statement, Int32($0)) }))
        }
        return rows
    }

    /// Runs a statement that returns no rows, binding `values` to its `?` parameters in order.
    public func execute(_ sql: String, _ values: [SQLiteValue] = []) throws {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard prepared == SQLITE_OK, let statement else {
            throw SQLiteError(status: prepared, database: name, handle: handle)
        }
        defer { sqlite3_finalize(statement) }
        bind(values, to: statement)
        var step = sqlite3_step(statement)
        while step == SQLITE_ROW { step = sqlite3_step(statement) }
        guard step == SQLITE_DONE else { throw SQLiteError(status: step, database: name, handle: handle) }
    }

    /// Binds `values` to a statement's `?` parameters in order (SQLite copies them).
    private func bind(_ values: [SQLiteValue], to statement: OpaquePointer) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .real(let number): sqlite3_bind_double(statement, index, number)
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, CSQLite_TRANSIENT())
            case .blob(let data):
                _ = data.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), CSQLite_TRANSIENT()) }
            }
        }
    }

    /// An SQL identifier in double quotes, so that any name (an SQL keyword, spaces, quotes)
    /// reads as one.
    public static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The column names of a table, in order.
    public func columns(of table: String) throws -> [String] {
        try rows("PRAGMA table_info(\(Self.quote(table)))").compactMap { $0["name"]?.text }
    }

    /// The names of the database's tables.
    public func tableNames() throws -> [String] {
        try rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0.values.first?.text }
    }

    /// Copies the whole database, `-wal` rows included, to a new file with SQLite's online
    /// backup. The new file is a scratch copy: written without waiting for the disk.
    public func backup(to path: String) throws {
        var destination: OpaquePointer?
        let opened = sqlite3_open_v2(path, &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        defer { sqlite3_close_v2(destination) }
        guard opened == SQLITE_OK, let destination else {
            throw SQLiteError(status: opened, database: path, handle: destination)
        }
        Self.unsynced(destination)
        guard let backup = sqlite3_backup_init(destination, "main", handle, "main") else {
            throw SQLiteError(status: sqlite3_errcode(destination), database: path, handle: destination)
        }
        var status: Int32
        var attempts = 0
        repeat {
            status = sqlite3_backup_step(backup, -1)
            if status == SQLITE_BUSY || status == SQLITE_LOCKED {
                attempts += 1
                sqlite3_sleep(50)
            }
        } while (status == SQLITE_BUSY || status == SQLITE_LOCKED) && attempts < 40
        let finished = sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE else { throw SQLiteError(status: status, database: name, handle: handle) }
        guard finished == SQLITE_OK else { throw SQLiteError(status: finished, database: path, handle: destination) }
    }

    private func checkIsDatabase() throws {
        // Opening is lazy; the first read of the schema is where "not a database" shows.
        _ = try rows("SELECT count(*) FROM sqlite_master")
    }

    private func value(_ statement: OpaquePointer, _ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, index) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let blob = sqlite3_column_blob(statement, index) else { return .blob(Data()) }
            return .blob(Data(bytes: blob, count: count))
        default: return .null
        }
    }

    /// A scratch file's connection: no `fsync` after its writes (a crash may leave the copy
    /// unusable; it is made again, and the original is never written).
    private static func unsynced(_ db: OpaquePointer) {
        sqlite3_exec(db, "PRAGMA synchronous = OFF", nil, nil, nil)
    }

    /// Untrusted files: no schema-defined functions or views with side effects, defensive mode.
    private static func harden(_ db: OpaquePointer) {
        sqlite3_exec(db, "PRAGMA trusted_schema = OFF", nil, nil, nil)
        CSQLite_enableDefensive(db)
    }
}
