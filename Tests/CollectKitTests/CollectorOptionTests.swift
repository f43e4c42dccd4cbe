import CollectKit
import Foundation
import Testing
import TestSupport

/// What each option and limit does to the bundle, as a user of `logcollect` sees it.
@Suite("logcollect: options and limits")
struct CollectorOptionTests {
    let logs = "Users/jdoe/AppData/Local/Bentley/Logs/Licensing Service"
    let licensing = "Users/jdoe/AppData/Local/Bentley/Licensing"

    // Writes the store with python3 and runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a secret the scrubbers missed: nothing at --output, one clear line, exit 1")
    func leakCheckRefuses() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        // In a column whose name says nothing, a signed token with header and claims too short
        // for the scrubber's JWT pattern (10 characters each) but a signature the independent
        // leak check still sees: only the leak check stands in the way.
        let python = try runTool("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("CREATE TABLE Session(Note TEXT)")
            db.execute("INSERT INTO Session VALUES ('eyJhbGc.eyJzdWI.c2lnbmF0dXJlc2lnbmF0dXJl')")
            db.commit()
            """, root.appendingPathComponent(licensing + "/LicensingStore.db").path])
        #expect(python.status == 0, "\(python.output)")
        let output = dir.path("out/b.zip")
        try FileManager.default.createDirectory(atPath: dir.path("out"), withIntermediateDirectories: true)
        let result = try logcollect(root: root, output: output)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output == "logcollect: refusing to publish: secrets left in the bundle (licensing/LicensingStore.db: jwt-signature)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("out")).isEmpty, "no bundle, no partial file")
    }
    #endif

    // Writes the store with python3 and runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("tables and columns nobody knows are kept and scrubbed, never a reason to refuse the bundle")
    func unknownTablesAreScrubbed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let store = root.appendingPathComponent(licensing + "/LicensingStore.db").path
        let python = try runTool("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute('CREATE TABLE "Order"(Token TEXT PRIMARY KEY, Note TEXT) WITHOUT ROWID')
            db.execute("INSERT INTO \\"Order\\" VALUES ('Bearer abcdefghijklmnop1234', 'kept as it was')")
            db.execute("ALTER TABLE Policy ADD COLUMN SessionToken TEXT")
            db.execute("UPDATE Policy SET SessionToken = 'refresh_token=r3fr3shT0k3nV4lu3'")
            db.commit()
            """, store])
        #expect(python.status == 0, "\(python.output)")
        let output = dir.path("b.zip")
        let result = try logcollect(root: root, output: output)
        #expect(result.status == 0, "\(result.output)")
        let copy = URL(fileURLWithPath: dir.path("store-copy.db"))
        try #require(try bundleContents(output)["licensing/LicensingStore.db"]).write(to: copy)
        let rows = try runTool("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute('SELECT Token, Note FROM "Order"').fetchall())
            print(db.execute('SELECT DISTINCT SessionToken FROM Policy').fetchall())
            """, copy.path])
        #expect(rows.status == 0, "\(rows.output)")
        #expect(!rows.output.contains("abcdefghijklmnop1234") && !rows.output.contains("r3fr3shT0k3nV4lu3"), "\(rows.output)")
        #expect(rows.output.contains("kept as it was"), "the unknown table is kept")
        #expect(rows.output.contains("[REDACTED]"), "\(rows.output)")
    }
    #endif

    @Test("a source past its size limit: later files left out, the manifest says which")
    func sourceSizeLimit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let row = String(repeating: "x", count: 1023) + "\n"
        for index in 1...3 {
            let name = "LicUsageLog.00000000-0000-0000-0000-00000000000\(index).csv"
            try Data(String(repeating: row, count: 150).utf8).write(to: root.appendingPathComponent("\(licensing)/\(name)"))
        }
        let output = dir.path("b.zip")
        var collect = options(root: root, output: output)
        collect.sizeScale = 1.0 / 1024  // the usage source's 256 MB become 256 KB
        let summary = try Collector.run(collect)
        #expect(!summary.complete)
        let manifest = try manifest(output)
        let usage = try #require(manifest.source("usage"))
        #expect(usage.outcome == .failed)
        let kept = manifest.entries.filter { $0.source == "usage" }
        #expect(kept.count == usage.entries)
        #expect(kept.count < 4, "the fixture's log and two of the three large ones at most")
        #expect(kept.reduce(0) { $0 + $1.size } <= 256 << 10, "not even the entry that crosses the limit goes over it")
        #expect(usage.messages.contains { $0.contains("left out, the source reached its 0.25 MB limit") }, "\(usage.messages)")
        #expect(manifest.source("logs")?.outcome == .ok, "other sources are not held to it")
    }

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("--since leaves older logs out and says so; without it they are kept")
    func since() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        try writeLog(root, "recent.log", lines: 10, modified: "2026-11-19T12:00:00Z")
        try writeLog(root, "old.log", lines: 10, modified: "2026-11-10T12:00:00Z")
        let output = dir.path("b.zip")
        let result = try logcollect(root: root, output: output, ["--since", "2026-11-15"])
        #expect(result.status == 0, "\(result.output)")
        let collected = try manifest(output)
        #expect(collected.logsSince == "2026-11-15T00:00:00Z")
        #expect(collected.entries.contains { $0.path == "logs/Licensing Service/recent.log" })
        #expect(!collected.entries.contains { $0.path == "logs/Licensing Service/old.log" })
        #expect(collected.source("logs")?.messages.contains { $0.contains("last modified before 2026-11-15T00:00:00Z left out") } == true)

        let byDefault = dir.path("default.zip")
        _ = try Collector.run(options(root: root, output: byDefault))
        #expect(try manifest(byDefault).entries.contains { $0.path == "logs/Licensing Service/old.log" }, "14 days by default")
    }
    #endif

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("--max-log-mb keeps the newest part of a log, from a line start")
    func maxLogKeepsTail() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let original = try writeLog(root, "big.log", lines: 30_000, modified: "2026-11-20T09:00:00Z")
        #expect(original.count > 2 << 20)
        let output = dir.path("b.zip")
        let result = try logcollect(root: root, output: output, ["--max-log-mb", "1"])
        #expect(result.status == 0, "\(result.output)")
        let kept = try #require(try bundleContents(output)["logs/Licensing Service/big.log"])
        #expect(kept.count <= 1 << 20 && kept.count > (1 << 20) - 200)
        #expect(original.suffix(kept.count) == kept, "the kept bytes are the log's tail")
        #expect(original[original.count - kept.count - 1] == 0x0A, "starting at a line")
        let entry = try #require(try manifest(output).entries.first { $0.path == "logs/Licensing Service/big.log" })
        #expect(entry.truncated)
    }
    #endif

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("--max-bundle-mb caps the bundle: the oldest logs are left out, and the manifest says so")
    func maxBundle() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let newer = try writeLog(root, "newer.log", lines: 7_000, modified: "2026-11-20T09:50:00Z")
        let older = try writeLog(root, "older.log", lines: 7_000, modified: "2026-11-20T09:00:00Z")
        try writeLog(root, "oldest.log", lines: 7_000, modified: "2026-11-20T08:00:00Z")
        let output = dir.path("b.zip")
        let result = try logcollect(root: root, output: output, ["--max-bundle-mb", "1"])
        #expect(result.status == 2, "\(result.output)")
        let manifest = try manifest(output)
        #expect(manifest.entries.reduce(0) { $0 + $1.size } <= 1 << 20)
        #expect(manifest.entries.first { $0.path == "logs/Licensing Service/newer.log" }?.size == Int64(newer.count))
        let cut = try #require(manifest.entries.first { $0.path == "logs/Licensing Service/older.log" })
        #expect(cut.truncated)
        // Cut by the bundle's cap, a log keeps its newest lines, as under its own cap.
        let kept = try #require(try bundleContents(output)["logs/Licensing Service/older.log"])
        #expect(kept.count > 0 && older.suffix(kept.count) == kept, "the kept bytes are the log's tail")
        #expect(String(decoding: kept.prefix(4), as: UTF8.self) == "2026", "the tail starts at a line")
        #expect(!manifest.entries.contains { $0.path == "logs/Licensing Service/oldest.log" })
        let messages = manifest.source("logs")?.messages ?? []
        #expect(messages.contains("logs/Licensing Service/oldest.log: left out, the bundle reached its size cap"), "\(messages)")
        #expect(manifest.source("logs")?.outcome == .failed)
    }
    #endif

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("--max-bundle-mb with one huge newest log: the small logs go in whole, the huge one keeps its newest part")
    func smallLogsBeforeHugeOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let huge = try writeLog(root, "huge.log", lines: 40_000, modified: "2026-11-20T09:55:00Z")
        #expect(huge.count > 3 << 20)
        var small: [String: Data] = [:]
        for index in 0..<5 {
            small["small\(index).log"] = try writeLog(root, "small\(index).log", lines: 300, modified: "2026-11-20T0\(index):00:00Z")
        }
        let output = dir.path("b.zip")
        let result = try logcollect(root: root, output: output, ["--max-bundle-mb", "1", "--max-log-mb", "0"])
        #expect(result.status == 0, "\(result.output)")
        let manifest = try manifest(output)
        let files = try bundleContents(output)
        #expect(manifest.entries.reduce(0) { $0 + $1.size } <= 1 << 20, "the cap holds")
        for (name, data) in small {
            #expect(files["logs/Licensing Service/\(name)"] == data, "\(name) is in whole")
        }
        let kept = try #require(files["logs/Licensing Service/huge.log"])
        #expect(kept.count > 0 && huge.suffix(kept.count) == kept, "the huge log keeps its newest part")
        let entry = try #require(manifest.entries.first { $0.path == "logs/Licensing Service/huge.log" })
        #expect(entry.truncated && entry.note?.contains("cut to the bundle's size cap, its newest part kept") == true, "\(entry)")
    }
    #endif

    @Test("progress reports each source once, with the outcome the manifest records")
    func progressOncePerSource() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        try writeLog(root, "big.log", lines: 20_000, modified: "2026-11-20T09:50:00Z")
        try writeLog(root, "bigger.log", lines: 20_000, modified: "2026-11-20T09:00:00Z")
        let output = dir.path("b.zip")
        var options = options(root: root, output: output)
        options.maxBundleBytes = 1 << 20  // the logs fail while written, after they were listed
        final class Reported: @unchecked Sendable {
            let lock = NSLock()
            var outcomes: [Manifest.SourceOutcome] = []
        }
        let reported = Reported()
        _ = try Collector.run(options) { outcome in reported.lock.withLock { reported.outcomes.append(outcome) } }
        let manifest = try manifest(output)
        #expect(reported.outcomes.map(\.name).sorted() == manifest.sources.map(\.name).sorted(), "once each")
        for source in manifest.sources {
            #expect(reported.outcomes.first { $0.name == source.name }?.outcome == source.outcome, "\(source.name)")
        }
        #expect(manifest.source("logs")?.outcome == .failed)
    }

    @Test("events: only Bentley and service-control events of the last 30 days are kept")
    func eventsFiltered() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        try Data([
            event(1, provider: "Application Error", id: 1000, at: "2026-11-18T09:00:00Z", data: "Bentley.Licensing.Service.exe"),
            event(2, provider: "Application Error", id: 1000, at: "2026-10-01T09:00:00Z", data: "Bentley.Licensing.Service.exe"),
            event(3, provider: "Microsoft-Windows-Winlogon", id: 6000, at: "2026-11-19T09:00:00Z", data: "SessionEnv"),
        ].joined(separator: "\r\n").utf8).write(to: root.appendingPathComponent(".system/events/Application.xml"))
        try Data([
            event(4, provider: "Service Control Manager", id: 7031, at: "2026-11-19T09:00:00Z", data: "Bentley Licensing Service"),
            event(5, provider: "Service Control Manager", id: 7036, at: "2026-11-19T09:00:00Z", data: "Windows Update"),
        ].joined(separator: "\r\n").utf8).write(to: root.appendingPathComponent(".system/events/System.xml"))
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: root, output: output))
        let files = try bundleContents(output)
        let application = String(decoding: try #require(files["system/events/Application.xml"]), as: UTF8.self)
        let system = String(decoding: try #require(files["system/events/System.xml"]), as: UTF8.self)
        #expect(recordIDs(application) == [1], "a month-old crash and a non-Bentley event are left out")
        #expect(recordIDs(system) == [4], "a service-control event not naming Bentley is left out")
        #expect(try manifest(output).entries.first { $0.path == "system/events/Application.xml" }?.note?.hasPrefix("1 of 3 events kept") == true)
    }

    @Test("processes: only the header and the Bentley processes are kept")
    func processesFiltered() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: ClientFixtures.root("healthy"), output: output))
        let list = String(decoding: try #require(try bundleContents(output)["system/tasklist.csv"]), as: UTF8.self)
        let rows = list.split(separator: "\r\n").map(String.init)
        #expect(rows.first?.hasPrefix("\"Image Name\"") == true)
        #expect(rows.count == 4, "the header and the fixture's three Bentley processes: \(rows)")
        #expect(rows.dropFirst().allSatisfy { $0.localizedCaseInsensitiveContains("bentley") })
        #expect(!list.contains("csrss.exe"))
    }

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("--json prints the summary on stdout; stderr, not a terminal, has no progress, only the last line")
    func jsonSummary() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("b.zip")
        let result = try logcollect(root: ClientFixtures.root("healthy"), output: output, ["--json"])
        #expect(result.status == 0)
        // stdout and stderr together: one JSON line, and the last line naming the bundle.
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2, "\(result.output)")
        #expect(lines.contains { $0.hasPrefix("wrote \(output) (") && $0.hasSuffix("run `loganalyze \(output)`") })
        let json = try #require(lines.first { $0.hasPrefix("{") })
        let summary = try JSONDecoder().decode(CollectSummary.self, from: Data(json.utf8))
        #expect(summary.output == output)
        #expect(summary.complete)
        #expect(summary.entries == (try manifest(output)).entries.count)
        #expect(summary.sources.count == 12 && summary.sources.allSatisfy { $0.outcome == .ok })
    }
    #endif

    @Test("the sign-in e-mail is kept without --redact")
    func emailKeptByDefault() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("b.zip")
        _ = try Collector.run(options(root: ClientFixtures.root("healthy"), output: output))
        let answer = String(decoding: try #require(try bundleContents(output)["client/connect-client.json"]), as: UTF8.self)
        #expect(answer.contains("jane.doe@example.com"))
        #expect(try manifest(output).pseudonymized == false)
    }

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("--case and --label are recorded in the manifest")
    func caseAndLabel() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("b.zip")
        let result = try logcollect(root: ClientFixtures.root("healthy"), output: output,
                                    ["--case", "CS-20261120-7", "--label", "trial mode after the Windows update"])
        #expect(result.status == 0, "\(result.output)")
        let manifest = try manifest(output)
        #expect(manifest.caseNumber == "CS-20261120-7")
        #expect(manifest.label == "trial mode after the Windows update")
        let raw = String(decoding: try #require(try bundleContents(output)["manifest.json"]), as: UTF8.self)
        #expect(raw.contains("\"case\""), "the documented key")
    }
    #endif

    /// Writes a log of numbered lines into the Licensing Service folder; returns its bytes.
    @discardableResult
    private func writeLog(_ root: URL, _ name: String, lines: Int, modified: String) throws -> Data {
        var data = Data()
        for index in 0..<lines {
            data.append(Data("2026-11-20 08:00:00,000 [1] INFO  Bentley.Licensing.Service.Test - \(name) line \(index) of \(lines)\r\n".utf8))
        }
        let url = root.appendingPathComponent("\(logs)/\(name)")
        try data.write(to: url)
        try FileManager.default.setAttributes([.modificationDate: try #require(ISO8601DateFormatter().date(from: modified))],
                                              ofItemAtPath: url.path)
        return data
    }

    private func event(_ record: Int, provider: String, id: Int, at time: String, data: String) -> String {
        "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name='\(provider)'/>"
            + "<EventID>\(id)</EventID><Level>2</Level><TimeCreated SystemTime='\(time)'/><EventRecordID>\(record)</EventRecordID>"
            + "<Computer>WS-JDOE-01</Computer></System><EventData><Data>\(data)</Data></EventData></Event>"
    }

    private func recordIDs(_ xml: String) -> [Int] {
        xml.components(separatedBy: "<EventRecordID>").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }
}
