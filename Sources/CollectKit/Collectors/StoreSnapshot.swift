import Foundation
import LicensingModel
import LicensingParsers
import Platform
import SQLiteKit

/// The licensing stores of the machine (CLIENT-MODEL §3, §12), found and copied consistently.
///
/// Client versions name the store `LicensingStore.db` or `License.db`; any other SQLite file of
/// the licensing folder with a `Policy` table is one too (found by content, in a copy).
///
/// A store is never opened by path: SQLite resolves a path (and the links in it) itself, so a
/// store swapped for a link after the folder was listed would be read from wherever the link
/// points. Instead its files are opened from the client root's descriptor like every other
/// file (`MachineFile.open`), copied into a private staging folder under the same locks
/// SQLite's own readers take (`LockedStoreCopy`), and SQLite then opens the copy: it replays
/// the `-wal` or rolls back a hot `-journal` there, and its online backup makes the snapshot.
struct StoreSnapshot {
    /// The store on the machine.
    let original: MachineFile
    /// The private, consistent copy in the scratch folder; safe to write to.
    let copy: URL
    /// What was done beyond a plain copy (the journal rolled back), for the manifest.
    let note: String?

    /// The stores of the licensing folder: the known names first, then other SQLite files
    /// holding a `Policy` table (judged on a snapshot of each, in `probes`).
    static func locate(_ context: CollectionContext) throws -> [MachineFile] {
        var found: [MachineFile] = []
        for name in LicensingStore.fileNames {
            if let file = try context.machine.file(at: context.licensingFolder + "/" + name) { found.append(file) }
        }
        let probes = context.scratch.appendingPathComponent("store-probes-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: probes) }
        let others = ((try? context.machine.files(under: context.licensingFolder, recursive: false).files) ?? [])
            .filter { file in
                guard !found.contains(where: { $0.path.lowercased() == file.path.lowercased() }), isSQLite(file),
                      (try? FileManager.default.createDirectory(at: probes, withIntermediateDirectories: true)) != nil,
                      let probe = try? take(file, into: probes), let store = try? SQLiteDatabase(path: probe.copy.path)
                else { return false }
                return LicensingStore.isStore(store)
            }
        return found + others.sorted { $0.path < $1.path }
    }

    /// Copies `store` into `folder` (which must exist and be private) under its own name.
    ///
    /// Throws `SQLiteError` with code `.locked` when another process keeps the store locked
    /// for longer than `LockedStoreCopy.patience`, `MachineError` when a file of the store cannot
    /// be opened (a link swapped in is refused).
    static func take(_ store: MachineFile, into folder: URL) throws -> StoreSnapshot {
        let name = (store.path as NSString).lastPathComponent
        let copy = folder.appendingPathComponent(name)
        guard ReadOnlyFile.canLockRanges else {
            // Windows: no byte-range locks here; its files were opened by path anyway (docs/windows.md).
            try SQLiteDatabase(path: store.url.path).backup(to: copy.path)
            return StoreSnapshot(original: store, copy: copy, note: nil)
        }
        let staging = folder.appendingPathComponent(".staging-" + name, isDirectory: true)
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        let staged = staging.appendingPathComponent(name)
        let copied = try LockedStoreCopy.copy(store, to: staged)
        // Writable: SQLite replays the -wal or rolls back the hot journal in the private copy.
        try SQLiteDatabase(path: staged.path, writable: true).backup(to: copy.path)
        return StoreSnapshot(original: store, copy: copy, note: copied.hotJournal
            ? "a rollback journal lay beside it: read from a private copy of both, so SQLite rolls back what it must" : nil)
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

/// A store's files copied byte for byte while SQLite's locking protocol keeps writers from
/// changing what is read (the unix VFS of `os_unix.c`, whose byte offsets are fixed by SQLite's
/// file format):
///
/// - as a reader does, a shared lock on the database's `PENDING` byte, then on its 510 `SHARED`
///   bytes, then the `PENDING` byte let go: no writer can commit (that needs a write lock on
///   the `SHARED` bytes) until the copy is made;
/// - rollback journal mode: a `-journal` is copied only when it is hot, i.e. no process holds
///   the `RESERVED` byte (a writer's journal in progress is not part of the database);
/// - WAL mode: the `-wal` is copied too, with a shared lock on the checkpoint lock of the
///   `-shm` file, so no checkpoint writes into the database while it is read (frames appended
///   meanwhile are a valid prefix: SQLite checks each frame's checksum on the copy).
///
/// Every file is opened as `MachineFile.open` opens one (from the root's descriptor, no link
/// followed). The database's size and time are compared before and after; a copy made while
/// it changed anyway (a writer ignoring locks) is made again.
enum LockedStoreCopy {
    /// How long another process's lock is waited for: SQLite's own busy time-out of 2 s.
    static let patience: Double = 2
    static let pendingByte: Int64 = 0x4000_0000
    static let reservedByte: Int64 = pendingByte + 1
    static let sharedFirst: Int64 = pendingByte + 2
    static let sharedSize: Int64 = 510
    /// `WAL_CKPT_LOCK` in the `-shm` file: `UNIX_SHM_BASE` (120) + 1.
    static let checkpointLockByte: Int64 = 121

    struct Copied {
        /// A hot rollback journal was copied beside the database.
        var hotJournal = false
    }

    static func copy(_ store: MachineFile, to staged: URL) throws -> Copied {
        let database = try store.open()
        let started = Date()
        func waited() -> Bool { Date().timeIntervalSince(started) > patience }
        func locked() -> SQLiteError { SQLiteError(code: .locked, database: store.path, message: "database is locked") }
        while !(try shareLock(database)) {
            guard !waited() else { throw locked() }
            pause()
        }
        defer { database.unlock(offset: sharedFirst, length: sharedSize) }
        let inWALMode = try walMode(database)
        let checkpoints = inWALMode ? try store.openSibling(suffix: "-shm") : nil
        if let checkpoints {
            while !(try checkpoints.tryShareLock(offset: checkpointLockByte, length: 1)) {
                guard !waited() else { throw locked() }
                pause()
            }
        }
        defer { checkpoints?.unlock(offset: checkpointLockByte, length: 1) }
        var copied = Copied()
        for attempt in 1...3 {
            let before = try status(database, store)
            try write(database, of: store.path, to: staged.path)
            if inWALMode {
                if let wal = try store.openSibling(suffix: "-wal") { try write(wal, of: store.path + "-wal", to: staged.path + "-wal") }
            } else if !database.isWriteLocked(offset: reservedByte, length: 1),
                      let journal = try store.openSibling(suffix: "-journal") {
                try write(journal, of: store.path + "-journal", to: staged.path + "-journal")
                copied.hotJournal = true
            }
            if try status(database, store) == before || attempt == 3 { break }
            for suffix in ["", "-wal", "-journal"] { try? FileManager.default.removeItem(atPath: staged.path + suffix) }
            copied = Copied()
            pause()
        }
        return copied
    }

    /// Waits 50 ms before trying again.
    private static func pause() {
        Thread.sleep(forTimeInterval: 0.05)
    }

    /// The shared lock a reader takes, without waiting; false while a writer holds it off.
    private static func shareLock(_ database: ReadOnlyFile) throws -> Bool {
        guard try database.tryShareLock(offset: pendingByte, length: 1) else { return false }
        defer { database.unlock(offset: pendingByte, length: 1) }
        return try database.tryShareLock(offset: sharedFirst, length: sharedSize)
    }

    /// Whether the database's header says WAL mode (bytes 18 and 19, the read and write versions, are 2).
    private static func walMode(_ database: ReadOnlyFile) throws -> Bool {
        var header = [UInt8](repeating: 0, count: 20)
        let count = try header.withUnsafeMutableBytes { try database.read(into: $0, at: 0) }
        return count == 20 && header[18] == 2 && header[19] == 2
    }

    private static func status(_ file: ReadOnlyFile, _ store: MachineFile) throws -> ReadOnlyFile.Status {
        do throws(SystemError) { return try file.status() } catch { throw MachineError(path: store.path, message: error.message) }
    }

    /// Copies the whole of `file` to a new file at `path`.
    private static func write(_ file: ReadOnlyFile, of origin: String, to path: String) throws {
        do throws(SystemError) {
            let output = try WritableFile(path: path)
            defer { output.close() }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
            defer { buffer.deallocate() }
            var offset: Int64 = 0
            while true {
                let count = try file.read(into: buffer, at: offset)
                if count == 0 { return }
                try output.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                offset += Int64(count)
            }
        } catch {
            throw MachineError(path: origin, message: error.message)
        }
    }
}
