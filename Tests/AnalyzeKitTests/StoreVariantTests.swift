import AnalyzeKit
import CollectKit
import Foundation
import Reporting
import Testing
import TestSupport

/// Bad and unusual stores end to end: collected by logcollect in place of a client's store, and
/// analysed by loganalyze. Each gives a report with notes, never a refusal.
@Suite("Stores of every shape, collected and analysed")
struct StoreVariantTests {
    static let licensing = "Users/jdoe/AppData/Local/Bentley/Licensing"

    /// The healthy root with its store replaced by `files` (a fixture store under its name).
    static func root(with files: [String: String], into dir: TemporaryDirectory) throws -> URL {
        let root = try ClientFixtures.copy("healthy", into: dir)
        let folder = root.appendingPathComponent(licensing)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("LicensingStore.db"))
        for (name, fixture) in files {
            try FileManager.default.copyItem(at: RepoPaths.fixture("stores/\(fixture)"), to: folder.appendingPathComponent(name))
        }
        return root
    }

    static func collect(_ root: URL, into dir: TemporaryDirectory) throws -> String {
        var options = CollectOptions(root: root.path)
        options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
        options.output = dir.path("bundle-\(UUID().uuidString.prefix(6)).zip")
        return try Collector.run(options).output
    }

    @Test("each bad store: collected, analysed, a report (notes where rows did not read)",
          arguments: ["keyword-table.db", "missing-tables.db", "numbers-for-text.db", "policy-cut-jwt.db", "wide-2000-columns.db"])
    func badStore(_ fixture: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try Self.root(with: ["LicensingStore.db": fixture], into: dir)
        let bundle = try Self.collect(root, into: dir)
        let report = try Analyzer.analyze(path: bundle).report
        #expect(!report.isFailure)
        #expect(report.bundle.collectedAt != nil)
        let expectedNote = [
            "keyword-table.db": "3 tables (Order, Select, group) unknown to this reader",
            "missing-tables.db": "no Checkout, OfflineGrace, Usage table",
            "numbers-for-text.db": "does not decode",
            "policy-cut-jwt.db": "does not decode",
            "wide-2000-columns.db": "1979 columns (",
        ][fixture]
        #expect(report.notes.contains { $0.contains(expectedNote ?? "") }, "\(fixture): \(report.notes)")
        if fixture == "policy-cut-jwt.db" {
            #expect(report.findings.first?.cause == "policy-invalid", "\(report.findings.map(\.cause))")
            #expect(report.findings.first?.evidence.first?.row?.hasPrefix("Policy PolicyId=") == true)
        } else {
            #expect(report.verdict == .licensed, "\(report.findings.map { "\($0.cause) \($0.confidence)" })")
        }
    }

    // Runs /usr/bin/unzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("two stores with different policies: both collected, the newer one used, the report says which")
    func twoStores() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try Self.root(with: ["LicensingStore.db": "two-stores/LicensingStore.db", "License.db": "two-stores/License.db"],
                                 into: dir)
        let bundle = try Self.collect(root, into: dir)
        let entries = try runTool("/usr/bin/unzip", ["-Z1", bundle]).output.split(separator: "\n").map(String.init)
        #expect(entries.contains("licensing/LicensingStore.db") && entries.contains("licensing/License.db"), "\(entries)")
        let report = try Analyzer.analyze(path: bundle).report
        #expect(report.verdict == .licensed, "the newer policy grants MicroStation: \(report.findings.map(\.cause))")
        #expect(report.notes.contains { $0.contains("2 licensing stores") && $0.contains("is used: licensing/License.db") },
                "\(report.notes)")
    }
    #endif

    // Runs /usr/bin/unzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a rollback journal beside the store: collected from a private copy, the original untouched")
    func journal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try ClientFixtures.copy("access-key-invalid", into: dir)
        let journal = root.appendingPathComponent(Self.licensing + "/License.db-journal")
        let before = try Data(contentsOf: journal)
        let bundle = try Self.collect(root, into: dir)
        #expect(try Data(contentsOf: journal) == before, "the machine's journal is left as it was")
        let listing = try runTool("/usr/bin/unzip", ["-p", bundle, "manifest.json"]).output
        #expect(listing.contains("rollback journal"), "the manifest says how the store was read")
        let report = try Analyzer.analyze(path: bundle).report
        #expect(report.findings.first?.cause == "access-key-invalid")
    }
    #endif
}
