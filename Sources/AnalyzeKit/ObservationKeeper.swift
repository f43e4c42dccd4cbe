import Foundation
import LicensingModel

/// The earliest and the newest observations of each kind, in bounded memory, whatever the
/// order they arrive in (threads interleave log lines; files come in any order).
///
/// A busy log says "LicenseStatus Returned: 101" a million times; rules need the story's start
/// and its end. Each kind's observations are buffered and cut back to the first `firstCount`
/// and newest `newestCount` (by time, then file and line) whenever the buffer holds twice that:
/// a cut sorts a small array of keys, not the observations themselves.
struct ObservationKeeper {
    static let firstCount = 50
    static let newestCount = 500
    private static let cutAt = 2 * (firstCount + newestCount)
    private var byKind: [String: [LogObservation]] = [:]

    mutating func add(_ observation: LogObservation) {
        let kind = observation.signal.code
        cutIfFull(kind, count: byKind[kind, default: []].appendReturningCount(observation))
    }

    /// Takes in what another keeper kept (one log file's, into the bundle's), without sorting
    /// until a kind's buffer needs cutting.
    mutating func merge(_ other: ObservationKeeper) {
        for (kind, observations) in other.byKind {
            guard byKind[kind] != nil else {
                byKind[kind] = observations  // shared, not copied
                continue
            }
            cutIfFull(kind, count: byKind[kind, default: []].appendReturningCount(contentsOf: observations))
        }
    }

    private mutating func cutIfFull(_ kind: String, count: Int) {
        if count >= Self.cutAt, let kept = byKind[kind] { byKind[kind] = Self.cut(kept) }
    }

    /// Every kept observation, in order of time, then file and line.
    var all: [LogObservation] {
        let kept = byKind.values.flatMap(Self.cut)
        return Self.order(kept).map { kept[$0] }
    }

    /// The first and newest of one kind's observations.
    private static func cut(_ observations: [LogObservation]) -> [LogObservation] {
        guard observations.count > firstCount + newestCount else { return observations }
        let order = order(observations)
        return (order.prefix(firstCount) + order.suffix(newestCount)).map { observations[$0] }
    }

    /// The observations' indexes sorted by time (undated first), then file and line.
    private static func order(_ observations: [LogObservation]) -> [Int] {
        let keys = observations.map { ($0.entry.time?.timeIntervalSince1970 ?? -.infinity, $0.entry.source.line ?? 0) }
        return observations.indices.sorted { left, right in
            if keys[left].0 != keys[right].0 { return keys[left].0 < keys[right].0 }
            let (leftFile, rightFile) = (observations[left].entry.source.file, observations[right].entry.source.file)
            if leftFile != rightFile { return leftFile < rightFile }
            return keys[left].1 < keys[right].1
        }
    }
}

private extension Array {
    /// Appends in place and returns the new count (one dictionary access instead of two).
    mutating func appendReturningCount(_ element: Element) -> Int {
        append(element)
        return count
    }

    mutating func appendReturningCount(contentsOf elements: [Element]) -> Int {
        append(contentsOf: elements)
        return count
    }
}
