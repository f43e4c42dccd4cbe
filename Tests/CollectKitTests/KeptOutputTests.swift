import Foundation
import Platform
import Testing
import TestSupport

// The commands are /bin/sh: Linux (and macOS) tests.
#if !os(Windows)

/// A command's messages kept in memory (`CommandOutput.kept`): what `logcollect --live` does
/// with what `reg export` prints, and with the error stream of `tasklist` and `wevtutil`.
@Suite struct KeptOutputTests {
    static func sh(_ script: String, output: CommandOutput = .kept, errors: CommandOutput? = nil,
                   timeLimit: Double = 20, outputLimit: Int64 = 32 << 20) throws -> CommandRun {
        try ChildProcess.run("/bin/sh", ["-c", script], environment: ["PATH": "/usr/bin:/bin"],
                             standardOutput: output, standardError: errors, timeLimit: timeLimit, outputLimit: outputLimit)
    }

    @Test("what a command prints on both streams is kept, in the order printed; nothing is written to a file")
    func keptInOrder() throws {
        let run = try Self.sh("echo 'The operation completed successfully.'; echo 'ERROR: Access is denied.' >&2; exit 1")
        #expect(run.ending == .exited(1))
        #expect(String(decoding: run.kept, as: UTF8.self)
                == "The operation completed successfully.\nERROR: Access is denied.\n")
    }

    @Test("standard output to a file, the error stream kept apart")
    func errorsApart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = URL(fileURLWithPath: dir.path("out.csv"))
        let run = try Self.sh("echo '\"a\",\"b\"'; echo 'ERROR: Invalid argument/option.' >&2",
                              output: .file(output), errors: .kept)
        #expect(run.ending == .exited(0))
        #expect(try String(contentsOf: output, encoding: .utf8) == "\"a\",\"b\"\n")
        #expect(String(decoding: run.kept, as: UTF8.self) == "ERROR: Invalid argument/option.\n")
    }

    @Test("a command whose messages never end: killed at the output limit, only the first 64 KB kept")
    func endlessMessages() throws {
        let started = Date()
        let run = try Self.sh("yes 'ERROR: The system was unable to find the specified registry key or value.' >&2",
                              outputLimit: 4 << 20)
        #expect(run.ending == .outputLimit)
        #expect(run.kept.count == ChildProcess.keptBytes)
        #expect(String(decoding: run.kept.prefix(20), as: UTF8.self) == "ERROR: The system wa")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("a process the command started that still holds its pipe does not keep us waiting")
    func grandchildHoldsThePipe() throws {
        let started = Date()
        let run = try Self.sh("echo first; (sleep 3; echo late) & exit 0")
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.ending == .exited(0))
        #expect(elapsed < 2, "waited \(elapsed) s for a process the command left behind")
        #expect(String(decoding: run.kept, as: UTF8.self) == "first\n")
    }

    @Test("a command that hangs with its messages kept: killed at its time limit, what it said kept")
    func hangs() throws {
        let started = Date()
        let run = try Self.sh("echo 'about to hang' >&2; sleep 30", timeLimit: 0.5)
        #expect(run.ending == .timedOut)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(String(decoding: run.kept, as: UTF8.self) == "about to hang\n")
    }
}

#endif
