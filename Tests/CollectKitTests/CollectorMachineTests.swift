import CollectKit
import Foundation
import Testing
import TestSupport

/// The collector reads any `ClientMachine`, and its time limits hold while files are read.
@Suite("logcollect: machines and time limits")
struct CollectorMachineTests {
    let logs = "Users/jdoe/AppData/Local/Bentley/Logs"

    @Test("a machine that is not a client root is collected through the protocol alone")
    func otherMachine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let served = dir.url.appendingPathComponent("served.log")
        let line = "2026-11-20 09:40:00,000 [7] INFO  Bentley.Licensing.Service.PolicyManager - served from elsewhere\r\n"
        try Data(line.utf8).write(to: served)
        let machine = FilteredMachine(
            base: try ClientRoot(path: ClientFixtures.root("healthy").path),
            hidden: [".system/tasklist.csv", logs + "/Licensing Service/Bentley.Licensing.Service.log"],
            extra: [MachineFile(path: logs + "/Licensing Service/Served.log", url: served, size: Int64(line.utf8.count),
                                modified: try #require(ISO8601DateFormatter().date(from: "2026-11-20T09:40:00Z")))])
        let output = dir.path("b.zip")
        let collect = options(root: dir.url.appendingPathComponent("not-read"), output: output)
        let summary = try Collector.run(collect, machine: machine)
        #expect(!summary.complete)
        let files = try bundleContents(output)
        let manifest = try manifest(output)
        #expect(manifest.machine.hasPrefix("filtered client root"))
        #expect(manifest.user == "jdoe")
        #expect(files["logs/Licensing Service/Served.log"].map { String(decoding: $0, as: UTF8.self) } == line)
        #expect(files["logs/Licensing Service/Bentley.Licensing.Service.log"] == nil, "a hidden file is not collected")
        #expect(files["system/tasklist.csv"] == nil)
        #expect(manifest.source("processes")?.outcome == .missing)
        #expect(manifest.sources.filter { $0.name != "processes" }.allSatisfy { $0.outcome == .ok })
        #expect(files["licensing/LicensingStore.db"] != nil)
    }

    // Runs /usr/bin/unzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a log that shrank after it was listed: its whole lines are kept, the entry is marked cut and says why")
    func logThatShrank() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let line = "2026-11-20 09:40:00,000 [7] INFO  Bentley.Licensing.Service.PolicyManager - still here\r\n"
        let served = dir.url.appendingPathComponent("shrinking.log")
        // Listed at 3 MB (more than one read), truncated mid-line to 1.5 MB before it is read.
        let listed = Int64(3 << 20)
        let left = (3 << 19) + 17
        try Data(String(repeating: line, count: Int(listed) / line.utf8.count + 1).utf8.prefix(left)).write(to: served)
        let now = try #require(ISO8601DateFormatter().date(from: ClientFixtures.now))
        let machine = FilteredMachine(
            base: try ClientRoot(path: ClientFixtures.root("healthy").path),
            extra: [MachineFile(path: logs + "/Licensing Service/Bentley.Licensing.Service.shrinking.log", url: served,
                                size: listed, modified: now)])
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: ClientFixtures.root("healthy"), output: output), machine: machine)
        let collected = try #require(try bundleContents(output)["logs/Licensing Service/Bentley.Licensing.Service.shrinking.log"])
        #expect(collected.count == left / line.utf8.count * line.utf8.count, "every whole line that was there, and no piece of one")
        #expect(collected == Data(String(repeating: line, count: left / line.utf8.count).utf8))
        let entry = try #require(try manifest(output).entries.first { $0.path.hasSuffix("shrinking.log") })
        #expect(entry.truncated)
        #expect(entry.note?.contains("the file shrank while it was read") == true, "\(entry.note ?? "no note")")
        #expect(try runTool("/usr/bin/unzip", ["-tq", output]).status == 0)
    }
    #endif

    // mkfifo and open(O_RDWR): Linux (and macOS) only.
    #if !os(Windows)
    @Test("a log whose read hangs: the bundle is written, logs timed out, the rest ok, in seconds")
    func readThatHangs() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // A FIFO whose writer never writes, served as a gzipped log: `stat` answers, `read` hangs,
        // as on a dead network share. (A FIFO in a client root is refused when listed.)
        let fifo = dir.path("stuck.log.gz")
        #expect(mkfifo(fifo, 0o644) == 0)
        let writer = Descriptor(open(fifo, O_RDWR))
        defer { writer.close() }  // lets the reader left behind finish
        let now = try #require(ISO8601DateFormatter().date(from: ClientFixtures.now))
        let machine = FilteredMachine(
            base: try ClientRoot(path: ClientFixtures.root("healthy").path),
            extra: [MachineFile(path: logs + "/Licensing Service/stuck.log.gz", url: URL(fileURLWithPath: fifo),
                                size: 4096, modified: now)])
        let output = dir.path("b.zip")
        var collect = options(root: ClientFixtures.root("healthy"), output: output)
        // Only the logs' limit is short (4 s × 0.5): the others keep 30 s, so a busy machine
        // running other tests cannot time them out.
        collect.timeLimits = ["logs": .seconds(4)]
        collect.timeScale = 0.5
        let started = Date()
        let result = try runWithin(seconds: 60, unblock: writer.close) { [collect] in try Collector.run(collect, machine: machine) }
        let summary = try #require(result, "the collection hung")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(!summary.complete)
        let manifest = try manifest(output)
        let logsOutcome = try #require(manifest.source("logs"))
        #expect(logsOutcome.outcome == .timedOut)
        #expect(logsOutcome.messages.contains { $0.contains("not read within 2.0 s") && $0.contains("stuck.log") }, "\(logsOutcome)")
        let stuck = try #require(manifest.entries.first { $0.path == "logs/Licensing Service/stuck.log" })
        #expect(stuck.truncated)
        #expect(stuck.note?.contains("time limit") == true)
        #expect(manifest.sources.filter { $0.name != "logs" }.allSatisfy { $0.outcome == .ok },
                "\(manifest.sources.filter { $0.outcome != .ok })")
        #expect(manifest.entries.contains { $0.path == "licensing/LicensingStore.db" })
        #expect(try runTool("/usr/bin/unzip", ["-tq", output]).status == 0)
    }
    #endif
}

/// Runs `body` on a thread of its own; nil (after calling `unblock`) when it takes longer than
/// `seconds`, so a test of a hang fails instead of hanging.
func runWithin<T>(seconds: Double, unblock: @escaping @Sendable () -> Void,
                  _ body: @escaping @Sendable () throws -> T) throws -> T? {
    let done = DispatchSemaphore(value: 0)
    let box = ResultSlot<T>()
    Thread {
        box.set(Result { try body() })
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + seconds) == .success else {
        unblock()
        done.wait()
        return nil
    }
    return try box.get()
}

// Glibc.close, for the FIFO tests: Linux only.
#if !os(Windows)
/// A file descriptor closed once, from whichever thread gets there first.
final class Descriptor: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptor: Int32

    init(_ descriptor: Int32) { self.descriptor = descriptor }

    func close() {
        lock.withLock {
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            descriptor = -1
        }
    }
}
#endif

/// One result handed from a thread to another.
private final class ResultSlot<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
    func get() throws -> T? { try lock.withLock { result }?.get() }
}
