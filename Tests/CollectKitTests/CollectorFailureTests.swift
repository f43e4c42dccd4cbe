import CollectKit
import Foundation
import Testing
import TestSupport

/// Bad input a collector must survive: each is recorded in the manifest or reported in one
/// clear line — never a crash, never a partial file at `--output`.
@Suite("logcollect: bad input")
struct CollectorFailureTests {
    let logs = "Users/jdoe/AppData/Local/Bentley/Logs"
    let store = "Users/jdoe/AppData/Local/Bentley/Licensing/LicensingStore.db"

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("an empty root gives a bundle that says every source is missing, and exit status 2")
    func emptyRoot() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = dir.url.appendingPathComponent("root/Users/jdoe/AppData/Local/Bentley")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let result = try runTool(BuiltProducts.path("logcollect"),
                                 ["--root", dir.path("root"), "--now", ClientFixtures.now, "--output", dir.path("b.zip")])
        #expect(result.status == 2, "\(result.output)")
        let manifest = try manifest(dir.path("b.zip"))
        #expect(manifest.source("policy")?.outcome == .missing)
        #expect(manifest.source("logs")?.outcome == .missing)
        #expect(manifest.source("checkouts")?.outcome == .ok)  // optional: most machines have none
    }
    #endif

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a client root without its CC API answer: connect-client is missing, exit 2, and the last line says so")
    func rootWithoutConnectClientAnswer() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        try FileManager.default.removeItem(at: root.appendingPathComponent(".system/connect-client.json"))
        let result = try logcollect(root: root, output: dir.path("b.zip"))
        #expect(result.status == 2, "\(result.output)")
        let last = result.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains(" files); connect-client missing (manifest.json in it says why); send this file"), "\(last)")
        let manifest = try manifest(dir.path("b.zip"))
        #expect(manifest.source("connect-client")?.outcome == .missing)
        #expect(manifest.sources.filter { $0.outcome != .ok }.map(\.name) == ["connect-client"])
    }
    #endif

    // Symbolic links and mkfifo: Linux (and macOS) only.
    #if !os(Windows)
    @Test("links out of the root, link loops and a FIFO are recorded, not followed, and the rest is collected")
    func linksAndSpecialFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let folder = root.appendingPathComponent(logs + "/Licensing Service")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("passwd.log").path,
                                                   withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop").path,
                                                   withDestinationPath: folder.appendingPathComponent("loop").path)
        #expect(mkfifo(folder.appendingPathComponent("pipe.log").path, 0o644) == 0)
        let output = dir.path("b.zip")
        let summary = try Collector.run(options(root: root, output: output))
        #expect(!summary.complete)
        let manifest = try manifest(output)
        let messages = manifest.source("logs")?.messages.joined(separator: "\n") ?? ""
        #expect(manifest.source("logs")?.outcome == .failed)
        #expect(messages.contains("passwd.log: a link pointing out of the client root"))
        #expect(messages.contains("loop: a link that loops"))
        #expect(messages.contains("pipe.log: not a regular file"))
        #expect(!manifest.entries.contains { $0.path.contains("passwd") })
        #expect(manifest.entries.contains { $0.path == "logs/Licensing Service/Bentley.Licensing.Service.log" })
    }
    #endif

    // chmod and setpriv as root: Linux only.
    #if !os(Windows)
    @Test("a file the collector may not read is recorded with the reason, and the rest is collected",
          .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "runs the collector as an unprivileged user; needs root and setpriv"))
    func permissionDenied() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        _ = try runTool("/bin/chmod", ["-R", "a+rX", dir.url.path])
        _ = try runTool("/bin/chmod", ["a+rwx", dir.url.path])
        let secret = root.appendingPathComponent(logs + "/Licensing Service/Bentley.Licensing.Service.log")
        _ = try runTool("/bin/chmod", ["000", secret.path])
        let output = dir.path("b.zip")
        let result = try runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                      BuiltProducts.path("logcollect"), "--root", root.path,
                                                      "--now", ClientFixtures.now, "--output", output])
        #expect(result.status == 2, "\(result.output)")
        let manifest = try manifest(output)
        let messages = manifest.source("logs")?.messages.joined(separator: "\n") ?? ""
        #expect(manifest.source("logs")?.outcome == .failed)
        #expect(messages.contains("Bentley.Licensing.Service.log") && messages.contains("Permission denied"), "\(messages)")
        #expect(manifest.entries.contains { $0.path == "logs/Licensing Service/Bentley.Licensing.Service.1.log" })
    }
    #endif

    @Test("a corrupt store is recorded and everything else is still collected")
    func corruptStore() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        try Data(String(repeating: "garbage ", count: 1000).utf8).write(to: root.appendingPathComponent(store))
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: root, output: output))
        let manifest = try manifest(output)
        #expect(manifest.source("policy")?.outcome == .failed)
        #expect(manifest.source("policy")?.messages.first?.contains("corrupt or not SQLite") == true)
        #expect(manifest.source("licensing-tool")?.outcome == .failed)
        #expect(manifest.source("logs")?.outcome == .ok)
        #expect(!manifest.entries.contains { $0.path == "licensing/LicensingStore.db" })
    }

    // Runs /usr/bin/unzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a damaged .gz log keeps what could be read, is marked truncated, and the collection goes on")
    func damagedGzip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let gzip = root.appendingPathComponent(logs + "/Licensing Service/Bentley.Licensing.Service.3.log.gz")
        try Data(try Data(contentsOf: gzip).prefix(100)).write(to: gzip)
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: root, output: output))
        let manifest = try manifest(output)
        let entry = try #require(manifest.entries.first { $0.path == "logs/Licensing Service/Bentley.Licensing.Service.3.log" })
        #expect(entry.truncated)
        #expect(entry.note?.contains("not a readable gzip file") == true)
        #expect(manifest.source("logs")?.outcome == .failed)
        #expect(manifest.entries.contains { $0.path == "licensing/LicensingStore.db" })
        #expect(try runTool("/usr/bin/unzip", ["-tq", output]).status == 0)
    }
    #endif

    // Locks the store from python3: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a store locked by another process is recorded as locked")
    func lockedStore() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let path = root.appendingPathComponent(store).path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("PRAGMA journal_mode=DELETE"); db.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True); sys.stdin.read()
            """, path]
        let input = Pipe(), output = Pipe()
        python.standardInput = input
        python.standardOutput = output
        try python.run()
        defer { try? input.fileHandleForWriting.close(); python.waitUntilExit() }
        _ = output.fileHandleForReading.availableData
        let bundle = dir.path("b.zip")
        _ = try Collector.run(options(root: root, output: bundle))
        let manifest = try manifest(bundle)
        #expect(manifest.source("policy")?.outcome == .failed)
        #expect(manifest.source("policy")?.messages.first?.contains("locked") == true)
    }
    #endif

    @Test("a .reg that is not UTF-16 is read anyway, and the manifest says so")
    func registryNotUTF16() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let reg = root.appendingPathComponent(".system/registry/HKLM.reg")
        let text = String(decoding: try Data(contentsOf: reg).dropFirst(2).withUnsafeBytes { raw in
            Array(raw.bindMemory(to: UInt16.self))
        }, as: UTF16.self)
        try Data(text.utf8).write(to: reg)
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: root, output: output))
        let manifest = try manifest(output)
        #expect(manifest.source("client")?.outcome == .ok)
        #expect(manifest.source("client")?.messages.contains { $0.contains("not UTF-16LE") } == true)
        let info = try #require(try bundleContents(output)["client/system-info.json"])
        #expect(String(decoding: info, as: UTF8.self).contains("WS-JDOE-01"))
    }

    // usleep and /usr/bin/unzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a log appended to during collection is captured whole as it was when found")
    func growingLog() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let log = root.appendingPathComponent(logs + "/Licensing Service/growing.log")
        let line = Data("2026-11-20 09:59:59,000 [1] INFO  Bentley.Licensing.Service.Test - still writing\r\n".utf8)
        try Data(repeating: 0x20, count: 0).write(to: log)
        let handle = try FileHandle(forWritingTo: log)
        for _ in 0..<20_000 { handle.write(line) }
        let stop = LockedFlag()
        // A service writes a few thousand lines a second, not as fast as a loop can: an unthrottled
        // loop wrote 64 MB of one repeated line, which then read back as a zip bomb (282×).
        let writer = Thread {
            while !stop.value {
                for _ in 0..<10 { handle.write(line) }
                usleep(1_000)
            }
        }
        writer.start()
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: root, output: output))
        stop.set()
        let files = try bundleContents(output)
        let collected = try #require(files["logs/Licensing Service/growing.log"])
        #expect(collected.count >= line.count * 20_000)
        #expect(collected.count % line.count == 0, "whole lines only")
        #expect(try runTool("/usr/bin/unzip", ["-tq", output]).status == 0)
    }
    #endif

    // Runs the built logcollect by its Linux name, and /proc: Linux only.
    #if !os(Windows)
    @Test("an output folder that does not exist or cannot be written: exit 1, one line, no file")
    func unwritableOutput() throws {
        // A folder that is not there, and one that exists but refuses files even to root.
        for output in ["/nonexistent-folder/b.zip", "/proc/b.zip"] {
            let result = try runTool(BuiltProducts.path("logcollect"),
                                     ["--root", ClientFixtures.root("healthy").path, "--now", ClientFixtures.now,
                                      "--output", output])
            #expect(result.status == 1)
            #expect(result.output.hasPrefix("logcollect: ") && result.output.contains(output), "\(result.output)")
            #expect(!result.output.contains("Error Domain"))
            #expect(result.output.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }
    #endif

    // tmpfs (mount) or prlimit, and the built logcollect by its Linux name: Linux only.
    #if !os(Windows)
    @Test("a disk that fills up: exit 1, one line, the existing output byte for byte as it was, no aside file")
    func diskFull() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        // 5 MB of log lines that hardly compress: the bundle cannot fit in 2 MB.
        var big = Data()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<80_000 {
            let noise = Data((0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
            big.append(Data("2026-11-20 09:00:00,000 [1] INFO  X - \(noise)\r\n".utf8))
        }
        try big.write(to: root.appendingPathComponent(logs + "/Licensing Service/big.log"))
        let small = dir.url.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        // A 2 MB tmpfs when we may mount one (root); else a 2 MB file-size limit on the process.
        var command = [BuiltProducts.path("logcollect")]
        if getuid() == 0, try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", small.path]).status == 0 {
            // mounted: unmounted at the end
        } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") {
            command = ["/usr/bin/prlimit", "--fsize=2000000", "--"] + command
        } else {
            withKnownIssue("neither a tmpfs could be mounted (not root) nor prlimit found: the disk-full case is not run") {
                throw CancellationError()
            }
            return
        }
        defer { _ = try? runTool("/bin/umount", [small.path]) }
        let output = small.appendingPathComponent("b.zip").path
        let existing = Data((0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try existing.write(to: URL(fileURLWithPath: output))
        let result = try runTool(command[0], Array(command.dropFirst())
            + ["--root", root.path, "--now", ClientFixtures.now, "--output", output, "--force"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.hasPrefix("logcollect: cannot write \(output)"), "\(result.output)")
        #expect(result.output.split(separator: "\n").count == 1, "one line: \(result.output)")
        #expect(FileManager.default.contents(atPath: output) == existing, "the existing output is untouched")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path) == ["b.zip"], "no aside file is left")
    }
    #endif

    // SIGTERM and SIGKILL to the built logcollect: Linux (and macOS) only.
    #if !os(Windows)
    @Test("killed mid-way: nothing at --output, ever; after SIGKILL only the aside file, which the next run removes")
    func killed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let log = root.appendingPathComponent(logs + "/Licensing Service/huge.log")
        let handle = try FileHandle(forWritingTo: { try Data().write(to: log); return log }())
        let block = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) % 90 + 32 })
        for _ in 0..<300 { handle.write(block) }
        try handle.close()
        for signal in [SIGTERM, SIGKILL] {
            let output = dir.path("killed-\(signal).zip")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltProducts.path("logcollect"))
            process.arguments = ["--root", root.path, "--now", ClientFixtures.now, "--output", output, "--max-log-mb", "0"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            let aside = dir.path(".killed-\(signal).zip.partial-\(process.processIdentifier)")
            // Killed once the bundle is being written (its aside file exists), not before.
            let started = Date()
            while !FileManager.default.fileExists(atPath: aside) && Date().timeIntervalSince(started) < 30 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            Thread.sleep(forTimeInterval: 0.3)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(!FileManager.default.fileExists(atPath: output), "signal \(signal)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains("partial") }
            if signal == SIGTERM {
                #expect(process.terminationReason == .exit && process.terminationStatus == 130, "an interrupt exits 130")
                #expect(leftovers.isEmpty, "SIGTERM removes the aside file: \(leftovers)")
            } else {
                #expect(leftovers == [(aside as NSString).lastPathComponent], "SIGKILL leaves only the aside file")
                // The next run to the same output removes it: its writer is gone.
                let again = try logcollect(root: ClientFixtures.root("healthy"), output: output)
                #expect(again.status == 0, "\(again.output)")
                #expect(FileManager.default.fileExists(atPath: output))
                #expect(!FileManager.default.fileExists(atPath: aside), "the stale aside file is removed")
            }
        }
    }
    #endif

    // PID 1 and pid_max, and the built logcollect by its Linux name: Linux only.
    #if !os(Windows)
    @Test("an aside file whose writer still runs is left alone; one whose writer is gone is removed")
    func asideFileOfALiveWriter() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("b.zip")
        // PID 1 always runs; a PID past pid_max never does.
        let live = dir.path(".b.zip.partial-1")
        let gone = dir.path(".b.zip.partial-2147483646")
        try Data("x".utf8).write(to: URL(fileURLWithPath: live))
        try Data("x".utf8).write(to: URL(fileURLWithPath: gone))
        let result = try logcollect(root: ClientFixtures.root("healthy"), output: output)
        #expect(result.status == 0, "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: live), "a live writer's aside file is not touched")
        #expect(!FileManager.default.fileExists(atPath: gone))
    }
    #endif

    // symlink and getpid: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a link planted at the aside file's name is not written through: the collection fails, its target is untouched")
    func linkAtAsideName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let victim = dir.path("victim.txt")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        let output = dir.path("b.zip")
        #expect(symlink(victim, dir.path(".b.zip.partial-\(getpid())")) == 0)
        #expect(throws: CollectError.self) { try Collector.run(options(root: ClientFixtures.root("healthy"), output: output)) }
        #expect(FileManager.default.contents(atPath: victim) == Data("precious\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
    #endif

    // Runs the built logcollect by its Linux name, with /tmp: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a user that is not there, and ambiguous users, are usage errors naming the choices")
    func users() throws {
        let result = try runTool(BuiltProducts.path("logcollect"),
                                 ["--root", ClientFixtures.root("healthy").path, "--user", "nobody", "--output", "/tmp/x.zip"])
        #expect(result.status == 1)
        #expect(result.output.contains("no user profile nobody"))
        #expect(result.output.contains("jdoe"))
        let bad = try runTool(BuiltProducts.path("logcollect"), ["--root", ClientFixtures.root("healthy").path, "--now", "yesterday"])
        #expect(bad.status == 64)
    }
    #endif
}

/// A flag one thread sets and another reads.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.withLock { flag } }
    func set() { lock.withLock { flag = true } }
}
