@testable import BatchKit
import Foundation
import Reporting
import Testing
import TestSupport

// Chromium from /usr/bin: Linux only.
#if !os(Windows)
/// Chromium, when installed (`Scripts/bootstrap --browser`).
let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
#endif

/// The summary page and the plain-text summary.
@Suite("batch summaries")
struct SummaryTests {
    /// A varied batch: causes across CC versions, countries and weeks, a licensed bundle, errors.
    static func variedSummary(in dir: TemporaryDirectory) throws -> (page: String, summary: BatchSummary) {
        let sink = try ResultSink(BatchOutputs(output: dir.path("out.jsonl"), summary: dir.path("summary.html")))
        let causes = ["country-mismatch", "not-signed-in", "offline-expired", "client-outdated", "network-blocked"]
        let countries = ["GB", "US", "DE", "IE"]
        let versions = ["10.00.19.31", "11.00.03.14", "23.00.01.10", "9.1.0.2"]
        for number in 0..<60 {
            let cause = causes[number * 7 % causes.count]
            let licensed = number % 11 == 0
            let findings = licensed ? "[]" : #"[{"cause":"\#(cause)","confidence":0.\#(70 + number % 29),"evidence":[],"fix":"f","productIds":[],"title":"t"}]"#
            let line = #"{"bundle":{"collectedAt":"2026-11-\#(String(format: "%02d", 1 + number % 28))T10:00:00Z","path":"/data/<b>&\#(String(format: "%03d", number)).zip","sha256":"\#(String(repeating: String(format: "%016x", 1 + number % 57), count: 4))"},"client":{"ccVersion":"\#(versions[number % 4])","country":"\#(countries[number % 3 == 0 ? 0 : number % 4])"},"findings":\#(findings),"missing":[],"products":[],"ruledOut":[],"schemaVersion":1,"verdict":"\#(licensed ? "licensed" : "trial")"}"#
            try sink.add(Data((line + "\n").utf8))
        }
        for (number, code) in ["not-a-bundle", "corrupt"].enumerated() {
            try sink.add(Data((#"{"bundle":{"collectedAt":null,"path":"/data/zz\#(number).zip","sha256":null},"error":{"code":"\#(code)","message":"/data/zz\#(number).zip: bad"},"schemaVersion":1}"# + "\n").utf8))
        }
        try sink.commit()
        return (try String(contentsOfFile: dir.path("summary.html"), encoding: .utf8), sink.summary)
    }

    @Test("control characters in a bundle's path or error reach the page visible, never raw (one escaper with the report)")
    func controlCharactersVisible() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sink = try ResultSink(BatchOutputs(output: dir.path("out.jsonl"), summary: dir.path("summary.html")))
        // A terminal escape and a bell, as a hostile file name or error text could carry them.
        let line = #"{"bundle":{"collectedAt":null,"path":"/data/evil\u001b[31m\u0007.zip","sha256":null},"error":{"code":"corrupt","message":"bad \u001b]0;title\u0007 <b>"},"schemaVersion":1}"#
        try sink.add(Data((line + "\n").utf8))
        try sink.commit()
        let page = try String(contentsOfFile: dir.path("summary.html"), encoding: .utf8)
        #expect(!page.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "a raw control character reached the page")
        #expect(page.contains("evil\u{241B}[31m\u{2407}"), "the escape and the bell are shown as ␛ and ␇")
        #expect(page.contains("title\u{2407} &lt;b&gt;"))
    }

    @Test("the page is one self-contained file: four inline SVG charts, a table of every bundle, no script, nothing fetched")
    func selfContained() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (page, summary) = try Self.variedSummary(in: dir)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.components(separatedBy: "<svg ").count - 1 == 4)
        for banned in ["<script", "javascript:", "http://", "https://", " src=", "<link", "@import", "url("] {
            #expect(!page.lowercased().contains(banned), "\(banned)")
        }
        #expect(page.components(separatedBy: "<tr><td>").count - 1 == 62)
        #expect(page.contains("&lt;b&gt;&amp;"), "paths are escaped")
        #expect(!page.contains("<b>&"))
        for heading in ["Bundles per top cause", "by CONNECTION Client version", "by country", "by week of collection"] {
            #expect(page.contains(heading))
        }
        #expect(page.contains(">2026-W45<") && page.contains(">9.1.0.2<"))
        // Versions sort as numbers: 9.1 before 10.0.
        let nine = try #require(page.range(of: ">9.1.0.2<"))
        let ten = try #require(page.range(of: ">10.00.19.31<"))
        #expect(nine.lowerBound < ten.lowerBound)
        #expect(summary.total == 62 && summary.errors == ["not-a-bundle": 1, "corrupt": 1])
        #expect(summary.duplicates == 3)
        let text = summary.text(title: "loganalyze batch")
        #expect(text.hasPrefix("loganalyze batch: 62 bundles (54 trial, 6 licensed, 2 error)"))
        #expect(text.contains("(unreadable)") && text.contains("could not be read: corrupt 1, not-a-bundle 1"))
    }

    @Test("the progress line: done/total, rate, time left")
    func progressLine() {
        #expect(ProgressLine.line(done: 0, total: 1000, elapsed: 0) == "  0/1000 bundles")
        #expect(ProgressLine.line(done: 120, total: 1000, elapsed: 10) == "  120/1000 bundles  12.0/s  1:13 left")
        #expect(ProgressLine.line(done: 1, total: 10_000, elapsed: 2) == "  1/10000 bundles  0.5/s  5:33:18 left")
    }

    // Chromium from /usr/bin: Linux only.
    #if !os(Windows)
    @Test("Chromium renders the page: charts and table in the DOM, a screenshot", .enabled(if: chromiumPath != nil))
    func rendersInChromium() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.variedSummary(in: dir)
        let chromium = try #require(chromiumPath)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.path("profile"))"]
        let url = "file://" + dir.path("summary.html")
        let dom = try runTool(chromium, flags + ["--dump-dom", url])
        #expect(dom.status == 0)
        #expect(dom.output.components(separatedBy: "<svg ").count - 1 == 4)
        #expect(dom.output.contains("<rect"))
        // The path, escaped, breaking only after its slashes.
        #expect(dom.output.contains("/<wbr><span class=\"seg\">data</span>/<wbr><span class=\"seg\">&lt;b&gt;&amp;059.zip</span>"))
        let png = dir.path("summary.png")
        let shot = try runTool(chromium, flags + ["--screenshot=\(png)", "--window-size=1200,1600", url])
        #expect(shot.status == 0)
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]) && image.count > 20_000, "a PNG with something drawn")
        if let keep = ProcessInfo.processInfo.environment["BATCH_SUMMARY_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: png, toPath: keep)
            try? FileManager.default.removeItem(atPath: keep + ".html")
            try FileManager.default.copyItem(atPath: dir.path("summary.html"), toPath: keep + ".html")
        }
    }
    #endif
}

/// The pipeline that keeps memory bounded.
@Suite("batch pipeline")
struct PipelineTests {
    // usleep: Linux (and macOS) only.
    #if !os(Windows)
    @Test("results come back in order, and workers never run more than a window ahead")
    func boundedAndOrdered() throws {
        let pipeline = OrderedPipeline<Int>(count: 2_000, window: 8)
        let lock = NSLock()
        nonisolated(unsafe) var taken = 0
        nonisolated(unsafe) var worstLead = 0
        let group = DispatchGroup()
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                while let item = pipeline.claim() {
                    lock.withLock { worstLead = max(worstLead, item - taken) }
                    if item % 97 == 0 { usleep(2_000) }  // some items are slow
                    pipeline.deliver(item, item * 2)
                }
            }
        }
        var results: [Int] = []
        while let value = pipeline.take() {
            results.append(value)
            lock.withLock { taken += 1 }
        }
        group.wait()
        #expect(results == (0..<2_000).map { $0 * 2 })
        #expect(worstLead <= 8)
    }
    #endif

    @Test("cancel wakes the taker and the workers")
    func cancel() {
        let pipeline = OrderedPipeline<Int>(count: 10, window: 2)
        #expect(pipeline.claim() == 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { pipeline.cancel() }
        #expect(pipeline.take() == nil)
        #expect(pipeline.claim() == nil)
    }
}
