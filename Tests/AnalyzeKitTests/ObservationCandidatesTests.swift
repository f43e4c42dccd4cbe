import Foundation
import LicensingModel
import LicensingParsers
import Testing
@testable import AnalyzeKit

@Suite("Observation candidates: entries built only for what the keeper keeps")
struct ObservationCandidatesTests {
    /// A log of `count` lines, a third known messages of a few kinds, stamps out of order and tied,
    /// time-only stamps when `timeOnly`, stack traces now and then, some invalid UTF-8.
    static func log(count: Int, seed: UInt64, timeOnly: Bool) -> Data {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let messages = ["LicenseStatus Returned: %n", "Policy refreshed. PolicyId=%n", "Heartbeat %n",
                        "RecordUsage - UsageLogEntry data: {productId:%n,country:GB}", "Request timed out after %n ms",
                        "Checking securable %n", "GET http://x/ -> status %n", "caf\u{e9} \u{FF} LicenseStatus Returned: 10%n",
                        "UsageLogEntry data: {productId:%n,country:US} then UsageLogEntry data: {productId:1000,usageType:Trial}",
                        "caf\u{e9} UsageLogEntry data: {productId:%n, usageType:Production} timed out"]
        var text = Data()
        var seconds = 40_000
        for number in 0..<count {
            seconds += next(7) - 2
            let stamp = timeOnly
                ? String(format: "%02d:%02d:%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
                : String(format: "2026-11-19 %02d:%02d:%02d,%03d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60, next(2) * 500)
            let message = messages[next(messages.count)].replacingOccurrences(of: "%n", with: String(next(600)))
            var line = Data("\(stamp) [\(next(9))] INFO  Bentley.Licensing.Service.X - \(message)".utf8)
            if message.hasPrefix("caf") { line.append(0xFF) }  // invalid UTF-8
            text.append(line)
            text.append(contentsOf: [0x0D, 0x0A])
            if number % 53 == 0 { text.append(Data("   at Bentley.Y() HTTP status 503 in continuation\n".utf8)) }
        }
        return text
    }

    static let file = "logs/Licensing Service/a.log"
    static let options = LogReader.Options(fileModified: Date(timeIntervalSince1970: 1_795_000_000),
                                           keepLine: { LogMessageClassifier.recognises(bytes: $0) })

    /// What the keeper keeps when every entry of `data` is built and classified in full.
    static func keptInFull(_ data: Data) -> ObservationKeeper {
        var kept = ObservationKeeper()
        for entry in LogReader.entries(in: data, file: file, options: options) {
            for signal in LogMessageClassifier.classify(entry) { kept.add(LogObservation(signal: signal, entry: entry)) }
        }
        return kept
    }

    /// Reads `data` in 4 KiB chunks, handing each entry to `take` as the reader completes it.
    static func readRaw(_ data: Data, _ take: (LogReader.RawEntry) -> Void) {
        var reader = LogReader(file: file, options: options)
        for start in stride(from: 0, to: data.count, by: 4096) {
            data[start..<min(data.count, start + 4096)].withUnsafeBytes { reader.feedRaw($0, take) }
        }
        reader.finishRaw(take)
    }

    /// The observations' builder for `file`.
    static var builder: LogReader.EntryBuilder {
        LogReader.EntryBuilder(file: file, component: LogReader.component(forPath: file))
    }

    @Test("the same observations as building every entry and adding them all", arguments: [false, true])
    func sameAsKeeper(timeOnly: Bool) {
        let data = Self.log(count: 9000, seed: timeOnly ? 7 : 11, timeOnly: timeOnly)
        let expected = Self.keptInFull(data)
        let builder = Self.builder
        var candidates = ObservationCandidates(builder: Self.builder)
        Self.readRaw(data) { raw in
            let signals = LogMessageClassifier.classify(builder.entry(raw))
            if !signals.isEmpty { candidates.add(raw, signals: signals) }
        }
        var actual = ObservationKeeper()
        candidates.keep(into: &actual)
        // Per kind: the order between kinds at the very same entry (an entry with two signals)
        // follows the keeper's dictionary, which two keepers need not share.
        func byKind(_ keeper: ObservationKeeper) -> [String: [LogObservation]] { Dictionary(grouping: keeper.all, by: \.signal.code) }
        #expect(actual.all.count == expected.all.count)
        #expect(byKind(actual) == byKind(expected))
        #expect(expected.all.count < 9000 / 3, "the keeper cut something")
    }

    /// What analysis keeps of a log (`EntryTaker`, which reads a usage record's fields only for
    /// the entries kept) is what classifying every entry in full and keeping the first and newest
    /// gives: the same usage records, field for field — one per message, two in one message,
    /// one with continuation lines after it, one in invalid UTF-8.
    @Test("usage records read late are the ones read in full", arguments: [false, true])
    func deferredUsageRecords(timeOnly: Bool) {
        let data = Self.log(count: 9000, seed: timeOnly ? 5 : 13, timeOnly: timeOnly)
        let expected = Self.keptInFull(data)
        var taker = EntryTaker(candidates: ObservationCandidates(builder: Self.builder), signatures: nil)
        Self.readRaw(data) { taker.take($0) }
        let actual = taker.finish().observations
        func byKind(_ keeper: ObservationKeeper) -> [String: [LogObservation]] { Dictionary(grouping: keeper.all, by: \.signal.code) }
        #expect(byKind(actual) == byKind(expected))
        let usage = byKind(actual)["usage-record"] ?? []
        #expect(usage.count == 550, "the keeper cut the usage records to the first 50 and newest 500")
        #expect(usage.contains { $0.signal == .usageRecord(country: nil, usageType: "Trial", productId: 1000) })
        #expect(usage.contains { $0.signal == .usageRecord(country: nil, usageType: "Production", productId: $0.entry.message.firstNumber) })
        #expect(!usage.contains { $0.signal == LogMessageClassifier.deferredUsageRecord }, "no usage record left unread")
    }
}

private extension String {
    /// The first whole number in the text.
    var firstNumber: Int? {
        split(whereSeparator: { !$0.isNumber }).first.flatMap { Int($0) }
    }
}
