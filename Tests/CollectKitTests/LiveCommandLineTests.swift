import Foundation
import Testing
import TestSupport

// The stand-ins are /bin/sh scripts and the checks read /proc: Linux (and macOS) tests.
#if !os(Windows)

/// The built `logcollect --live` as a user runs it: where the bundle lands, the last line, bad
/// usage, and memory with a command that prints without end.
@Suite("logcollect --live: the command line")
struct LiveCommandLineTests {
    /// Runs the built logcollect with the stand-ins' environment (and `more` of it).
    func logcollect(_ arguments: [String], _ standIns: StandIns, more: [String: String] = [:],
                    in folder: URL? = nil) throws -> (status: Int32, output: String) {
        try runTool(BuiltProducts.path("logcollect"), arguments,
                    environment: standIns.environment.merging(more) { $1 }, currentDirectory: folder)
    }

    @Test("--live elsewhere than Windows needs --drive; --root with --live is refused: one line, exit 64")
    func usage() throws {
        let standIns = try StandIns()
        defer { standIns.remove() }
        let noDrive = try logcollect(["--live"], standIns)
        #expect(noDrive.status == 64)
        #expect(noDrive.output.contains("--live needs --drive DIR"), "\(noDrive.output)")
        let both = try logcollect(["--root", ClientFixtures.root("healthy").path, "--live"], standIns)
        #expect(both.status == 64)
        #expect(both.output.contains("give one or the other"), "\(both.output)")
        let neither = try logcollect([], standIns)
        #expect(neither.status == 64)
        #expect(neither.output.contains("give --root DIR"), "\(neither.output)")
        let events = try logcollect(["--live", "--drive", "/", "--max-events", "0"], standIns)
        #expect(events.status == 64)
        let drive = try logcollect(["--live", "--drive", "/nonexistent-drive", "--now", ClientFixtures.now], standIns)
        #expect(drive.status == 1)
        #expect(drive.output.split(separator: "\n").count == 1, "\(drive.output)")
        #expect(drive.output.contains("--drive must name the system drive"), "\(drive.output)")
    }

    @Test("a healthy machine: exit 0, the bundle in the current folder, a last line that names no shortfall")
    func landsHere() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        let result = try logcollect(["--live", "--drive", ClientFixtures.root("healthy").path, "--now", ClientFixtures.now],
                                    standIns, in: dir.url)
        #expect(result.status == 0, "the CC API cannot be asked live, which is no shortfall. \(result.output)")
        let bundle = dir.path("BentleySupport_WS-JDOE-01_20261120_100000.zip")
        #expect(FileManager.default.fileExists(atPath: bundle))
        let last = result.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("wrote \(bundle) ("), "\(result.output)")
        #expect(last.hasSuffix(" files); send this file to Bentley support, or run `loganalyze \(bundle)`"), "\(last)")
        for word in ["connect-client", "missing", "unavailable", "manifest.json"] { #expect(!last.contains(word), "\(last)") }
        let manifest = try manifest(bundle)
        #expect(manifest.machine.hasPrefix("live"))
        let cc = try #require(manifest.source("connect-client"))
        #expect(cc.outcome == .unavailable, "\(cc)")
        #expect(cc.messages == ["the CONNECTION Client API has no public interface, so a live collection cannot ask it "
                                + "(CLIENT-MODEL §13); not a fault of this machine"])
        #expect(manifest.sources.filter { $0.outcome != .ok }.map(\.name) == ["connect-client"])
    }

    @Test("--live on a terminal: every line fits 80 columns, a long note is cut to four lines that say where the rest is",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        let output = dir.path("b.zip")
        // `script` gives the tool a terminal for its stderr, as a user's console would.
        let command = "\(BuiltProducts.path("logcollect")) --live --drive \(ClientFixtures.root("healthy").path)"
            + " --now \(ClientFixtures.now) --output \(output)"
        let run = try runTool("/usr/bin/script", ["-qec", command, "/dev/null"], environment: standIns.environment)
        #expect(run.status == 0, "\(run.output)")
        let lines = run.output.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        // The client's note lists six registry keys: on the terminal, four lines and where the rest is.
        let client = try #require(lines.firstIndex { $0.hasPrefix("  client: ok — registry keys not on this machine (6 of 13)") },
                                  "\(lines)")
        #expect(lines[client + 4] == "      … (all of it in manifest.json in the bundle)", "\(lines[client...].prefix(6))")
        #expect(lines[client + 5].hasPrefix("  connect-client: "))
        let note = try #require(try manifest(output).source("client")?.messages.first)
        #expect(note.components(separatedBy: ", HK").count == 6, "the manifest keeps all six: \(note)")
    }

    @Test("a current folder that cannot be written: the bundle lands on the user's Desktop")
    func landsOnDesktop() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        let desktop = dir.url.appendingPathComponent("profile/Desktop")
        try FileManager.default.createDirectory(at: desktop, withIntermediateDirectories: true)
        let result = try logcollect(["--live", "--drive", ClientFixtures.root("healthy").path, "--now", ClientFixtures.now],
                                    standIns, more: ["USERPROFILE": dir.path("profile")], in: URL(fileURLWithPath: "/proc"))
        #expect(result.status == 0, "\(result.output)")
        let bundle = desktop.appendingPathComponent("BentleySupport_WS-JDOE-01_20261120_100000.zip").path
        #expect(FileManager.default.fileExists(atPath: bundle), "\(result.output)")
        #expect(result.output.contains("wrote \(bundle)"))
    }

    /// `logcollect --live` of the healthy root with the stand-in `command` replaced by `body`,
    /// its peak memory measured; checks what every such run must give (exit 2, at most 64 MB,
    /// done within a minute) and hands over the run and the bundle's path.
    static func collectMeasuring(_ command: String, _ body: String, in dir: TemporaryDirectory) throws -> (PeakMemoryRun, String) {
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        try standIns.install(command, body)
        let output = dir.path("b.zip")
        let run = try runMeasuringPeak(
            BuiltProducts.path("logcollect"),
            ["--live", "--drive", ClientFixtures.root("healthy").path, "--now", ClientFixtures.now, "--output", output],
            environment: standIns.environment)
        #expect(run.status == 2, "\(run.output)")
        #expect(run.peakResidentBytes > 0 && run.peakResidentBytes <= 64 << 20, "peak RSS \(run.peakResidentBytes >> 20) MiB")
        #expect(run.seconds < 60)
        return (run, output)
    }

    @Test("a command that prints 1 GB: its output is cut at its bound, the collector's peak memory stays under 64 MB")
    func endlessOutput() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let row = #""Bentley.Licensing.Service.exe","2345","Services","0","45,000 K","Running","NT AUTHORITY\SYSTEM","0:00:09","N/A""#
        let (run, output) = try Self.collectMeasuring("tasklist", "yes '\(row)' | head -c 1073741824", in: dir)
        let processes = try #require(try manifest(output).source("processes"))
        #expect(processes.outcome == .failed)
        #expect(processes.messages.contains { $0.contains("wrote more than 2 MB") }, "\(processes)")
        let kept = try #require(try manifest(output).entries.first { $0.path == "system/tasklist.csv" })
        #expect(kept.size > 1 << 20 && kept.size <= 3 << 20, "2 MB of rows, re-joined with CRLF")
        print("endlessOutput: peak RSS \(run.peakResidentBytes >> 10) KiB, \(run.seconds) s")
    }

    @Test("reg printing messages without end (kept in memory, not a file): each export stopped at its bound, memory flat")
    func endlessMessages() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (run, output) = try Self.collectMeasuring(
            "reg", "yes 'ERROR: The system was unable to find the specified registry key or value.' >&2", in: dir)
        let client = try #require(try manifest(output).source("client"))
        #expect(client.outcome == .failed)
        #expect(client.messages.contains { $0.contains(#"reg export "HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\BentleyDesktopClient\Install" wrote more than 32 MB"#) },
                "\(client.messages)")
        #expect(try bundleContents(output)["system/registry/HKLM.reg"] == nil)
        #expect(try manifest(output).source("processes")?.outcome == .ok)
        print("endlessMessages: peak RSS \(run.peakResidentBytes >> 10) KiB, \(run.seconds) s")
    }
}

/// A finished child: its status, merged output, peak resident memory and time.
struct PeakMemoryRun {
    let status: Int32
    let output: String
    let peakResidentBytes: Int
    let seconds: Double
}

/// Runs a program with `environment` and measures its own peak memory: a small Python parent
/// forks (a fresh, small address space), execs it and reports `wait4`'s `ru_maxrss`, since
/// Linux carries a process's high-water mark across `exec`. Output goes to a file, not a pipe.
func runMeasuringPeak(_ tool: String, _ arguments: [String], environment: [String: String]) throws -> PeakMemoryRun {
    let dir = try TemporaryDirectory("measured")
    defer { dir.remove() }
    let parent = """
        import os, sys
        pid = os.fork()
        if pid == 0:
            try:
                os.execv(sys.argv[2], sys.argv[2:])
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
        open(sys.argv[1], "w").write(str(usage.ru_maxrss))
        sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", parent, dir.path("rss"), tool] + arguments
    process.environment = environment
    _ = FileManager.default.createFile(atPath: dir.path("out"), contents: nil)
    let sink = try FileHandle(forWritingTo: dir.url.appendingPathComponent("out"))
    process.standardOutput = sink
    process.standardError = sink
    let started = Date()
    try process.run()
    process.waitUntilExit()
    try sink.close()
    let kilobytes = Int((try? String(contentsOfFile: dir.path("rss"), encoding: .utf8)) ?? "") ?? -1
    return PeakMemoryRun(status: process.terminationStatus,
                         output: (try? String(contentsOfFile: dir.path("out"), encoding: .utf8)) ?? "",
                         peakResidentBytes: kilobytes * 1024, seconds: Date().timeIntervalSince(started))
}
#endif
