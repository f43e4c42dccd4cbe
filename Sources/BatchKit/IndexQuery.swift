import Foundation
import SQLiteKit

/// `loganalyze query`: which bundles of an index match a cause, a CC version, a country or a
/// collection period, or one machine's history (`--machine`, newest first). Every filter is
/// served by an index of `TriageIndex`'s table.
public struct IndexQuery: Sendable, Equatable {
    /// A top cause code, e.g. `country-mismatch`.
    public var cause: String?
    /// A CC version or its leading parts: `11` matches `11.00.03.14`.
    public var ccVersion: String?
    /// A country code (`Geo\Name`), any case.
    public var country: String?
    /// Collected at or after this time.
    public var since: Date?
    /// Collected before this time.
    public var until: Date?
    /// A machine's name (`bundle.host`), any case: its history, newest first.
    public var machine: String?

    /// A query; every filter is optional.
    public init(cause: String? = nil, ccVersion: String? = nil, country: String? = nil, since: Date? = nil, until: Date? = nil,
                machine: String? = nil) {
        self.machine = machine
        self.cause = cause
        self.ccVersion = ccVersion
        self.country = country
        self.since = since
        self.until = until
    }

    /// One matching bundle.
    public struct Match: Sendable, Equatable {
        public var path: String
        public var verdict: String
        public var cause: String?
        public var confidence: Double?
        /// `bundle.collectedAt`, as written.
        public var collectedAt: String?
        /// `bundle.user`.
        public var user: String?

        /// `path<TAB>verdict<TAB>cause<TAB>confidence`; `-` for none, `error:CODE` for a bundle
        /// that could not be read.
        public var line: String {
            [path, verdict, cause ?? "-", confidence.map { String(format: "%.2f", $0) } ?? "-"].joined(separator: "\t")
        }

        /// A machine's history line: `collectedAt<TAB>user<TAB>` and then `line`.
        public var historyLine: String {
            [collectedAt ?? "-", user ?? "-", line].joined(separator: "\t")
        }
    }

    /// The SQL this query runs.
    var sql: String {
        var conditions: [String] = []
        if let cause { conditions.append("cause = \(SQLText.literal(cause))") }
        if let ccVersion {
            // "11" matches 11 and 11.x: a range on the index ("/" sorts just after ".").
            conditions.append("(cc_version = \(SQLText.literal(ccVersion)) OR (cc_version >= \(SQLText.literal(ccVersion + "."))"
                              + " AND cc_version < \(SQLText.literal(ccVersion + "/"))))")
        }
        if let country { conditions.append("country = \(SQLText.literal(country.uppercased()))") }
        if let since { conditions.append("collected_at >= \(SQLText.literal(Self.iso(since)))") }
        if let until { conditions.append("collected_at < \(SQLText.literal(Self.iso(until)))") }
        if let machine { conditions.append("host = \(SQLText.literal(machine)) COLLATE NOCASE") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        guard machine != nil else { return "SELECT path, verdict, cause, confidence, error_code FROM bundles\(filter) ORDER BY path" }
        return "SELECT path, verdict, cause, confidence, error_code, collected_at, user FROM bundles\(filter)"
            + " ORDER BY collected_at DESC, path"
    }

    /// Runs the query on the index at `path`.
    public func run(index path: String) throws -> [Match] {
        let database = try TriageIndex.openForQuery(path)
        do {
            if machine != nil, !Set(try database.columns(of: "bundles")).isSuperset(of: TriageIndex.identityColumns) {
                throw BatchError("\(path): written before the index recorded machines; run the batch again with --index \(path) to add them")
            }
            return try database.rows(sql, limit: Int.max).map { row in
                let error = row["error_code"]?.text
                return Match(path: row["path"]?.text ?? "", verdict: error.map { "error:\($0)" } ?? row["verdict"]?.text ?? "unknown",
                             cause: row["cause"]?.text, confidence: row["confidence"].flatMap { value in
                                 if case .real(let number) = value { return number }
                                 return value.integer.map(Double.init)
                             }, collectedAt: row["collected_at"]?.text, user: row["user"]?.text)
            }
        } catch let error as SQLiteError {
            throw BatchError("\(path): \(error.message)")
        }
    }

    /// Reads `2026-11-20` (that day's start, UTC) or `2026-11-20T10:00:00Z`.
    public static func date(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle().year().month().day().parse(text)
    }

    /// The end of an `--until` period: a bare date includes that whole day.
    public static func until(_ text: String) -> Date? {
        guard let date = date(text) else { return nil }
        return text.count == 10 ? date.addingTimeInterval(86_400) : date.addingTimeInterval(1)
    }

    static func iso(_ date: Date) -> String { Date.ISO8601FormatStyle().format(date) }
}
