import Foundation
import LicensingModel
import Testing
@testable import AnalyzeKit

@Suite("Log observations kept per kind")
struct ObservationKeeperTests {
    static func observation(_ signal: LogSignal, minute: Int, file: String = "logs/a.log") -> LogObservation {
        LogObservation(signal: signal, entry: LogEntry(
            time: Date(timeIntervalSince1970: 1_790_000_000 + Double(minute) * 60), message: "m\(minute)",
            component: "Licensing Service", source: SourceRef(file: file, line: minute + 1)))
    }

    @Test("the earliest 50 and the newest 500 of each kind by time, whatever order they came in")
    func earliestAndNewest() {
        var keeper = ObservationKeeper()
        var generator = SystemRandomNumberGenerator()
        for minute in (0..<5000).shuffled(using: &generator) { keeper.add(Self.observation(.policyRefreshed, minute: minute)) }
        for minute in 0..<20 { keeper.add(Self.observation(.notSignedIn, minute: minute * 7)) }
        let kept = keeper.all
        let refreshed = kept.filter { $0.signal == .policyRefreshed }.map { $0.entry.source.line! - 1 }
        #expect(refreshed == Array(0..<50) + Array(4500..<5000))
        #expect(kept.filter { $0.signal == .notSignedIn }.count == 20)
        #expect(kept.map(\.entry.time) == kept.map(\.entry.time).sorted { ($0 ?? .distantPast) < ($1 ?? .distantPast) })
    }

    @Test("merging the keepers of several files keeps what adding every observation to one would")
    func merge() {
        var one = ObservationKeeper(), first = ObservationKeeper(), second = ObservationKeeper()
        for minute in 0..<1500 {
            let observation = Self.observation(.policyRefreshed, minute: minute, file: minute % 2 == 0 ? "logs/a.log" : "logs/b.log")
            one.add(observation)
            if minute % 2 == 0 { first.add(observation) } else { second.add(observation) }
        }
        first.merge(second)
        #expect(first.all == one.all)
        #expect(first.all.count == ObservationKeeper.firstCount + ObservationKeeper.newestCount)
    }

    @Test("observations at the same time are ordered by file, then line")
    func ties() {
        var keeper = ObservationKeeper()
        keeper.add(Self.observation(.policyRefreshed, minute: 3, file: "logs/b.log"))
        keeper.add(Self.observation(.policyRefreshed, minute: 3, file: "logs/a.log"))
        #expect(keeper.all.map(\.entry.source.file) == ["logs/a.log", "logs/b.log"])
    }
}
