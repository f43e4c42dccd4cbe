import AnalyzeKit
import ArchiveKit
import Foundation
import Reporting
import Testing
import TestSupport

/// Builds a ZIP bundle from name → bytes.
func makeZip(_ files: [(String, Data)], at path: String) throws {
    let writer = try ZipWriter(path: path)
    for (name, data) in files {
        try writer.addEntry(named: name, data: data, modified: Date(timeIntervalSince1970: 1_795_600_000))
    }
    try writer.finish()
}

/// The files of a collected fixture bundle, to build variations of it.
func fixtureFiles(_ fixture: String, dir: TemporaryDirectory) throws -> [(String, Data)] {
    let reader = try ArchiveReader(path: try collectFixture(fixture, into: dir))
    var files: [(String, Data)] = []
    while let entry = try reader.nextEntry() {
        if entry.kind == .file { files.append((entry.path, try reader.readData(upTo: 64 << 20))) }
    }
    return files
}

/// Bad input the analyser must survive: a clear message naming the file, and whatever else the
/// bundle holds is still analysed — never a crash.
@Suite("loganalyze: hostile and broken bundles")
struct HostileBundleTests {
    @Test("not an archive, a missing path and a truncated ZIP are clear bundle errors")
    func unreadable() throws {
        let notArchive = try #require(throws: BundleError.self) {
            try Analyzer.analyze(path: RepoPaths.fixture("archives/not-an-archive.zip").path)
        }
        #expect(notArchive.code == .notABundle)
        let missing = try #require(throws: BundleError.self) { try Analyzer.analyze(path: "/nonexistent/bundle.zip") }
        #expect(missing.code == .notFound)
        // A truncated ZIP: what could be read before the break is analysed, and the break is noted.
        let truncated = try Analyzer.analyze(path: RepoPaths.fixture("archives/truncated.zip").path).report
        #expect(truncated.notes.contains { $0.contains("the rest of the bundle could not be read") })
        #expect(truncated.verdict == .unknown)
    }

    @Test("entry names that climb out are read under a safe name, and said so")
    func unsafeNames() throws {
        var notes: [String] = []
        var paths: [String] = []
        try BundleReader(path: RepoPaths.fixture("archives/traversal.zip").path).walk({ paths.append($0.path) },
                                                                                       problem: { notes.append($0) })
        #expect(notes.contains("../x: unsafe entry name, read as x"))
        #expect(notes.contains("/etc/x: unsafe entry name, read as etc/x"))
        #expect(paths.allSatisfy { !$0.hasPrefix("/") && !$0.contains("..") }, "\(paths)")
        // Nothing in it is a client's: as a bundle it is refused, in one line.
        let refused = try #require(throws: BundleError.self) {
            try Analyzer.analyze(path: RepoPaths.fixture("archives/traversal.zip").path)
        }
        #expect(refused.code == .notABundle)
    }

    @Test("a zip bomb stops with a note, within bounds")
    func zipBomb() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let report = try Analyzer.analyze(path: RepoPaths.fixture("archives/bomb.zip").path).report
        #expect(clock.now - start < .seconds(30))
        #expect(report.notes.contains { $0.contains("zip bomb") || $0.contains("limit") })
    }

    @Test("a bomb of many entries stops the walk once: a note or two, not one per entry")
    func bombStopsOnce() throws {
        // 64 entries whose deflate streams overlap; the ratio limit trips at the third.
        let report = try Analyzer.analyze(path: RepoPaths.fixture("adversarial/archives/overlapping-quoted.zip").path).report
        #expect((1...2).contains(report.notes.count), "\(report.notes)")
        #expect(report.notes.contains { $0.contains("zip bomb") && $0.contains("the rest of the bundle could not be read") })
    }

    @Test("the rest of a bundle is analysed around every broken or hostile file")
    func brokenFilesAmongGoodOnes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var files = try fixtureFiles("country-mismatch", dir: dir)
        let lol = (1...9).map { "<!ENTITY l\($0) \"" + String(repeating: "&l\($0 - 1);", count: 10) + "\">" }.joined()
        files += [
            ("extra/policy-not-base64.jwt", Data("eyJhbGciOiJSUzI1NiJ9.%%%not-base64%%%.sig".utf8)),
            ("extra/huge-policy.json", Data(("{\"PolicyId\":\"x\",\"Pad\":\"" + String(repeating: "a", count: 100 << 20) + "\"}").utf8)),
            ("logs/Licensing Service/binary.log", Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })),
            ("logs/Licensing Service/long-line.log", Data(("2026-11-20 09:00:00,000 [1] INFO  X - " + String(repeating: "y", count: 50 << 20) + "\n").utf8)),
            ("system/events/Hostile.xml", Data("<?xml version=\"1.0\"?><!DOCTYPE e [\(lol)]><Event><System><EventID>&l9;</EventID></System></Event>".utf8)),
        ]
        let path = dir.path("hostile.zip")
        try makeZip(files, at: path)
        let report = try Analyzer.analyze(path: path).report
        #expect(causes(report).first == "country-mismatch", "\(report.findings.map(\.cause))")
        #expect(report.notes.contains { $0.hasPrefix("extra/policy-not-base64.jwt") })
        #expect(report.notes.contains { $0.hasPrefix("extra/huge-policy.json") && $0.contains("limit") })
        #expect(report.notes.allSatisfy { $0.count < 1_000 }, "notes are one line each, never a dump")
        #expect(!report.notes.contains { $0.contains("yyyyyyyyyy") })
    }

    @Test("a long log whose CRC-32 is wrong: its damage named, the same on one core as on two; intact, none")
    func wrongChecksumLog() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var files = try fixtureFiles("country-mismatch", dir: dir)
        // 4 MB: many batches for the parsing thread, whose CRC-32s are summed on either side.
        let lines = (0..<24_000).map { index in
            "2026-11-20 08:\(String(format: "%02d:%02d", index / 400 % 60, index % 60)),000 [12] INFO  Bentley.Licensing.Service.PolicyManager - "
                + (index % 3 == 0 ? "Policy refreshed. PolicyId=9d6a9d63-94a8-574c-b74f-96a0af531e8e ExpiresOn=2026-11-27T03:48:05Z"
                                  : "Next policy refresh in 240 minutes, padding \(String(repeating: "z", count: 60))")
        }
        let name = "logs/Licensing Service/Bentley.Licensing.Service.2.log"
        files.append((name, Data((lines.joined(separator: "\n") + "\n").utf8)))
        let intact = dir.path("intact.zip")
        try makeZip(files, at: intact)
        let damaged = dir.path("damaged.zip")
        try #require(zipWithWrongChecksum(try Data(contentsOf: URL(fileURLWithPath: intact)), entry: name))
            .write(to: URL(fileURLWithPath: damaged))
        // Streamed (the parser checks it, or the inflating thread) and inflated whole (the reader).
        let reference = try Analyzer.analyze(path: damaged, threads: .one).report
        for threads in [Analyzer.Threads.several, .one] {
            for limits in [ArchiveLimits(maxWholeEntryBytes: 0), .default] {
                #expect(try Analyzer.analyze(path: intact, limits: limits, threads: threads).report.damage == [], "\(threads)")
                let report = try Analyzer.analyze(path: damaged, limits: limits, threads: threads).report
                #expect(report.damage == ["\(name) does not match its checksum (damaged in transfer?)"], "\(threads)")
                #expect(report.notes.contains { $0.hasPrefix(name) && $0.contains("ZIP bad CRC") }, "\(report.notes)")
                #expect(report == reference, "\(threads), \(limits.maxWholeEntryBytes): the same report")
            }
        }
    }

    // Runs /usr/bin/zip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("encrypted entries, unsafe names and links are noted by name; the rest is analysed")
    func archiveLevelProblems() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let files = try fixtureFiles("not-entitled", dir: dir) + [("../escape.log", Data("x\n".utf8))]
        let path = dir.path("b.zip")
        try makeZip(files.filter { $0.0 != "../escape.log" }, at: path)
        // Append an encrypted member and a climbing name with Info-ZIP, as a hostile sender would.
        let extra = dir.url.appendingPathComponent("extra")
        try FileManager.default.createDirectory(at: extra, withIntermediateDirectories: true)
        try Data("secret\n".utf8).write(to: extra.appendingPathComponent("secret.log"))
        #expect(try runTool("/usr/bin/zip", ["-q", "-j", "-P", "pw", path, extra.appendingPathComponent("secret.log").path]).status == 0)
        let report = try Analyzer.analyze(path: path).report
        #expect(report.notes.contains { $0.contains("secret.log") && $0.contains("encrypted") })
        #expect(causes(report).first == "not-entitled")
    }
    #endif

    @Test("a bundle with no policy at all says what it lacks")
    func noPolicy() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let files = try fixtureFiles("healthy", dir: dir).filter { !$0.0.hasPrefix("licensing/") }
        let path = dir.path("b.zip")
        try makeZip(files, at: path)
        let report = try Analyzer.analyze(path: path).report
        #expect(report.missing.contains("policy"))
        #expect(report.missing.contains("entitlements"))
    }

    @Test("a manifest with a source outcome this reader does not know: that record is noted, the bundle read as before")
    func unknownSourceOutcome() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let files = try fixtureFiles("healthy", dir: dir)
        let newer = try files.map { name, data -> (String, Data) in
            guard name == "manifest.json" else { return (name, data) }
            var manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            var sources = try #require(manifest["sources"] as? [[String: Any]])
            let policy = try #require(sources.firstIndex { $0["name"] as? String == "policy" })
            sources[policy]["outcome"] = "deferred"
            manifest["sources"] = sources
            return (name, try JSONSerialization.data(withJSONObject: manifest))
        }
        try makeZip(files, at: dir.path("as-written.zip"))
        try makeZip(newer, at: dir.path("newer.zip"))
        let before = try Analyzer.analyze(path: dir.path("as-written.zip")).report
        let after = try Analyzer.analyze(path: dir.path("newer.zip")).report
        #expect(after.collectedAtSource == "manifest" && after.bundle.collectedAt == before.bundle.collectedAt)
        #expect(after.bundle.host == before.bundle.host && after.bundle.user == before.bundle.user)
        #expect(after.verdict == before.verdict)
        #expect(after.findings.map(\.cause) == before.findings.map(\.cause))
        #expect(after.notes == before.notes
                + [#"manifest.json: source "policy": outcome "deferred" is not one this reader knows; skipped"#])
        #expect(!after.damaged)
    }
}

// Runs /usr/bin/bsdtar and /usr/bin/unzip: Linux (and macOS) tests.
#if !os(Windows)
@Suite("loganalyze: bundles in other layouts")
struct ForeignLayoutTests {
    @Test("a folder, a tar.gz, and a ZIP of the raw client files (another collector's layout) give the same top cause")
    func layouts() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = ClientFixtures.root("country-mismatch")
        // The raw client tree, as a collector that knows nothing of logcollect's layout might zip it.
        let foreign = dir.path("foreign.zip")
        #expect(try runTool("/usr/bin/bsdtar", ["--format", "zip", "-cf", foreign, "-C", root.path, "."]).status == 0)
        let tarball = dir.path("bundle.tar.gz")
        #expect(try runTool("/usr/bin/bsdtar", ["-czf", tarball, "-C", root.path, "."]).status == 0)
        // A logcollect bundle unpacked into a folder, and zipped inside another ZIP.
        let bundle = try collectFixture("country-mismatch", into: dir)
        let unpacked = dir.url.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        #expect(try runTool("/usr/bin/unzip", ["-q", bundle, "-d", unpacked.path]).status == 0)
        let outer = dir.path("outer.zip")
        try makeZip([("ticket-4711/bundle.zip", try Data(contentsOf: URL(fileURLWithPath: bundle)))], at: outer)
        for path in [foreign, tarball, unpacked.path, outer] {
            let report = try Analyzer.analyze(path: path).report
            #expect(causes(report).first == "country-mismatch", "\(path): \(report.findings.map { "\($0.cause) \($0.confidence)" })")
        }
    }
}
#endif
