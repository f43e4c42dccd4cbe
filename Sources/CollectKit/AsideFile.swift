import Foundation
import Platform

/// The file a bundle is written to before it is renamed into place: `.NAME.partial-PID`
/// beside the output, hidden, never at the output path.
///
/// A collection killed with SIGKILL (or a power cut) leaves it behind. The next collection to
/// the same output removes it when it is **stale**: its writer (the PID in its name) is gone,
/// or it was last written more than `staleAge` ago (a PID reused by another process). One
/// still being written by a live collection is left alone. One named with this process's own
/// PID is always stale (its writer was an earlier process with the same PID), and is removed
/// so that the new one can be created exclusively (a link planted there is never written through).
enum AsideFile {
    /// An aside file older than this is stale even if a process with its PID runs.
    static let staleAge: TimeInterval = 24 * 3600

    /// The aside file of `destination` for the process `id`.
    static func path(for destination: URL, process id: Int = CurrentProcess.id) -> URL {
        destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).partial-\(id)")
    }

    /// Removes the stale aside files of `destination`; returns their names.
    @discardableResult
    static func removeStale(for destination: URL, now: Date = Date()) -> [String] {
        let folder = destination.deletingLastPathComponent()
        let prefix = ".\(destination.lastPathComponent).partial-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            guard let id = Int(name.dropFirst(prefix.count)) else { continue }
            let path = folder.appendingPathComponent(name).path
            guard let info = try? FileSystem.info(path, followingLinks: false), info.kind == .regular else { continue }
            if id == CurrentProcess.id || !ProcessProbe.isRunning(id) || now.timeIntervalSince(info.modified) > staleAge {
                FileSystem.remove(path)
                removed.append(name)
            }
        }
        return removed
    }
}
