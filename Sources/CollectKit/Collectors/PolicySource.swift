import Foundation
import LicensingModel
import LicensingParsers
import SQLiteKit

/// The policy snapshot: the store copied with SQLite's online backup (the service may hold it
/// open in WAL mode), its secrets removed, and every policy decoded to readable JSON.
///
/// In the copy, `PolicyFile` holds the decoded policy JSON instead of the signed JWT (so no
/// signature and no `AccessKey` stays in the bundle) and the `AccessKey` column is emptied;
/// the copy is then vacuumed so that no removed value survives in a free page.
public struct PolicySource: CollectorSource {
    public let name = "policy"

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        let storePath = context.licensingFolder + "/LicensingStore.db"
        guard let store = try context.machine.file(at: storePath) else {
            return .missing("no licensing store at \(storePath)")
        }
        var result = SourceResult()
        let copy = context.scratch.appendingPathComponent("LicensingStore.db")
        do {
            try SQLiteDatabase(path: store.url.path).backup(to: copy.path)
        } catch let error as SQLiteError {
            let why = error.code == .locked ? "locked by another process" : error.code == .notADatabase ? "corrupt or not SQLite" : "unreadable"
            result.problems.append("\(store.path): the store is \(why) (\(error.message)); no policy snapshot")
            return result
        }
        let database = try SQLiteDatabase(path: copy.path, writable: true)
        let tables = Set(try database.tableNames().map { $0.lowercased() })
        for table in ["Policy", "Checkout"] where tables.contains(table.lowercased()) {
            try sanitize(table: table, in: database, result: &result)
        }
        try database.execute("PRAGMA journal_mode = DELETE")
        try database.execute("VACUUM")
        for table in ["Usage"] where tables.contains(table.lowercased()) {
            for row in try database.rows("SELECT Username, MachineName FROM \(table)") {
                if let user = row["Username"]?.text { result.identities.users.insert(user) }
                if let host = row["MachineName"]?.text { result.identities.hosts.insert(host) }
            }
        }
        result.entries.insert(PlannedEntry(
            path: "licensing/LicensingStore.db",
            content: .file(try copy.machineFile(origin: store.path, modified: store.modified), keepNewest: nil),
            format: .sqlite, source: name,
            note: "online backup of \(store.path); PolicyFile decoded, secrets removed"), at: 0)
        return result
    }

    /// Replaces each row's `PolicyFile` by its readable JSON and empties `AccessKey`.
    private func sanitize(table: String, in database: SQLiteDatabase, result: inout SourceResult) throws {
        let columns = Set(try database.columns(of: table).map { $0.lowercased() })
        guard columns.contains("policyfile") else { return }
        for row in try database.rows("SELECT rowid AS rid, PolicyFile FROM \(table)") {
            guard let rowid = row["rid"]?.integer else { continue }
            let label = "\(table) row \(rowid)"
            guard let raw = row["PolicyFile"]?.text, !raw.isEmpty else { continue }
            do {
                let readable = try PolicyDecoder.readableJSON(Data(raw.utf8), file: label)
                try database.execute("UPDATE \(table) SET PolicyFile = ? WHERE rowid = ?",
                                     [.text(String(decoding: readable, as: UTF8.self)), .integer(rowid)])
                let policy = try PolicyDecoder.policy(from: readable, file: label)
                if let machine = policy.requestData?.machineName { result.identities.hosts.insert(machine) }
                if table == "Policy" {
                    let id = Self.safeName(policy.policyId ?? "row-\(rowid)")
                    result.entries.append(PlannedEntry(path: "licensing/policies/\(id).json", content: .data(readable),
                                                       format: .text, source: name))
                }
            } catch {
                try database.execute("UPDATE \(table) SET PolicyFile = NULL WHERE rowid = ?", [.integer(rowid)])
                result.problems.append("\(label): the policy cannot be decoded (\(error)); left out of the copy")
            }
        }
        if columns.contains("accesskey") { try database.execute("UPDATE \(table) SET AccessKey = NULL") }
    }

    /// A policy id made safe as a file name.
    static func safeName(_ text: String) -> String {
        let cleaned = text.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        return cleaned.isEmpty ? "policy" : String(cleaned.prefix(80))
    }
}

extension URL {
    /// This local file (one the collector made) as a `MachineFile` standing for `origin`.
    func machineFile(origin: String? = nil, modified: Date? = nil) throws -> MachineFile {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return MachineFile(path: origin ?? lastPathComponent, url: self, size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                           modified: modified ?? attributes[.modificationDate] as? Date ?? Date())
    }
}
