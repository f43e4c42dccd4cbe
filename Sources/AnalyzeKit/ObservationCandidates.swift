import Foundation
import LicensingModel
import LicensingParsers

/// One log's observations before they become `LogObservation`s: each kind's entries kept as
/// their line's bytes, cut back to the first `ObservationKeeper.firstCount` and newest
/// `newestCount` whenever twice that many wait, and built into entries (strings, logger, thread)
/// only when the log ends (`keep(into:)`), for those that survived.
///
/// A dense licensing log says "LicenseStatus Returned: 101" hundreds of thousands of times and
/// the keeper keeps 550 of them: building every entry's strings was most of the analysis.
///
/// Exact: within one log, (time, line) orders the entries strictly — as the keeper's (time,
/// file, line) does — so an entry with `firstCount` earlier and `newestCount` later ones of its
/// kind in this log alone is in neither end of any larger set (the bundle's), and dropping it
/// changes nothing the keeper keeps. The survivors reach the keeper in the order they were read.
struct ObservationCandidates {
    private struct Candidate {
        var time: Date?
        var lineNumber: Int
        var start: Int
        var count: Int
        var fieldsStart: Int?
        var messageStart: Int
        var isTruncated: Bool
        var continuation: [String]
        var signal: LogSignal
        /// Whether `signal` is a usage record whose fields are still to be read (from the message).
        var isDeferred: Bool
        /// The entry's number in the log, and the signal's place among the entry's.
        var order: (entry: Int, signal: Int)
    }

    /// One kind's candidates and their lines' bytes.
    private struct Kind {
        let code: String
        var candidates: [Candidate] = []
        var bytes: [UInt8] = []
    }

    private static let cutAt = 2 * (ObservationKeeper.firstCount + ObservationKeeper.newestCount)
    private var kinds: [Kind] = []
    private var entries = 0
    private let builder: LogReader.EntryBuilder

    init(builder: LogReader.EntryBuilder) {
        self.builder = builder
    }

    /// Takes in an entry and what it says (`signals`, not empty), copying its line.
    /// `usageRecordDeferred`: its usage record's signal is
    /// `LogMessageClassifier.deferredUsageRecord`, to be read from the message if it is kept.
    mutating func add(_ entry: LogReader.RawEntry, signals: [LogSignal], usageRecordDeferred: Bool = false) {
        entries += 1
        for (position, signal) in signals.enumerated() {
            let code = signal.code
            let index = kinds.firstIndex { $0.code == code } ?? {
                kinds.append(Kind(code: code))
                return kinds.count - 1
            }()
            let candidate = Candidate(time: entry.time, lineNumber: entry.lineNumber, start: kinds[index].bytes.count,
                                      count: entry.line.count, fieldsStart: entry.fieldsStart, messageStart: entry.messageStart,
                                      isTruncated: entry.isTruncated, continuation: entry.continuation, signal: signal,
                                      isDeferred: usageRecordDeferred && signal == LogMessageClassifier.deferredUsageRecord,
                                      order: (entries, position))
            kinds[index].bytes.append(contentsOf: entry.line)
            kinds[index].candidates.append(candidate)
            if kinds[index].candidates.count >= Self.cutAt { Self.cut(&kinds[index]) }
        }
    }

    /// Keeps one kind's first and newest candidates by (time, line), their bytes packed again
    /// in place (a kept candidate's bytes only move towards the start: no second buffer).
    ///
    /// A log is mostly written in time order, so the candidates usually are already: then the
    /// first and newest are the two ends, and no sort is needed (one pass checks it).
    private static func cut(_ kind: inout Kind) {
        let keys = kind.candidates.map { ($0.time?.timeIntervalSince1970 ?? -.infinity, $0.lineNumber) }
        let inOrder = zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }
        let order = inOrder ? Array(keys.indices) : keys.indices.sorted { keys[$0] < keys[$1] }
        var keep = [Bool](repeating: false, count: keys.count)
        for index in order.prefix(ObservationKeeper.firstCount) { keep[index] = true }
        for index in order.suffix(ObservationKeeper.newestCount) { keep[index] = true }
        var kept = 0
        var packed = 0
        kind.bytes.withUnsafeMutableBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            for index in keep.indices where keep[index] {
                let start = kind.candidates[index].start
                let count = kind.candidates[index].count
                if start != packed { memmove(base + packed, base + start, count) }
                if index != kept { kind.candidates.swapAt(index, kept) }
                kind.candidates[kept].start = packed
                packed += count
                kept += 1
            }
        }
        kind.candidates.removeLast(kind.candidates.count - kept)
        kind.bytes.removeLast(kind.bytes.count - packed)
    }

    /// The usage record of a message that holds exactly one, its fields read.
    private static func usageRecord(in message: UnsafeBufferPointer<UInt8>) -> LogSignal {
        var signals: [LogSignal] = []
        _ = EntryTaker.classify(message: message, into: &signals, deferringUsageRecord: false)
        return signals.first { if case .usageRecord = $0 { true } else { false } } ?? LogMessageClassifier.deferredUsageRecord
    }

    /// Builds the surviving candidates' entries and adds their observations to `keeper`, in the
    /// order they were read; leaves the candidates empty.
    mutating func keep(into keeper: inout ObservationKeeper) {
        var built: [(order: (entry: Int, signal: Int), observation: LogObservation)] = []
        for kind in kinds {
            kind.bytes.withUnsafeBufferPointer { bytes in
                for candidate in kind.candidates {
                    let line = UnsafeBufferPointer(rebasing: bytes[candidate.start..<(candidate.start + candidate.count)])
                    let entry = builder.entry(line: line, fieldsStart: candidate.fieldsStart, time: candidate.time,
                                              lineNumber: candidate.lineNumber, isTruncated: candidate.isTruncated,
                                              continuation: candidate.continuation)
                    let signal = candidate.isDeferred ? Self.usageRecord(in: UnsafeBufferPointer(rebasing: line[candidate.messageStart...]))
                        : candidate.signal
                    built.append((candidate.order, LogObservation(signal: signal, entry: entry)))
                }
            }
        }
        built.sort { $0.order < $1.order }
        for item in built { keeper.add(item.observation) }
        kinds = []
    }
}
