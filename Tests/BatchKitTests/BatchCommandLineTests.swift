import Foundation
import Testing
import TestSupport

// Runs the built loganalyze by its Linux name and stops it with SIGINT, SIGTERM and SIGKILL: Linux (and macOS) tests.
#if !os(Windows)

/// `loganalyze batch`, `merge` and `query` as scripts run them: exit codes, messages, signals.
@Suite("batch command line")
struct BatchCommandLineTests {
    let tool = BuiltProducts.path("loganalyze")

    @Test("exit codes: 0 all analysed, 2 some bundles unreadable, 1 nothing written, 64 bad usage")
    func exitCodes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FixtureBundles.copy("healthy", to: dir.path("good/healthy.zip"))
        try FixtureBundles.copy("not-signed-in", to: dir.path("mixed/not-signed-in.zip"))
        try Data("junk".utf8).write(to: dir.url.appendingPathComponent("mixed/junk.zip"))

        let good = try runTool(tool, ["batch", dir.path("good"), "--output", dir.path("good.jsonl"), "--csv", dir.path("good.csv")])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("loganalyze batch: 1 bundle (1 licensed)"))
        #expect(try jsonLines(dir.path("good.jsonl")).count == 1)

        let mixed = try runTool(tool, ["batch", dir.path("mixed"), "-o", dir.path("mixed.jsonl"), "--jobs", "2"])
        #expect(mixed.status == 2, "\(mixed.output)")
        #expect(mixed.output.contains("could not be read: not-a-bundle 1"))
        #expect(try jsonLines(dir.path("mixed.jsonl")).count == 2)

        let unwritable = try runTool(tool, ["batch", dir.path("good"), "--output", dir.path("nowhere/out.jsonl")])
        #expect(unwritable.status == 1)
        // The line names the file the user asked for, not the .partial beside it.
        #expect(unwritable.output == "loganalyze: cannot write \(dir.path("nowhere/out.jsonl")): No such file or directory\n")

        for arguments in [["batch", dir.path("good")], ["batch", dir.path("good"), "-o", dir.path("x"), "--jobs", "0"],
                          ["batch", dir.path("good"), "-o", dir.path("x"), "--shard", "2/2"], ["merge", "-o", dir.path("x")],
                          ["query", "--index", dir.path("i"), "--since", "yesterday"]] {
            let usage = try runTool(tool, arguments)
            #expect(usage.status == 64, "\(arguments): \(usage.output)")
        }
    }

    @Test("shards on the command line, merged, then queried through the index")
    func shardMergeQuery() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for name in ["country-mismatch", "healthy", "client-outdated", "no-account"] {
            try FixtureBundles.copy(name, to: dir.path("in/\(name).zip"))
        }
        for index in 0..<2 {
            let shard = try runTool(tool, ["batch", dir.path("in"), "-o", dir.path("s\(index).jsonl"), "--shard", "\(index)/2",
                                           "--index", dir.path("s\(index).sqlite")])
            #expect(shard.status == 0, "\(shard.output)")
        }
        let merged = try runTool(tool, ["merge", dir.path("s0.jsonl"), dir.path("s1.jsonl"), "-o", dir.path("all.jsonl"),
                                        "--summary", dir.path("all.html")])
        #expect(merged.status == 0, "\(merged.output)")
        #expect(try jsonLines(dir.path("all.jsonl")).count == 4)
        let one = try runTool(tool, ["batch", dir.path("in"), "-o", dir.path("one.jsonl"), "--index", dir.path("one.sqlite")])
        #expect(one.status == 0)
        #expect(try Data(contentsOf: dir.url.appendingPathComponent("one.jsonl")) == Data(contentsOf: dir.url.appendingPathComponent("all.jsonl")))

        let query = try runTool(tool, ["query", "--index", dir.path("one.sqlite"), "--cause", "country-mismatch"])
        #expect(query.status == 0)
        #expect(query.output == "\(dir.path("in/country-mismatch.zip"))\ttrial\tcountry-mismatch\t0.96\n")
        let byVersion = try runTool(tool, ["query", "--index", dir.path("one.sqlite"), "--cc-version", "10", "--country", "gb",
                                           "--since", "2026-11-20", "--until", "2026-11-20"])
        #expect(byVersion.output.hasPrefix(dir.path("in/client-outdated.zip") + "\ttrial\tclient-outdated\t"), "\(byVersion.output)")
        let none = try runTool(tool, ["query", "--index", dir.path("one.sqlite"), "--until", "2026-11-19"])
        #expect(none.status == 0 && none.output.isEmpty)
        let notIndex = try runTool(tool, ["query", "--index", dir.path("all.jsonl")])
        #expect(notIndex.status == 1 && notIndex.output.hasPrefix("loganalyze: \(dir.path("all.jsonl")): not a loganalyze index"))
    }

    @Test("SIGINT and SIGTERM: whole lines of what finished, renamed into place; exit 130 and 143", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try makeManyBundles(400, in: dir.path("in"))
        let output = dir.path("out.jsonl")
        let process = try start(["batch", dir.path("in"), "-o", output, "--jobs", "1", "--csv", dir.path("out.csv")])
        try waitForLines(3, in: output + ".partial")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
        let lines = try jsonLines(output)
        #expect(lines.count >= 3 && lines.count < 400)
        for line in lines { _ = try object(line) }
        let csvRows = try String(contentsOfFile: dir.path("out.csv"), encoding: .utf8).components(separatedBy: "\r\n").count - 2
        #expect(csvRows == lines.count)
    }

    @Test("SIGKILL: the .partial file holds whole lines only")
    func killed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try makeManyBundles(400, in: dir.path("in"))
        let output = dir.path("out.jsonl")
        let process = try start(["batch", dir.path("in"), "-o", output, "--jobs", "2"])
        try waitForLines(5, in: output + ".partial")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: output + ".partial"))
        #expect(data.last == 0x0A)
        for line in try jsonLines(output + ".partial") { _ = try object(line) }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func waitForLines(_ count: Int, in path: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: path), data.filter({ $0 == 0x0A }).count >= count { return }
            usleep(5_000)
        }
        Issue.record("no \(count) lines in \(path) within a minute")
    }

    /// `count` bundles: hard links to fixture bundles under distinct names.
    private func makeManyBundles(_ count: Int, in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let names = ClientFixtures.names
        for number in 0..<count {
            let source = FixtureBundles.path(names[number % names.count])
            #expect(link(source, folder + String(format: "/%04d.zip", number)) == 0)
        }
    }
}
#endif
