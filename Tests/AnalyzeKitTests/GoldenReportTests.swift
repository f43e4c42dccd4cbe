import AnalyzeKit
import CollectKit
import Foundation
import Reporting
import Testing
import TestSupport

/// The JSON report (with its timeline) of every fixture client root, collected with logcollect,
/// byte for byte as committed under `Fixtures/reports/`: optimising the analysis must not
/// change a single byte of what it says. Regenerate (only when a change of the report is meant)
/// with:
///
///     REGENERATE_REPORTS=1 swift test --filter GoldenReportTests
///
/// Each root is copied and every file's modification time set to an hour before the collection
/// time (a checkout's times would otherwise leak into the bundle); the bundle's path and SHA-256
/// are written as `<bundle>` and `<sha256>`. Besides the fixtures, `synthetic-dense` is the
/// healthy root with generated logs (thousands of known messages of each kind, stamps out of
/// order and tied, across files, time-only stamps, stack traces), so that keeping the first and
/// newest observations of each kind is checked too.
@Suite("Golden reports: the analysis of every fixture, byte for byte")
struct GoldenReportTests {
    static let regenerate = ProcessInfo.processInfo.environment["REGENERATE_REPORTS"] == "1"
    static let names = ClientFixtures.names + ["synthetic-dense"]

    @Test("the JSON report matches Fixtures/reports/NAME.json", arguments: names)
    func golden(name: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = try Self.root(name, in: dir)
        var options = CollectOptions(root: root.path)
        options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
        options.output = dir.path("\(name).zip")
        let bundle = try Collector.run(options).output
        let json = try Self.report(bundle, threads: .several)
        #expect(try Self.report(bundle, threads: .one) == json, "one thread or several, the same report")
        let url = RepoPaths.fixture("reports/\(name).json")
        if Self.regenerate {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(json.utf8).write(to: url, options: .atomic)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(json == expected, """
            the report of \(name) changed (\(Self.firstDifference(json, expected))). If that is meant, regenerate with:
              REGENERATE_REPORTS=1 swift test --filter GoldenReportTests
            """)
    }

    /// The pretty JSON report with its timeline, the bundle's path and hash replaced.
    static func report(_ bundle: String, threads: Analyzer.Threads) throws -> String {
        var json = try Analyzer.analyze(path: bundle, threads: threads).report.jsonString(pretty: true, includeTimeline: true) + "\n"
        if let hash = try Analyzer.sha256(ofFile: bundle) { json = json.replacingOccurrences(of: hash, with: "<sha256>") }
        return json.replacingOccurrences(of: bundle, with: "<bundle>")
    }

    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let (a, e) = (actual.split(separator: "\n", omittingEmptySubsequences: false),
                      expected.split(separator: "\n", omittingEmptySubsequences: false))
        for index in 0..<max(a.count, e.count) where index >= a.count || index >= e.count || a[index] != e[index] {
            return "line \(index + 1): got \(index < a.count ? String(a[index]) : "nothing"), "
                + "expected \(index < e.count ? String(e[index]) : "nothing")"
        }
        return "no line differs"
    }

    /// A private copy of the root, every file dated an hour before the collection time.
    static func root(_ name: String, in dir: TemporaryDirectory) throws -> URL {
        let root = try ClientFixtures.copy(name == "synthetic-dense" ? "healthy" : name, into: dir)
        if name == "synthetic-dense" { try writeSyntheticLogs(into: root) }
        let date = try #require(ISO8601DateFormatter().date(from: ClientFixtures.now)).addingTimeInterval(-3600)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
        }
        return root
    }

    /// Logs with thousands of each known kind: three files (one time-only), stamps that go back
    /// and repeat, stack traces after kept and skipped lines, CRLF and LF.
    static func writeSyntheticLogs(into root: URL) throws {
        let folder = root.appendingPathComponent("Users/jdoe/AppData/Local/Bentley/Logs/Licensing Service")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let messages = [
            "Policy refreshed. PolicyId=%g ExpiresOn=2026-11-27T10:00:00Z",
            "RecordUsage - UsageLogEntry data: {productId:1000,country:GB,usageType:Production,id:%g}",
            "RecordUsage - UsageLogEntry data: {productId:%n,country:US,usageType:Evaluation,id:%g}",
            "GET https://entitlement-search.bentley.com/api/v1/entitlements?id=%g -> 200 OK in %n ms",
            "POST https://connect-licensing.bentley.com/usage -> 503 Service Unavailable in %n ms",
            "LicenseStatus Returned: 101", "LicenseStatus Returned: %n", "LicenseStatus Returned: none",
            "Heartbeat %n for session %g", "Checking securable %g for product 1000 feature ''",
            "Request to https://qa-connect.bentley.com/api timed out after %n ms",
            "%n logs failed to post", "Product is in trial mode, %n days left",
            "Unable to perform policy request: The operation has timed out",
            "Call to entitlements failed, using database",
        ]
        func line(_ stamp: String) -> String {
            var text = messages[next(messages.count)]
            text = text.replacingOccurrences(of: "%g", with: String(format: "%08x-%04x", next(1 << 30), next(1 << 16)))
            text = text.replacingOccurrences(of: "%n", with: String(next(1000)))
            let level = ["INFO ", "DEBUG", "WARN ", "ERROR"][next(4)]
            return "\(stamp) [\(next(40) + 1)] \(level) Bentley.Licensing.Service.PolicyManager - \(text)"
        }
        for file in 0..<2 {
            var lines: [String] = []
            var seconds = 1_795_000_000 + file * 7
            for number in 0..<6000 {
                seconds += [0, 0, 1, 2, 3, -5][next(6)]  // ties and steps back
                let date = Date(timeIntervalSince1970: Double(seconds))
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC")!
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
                let stamp = String(format: "%04d-%02d-%02d %02d:%02d:%02d,%03d", c.year!, c.month!, c.day!, c.hour!, c.minute!,
                                   c.second!, next(3) == 0 ? 0 : next(1000))
                lines.append(line(stamp))
                if number % 97 == 0 {
                    lines.append("System.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.")
                    lines.append("   at Bentley.Licensing.Service.PolicyManager.Refresh()")
                }
            }
            let text = lines.joined(separator: file == 0 ? "\r\n" : "\n") + "\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent("Bentley.Licensing.Service.synthetic\(file).log"))
        }
        var timeOnly: [String] = []
        var seconds = 8 * 3600
        for _ in 0..<3000 {
            seconds = (seconds + next(40)) % 86_400
            timeOnly.append(line(String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)))
        }
        try Data((timeOnly.joined(separator: "\n") + "\n").utf8)
            .write(to: folder.appendingPathComponent("Bentley.Licensing.Service.timeonly.log"))
    }
}
