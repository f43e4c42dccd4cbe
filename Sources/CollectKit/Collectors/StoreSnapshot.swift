import Foundation
import LicensingModel
import LicensingParsers
import SQLiteKit

/// The licensing stores of the machine (CLIENT-MODEL §3, §12), found and copied consistently.
///
/// Client versions name the store `LicensingStore.db` or `License.db`; any other SQLite file of
/// the licensing folder with a `Policy` table is one too (found by content). Each is copied with
/// SQLite's online backup, which reads `-wal` rows; a rollback journal (`-journal`) beside it is
/// rolled back first, in a private copy of the two files (a read-only connection cannot).
struct StoreSnapshot {
    /// The store on the machine.
    let original: MachineFile
    /// The private, consistent copy in the scratch folder; safe to write to.
    let copy: URL
    /// What was done beyond a plain backup (the journal rolled back), for the manifest.
    let note: String?

    /// The stores of the licensing folder: the known names first, then other SQLite files
    /// holding a `Policy` table.
    static func locate(_ context: CollectionContext) throws -> [MachineFile] {
        var found: [MachineFile] = []
        for name in LicensingStore.fileNames {
            if let file = try context.machine.file(at: context.licensingFolder + "/" + name) { found.append(file) }
        }
        let others = ((try? context.machine.files(under: context.licensingFolder, recursive: false).files) ?? [])
            .filter { file in
                !found.contains { $0.path.lowercased() == file.path.lowercased() } && isSQLite(file)
                    && ((try? SQLiteDatabase(path: file.url.path)).map(LicensingStore.isStore) ?? false)
            }
        return found + others.sorted { $0.path < $1.path }
    }

    /// Copies `store` into `folder` (which must exist and be private) under its own name.
    static func take(_ store: MachineFile, into folder: URL) throws -> StoreSnapshot {
        let name = (store.path as NSString).lastPathComponent
        let copy = folder.appendingPathComponent(name)
        let journal = URL(fileURLWithPath: store.url.path + "-journal")
        guard FileManager.default.fileExists(atPath: journal.path) else {
            try SQLiteDatabase(path: store.url.path).backup(to: copy.path)
            return StoreSnapshot(original: store, copy: copy, note: nil)
        }
        // A hot journal: roll it back in a private copy of both files, then back that up.
        let staging = folder.appendingPathComponent(".journal-" + name, isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        let stagedStore = staging.appendingPathComponent(name)
        try FileManager.default.copyItem(at: store.url, to: stagedStore)
        try FileManager.default.copyItem(at: journal, to: URL(fileURLWithPath: stagedStore.path + "-journal"))
        try SQLiteDatabase(path: stagedStore.path, writable: true).backup(to: copy.path)
        return StoreSnapshot(original: store, copy: copy,
                             note: "a rollback journal lay beside it: read from a private copy of both, so SQLite rolls back what it must")
    }

    /// Whether the file starts with SQLite's header.
    private static func isSQLite(_ file: MachineFile) -> Bool {
        guard file.size >= 100, let reader = try? file.open() else { return false }
        var header = [UInt8](repeating: 0, count: 16)
        let count = header.withUnsafeMutableBytes { (try? reader.read(into: $0, at: 0)) ?? 0 }
        return count == 16 && header == Array("SQLite format 3\0".utf8)
    }

    /// Reads the copy.
    func read() throws -> LicensingStore {
        try LicensingStore(database: SQLiteDatabase(path: copy.path), file: original.path)
    }
}
