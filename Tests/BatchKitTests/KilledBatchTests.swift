import Foundation
import SQLiteKit
import Testing
import TestSupport
@testable import BatchKit

// Runs the built loganalyze by its Linux name and kills it with SIGKILL: Linux (and macOS) tests.
#if !os(Windows)

/// A batch with `--index` killed with SIGKILL at any moment: the index opens afterwards, a re-run
/// reuses every line the killed runs wrote and writes what one uninterrupted run writes, and the
/// aside files a killed run leaves are gone after the next one.
@Suite("batch: killed with SIGKILL")
struct KilledBatchTests {
    let tool = BuiltProducts.path("loganalyze")

    @Test("killed three times at random points: the index opens each time, the re-run reuses every line, the JSONL equals an uninterrupted run's")
    func killedThreeTimes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let count = 60
        try makeDistinctBundles(count, in: dir.path("in"))
        let reference = dir.path("reference.jsonl")
        let straight = try runTool(tool, ["batch", dir.path("in"), "-o", reference, "--no-progress"])
        #expect(straight.status == 0, "\(straight.output)")

        let output = dir.path("out.jsonl")
        let index = dir.path("triage.sqlite")
        let arguments = ["batch", dir.path("in"), "-o", output, "--index", index, "--jobs", "2", "--no-progress"]
        let seed = UInt64.random(in: 1...UInt64.max)
        var random = SplitMix(seed: seed)
        var indexed = 0
        for round in 1...3 {
            // Somewhere past what the index already holds and before the end, and a little
            // later still, so the kill may land mid-analysis, mid-commit or mid-write.
            let target = indexed + 1 + Int(random.next() % UInt64(max(1, (count - indexed) / 2)))
            let process = try startTool(tool, arguments)
            let deadline = Date().addingTimeInterval(60)
            while lineCount(output + ".partial") < target && process.isRunning && Date() < deadline { usleep(2_000) }
            usleep(useconds_t(random.next() % 30_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try #require(process.terminationReason == .uncaughtSignal,
                         "round \(round) (seed \(seed)): the batch finished before it could be killed")

            let written = try jsonLines(output + ".partial").map(bundlePath)
            let database = try TriageIndex.openForQuery(index)
            #expect(try database.rows("PRAGMA integrity_check").first?.values.first?.text == "ok", "round \(round), seed \(seed)")
            let paths = Set(try database.rows("SELECT path FROM bundles", limit: .max).compactMap { $0["path"]?.text })
            #expect(paths.isSuperset(of: written), "round \(round) (seed \(seed)): a line written is not in the index")
            #expect(paths.count >= indexed, "round \(round): the index lost lines")
            #expect(!FileManager.default.fileExists(atPath: output))
            indexed = paths.count
        }

        let last = try runTool(tool, arguments)
        #expect(last.status == 0, "\(last.output)")
        #expect(last.output.contains("index: \(indexed) reused, \(count - indexed) analysed"), "seed \(seed): \(last.output)")
        #expect(!last.output.contains("rebuilding"), "\(last.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(contentsOf: URL(fileURLWithPath: reference)),
                "seed \(seed)")
        #expect(asideFiles(under: dir.url.path).isEmpty, "\(asideFiles(under: dir.url.path))")
    }

    @Test("the .partial files of a killed run (outputs and an index being built) are gone after the next run")
    func staleAsideFilesRemoved() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try makeDistinctBundles(40, in: dir.path("in"))
        let arguments = ["batch", dir.path("in"), "-o", dir.path("out.jsonl"), "--csv", dir.path("out.csv"),
                         "--summary", dir.path("summary.html"), "--reports", dir.path("reports"),
                         "--index", dir.path("triage.sqlite"), "--jobs", "1", "--no-progress"]
        let process = try startTool(tool, arguments)
        let deadline = Date().addingTimeInterval(60)
        while lineCount(dir.path("out.jsonl.partial")) < 3 && Date() < deadline { usleep(2_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(asideFiles(under: dir.url.path).contains("out.jsonl.partial"))
        // What a kill while an index was being built leaves (a new index is built aside).
        for name in ["triage.sqlite.partial", "triage.sqlite.partial-journal"] {
            try Data("half an index".utf8).write(to: dir.url.appendingPathComponent(name))
        }

        let rerun = try runTool(tool, arguments)
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(asideFiles(under: dir.url.path).isEmpty, "\(asideFiles(under: dir.url.path))")
        #expect(try jsonLines(dir.path("out.jsonl")).count == 40)
        let csvRows = try String(contentsOfFile: dir.path("out.csv"), encoding: .utf8).components(separatedBy: "\r\n").count - 2
        #expect(csvRows == 40)
        #expect(try String(contentsOfFile: dir.path("summary.html"), encoding: .utf8).hasSuffix("</html>\n"))
        #expect(try TriageIndex.openForQuery(dir.path("triage.sqlite")).rows("SELECT count(*) AS n FROM bundles").first?["n"]?.integer == 40)
    }
}

/// A small seeded generator, so a failing kill sequence can be replayed from its seed.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
#endif
