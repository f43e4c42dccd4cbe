import Foundation
import Platform
import Testing
import TestSupport

// The commands are /bin/sh: Linux (and macOS) tests.
#if !os(Windows)

/// Several commands watched by one thread (`ChildProcess.run(_:…concurrency:…)`): how
/// `logcollect --live` runs a hive's `reg export`s.
@Suite struct CommandBatchTests {
    static func batch(_ scripts: [String], concurrency: Int, timeLimit: Double = 20,
                      stop: CommandStop? = nil) -> [Result<CommandRun, CommandError>] {
        ChildProcess.run(scripts.map { ChildProcess.Command("/bin/sh", ["-c", $0], standardOutput: .kept, standardError: nil) },
                         environment: ["PATH": "/usr/bin:/bin"], concurrency: concurrency, timeLimit: timeLimit,
                         outputLimit: 1 << 20, stop: stop)
    }

    @Test("each command's ending and messages are its own, in the order given; no more run at once than asked")
    func ownResults() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // Each command counts itself in while it runs: the most seen at once is the concurrency.
        let (folder, seenFile) = (dir.url.path, dir.path("seen"))
        let scripts = (0..<9).map { index in
            let marker = folder + "/running-\(index)"
            return "mkdir \(marker); n=$(ls \(folder) | grep -c running); echo $n >> \(seenFile);"
                + " sleep 0.2; rmdir \(marker); echo command \(index); exit \(index % 3)"
        }
        let results = Self.batch(scripts, concurrency: 3)
        #expect(results.count == 9)
        for (index, result) in results.enumerated() {
            let run = try result.get()
            #expect(run.ending == .exited(Int32(index % 3)))
            #expect(String(decoding: run.kept, as: UTF8.self) == "command \(index)\n")
            #expect(run.seconds >= 0.2)
        }
        let seen = try String(contentsOfFile: dir.path("seen"), encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(seen.count == 9)
        #expect(seen.max() ?? 0 <= 3, "at most 3 at once: \(seen)")
        #expect(seen.max() ?? 0 >= 2, "they ran side by side: \(seen)")
    }

    @Test("one time limit for the batch: what runs is killed, what did not start is not started")
    func oneTimeLimit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let started = Date()
        let folder = dir.url.path
        let scripts = (0..<6).map { "touch \(folder)/started-\($0); sleep 30" }
        let results = Self.batch(scripts, concurrency: 2, timeLimit: 0.5)
        #expect(Date().timeIntervalSince(started) < 10)
        let endings = try results.map { try $0.get().ending }
        #expect(endings == Array(repeating: .timedOut, count: 6))
        #expect(try results[2...].allSatisfy { try $0.get().seconds == 0 }, "the last four never started")
        #expect(FileManager.default.fileExists(atPath: dir.path("started-1")))
        #expect(!FileManager.default.fileExists(atPath: dir.path("started-2")))
    }

    @Test("a program that cannot be started is that command's failure; the others run")
    func oneCannotStart() throws {
        let commands = [
            ChildProcess.Command("/bin/sh", ["-c", "echo first"], standardOutput: .kept, standardError: nil),
            ChildProcess.Command("/nonexistent/reg", ["export"], standardOutput: .kept, standardError: nil),
            ChildProcess.Command("/bin/sh", ["-c", "echo third"], standardOutput: .kept, standardError: nil),
        ]
        let results = ChildProcess.run(commands, environment: [:], concurrency: 8, timeLimit: 20, outputLimit: 1 << 20)
        #expect(String(decoding: try results[0].get().kept, as: UTF8.self) == "first\n")
        #expect(throws: CommandError.self) { try results[1].get() }
        #expect(String(decoding: try results[2].get().kept, as: UTF8.self) == "third\n")
    }

    @Test("a program is found in the first PATH folder that has it executable, a folder in quotes too")
    func findOnPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (plain, quoted, empty) = (dir.path("plain"), dir.path("Program Files"), dir.path("empty"))
        for folder in [plain, quoted, empty] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        for (folder, mode) in [(plain, 0o644), (quoted, 0o755)] {
            FileManager.default.createFile(atPath: folder + "/tasklist", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: mode])
        }
        // Not executable in the first folder: the quoted folder's is the one.
        #expect(ChildProcess.find("tasklist", environment: ["PATH": "\(empty):\(plain):\"\(quoted)\""]) == quoted + "/tasklist")
        #expect(ChildProcess.find("tasklist", environment: ["Path": "\(empty):\(plain)"]) == nil)
        #expect(ChildProcess.find("tasklist", environment: [:]) == nil)
    }

    @Test("a pulled stop ends the batch: running commands stopped, the rest not started")
    func stopped() throws {
        let stop = CommandStop()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { stop.pull() }
        let started = Date()
        let results = Self.batch(Array(repeating: "sleep 30", count: 4), concurrency: 2, stop: stop)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try results.map { try $0.get().ending } == Array(repeating: .stopped, count: 4))
    }
}

#endif
