import Foundation
import Testing
import TestSupport

// Helpers of KilledBatchTests and DiskFullTests (mount, statvfs, geteuid, getpid): Linux (and macOS) only.
#if !os(Windows)

/// `count` bundles of distinct content (so the index cannot reuse one bundle's line for another):
/// fixture bundles, each with a ZIP comment of its own. Returns their paths.
@discardableResult
func makeDistinctBundles(_ count: Int, in folder: String) throws -> [String] {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let names = ClientFixtures.names
    return try (0..<count).map { number in
        var data = try Data(contentsOf: URL(fileURLWithPath: FixtureBundles.path(names[number % names.count])))
        // Without a comment the end-of-central-directory record is the last 22 bytes; its last
        // field is the comment's length.
        let end = data.count - 22
        try #require(data[end..<end + 4] == Data([0x50, 0x4B, 0x05, 0x06]), "no end record where expected")
        let comment = Data("copy \(number)".utf8)
        data[end + 20] = UInt8(comment.count & 0xFF)
        data[end + 21] = UInt8(comment.count >> 8)
        data.append(comment)
        let path = folder + String(format: "/%04d.zip", number)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Starts the built `loganalyze` with `arguments`, its output discarded.
func startTool(_ tool: String, _ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// How many whole lines `path` holds (0 when it does not exist).
func lineCount(_ path: String) -> Int {
    FileManager.default.contents(atPath: path)?.filter { $0 == 0x0A }.count ?? 0
}

/// Every file under `folder` whose name says it was left aside (`.partial`, and SQLite's
/// `-journal`, `-wal`, `-shm` beside one).
func asideFiles(under folder: String) -> [String] {
    let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
    return names.filter { $0.hasSuffix(".partial") || $0.contains(".partial-") }.sorted()
}

/// A size-limited tmpfs mounted for one test: a disk that really fills up.
final class SmallDisk {
    /// Where it is mounted.
    let path: String

    /// Whether this process may mount one (root, with the capability to mount); found once.
    static let canMount: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("batchkit-mount-probe-\(getpid())").path
        guard let disk = try? SmallDisk(at: probe, kilobytes: 64) else { return false }
        disk.unmount()
        return true
    }()

    /// Mounts a tmpfs of `kilobytes` at `path` (created as needed).
    init(at path: String, kilobytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
        guard result.status == 0 else { throw SmallDiskError(message: result.output) }
    }

    /// Free bytes.
    var free: Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_bsize)
    }

    /// Fills the disk with a file until `bytes` are left free.
    func fill(leaving bytes: Int) throws {
        let filler = max(0, free - bytes)
        try Data(count: filler).write(to: URL(fileURLWithPath: path + "/filler"))
    }

    func unmount() {
        _ = try? runTool("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }
}

struct SmallDiskError: Error {
    let message: String
}
#endif
