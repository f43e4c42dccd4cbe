import ArchiveKit
@testable import BatchKit
import Foundation
import Reporting
import Testing
import TestSupport

/// `loganalyze batch` in-process: what lands in the JSON Lines file, in which order, and what
/// becomes of bundles that cannot be read.
@Suite("batch: lines, order and bad input")
struct BatchRunTests {
    @Test("one line per bundle, sorted by path, byte-identical whatever the number of jobs")
    func orderIndependentOfJobs() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let names = ["not-signed-in", "country-mismatch", "healthy", "client-outdated", "no-policy", "offline-expired"]
        for (offset, name) in names.enumerated() {
            try FixtureBundles.copy(name, to: dir.path("in/\(offset % 2 == 0 ? "z" : "a")/\(name).zip"))
        }
        try FixtureBundles.extract("access-denied", to: dir.path("in/m/folder-bundle"))
        var outputs: [Data] = []
        for jobs in [1, 3, 8] {
            let output = dir.path("jobs\(jobs).jsonl")
            let result = try BatchRunner.run(batchOptions([dir.path("in")], output: output, jobs: jobs), log: Messages().sink)
            #expect(result.status == .allAnalysed)
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: output)))
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        let lines = try jsonLines(dir.path("jobs1.jsonl"))
        #expect(lines.count == names.count + 1, "the folder with manifest.json is one bundle")
        let paths = try lines.map(bundlePath)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(paths.contains(dir.path("in/m/folder-bundle")))
        for line in lines {
            let report = try object(line)
            for key in ["schemaVersion", "bundle", "verdict", "products", "findings", "ruledOut", "missing"] {
                #expect(report[key] != nil, "\(key) missing")
            }
        }
        let country = try #require(try lines.first { try bundlePath($0).hasSuffix("country-mismatch.zip") })
        #expect(try LineFields(line: Data(country.utf8)).topCause == "country-mismatch")
        #expect(try LineFields(line: Data(country.utf8)).client == ClientSummary(ccVersion: "23.00.01.10", country: "GB"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("jobs1.jsonl.partial")))
    }

    @Test("corrupt, empty, huge and duplicate bundles in one batch: one line each, errors named, the batch goes on")
    func badBundles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: dir.url.appendingPathComponent("corrupt.zip"))
        try Data().write(to: dir.url.appendingPathComponent("empty.zip"))
        try FileManager.default.copyItem(atPath: RepoPaths.fixture("archives/bomb.zip").path, toPath: dir.path("bomb.zip"))
        try FileManager.default.copyItem(atPath: RepoPaths.fixture("archives/truncated.zip").path, toPath: dir.path("truncated.zip"))
        try makeHugeBundle(at: dir.path("huge.zip"))
        try FixtureBundles.copy("healthy", to: dir.path("healthy.zip"))
        try FixtureBundles.copy("healthy", to: dir.path("healthy-copy.zip"))
        let messages = Messages()
        let output = dir.path("out.jsonl")
        // The same bundle named twice, and once more through a folder, is one line.
        let result = try BatchRunner.run(batchOptions([dir.url.path, dir.path("healthy.zip"), dir.path("./healthy.zip")],
                                                      output: output), log: messages.sink)
        #expect(result.status == .someErrors)
        #expect(result.status.exitCode == 2)
        let lines = try jsonLines(output)
        let byName = Dictionary(uniqueKeysWithValues: try lines.map { ((try bundlePath($0) as NSString).lastPathComponent, $0) })
        #expect(byName.count == 7 && lines.count == 7)
        #expect(try errorCode(try #require(byName["corrupt.zip"])) == "not-a-bundle")
        #expect(try errorCode(try #require(byName["empty.zip"])) != nil)
        #expect(try errorCode(try #require(byName["healthy.zip"])) == nil)
        #expect(try errorCode(try #require(byName["huge.zip"])) == nil, "a large bundle is analysed, not refused")
        for line in lines where try errorCode(line) != nil {
            let error = try #require(try object(line)["error"] as? [String: Any])
            #expect((error["message"] as? String)?.contains("/") == true, "the message names the file")
            #expect(!(error["message"] as? String ?? "").contains("\n"))
        }
        #expect(result.summary.duplicates == 1)
        #expect(messages.text.contains("could not be read"))
        #expect(messages.text.contains("the same content as another"))
    }

    // mkfifo and a symbolic link: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a FIFO and a dangling link named like bundles become error lines, never opened")
    func unreadableFolderEntries() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FixtureBundles.copy("healthy", to: dir.path("in/healthy.zip"))
        #expect(mkfifo(dir.path("in/pipe.zip"), 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.path("in/gone.tar.gz"), withDestinationPath: dir.path("nowhere"))
        try Data("not a bundle".utf8).write(to: dir.url.appendingPathComponent("in/readme.txt"))
        let output = dir.path("out.jsonl")
        let result = try BatchRunner.run(batchOptions([dir.path("in"), dir.path("missing.zip")], output: output), log: Messages().sink)
        #expect(result.status == .someErrors)
        let lines = try jsonLines(output)
        let codes = try Dictionary(uniqueKeysWithValues: lines.map { ((try bundlePath($0) as NSString).lastPathComponent, try errorCode($0) ?? "ok") })
        #expect(codes == ["gone.tar.gz": "not-found", "healthy.zip": "ok", "missing.zip": "not-found", "pipe.zip": "not-a-bundle"])
    }
    #endif

    @Test("an output that cannot be written: one clear error, nothing analysed, nothing left behind")
    func unwritableOutput() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FixtureBundles.copy("healthy", to: dir.path("healthy.zip"))
        try Data().write(to: dir.url.appendingPathComponent("file"))
        for output in [dir.path("no/such/folder/out.jsonl"), dir.path("file/out.jsonl"), dir.url.path] {
            let error = try #require(throws: BatchError.self) {
                try BatchRunner.run(batchOptions([dir.path("healthy.zip")], output: output), log: Messages().sink)
            }
            #expect(error.message.contains(output) && !error.message.contains("\n"), "\(error.message)")
        }
        var options = batchOptions([dir.path("healthy.zip")], output: dir.path("out.jsonl"))
        options.outputs.summary = dir.path("no/such/summary.html")
        #expect(throws: BatchError.self) { try BatchRunner.run(options, log: Messages().sink) }
        #expect(!FileManager.default.fileExists(atPath: dir.path("out.jsonl.partial")), "the JSON Lines' .partial is removed")
    }

    @Test("- reads more paths from standard input")
    func standardInput() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try FixtureBundles.copy("healthy", to: dir.path("a.zip"))
        let second = try FixtureBundles.copy("no-account", to: dir.path("b.zip"))
        var options = batchOptions(["-"], output: dir.path("out.jsonl"))
        options.discovery = BundleDiscovery(standardInput: { [second, "", first] })
        _ = try BatchRunner.run(options, log: Messages().sink)
        #expect(try jsonLines(dir.path("out.jsonl")).map(bundlePath) == [first, second])
    }

    @Test("the CSV has one row per bundle; report pages are linked from the summary")
    func csvAndReportPages() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FixtureBundles.copy("country-mismatch", to: dir.path("in/a,b.zip"))
        try Data("junk".utf8).write(to: dir.url.appendingPathComponent("in/junk.zip"))
        var options = batchOptions([dir.path("in")], output: dir.path("out/results.jsonl"))
        try FileManager.default.createDirectory(atPath: dir.path("out"), withIntermediateDirectories: true)
        options.outputs.csv = dir.path("out/results.csv")
        options.outputs.summary = dir.path("out/summary.html")
        options.outputs.reports = dir.path("out/reports")
        _ = try BatchRunner.run(options, log: Messages().sink)
        let csv = try String(contentsOfFile: dir.path("out/results.csv"), encoding: .utf8).components(separatedBy: "\r\n")
        #expect(csv[0] == "path,sha256,collectedAt,verdict,topCause,confidence,ccVersion,country,error")
        #expect(csv[1].hasPrefix("\"\(dir.path("in/a,b.zip"))\","))
        #expect(csv[1].contains(",2026-11-20T10:00:00Z,trial,country-mismatch,0.96,23.00.01.10,GB,"))
        #expect(csv[2].contains(",error,,,,,\"not-a-bundle: "), "the message has a comma: quoted")
        let page = try String(contentsOfFile: dir.path("out/summary.html"), encoding: .utf8)
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path("out/reports"))
        #expect(pages.count == 2)
        for name in pages { #expect(page.contains("href=\"reports/\(name)\"")) }
        // Each page is named after its bundle and links back to the summary.
        #expect(Set(pages.map { String($0.prefix(while: { $0 != "-" })) }) == ["a_b.zip", "junk.zip"], "\(pages)")
        for name in pages {
            let report = try String(contentsOfFile: dir.path("out/reports/\(name)"), encoding: .utf8)
            #expect(report.contains("<a href=\"../summary.html\">← Batch summary</a>"))
        }
    }
}

/// A valid bundle with a 40 MB log (varied lines, so it compresses like a real one).
func makeHugeBundle(at path: String) throws {
    let writer = try ZipWriter(path: path)
    let reader = try ArchiveReader(path: FixtureBundles.path("healthy"))
    while let entry = try reader.nextEntry() {
        guard entry.kind == .file else { continue }
        try writer.addEntry(named: entry.path, data: try reader.readData(upTo: 64 << 20), modified: Date(timeIntervalSince1970: 1_795_600_000))
    }
    var log = ""
    var bytes = Data()
    var state: UInt64 = 42
    while bytes.count < 40 << 20 {
        log.removeAll(keepingCapacity: true)
        for _ in 0..<1000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            log += "2026-11-19 08:00:00,000 [7] INFO  Bentley.Licensing.Service.PolicyManager - Heartbeat \(state >> 20) ok\r\n"
        }
        bytes.append(Data(log.utf8))
    }
    try writer.addEntry(named: "logs/Licensing Service/Bentley.Licensing.Service.big.log", data: bytes,
                        modified: Date(timeIntervalSince1970: 1_795_600_000))
    try writer.finish()
}
