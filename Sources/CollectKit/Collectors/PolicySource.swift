import Foundation
import LicensingModel
import LicensingParsers
import SQLiteKit

/// The policy snapshot: each licensing store copied consistently while the service may be
/// writing it (`StoreSnapshot`: its files read by descriptor under SQLite's locks, then SQLite's
/// online backup of that private copy), its secrets removed, and every policy decoded to
/// readable JSON.
///
/// In the copy, `PolicyFile` holds the decoded policy JSON instead of the signed JWT (so no
/// signature stays in the bundle; `AccessKey` reads `[REDACTED]` where one was set); every
/// `AccessKey` column is emptied; then every text value of every table — tables and columns
/// nobody knows included — goes through the same secret scrubber as the logs, so that no
/// unknown table can carry a token into the bundle (nor make the leak check refuse it). The copy
/// is then vacuumed so that no removed value survives in a free page. Each store keeps its own
/// name under `licensing/`.
public struct PolicySource: CollectorSource {
    public let name = "policy"

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        let stores = try StoreSnapshot.locate(context)
        guard !stores.isEmpty else {
            return .missing("no licensing store (\(LicensingStore.fileNames.joined(separator: " or "))) in \(context.licensingFolder)")
        }
        var result = SourceResult()
        let folder = context.scratch.appendingPathComponent("policy-stores", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for store in stores { try snapshot(store, into: folder, result: &result) }
        return result
    }

    private func snapshot(_ store: MachineFile, into folder: URL, result: inout SourceResult) throws {
        let snapshot: StoreSnapshot
        do {
            snapshot = try StoreSnapshot.take(store, into: folder)
        } catch let error as SQLiteError {
            let why = error.code == .locked ? "locked by another process" : error.code == .notADatabase ? "corrupt or not SQLite" : "unreadable"
            result.problems.append("\(store.path): the store is \(why) (\(error.message)); no policy snapshot")
            return
        } catch let error as MachineError {
            result.problems.append("\(error.path): \(error.message); no policy snapshot")
            return
        }
        let database = try SQLiteDatabase(path: snapshot.copy.path, writable: true)
        let tables = try database.tableNames().filter { !$0.lowercased().hasPrefix("sqlite_") }
        for table in tables where ["policy", "checkout"].contains(table.lowercased()) {
            try sanitize(table: table, in: database, result: &result)
        }
        for table in tables where try database.columns(of: table).contains(where: { $0.lowercased() == "accesskey" }) {
            try database.execute("UPDATE \(SQLiteDatabase.quote(table)) SET AccessKey = NULL")
        }
        let named = try StoreSanitizer.redactNamedSecrets(database, redacted: SecretScrubber.redacted) {
            LicensingDate.parse($0) != nil
        }
        let scrubbed = named + (try StoreSanitizer.rewrite(
            database, text: { SecretScrubber.scrub($0, jwtMode: .wholeToken).value },
            blob: { SecretScrubber.scrub(data: $0, jwtMode: .wholeToken).value }))
        if scrubbed > 0 { result.notes.append("\(store.path): \(scrubbed) secret value(s) removed from its tables") }
        try database.execute("PRAGMA journal_mode = DELETE")
        try database.execute("VACUUM")
        for table in tables where ["usage", "feature"].contains(table.lowercased()) {
            let columns = Set(try database.columns(of: table).map { $0.lowercased() })
            let wanted = ["username", "machinename"].filter(columns.contains)
            guard !wanted.isEmpty else { continue }
            for row in try database.rows("SELECT \(wanted.joined(separator: ", ")) FROM \(SQLiteDatabase.quote(table))") {
                if let user = row["Username"]?.text { result.identities.users.insert(user) }
                if let host = row["MachineName"]?.text { result.identities.hosts.insert(host) }
            }
        }
        let fileName = (store.path as NSString).lastPathComponent
        result.entries.insert(PlannedEntry(
            path: "licensing/\(fileName)",
            content: .file(try snapshot.copy.machineFile(origin: store.path, modified: store.modified), keepNewest: nil),
            format: .sqlite, source: name,
            note: "online backup of \(store.path); PolicyFile decoded, secrets removed"
                + (snapshot.note.map { "; \($0)" } ?? "")), at: result.entries.firstIndex { $0.format != .sqlite } ?? result.entries.count)
    }

    /// Replaces each row's `PolicyFile` by its readable JSON and empties `AccessKey`.
    private func sanitize(table: String, in database: SQLiteDatabase, result: inout SourceResult) throws {
        let columns = Set(try database.columns(of: table).map { $0.lowercased() })
        let quoted = SQLiteDatabase.quote(table)
        guard columns.contains("policyfile") else { return }
        for row in try database.rows("SELECT rowid AS rid, PolicyFile FROM \(quoted)") {
            guard let rowid = row["rid"]?.integer else { continue }
            let label = "\(table) row \(rowid)"
            guard let raw = row["PolicyFile"]?.text, !raw.isEmpty else { continue }
            do {
                let readable = try PolicyDecoder.readableJSON(Data(raw.utf8), file: label)
                try database.execute("UPDATE \(quoted) SET PolicyFile = ? WHERE rowid = ?",
                                     [.text(String(decoding: readable, as: UTF8.self)), .integer(rowid)])
                let policy = try PolicyDecoder.policy(from: readable, file: label)
                if let machine = policy.requestData?.machineName { result.identities.hosts.insert(machine) }
                if table.lowercased() == "policy" {
                    let id = Self.safeName(policy.policyId ?? "row-\(rowid)")
                    result.entries.append(PlannedEntry(path: "licensing/policies/\(id).json", content: .data(readable),
                                                       format: .text, source: name))
                }
            } catch {
                // Kept as it is (the scrubbing below removes any token in it): that it does not
                // decode is what the analysis diagnoses (policy-invalid).
                result.problems.append("\(label): the policy cannot be decoded (\(error)); kept as it is, scrubbed")
            }
        }
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
