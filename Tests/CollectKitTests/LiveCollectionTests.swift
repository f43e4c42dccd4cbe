import AnalyzeKit
import CollectKit
import Foundation
import Platform
import Testing
import TestSupport

// The stand-ins are /bin/sh scripts and the checks read /proc: Linux (and macOS) tests.
#if !os(Windows)

/// `logcollect --live` on Linux: the system drive is a fixture root's folder, and `reg`,
/// `tasklist` and `wevtutil` are stand-ins replaying that root's recorded `.system/` output.
@Suite("logcollect --live: the system asked through its commands")
struct LiveCollectionTests {
    /// Live options for a fixture root, at the fixtures' collection time.
    static func liveOptions(_ fixture: String, _ standIns: StandIns, output: String, timeLimit: Double = 20) -> CollectOptions {
        var settings = LiveMachine.Settings(drive: ClientFixtures.root(fixture).path, environment: standIns.environment)
        settings.commandTimeLimit = timeLimit
        var options = CollectOptions(live: settings)
        options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
        options.output = output
        return options
    }

    @Test("each demo root collected live is diagnosed exactly like its --root bundle without the CC API answer",
          arguments: ClientFixtures.names)
    func sameDiagnosis(fixture: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root(fixture))
        defer { standIns.remove() }
        let liveBundle = dir.path("live.zip")
        let live = try Collector.run(Self.liveOptions(fixture, standIns, output: liveBundle))
        let rootBundle = dir.path("root.zip")
        let withoutCC = FilteredMachine(base: try ClientRoot(path: ClientFixtures.root(fixture).path),
                                        hidden: [".system/connect-client.json"])
        _ = try Collector.run(options(root: ClientFixtures.root(fixture), output: rootBundle), machine: withoutCC)

        let liveReport = try Analyzer.analyze(path: liveBundle).report
        let rootReport = try Analyzer.analyze(path: rootBundle).report
        #expect(liveReport.verdict == rootReport.verdict)
        #expect(liveReport.findings.map(\.cause) == rootReport.findings.map(\.cause))
        #expect(liveReport.findings.map(\.confidence) == rootReport.findings.map(\.confidence))
        // What the report says the bundle lacks, and its notes, are the same: an unavailable
        // source is nothing the user is asked to fix.
        #expect(liveReport.missing == rootReport.missing)
        #expect(liveReport.notes == rootReport.notes)
        #expect(liveReport.collectedAtSource == "manifest")

        // The same files with the same bytes, but for the order of the registry keys (reg export is
        // asked key by key) and so the line numbers system-info.json cites; only the manifest's
        // machine (and timings) differ.
        let liveManifest = try manifest(liveBundle)
        let rootManifest = try manifest(rootBundle)
        #expect(liveManifest.entries.map(\.path) == rootManifest.entries.map(\.path))
        let reordered: Set = ["system/registry/HKLM.reg", "system/registry/HKCU.reg", "client/system-info.json"]
        #expect(liveManifest.entries.filter { !reordered.contains($0.path) }.map { "\($0.path) \($0.sha256)" }
                == rootManifest.entries.filter { !reordered.contains($0.path) }.map { "\($0.path) \($0.sha256)" })
        let liveFiles = try bundleContents(liveBundle)
        let rootFiles = try bundleContents(rootBundle)
        for hive in ["HKLM", "HKCU"] {
            let path = "system/registry/\(hive).reg"
            #expect(Self.sections(liveFiles[path]) == Self.sections(rootFiles[path]), "\(path)")
        }
        #expect(Self.withoutLines(liveFiles["client/system-info.json"]) == Self.withoutLines(rootFiles["client/system-info.json"]))
        #expect(liveManifest.machine.hasPrefix("live"))
        // The same outcomes, but for connect-client: unavailable live (the CC API cannot be asked
        // there, and that is no shortfall), missing from a root without its answer.
        let others = { (manifest: Manifest) in manifest.sources.filter { $0.name != "connect-client" }.map { "\($0.name) \($0.outcome)" } }
        #expect(others(liveManifest) == others(rootManifest), "\(liveManifest.sources.filter { $0.outcome != .ok })")
        let cc = try #require(liveManifest.source("connect-client"))
        #expect(cc.outcome == .unavailable && cc.messages.contains { $0.contains("no public interface") }, "\(cc)")
        #expect(rootManifest.source("connect-client")?.outcome == .missing)
        #expect(live.complete == !liveManifest.sources.contains { $0.name != "connect-client" && $0.outcome != .ok })
        if fixture == "healthy" { #expect(live.complete) }
    }

    /// A registry export's sections (key line and values), sorted.
    static func sections(_ data: Data?) -> [String] {
        String(decoding: data ?? Data(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.hasPrefix("[") }.sorted()
    }

    /// A JSON text without its `"line" : N` members (line numbers in the registry exports).
    static func withoutLines(_ data: Data?) -> String {
        String(decoding: data ?? Data(), as: UTF8.self)
            .replacingOccurrences(of: #"\s*"line" : \d+,?"#, with: "", options: .regularExpression)
    }

    @Test("the signed-in user's profile is read (%USERPROFILE%, %USERNAME%), else the fallbacks of --root")
    func signedInUser() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let drive = try ClientFixtures.copy("healthy", into: dir)
        let users = drive.appendingPathComponent("Users")
        try FileManager.default.copyItem(at: users.appendingPathComponent("jdoe"), to: users.appendingPathComponent("asmith"))
        let standIns = try StandIns.replaying(drive)
        defer { standIns.remove() }
        func user(_ environment: [String: String], _ name: String) throws -> String? {
            let settings = LiveMachine.Settings(drive: drive.path, environment: standIns.environment.merging(environment) { $1 })
            var options = CollectOptions(live: settings)
            options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
            options.output = dir.path(name)
            _ = try Collector.run(options)
            return try manifest(dir.path(name)).user
        }
        #expect(try user(["USERPROFILE": #"C:\Users\asmith"#, "USERNAME": "jdoe"], "a.zip") == "asmith")
        #expect(try user(["USERNAME": "ASMITH"], "b.zip") == "asmith")
        // A name with no profile here (a service account): two profiles have Bentley data, so the
        // registry's last signed-in user decides, as under --root.
        #expect(try user(["USERNAME": "svc-build"], "c.zip") == "jdoe")
    }

    @Test("a key reg export does not know exits 1: skipped and noted, the others exported and merged per hive")
    func missingRegistryKey() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        let output = dir.path("b.zip")
        _ = try Collector.run(Self.liveOptions("healthy", standIns, output: output))
        let client = try #require(try manifest(output).source("client"))
        #expect(client.outcome == .ok)
        let note = try #require(client.messages.first { $0.hasPrefix("registry keys not on this machine") }, "\(client.messages)")
        #expect(note.hasPrefix("registry keys not on this machine (6 of 13), skipped: "), "\(note)")
        #expect(note.contains(#"HKLM\SOFTWARE\Bentley\Licensing\1.1"#))
        #expect(note.contains("ERROR: The system was unable to find the specified registry key or value."))
        let hklm = String(decoding: try #require(try bundleContents(output)["system/registry/HKLM.reg"]), as: UTF8.self)
        #expect(hklm.hasPrefix("Windows Registry Editor Version 5.00"))
        #expect(hklm.contains(#"[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName]"#))
        #expect(hklm.contains(#"[HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\BentleyDesktopClient\Install]"#))
    }

    @Test("a command missing from PATH: its source is missing and says so; the bundle has everything else")
    func commandNotOnPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        try standIns.uninstall("tasklist")
        let output = dir.path("b.zip")
        let summary = try Collector.run(Self.liveOptions("healthy", standIns, output: output))
        #expect(!summary.complete)
        let processes = try #require(try manifest(output).source("processes"))
        #expect(processes.outcome == .missing)
        #expect(processes.messages == ["tasklist was not found on PATH, so it was not asked"])
        let files = try bundleContents(output)
        #expect(files["system/tasklist.csv"] == nil)
        #expect(files["system/registry/HKLM.reg"] != nil && files["system/events/Application.xml"] != nil)
        #expect(try manifest(output).source("events")?.outcome == .ok)
    }

    @Test("a command that exits non-zero: its source failed, with the command's own error line; exit 2 naming it alone")
    func commandFails() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        try standIns.installRefusedWevtutil()
        let output = dir.path("b.zip")
        let run = try runTool(BuiltProducts.path("logcollect"),
                              ["--live", "--drive", ClientFixtures.root("healthy").path, "--now", ClientFixtures.now, "--output", output],
                              environment: standIns.environment)
        #expect(run.status == 2, "\(run.output)")
        let last = run.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains(" files); events failed (manifest.json in it says why); send this file"), "\(last)")
        #expect(!last.contains("connect-client"), "\(last)")
        let events = try #require(try manifest(output).source("events"))
        #expect(events.outcome == .failed)
        #expect(events.messages.contains(
            "wevtutil qe Application /f:xml /rd:true /c:2000 failed with exit status 5: Failed to read events. Access is denied."),
            "\(events.messages)")
        #expect(try bundleContents(output)["system/events/Application.xml"] == nil)
        #expect(try manifest(output).source("processes")?.outcome == .ok)
    }

    @Test("commands that hang: each killed at its time limit with what it started, the source timed out, the bundle written")
    func commandsHang() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        // A grandchild (sleep) that would hold a pipe open, and records its pid to be checked.
        let hang = #"sleep 300 & echo $! >> "\#(standIns.directory.path("sleepers"))"; wait"#
        for name in ["reg", "tasklist", "wevtutil"] { try standIns.install(name, hang) }
        let output = dir.path("b.zip")
        let started = Date()
        let collect = Self.liveOptions("healthy", standIns, output: output, timeLimit: 2)
        let result = try runWithin(seconds: 60, unblock: { ChildProcess.killRunning() }) { [collect] in
            try Collector.run(collect)
        }
        let summary = try #require(result, "the collection hung")
        let elapsed = Date().timeIntervalSince(started)
        // Every command hangs, concurrently: one time limit (2 s) each source, not one per key or log.
        #expect(elapsed < 8, "took \(elapsed) s")
        print("commandsHang: collected in \(elapsed) s with every command hung and a 2 s limit")
        #expect(!summary.complete)
        let manifest = try manifest(output)
        for name in ["client", "processes", "events"] {
            let outcome = try #require(manifest.source(name))
            #expect(outcome.outcome == .timedOut, "\(outcome)")
            #expect(outcome.messages.first?.contains("did not finish within 2.0 s") == true, "\(outcome)")
        }
        #expect(manifest.entries.contains { $0.path == "licensing/LicensingStore.db" })
        #expect(manifest.entries.contains { $0.path == "client/system-info.json" }, "the CC configuration is still read")
        // The sleeping grandchildren were killed with their parents.
        let sleepers = (try? String(contentsOfFile: standIns.directory.path("sleepers"), encoding: .utf8)) ?? ""
        let pids = sleepers.split(separator: "\n").compactMap { Int32($0) }
        #expect(!pids.isEmpty)
        // Killed processes may stay zombies a moment, until whoever inherited them reaps them.
        let waitUntil = Date().addingTimeInterval(3)
        while pids.contains(where: Self.running) && Date() < waitUntil { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!pids.contains(where: Self.running), "left running: \(pids.filter(Self.running))")
    }

    @Test("a collection that ends early (several users, none named) leaves no command running")
    func noCommandOutlivesTheCollection() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let drive = try ClientFixtures.copy("healthy", into: dir)
        let users = drive.appendingPathComponent("Users")
        try FileManager.default.copyItem(at: users.appendingPathComponent("jdoe"), to: users.appendingPathComponent("asmith"))
        let standIns = try StandIns.replaying(drive)
        defer { standIns.remove() }
        // reg answers nothing (so the registry cannot name the last user); tasklist hangs.
        try standIns.install("reg", "exit 1")
        try standIns.install("tasklist", #"sleep 300 & echo $! >> "\#(standIns.directory.path("sleepers"))"; wait"#)
        let settings = LiveMachine.Settings(drive: drive.path, environment: standIns.environment)
        var options = CollectOptions(live: settings)
        options.output = dir.path("b.zip")
        #expect(throws: CollectError.self) { try Collector.run(options) }
        #expect(!FileManager.default.fileExists(atPath: dir.path("b.zip")))
        let sleepers = (try? String(contentsOfFile: standIns.directory.path("sleepers"), encoding: .utf8)) ?? ""
        let pids = sleepers.split(separator: "\n").compactMap { Int32($0) }
        let waitUntil = Date().addingTimeInterval(3)
        while pids.contains(where: Self.running) && Date() < waitUntil { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!pids.contains(where: Self.running), "left running: \(pids)")
    }

    /// True while a process runs (a zombie waiting to be reaped does not).
    static func running(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
    }

    @Test("tasklist in the console's code page (Windows-1252): converted, so Café.exe reads as Café.exe")
    func codePageOutput() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        let recorded = try String(contentsOf: ClientFixtures.root("healthy").appendingPathComponent(".system/tasklist.csv"), encoding: .utf8)
        let row = #""Café.exe","4242","Console","1","12,345 K","Running","EXAMPLE\jdoe","0:00:01","Bentley CONNECTION - Café""#
        let cp1252 = dir.url.appendingPathComponent("tasklist-1252.csv")
        try #require((recorded + row + "\r\n").data(using: .windowsCP1252)).write(to: cp1252)
        try standIns.install("tasklist", #"cat "\#(cp1252.path)""#)
        let output = dir.path("b.zip")
        _ = try Collector.run(Self.liveOptions("healthy", standIns, output: output))
        let csv = String(decoding: try #require(try bundleContents(output)["system/tasklist.csv"]), as: UTF8.self)
        #expect(csv.contains(#""Café.exe","4242""#), "\(csv)")
        #expect(!csv.contains("\u{FFFD}"))
        let processes = try #require(try manifest(output).source("processes"))
        #expect(processes.outcome == .ok)
        #expect(processes.messages.contains { $0.contains("Windows-1252") && $0.contains("converted to UTF-8") }, "\(processes)")
    }

    @Test("tasklist output longer than one read: UTF-8 with a character cut between reads is left alone, Windows-1252 is converted throughout",
          arguments: [String.Encoding.utf8, .windowsCP1252])
    func longOutput(encoding: String.Encoding) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let standIns = try StandIns.replaying(ClientFixtures.root("healthy"))
        defer { standIns.remove() }
        var text = try String(contentsOf: ClientFixtures.root("healthy").appendingPathComponent(".system/tasklist.csv"), encoding: .utf8)
        let row = #""Café.exe","4242","Console","1","12,345 K","Running","EXAMPLE\jdoe","0:00:01","Bentley CONNECTION - Café""# + "\r\n"
        while text.utf8.count < 60_000 { text += row }
        // The next row's "é" takes bytes 65535 and 65536 in UTF-8: the first read (64 KiB) cuts it.
        text += #"""# + String(repeating: "x", count: 65_534 - text.utf8.count) + row.dropFirst(4)  // (the bundle keeps rows naming Bentley)
        while text.utf8.count < 200_000 { text += row }
        let cafés = text.components(separatedBy: "é").count - 1
        let recorded = dir.url.appendingPathComponent("tasklist.csv")
        try #require(text.data(using: encoding)).write(to: recorded)
        try standIns.install("tasklist", #"cat "\#(recorded.path)""#)
        let output = dir.path("b.zip")
        _ = try Collector.run(Self.liveOptions("healthy", standIns, output: output))
        let csv = String(decoding: try #require(try bundleContents(output)["system/tasklist.csv"]), as: UTF8.self)
        #expect(csv.components(separatedBy: "é").count - 1 == cafés)
        #expect(!csv.contains("\u{FFFD}"))
        let converted = try #require(try manifest(output).source("processes")).messages.contains { $0.contains("converted to UTF-8") }
        #expect(converted == (encoding != .utf8))
    }
}
#endif
