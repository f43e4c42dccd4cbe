import Foundation
import LicensingModel
import SQLiteKit

/// The licensing store (CLIENT-MODEL §3, §12) as every client version writes it: the one reader
/// of its tables, shared by `logcollect` (which decides product statuses from it) and
/// `loganalyze` (which builds facts from it).
///
/// Tables and columns are found **by name**, in any case; missing ones are simply absent, and
/// tables or columns nobody knows are listed (`unknownTables`, `unknownColumns`) but never a
/// reason to refuse the store. Known variants: the file named `LicensingStore.db` or
/// `License.db`; `Usage` with 21 or 19 columns; a `Feature` table; `Checkout` rows whose product
/// is only inside `PolicyFile`; a `ProjectId` column on `Policy`; `PolicyFile` as a JWT or as
/// raw JSON. Row problems (a `PolicyFile` that does not decode) are `problems`, one line each,
/// and the policy's row stays in `policyRows` with the reason in `undecodable`.
public struct LicensingStore: Sendable {
    /// The names client versions give the store, newest first.
    public static let fileNames = ["LicensingStore.db", "License.db"]

    /// The tables this reader knows, with the columns it knows of each (lower case).
    public static let knownColumns: [String: Set<String>] = {
        // SecurableId: the 19-column Usage names the securable; nothing reads it.
        let usage = Set((UsageRecord.columns + UsageRecord.columnAliases.keys + ["SecurableId"]).map { $0.lowercased() })
        return [
            "policy": ["policyid", "userid", "accesskey", "expirationdate", "lastupdatetime", "policyfile", "projectid"],
            "checkout": ["policyid", "userid", "accesskey", "productid", "featurestring", "expirationdate",
                         "lastupdatetime", "policyfile"],
            "offlinegrace": ["graceid", "offlinegraceperiodstart"],
            "usage": usage,
            "feature": usage.union(["featureid", "startdate", "enddate", "userdata"]),
            "eimversion": ["schemaname", "schemaversion"],
        ]
    }()

    /// How many usage rows (of `Usage` and `Feature` together) are read at most.
    public static let usageRowLimit = 50_000

    /// One table as found: its name as written and its columns.
    public struct Table: Sendable, Equatable {
        public var name: String
        public var columns: [String]
    }

    /// A `Policy` row whose `PolicyFile` could not be decoded, and why.
    public struct UndecodablePolicy: Sendable, Equatable {
        public var source: SourceRef
        public var reason: String
    }

    /// The store's name in sources and messages (a bundle path or a machine path).
    public let file: String
    /// Every table, as found.
    public private(set) var tables: [Table] = []
    /// The decoded policies of the `Policy` table, in row order; each one's source names its row.
    public private(set) var policies: [Policy] = []
    /// The `Policy` rows, decoded or not.
    public private(set) var policyRows: [StoredPolicyRow] = []
    /// `Policy` rows whose `PolicyFile` is there but does not decode.
    public private(set) var undecodable: [UndecodablePolicy] = []
    /// The checked-out licenses of the `Checkout` table.
    public private(set) var checkouts: [Checkout] = []
    /// The earliest `OfflineGrace.OfflineGracePeriodStart`; nil when no grace runs.
    public private(set) var offlineGraceStart: Date?
    /// Usage records of the `Usage` and `Feature` tables (at most `usageRowLimit`).
    public private(set) var usage: [UsageRecord] = []
    /// How many rows each known table holds (lower-case name → count).
    public private(set) var rowCounts: [String: Int] = [:]
    /// Problems met, one line each, naming the table and row.
    public private(set) var problems: [String] = []

    /// Reads a store held in memory (a bundle entry).
    public init(data: Data, file: String) throws {
        try self.init(database: SQLiteDatabase(data: data, name: file), file: file)
    }

    /// Reads an open database. Only a database without any table at all is refused, as not a
    /// store; everything else is read as far as it goes.
    public init(database: SQLiteDatabase, file: String) throws {
        self.file = file
        for name in try database.tableNames() where !name.lowercased().hasPrefix("sqlite_") {
            tables.append(Table(name: name, columns: (try? database.columns(of: name)) ?? []))
        }
        readPolicies(database)
        readCheckouts(database)
        readOfflineGrace(database)
        readUsage(database)
    }

    /// Whether the database holds a `Policy` table: how a store is recognised by content.
    public static func isStore(_ database: SQLiteDatabase) -> Bool {
        ((try? database.tableNames()) ?? []).contains { $0.lowercased() == "policy" }
    }

    /// Tables this reader does not know, by name.
    public var unknownTables: [String] {
        tables.map(\.name).filter { Self.knownColumns[$0.lowercased()] == nil }
    }

    /// Columns of known tables this reader does not know, as `Table.Column`.
    public var unknownColumns: [String] {
        tables.flatMap { table -> [String] in
            guard let known = Self.knownColumns[table.name.lowercased()] else { return [] }
            return table.columns.filter { !known.contains($0.lowercased()) }.map { "\(table.name).\($0)" }
        }
    }

    /// What a reader of the report should know about the store's layout, one line each: the
    /// tables every client version has that this store lacks, and the tables and columns this
    /// reader does not know (kept in the bundle, not read). Empty for a store as clients write it.
    public var layoutNotes: [String] {
        var notes: [String] = []
        let present = Set(tables.map { $0.name.lowercased() })
        let lacking = ["Policy", "Checkout", "OfflineGrace"].filter { !present.contains($0.lowercased()) }
            + (present.contains("usage") || present.contains("feature") ? [] : ["Usage"])
        if !lacking.isEmpty {
            notes.append("\(file): no \(lacking.joined(separator: ", ")) table (an older or damaged store): read what is there")
        }
        let tablesUnknown = unknownTables, columnsUnknown = unknownColumns
        if !tablesUnknown.isEmpty || !columnsUnknown.isEmpty {
            var parts: [String] = []
            if !tablesUnknown.isEmpty {
                parts.append("\(tablesUnknown.count) table\(tablesUnknown.count == 1 ? "" : "s") (\(Self.list(tablesUnknown)))")
            }
            if !columnsUnknown.isEmpty {
                parts.append("\(columnsUnknown.count) column\(columnsUnknown.count == 1 ? "" : "s") (\(Self.list(columnsUnknown)))")
            }
            notes.append("\(file): \(parts.joined(separator: " and ")) unknown to this reader: kept in the bundle, not read")
        }
        return notes
    }

    /// The first few names, then how many more.
    private static func list(_ names: [String]) -> String {
        names.count <= 4 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }

    /// The store the client uses among several (client versions name it differently, and a
    /// machine may keep both): the one whose newest policy is the newest.
    public static func inUse(_ stores: [LicensingStore]) -> LicensingStore? {
        stores.max { ($0.currentPolicy?.createdOn ?? .distantPast) < ($1.currentPolicy?.createdOn ?? .distantPast) }
    }

    /// The newest policy (by `PolicyCreatedOn`).
    public var currentPolicy: Policy? {
        policies.max { ($0.createdOn ?? .distantPast) < ($1.createdOn ?? .distantPast) }
    }

    /// The distinct (product, feature string) pairs of the usage records.
    public var usedProducts: [(productId: Int, featureString: String)] {
        var seen = Set<String>()
        var pairs: [(productId: Int, featureString: String)] = []
        for record in usage {
            guard let id = record.productId else { continue }
            let feature = record.featureString ?? ""
            if seen.insert("\(id)|\(feature)").inserted { pairs.append((id, feature)) }
        }
        return pairs
    }

    // MARK: - Tables

    /// The table named `name` in any case, with its columns.
    private func table(_ name: String) -> Table? {
        tables.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Selects the named columns that `table` has (others read as absent), every row in order.
    private mutating func select(_ wanted: [String], from table: Table, database: SQLiteDatabase,
                                 limit: Int = 100_000) -> [SQLiteRow] {
        let present = table.columns.filter { column in wanted.contains { $0.lowercased() == column.lowercased() } }
        guard !present.isEmpty else { return [] }
        let sql = "SELECT \(present.map(SQLiteDatabase.quote).joined(separator: ", ")) FROM \(SQLiteDatabase.quote(table.name))"
        do {
            let rows = try database.rows(sql, limit: limit)
            rowCounts[table.name.lowercased()] = rows.count
            return rows
        } catch {
            problems.append("\(file) \(table.name): cannot be read (\(error))")
            return []
        }
    }

    private mutating func readPolicies(_ database: SQLiteDatabase) {
        guard let table = table("Policy") else { return }
        let rows = select(["PolicyId", "UserId", "ExpirationDate", "LastUpdateTime", "ProjectId", "PolicyFile"],
                          from: table, database: database)
        for (index, row) in rows.enumerated() {
            let policyId = row["PolicyId"]?.text
            let source = SourceRef(file: file, row: Self.rowKey(table.name, "PolicyId", policyId, index: index))
            policyRows.append(StoredPolicyRow(
                policyId: policyId, userId: row["UserId"]?.text,
                expirationDate: row["ExpirationDate"]?.text.flatMap(LicensingDate.parse),
                lastUpdateTime: row["LastUpdateTime"]?.text.flatMap(LicensingDate.parse),
                projectId: row["ProjectId"]?.text, source: source))
            guard let text = row["PolicyFile"]?.text, !text.isEmpty else { continue }
            do {
                var policy = try PolicyDecoder.policy(from: Data(text.utf8), file: file)
                policy.source = source
                policies.append(policy)
            } catch {
                undecodable.append(UndecodablePolicy(source: source, reason: "\(error)"))
                problems.append("\(source): the PolicyFile does not decode (\(error))")
            }
        }
    }

    private mutating func readCheckouts(_ database: SQLiteDatabase) {
        guard let table = table("Checkout") else { return }
        let rows = select(["PolicyId", "PolicyFile"], from: table, database: database)
        for (index, row) in rows.enumerated() {
            let source = SourceRef(file: file, row: Self.rowKey(table.name, "PolicyId", row["PolicyId"]?.text, index: index))
            guard let text = row["PolicyFile"]?.text, !text.isEmpty else { continue }
            do {
                var checkout = try PolicyDecoder.checkout(from: Data(text.utf8), file: file)
                checkout.source = source
                checkouts.append(checkout)
            } catch {
                problems.append("\(source): the checkout's PolicyFile does not decode (\(error))")
            }
        }
    }

    private mutating func readOfflineGrace(_ database: SQLiteDatabase) {
        guard let table = table("OfflineGrace") else { return }
        offlineGraceStart = select(["OfflineGracePeriodStart"], from: table, database: database)
            .compactMap { $0["OfflineGracePeriodStart"]?.text.flatMap(LicensingDate.parse) }.min()
    }

    private mutating func readUsage(_ database: SQLiteDatabase) {
        let names = UsageRecord.columns + Array(UsageRecord.columnAliases.keys)
        for tableName in ["Usage", "Feature"] {
            guard let table = table(tableName) else { continue }
            let room = Self.usageRowLimit - usage.count
            guard room > 0 else { return }
            for (index, row) in select(names, from: table, database: database, limit: room).enumerated() {
                var columns: [String: String] = [:]
                for (name, value) in zip(row.columns, row.values) { columns[name] = value.text }
                usage.append(UsageLogParser.record(
                    columns: columns, source: SourceRef(file: file, row: "\(table.name) row \(index + 1)")))
            }
        }
    }

    /// `Policy PolicyId=…`, or `Policy row 3` when the row has no key.
    private static func rowKey(_ table: String, _ column: String, _ value: String?, index: Int) -> String {
        guard let value, !value.isEmpty else { return "\(table) row \(index + 1)" }
        return "\(table) \(column)=\(value)"
    }
}
