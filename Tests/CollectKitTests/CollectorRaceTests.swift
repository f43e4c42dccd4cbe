import CollectKit
import Foundation
import Testing
import TestSupport

// Swaps files for symbolic links (symlink, rename), mkfifo, SIGKILL to the built logcollect: Linux (and macOS) tests.
#if !os(Windows)

/// A client root that changes while it is collected: a log swapped for a link or a FIFO
/// between the listing and the read (issue #17). Each is a race, so each runs many times.
@Suite("logcollect: files swapped while collected", .serialized)
struct CollectorRaceTests {
    let logs = "Users/jdoe/AppData/Local/Bentley/Logs/Licensing Service"

    @Test("a log swapped for a link to /etc/passwd in a loop: no bundle ever holds /etc/passwd")
    func linkSwappedIn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let log = root.appendingPathComponent(logs + "/swapped.log").path
        let spare = dir.path("spare.log")  // the regular version, hard-linked in each time
        try Data(String(repeating: "2026-11-20 09:00:00,000 [1] INFO  X - a line of the log\r\n", count: 200).utf8)
            .write(to: URL(fileURLWithPath: spare))
        #expect(link(spare, log) == 0)
        let swapper = Swapper(target: log, versions: [.link("/etc/passwd"), .hardLink(spare)], scratch: dir.path("swap"))
        swapper.start()
        defer { swapper.stop() }
        let runs = 25
        var leaked: [Int] = []
        var regularReads = 0
        for run in 0..<runs {
            let output = dir.path("b\(run).zip")
            _ = try Collector.run(options(root: root, output: output))
            let files = try bundleContents(output)
            if files.values.contains(where: { $0.range(of: Data("root:x:0:0".utf8)) != nil }) { leaked.append(run) }
            if files["logs/Licensing Service/swapped.log"] != nil { regularReads += 1 }
            try FileManager.default.removeItem(atPath: output)
        }
        #expect(leaked.isEmpty, "\(leaked.count) of \(runs) bundles held the first bytes of /etc/passwd: runs \(leaked)")
        #expect(swapper.swaps > runs, "the loop swapped \(swapper.swaps) times")
        // The log itself is still collected when the race goes its way: it is refused, not dropped for good.
        #expect(regularReads > 0, "the swapped log was never collected in \(runs) runs")
    }

    @Test("a folder on the way swapped for a link to /etc: no bundle holds /etc/passwd")
    func folderSwappedIn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        // `swap/passwd.log` is listed as a regular file in a folder, then the folder becomes a
        // link to a folder holding `passwd.log` → /etc/passwd's twin: a link named like the file.
        let outside = dir.path("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        #expect(symlink("/etc/passwd", outside + "/passwd.log") == 0)
        let real = dir.path("real")
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try Data(String(repeating: "2026-11-20 09:00:00,000 [1] INFO  X - line\r\n", count: 100).utf8)
            .write(to: URL(fileURLWithPath: real + "/passwd.log"))
        let folder = root.appendingPathComponent(logs + "/swap").path
        let swapper = Swapper(target: folder, versions: [.link(outside), .rename(real)], scratch: dir.path("swap"))
        swapper.start()
        defer { swapper.stop() }
        var leaked = 0
        for run in 0..<15 {
            let output = dir.path("f\(run).zip")
            _ = try Collector.run(options(root: root, output: output))
            if try bundleContents(output).values.contains(where: { $0.range(of: Data("root:x:0:0".utf8)) != nil }) { leaked += 1 }
            try FileManager.default.removeItem(atPath: output)
        }
        #expect(leaked == 0, "\(leaked) of 15 bundles held /etc/passwd")
    }

    @Test("a .gz log swapped for a FIFO a writer holds open: logcollect exits promptly, the FIFO is skipped")
    func fifoSwappedIn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let fixtureGzip = root.appendingPathComponent(logs + "/Bentley.Licensing.Service.3.log.gz").path
        let spare = dir.path("spare.log.gz")
        try FileManager.default.copyItem(atPath: fixtureGzip, toPath: spare)
        let fifo = dir.path("stuck.fifo")
        #expect(mkfifo(fifo, 0o644) == 0)
        // Held open for writing, never written: a reader of it blocks in `read`, as on a dead share.
        let writer = Descriptor(open(fifo, O_RDWR))
        defer { writer.close() }
        let log = root.appendingPathComponent(logs + "/Stuck.4.log.gz").path
        #expect(link(spare, log) == 0)
        let swapper = Swapper(target: log, versions: [.hardLink(fifo), .hardLink(spare)], scratch: dir.path("swap"))
        swapper.start()
        defer { swapper.stop() }
        for run in 0..<6 {
            let output = dir.path("p\(run).zip")
            let started = Date()
            let result = try runBounded(BuiltProducts.path("logcollect"),
                                        ["--root", root.path, "--now", ClientFixtures.now, "--output", output], seconds: 60)
            let elapsed = Date().timeIntervalSince(started)
            try #require(result != nil, "run \(run): logcollect did not exit within 60 s")
            #expect(elapsed < 60)
            let manifest = try manifest(output)
            let messages = manifest.source("logs")?.messages.joined(separator: "\n") ?? ""
            let collected = manifest.entries.contains { $0.path == "logs/Licensing Service/Stuck.4.log" && !$0.truncated }
            #expect(collected || (messages.contains("Stuck.4.log.gz") && messages.contains("not a regular file")),
                    "run \(run): \(messages)")
            try FileManager.default.removeItem(atPath: output)
        }
    }
}

/// Runs a tool, killing it when it runs past `seconds`: nil then.
func runBounded(_ tool: String, _ arguments: [String], seconds: Double) throws -> Int32? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    guard exited.wait(timeout: .now() + seconds) == .success else {
        kill(process.processIdentifier, SIGKILL)
        exited.wait()
        return nil
    }
    return process.terminationStatus
}

/// Swaps what a path names, over and over, each time atomically (`rename` over it), until stopped.
final class Swapper: @unchecked Sendable {
    // `@unchecked Sendable`: `stopped` and `count` are guarded by `lock`; the rest is immutable.
    enum Version {
        /// A symbolic link to this path.
        case link(String)
        /// A hard link to this file (a regular file or a FIFO).
        case hardLink(String)
        /// This folder, renamed in (and back out when the next version comes).
        case rename(String)
    }

    private let target: String
    private let versions: [Version]
    private let scratch: String
    private let lock = NSLock()
    private var stopped = false
    private var count = 0
    private let done = DispatchSemaphore(value: 0)

    init(target: String, versions: [Version], scratch: String) {
        (self.target, self.versions, self.scratch) = (target, versions, scratch)
    }

    var swaps: Int { lock.withLock { count } }

    func start() {
        Thread { [self] in
            var index = 0
            while !lock.withLock({ stopped }) {
                let version = versions[index % versions.count]
                let previous = versions[(index + versions.count - 1) % versions.count]
                if case .rename(let folder) = previous, index > 0 { rename(target, folder) }
                switch version {
                case .link(let destination):
                    unlink(scratch)
                    symlink(destination, scratch)
                    rename(scratch, target)
                case .hardLink(let file):
                    unlink(scratch)
                    link(file, scratch)
                    rename(scratch, target)
                case .rename(let folder):
                    unlink(target)
                    rename(folder, target)
                }
                index += 1
                lock.withLock { count += 1 }
                usleep(200)
            }
            done.signal()
        }.start()
    }

    func stop() {
        lock.withLock { stopped = true }
        done.wait()
    }
}
#endif
