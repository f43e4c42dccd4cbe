import Foundation

/// Writes every source's planned entries into the bundle, source by source, each within what
/// is left of its time limit and within its size limit, and records in each source's outcome
/// what became of its entries.
///
/// The bundle's cap is shared so that no file takes the room of smaller files planned after
/// it: a huge log is cut to its newest part, the small logs after it still go in whole.
struct BundleFilling {
    let writer: BundleWriter
    let redaction: Redaction
    /// Multiplies every source's size limit (tests shrink it).
    let sizeScale: Double
    /// The bundle's path, for the one line a write error becomes.
    let destination: String

    /// Writes the entries of `finished[i]` (from `sources[i]`, limited to `limits[i]` seconds
    /// in all); reports each source's outcome to `progress` once its entries are written.
    func write(_ finished: [SourceRunner.Finished], sources: [any CollectorSource], limits: [Double],
               progress: ((Manifest.SourceOutcome) -> Void)?) throws -> (entries: [Manifest.Entry], outcomes: [Manifest.SourceOutcome]) {
        let planned = finished.map { $0.result?.entries ?? [] }
        var reserved = Self.roomForSmallerLater(planned.flatMap { $0.map { BundleWriter.estimatedSize($0.content) } })[...]
        var entries: [Manifest.Entry] = []
        var outcomes: [Manifest.SourceOutcome] = []
        for (index, item) in finished.enumerated() {
            let reservations = Array(reserved.prefix(planned[index].count))
            reserved = reserved.dropFirst(planned[index].count)
            var tally = SourceTally(outcome: item.outcome, sizeLimit: sizeLimit(of: sources[index]))
            entries += try write(planned[index], keepingFree: reservations, timeLimit: limits[index], into: &tally)
            outcomes.append(tally.outcome)
            progress?(tally.outcome)
        }
        return (entries, outcomes)
    }

    /// Writes one source's entries within what is left of its time limit (it already spent
    /// `tally.outcome.durationMs` finding them); returns those in the bundle.
    private func write(_ planned: [PlannedEntry], keepingFree reservations: [Int64], timeLimit: Double,
                       into tally: inout SourceTally) throws -> [Manifest.Entry] {
        let started = DispatchTime.now()
        let budget = max(0, timeLimit - Double(tally.outcome.durationMs) / 1000)
        let deadline = started + .milliseconds(Int(budget * 1000))
        var entries: [Manifest.Entry] = []
        for (var entry, reservation) in zip(planned, reservations) {
            entry.path = redaction.pseudonymized(entry.path)
            guard tally.overTime.isEmpty && DispatchTime.now() < deadline else {
                tally.overTime.append(entry.path)
                continue
            }
            let result = try add(entry, room: tally.room, keepFree: reservation, deadline: deadline)
            if let written = tally.count(result, path: entry.path) { entries.append(written) }
        }
        tally.finish(limit: timeLimit, since: started)
        return entries
    }

    /// One entry; an error that leaves the ZIP unusable becomes `CollectError` (nothing is published).
    private func add(_ entry: PlannedEntry, room: Room, keepFree: Int64, deadline: DispatchTime) throws -> EntryResult {
        do {
            return try writer.add(entry, room: room, keepFree: keepFree, deadline: deadline)
        } catch let error as CollectError {
            throw error
        } catch let error as MachineError {
            return .unreadable(error)
        } catch {
            throw CollectError.outputNotWritable(destination, "\(error)")
        }
    }

    private func sizeLimit(of source: any CollectorSource) -> Int64 {
        source.sizeLimit == .max ? .max : Int64(Double(source.sizeLimit) * sizeScale)
    }

    /// For each size, the sum of the smaller sizes after it: the room an entry must leave under
    /// the bundle's cap for the smaller entries still to come.
    static func roomForSmallerLater(_ sizes: [Int64]) -> [Int64] {
        let ranks = Array(Set(sizes)).sorted()
        var tree = [Int64](repeating: 0, count: ranks.count + 1)  // a Fenwick tree of sums by rank
        var result = [Int64](repeating: 0, count: sizes.count)
        for index in sizes.indices.reversed() {
            let rank = Self.countSmaller(than: sizes[index], in: ranks)
            var position = rank
            var sum: Int64 = 0
            while position > 0 {
                sum = sum.addingReportingOverflow(tree[position]).partialValue
                position -= position & -position
            }
            result[index] = sum
            position = rank + 1
            while position < tree.count {
                tree[position] = tree[position].addingReportingOverflow(sizes[index]).partialValue
                position += position & -position
            }
        }
        return result
    }

    /// How many of the sorted `values` are smaller than `value` (a binary search).
    private static func countSmaller(than value: Int64, in values: [Int64]) -> Int {
        var (low, high) = (0, values.count)
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// What one source's entries came to: its outcome, growing as they are written.
struct SourceTally {
    var outcome: Manifest.SourceOutcome
    let sizeLimit: Int64
    /// Bytes its entries added so far.
    var bytes: Int64 = 0
    /// Entries not read (or not read whole) before its time limit.
    var overTime: [String] = []
    /// Entries in the bundle.
    var written = 0

    init(outcome: Manifest.SourceOutcome, sizeLimit: Int64) {
        self.outcome = outcome
        self.sizeLimit = sizeLimit
    }

    /// The room of its next entry under the source's limit (the writer knows the bundle's).
    var room: Room {
        sizeLimit == .max ? .unlimited : Room(bytes: sizeLimit - bytes, limit: .sourceLimit(sizeLimit))
    }

    /// Records what became of an entry; returns its manifest record when it is in the bundle.
    mutating func count(_ result: EntryResult, path: String) -> Manifest.Entry? {
        switch result {
        case .written(let entry, let cutBy):
            bytes += entry.size
            written += 1
            if case .sourceLimit? = cutBy { fail("\(path): cut to the source's \(megabytes) MB limit") }
            return entry
        case .partial(let entry, let error):
            bytes += entry.size
            written += 1
            fail("\(error); the part read before is in the bundle")
            return entry
        case .timedOut(let entry):
            bytes += entry.size
            written += 1
            overTime.append(path + " (the part read before is in the bundle)")
            return entry
        case .unreadable(let error):
            fail("\(error)")
            return nil
        case .leftOut(.sourceLimit):
            fail("\(path): left out, the source reached its \(megabytes) MB limit")
            return nil
        case .leftOut(.bundleCap):
            fail("\(path): left out, the bundle reached its size cap")
            return nil
        }
    }

    /// Closes the tally: the entries over time, the count, the time spent writing.
    mutating func finish(limit: Double, since started: DispatchTime) {
        if !overTime.isEmpty {
            outcome.outcome = .timedOut
            outcome.messages.append(
                "its files were not read within \(SourceRunner.seconds(limit)) s; left out: \(overTime.joined(separator: ", "))")
        }
        outcome.entries = written
        outcome.durationMs += SourceRunner.milliseconds(since: started)
    }

    private var megabytes: String { String(format: "%g", Double(sizeLimit) / 1_048_576) }

    private mutating func fail(_ message: String) {
        outcome.messages.append(message)
        outcome.outcome = .failed
    }
}
