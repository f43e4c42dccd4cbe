import Foundation
import SQLiteKit
import Testing
import TestSupport
@testable import BatchKit

// Fills a tmpfs (mount) or an rlimit through /bin/bash, runs the built loganalyze by its Linux name: Linux tests.
#if !os(Windows)

/// The disk fills up while a batch writes its JSON Lines, CSV, summary page or index: one line on
/// standard error, exit status 1, no `.partial` file left, every earlier output as it was.
///
/// As root the disk is a 1 MiB tmpfs, filled up to a few KiB before the run; elsewhere a file-size
/// limit (`ulimit -f`, RLIMIT_FSIZE) on the process stands in for it.
@Suite("batch: a full disk")
struct DiskFullTests {
    let tool = BuiltProducts.path("loganalyze")

    /// Which output is on the small disk, and how much room it is left before the run.
    enum Target: String, CaseIterable, CustomTestStringConvertible {
        case jsonl, csv, summary, index

        var testDescription: String { rawValue }

        /// Less than the batch writes there (40 bundles), more than opening it needs.
        var room: Int {
            switch self {
            case .jsonl, .summary: 8 << 10
            case .csv: 4 << 10
            case .index: 96 << 10  // the index's -shm (32 KiB) and the WAL's first frames
            }
        }

        var fileName: String {
            switch self {
            case .jsonl: "out.jsonl"
            case .csv: "out.csv"
            case .summary: "summary.html"
            case .index: "triage.sqlite"
            }
        }
    }

    @Test("a full disk: one line, exit 1, no .partial, every earlier output untouched",
          .enabled(if: SmallDisk.canMount || geteuid() != 0,
                   "skipped: running as root, but `mount -t tmpfs` is not permitted here (no CAP_SYS_ADMIN?), so no disk can be filled"),
          arguments: Target.allCases)
    func diskFills(target: Target) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try makeDistinctBundles(40, in: dir.path("in"))
        // BATCHKIT_FULL_DISK=rlimit tries the stand-in where the tmpfs would do.
        let useTmpfs = SmallDisk.canMount && ProcessInfo.processInfo.environment["BATCHKIT_FULL_DISK"] != "rlimit"
        let disk = useTmpfs ? try SmallDisk(at: dir.path("disk"), kilobytes: 1024) : nil
        defer { disk?.unmount() }
        func place(_ output: Target) -> String {
            (output == target && useTmpfs ? dir.path("disk") : dir.url.path) + "/" + output.fileName
        }

        // Earlier outputs (and an index of three other bundles) at the paths the batch writes.
        let index = place(.index)
        try makeDistinctBundles(3, in: dir.path("before"))
        let before = try runTool(tool, ["batch", dir.path("before"), "-o", dir.path("before.jsonl"), "--index", index])
        #expect(before.status == 0, "\(before.output)")
        var earlier: [String: Data] = [:]
        for output in [Target.jsonl, .csv, .summary] {
            earlier[place(output)] = Data("an earlier \(output.fileName)\n".utf8)
            try earlier[place(output)]?.write(to: URL(fileURLWithPath: place(output)))
        }
        try disk?.fill(leaving: target.room)

        var arguments = ["batch", dir.path("in"), "-o", place(.jsonl), "--csv", place(.csv), "--summary", place(.summary),
                         "--index", index, "--jobs", "2", "--no-progress"]
        var tool = self.tool
        if !useTmpfs {
            // KiB for bash: more than the earlier files and the index's -shm (32 KiB), less than
            // the new JSON Lines. Every file has the limit, so the first to pass it fails the run
            // (whichever output that is): the line names it.
            arguments = ["-c", "ulimit -f 48; exec \"$0\" \"$@\"", tool] + arguments
            tool = "/bin/bash"
        }
        let run = try runTool(tool, arguments)

        #expect(run.status == 1, "\(run.output)")
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 1 && run.output.hasPrefix("loganalyze: cannot "), "one line: \(run.output)")
        if useTmpfs {
            #expect(run.output.hasPrefix("loganalyze: cannot write"), "\(run.output)")
            #expect(run.output.contains(place(target)) && !run.output.contains(".partial"), "names the file: \(run.output)")
            #expect(run.output.contains("No space left on device") || run.output.contains("database or disk is full"),
                    "\(run.output)")
            #expect(run.output.contains("no output was replaced"), "\(run.output)")
        }
        for (path, data) in earlier {
            #expect(FileManager.default.contents(atPath: path) == data, "\(path) was replaced")
        }
        #expect(asideFiles(under: dir.url.path).isEmpty, "\(asideFiles(under: dir.url.path))")

        // The index still opens, keeps what it held, and is used by the next run.
        let database = try TriageIndex.openForQuery(index)
        #expect(try database.rows("PRAGMA integrity_check").first?.values.first?.text == "ok")
        let paths = try database.rows("SELECT path FROM bundles").compactMap { $0["path"]?.text }
        #expect(Set(paths).isSuperset(of: makeDistinctBundlesPaths(3, in: dir.path("before"))))
        if useTmpfs {
            try FileManager.default.removeItem(atPath: dir.path("disk/filler"))
            let again = try runTool(self.tool, ["batch", dir.path("before"), "-o", dir.path("again.jsonl"), "--index", index])
            #expect(again.status == 0 && again.output.contains("index: 3 reused, 0 analysed"), "\(again.output)")
        }
    }

    /// The paths `makeDistinctBundles` gives `count` bundles in `folder`.
    private func makeDistinctBundlesPaths(_ count: Int, in folder: String) -> Set<String> {
        Set((0..<count).map { folder + String(format: "/%04d.zip", $0) })
    }
}
#endif
