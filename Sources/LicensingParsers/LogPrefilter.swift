import Foundation

/// Where in a log line a known message may start: the first step of `LogMessageClassifier`.
///
/// It reads a 4-byte window at every third position of the line, folds letters to lower case,
/// and looks the window up in a 64 Kbit table. The table does not hold the triggers' first four
/// bytes but, for each trigger and each of the three phases an occurrence can have against the
/// sampled positions, one 4-gram of the trigger at an offset of that phase (the one made of the
/// rarest letters): whatever position a trigger of six bytes or more stands at, one sampled
/// window lies wholly inside it and is in the table. Shorter triggers have no such window for
/// some phases. Starting one byte after a sampled position, a trigger of four or five bytes is
/// found by the window before it, which ends with its first three bytes; starting two bytes
/// after, a four-byte trigger is found by the window after its start, which begins with its
/// last three bytes. The table holds those windows too, one per unknown byte, so a window costs
/// one bit test. (That window after it does not exist when the trigger ends the line: the
/// line's last window is then looked at too.) A third of the windows of a full scan, and far
/// fewer hits on common prefixes; every candidate is then compared with its trigger whole.
enum LogPrefilter {
    /// The tables, built once and kept for the life of the process behind plain pointers: the
    /// scan runs once per log line and must pay neither reference counting nor more than one
    /// lazy-initialisation check for them. (`@unchecked Sendable`: they are written while the
    /// initialiser runs and only read after it.)
    private struct Tables: @unchecked Sendable {
        /// One bit per hash slot of a sampled 4-gram.
        let bits: UnsafePointer<UInt64>
        /// Per slot, 1 + the first group hashed there (0: none).
        let groupOfSlot: UnsafePointer<UInt16>
        /// Per group: its gram, and 1 + the next group in the same slot (0: none).
        let groupGram: UnsafePointer<UInt32>
        let groupNext: UnsafePointer<UInt16>
        /// Per group, its entries `entryStart[g] ..< entryStart[g + 1]`: a trigger (index into
        /// `LogMessageClassifier.triggers`) and the offset of the gram in it: the trigger may
        /// start at the window's position minus the offset (-1 for a window that ends with a
        /// short trigger's first three bytes, 1 for one that begins with a four-byte trigger's
        /// last three).
        let entryStart: UnsafePointer<Int>
        let entryTrigger: UnsafePointer<Int>
        let entryOffset: UnsafePointer<Int>
    }

    private static let tables: Tables = {
        let triggers = LogMessageClassifier.triggers.map { Array($0.lowercased().utf8) }
        var entries: [UInt32: [(trigger: Int, offset: Int)]] = [:]
        for (index, text) in triggers.enumerated() {
            precondition(text.count >= 4, "a trigger shorter than the prefilter's window")
            let head = gram(text)
            // `phase`: how far into an occurrence its first sampled position lies.
            for phase in 0..<step {
                let offsets = stride(from: phase, through: text.count - 4, by: step)
                if let offset = offsets.max(by: { rarity(text[$0..<($0 + 4)]) < rarity(text[$1..<($1 + 4)]) }) {
                    entries[gram(Array(text[offset..<(offset + 4)])), default: []].append((index, offset))
                } else if phase == 2 {
                    // The sampled window just before it ends with its first three bytes, whatever
                    // that window's first byte (folded as every window is).
                    for first in UInt32(0)..<256 where first & 0x20 != 0 {
                        entries[first | (head & 0x00FF_FFFF) << 8, default: []].append((index, -1))
                    }
                } else {
                    // Four bytes, two after a sampled position: the next window begins with its
                    // last three bytes, whatever its fourth.
                    for last in UInt32(0)..<256 where last & 0x20 != 0 {
                        entries[head >> 8 | last << 24, default: []].append((index, 1))
                    }
                }
            }
        }
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        bits.initialize(repeating: 0, count: 1024)
        let groupOfSlot = UnsafeMutablePointer<UInt16>.allocate(capacity: 65536)
        groupOfSlot.initialize(repeating: 0, count: 65536)
        var grams: [UInt32] = []
        var next: [UInt16] = []
        var starts = [0]
        var entryTrigger: [Int] = []
        var entryOffset: [Int] = []
        for (gram, list) in entries.sorted(by: { $0.key < $1.key }) {
            precondition(grams.count < 65535, "more sampled grams than the slot table holds")
            let slot = slot(gram)
            bits[slot >> 6] |= 1 << UInt64(slot & 63)
            grams.append(gram)
            next.append(groupOfSlot[slot])
            groupOfSlot[slot] = UInt16(grams.count)
            entryTrigger += list.map(\.trigger)
            entryOffset += list.map(\.offset)
            starts.append(entryTrigger.count)
        }
        func pointer<T>(_ values: [T]) -> UnsafePointer<T> {
            let memory = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
            memory.initialize(from: values, count: values.count)
            return UnsafePointer(memory)
        }
        return Tables(bits: UnsafePointer(bits), groupOfSlot: UnsafePointer(groupOfSlot), groupGram: pointer(grams),
                      groupNext: pointer(next), entryStart: pointer(starts), entryTrigger: pointer(entryTrigger),
                      entryOffset: pointer(entryOffset))
    }()

    /// How rare a 4-gram's letters are in English text (higher: rarer); other bytes count as
    /// fairly rare. Only which gram of a trigger is sampled depends on it, never what is found.
    private static func rarity(_ bytes: ArraySlice<UInt8>) -> Int {
        let byFrequency = Array("etaoinshrdlcumwfgypbvkjxqz".utf8)
        return bytes.reduce(0) { $0 + (byFrequency.firstIndex(of: $1) ?? 20) }
    }

    /// Windows are read at every `step`-th position of a line. The table's entries for short
    /// triggers, `nextHit`'s loads and `scan`'s look at the line's last window are written for 3.
    private static let step = 3

    @inline(__always)
    private static func slot(_ gram: UInt32) -> Int { Int(truncatingIfNeeded: (gram &* 0x9E37_79B1) >> 16) }

    /// Calls `body` with each position where a trigger may stand and that trigger, for every
    /// trigger that stands somewhere in `line` (and a few that do not: the caller compares).
    /// Positions come in no particular order.
    @inline(__always)
    static func forEachCandidate(in line: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        _ = scan(line, windows: 0..<line.count) { index, trigger in
            body(index, trigger)
            return true
        }
    }

    /// The windows at or after `position` and those before it, as two ranges for `scan`: every
    /// window the whole line's scan reads is in exactly one of them (the sampling grid is kept).
    @inline(__always)
    static func windows(splitAt position: Int, count: Int) -> (from: Range<Int>, before: Range<Int>) {
        let split = min(max(0, position - position % step), count)
        return (split..<count, 0..<split)
    }

    /// `forEachCandidate` over the windows that start in `windows` only (a range of the line's
    /// positions; its lower bound a multiple of `step`, as `windows(splitAt:count:)` gives), stopping as soon as
    /// `body` returns false; returns false when it stopped. Scanning a line's windows in two
    /// ranges that together cover it reports exactly what one scan of it reports: positions
    /// may lie before the range (an occurrence that starts before its first window).
    @inline(__always)
    static func scan(_ line: UnsafeBufferPointer<UInt8>, windows: Range<Int>, _ body: (Int, Int) -> Bool) -> Bool {
        let count = line.count
        guard count >= 4, let base = line.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let tables = tables
        /// Reports the triggers the window at `index` may belong to; false when `body` stopped.
        @inline(__always) func visit(_ index: Int) -> Bool {
            let window = raw.loadUnaligned(fromByteOffset: index, as: UInt32.self) | 0x2020_2020
            let slot = slot(window)
            guard tables.bits[slot >> 6] >> UInt64(slot & 63) & 1 != 0 else { return true }
            var group = Int(tables.groupOfSlot[slot])
            while group != 0 {
                if tables.groupGram[group - 1] == window {
                    for entry in tables.entryStart[group - 1]..<tables.entryStart[group] {
                        let start = index - tables.entryOffset[entry]
                        if start >= 0, !body(start, tables.entryTrigger[entry]) { return false }
                    }
                    return true
                }
                group = Int(tables.groupNext[group - 1])
            }
            return true
        }
        var index = windows.lowerBound
        let end = min(count, windows.upperBound + 3)
        while true {
            index = nextHit(raw, from: index, count: end, tables: tables)
            guard index + 4 <= end else { break }
            guard visit(index) else { return false }
            index += step
        }
        // A four-byte trigger that ends the line two bytes after a sampled position has no
        // window after its start: the line's last window is it (the range that holds it looks).
        let last = count - 4
        if last % step == 2, windows.contains(last) { return visit(last) }
        return true
    }

    /// The first sampled position from `start` on (every third one) whose window is in the
    /// table; past the last window when none is. Kept apart from the handling of hits so that
    /// the loop holds little.
    ///
    /// Four windows a round where the line has room for them: two 8-byte loads hold all four,
    /// their four bit tests are independent (the processor overlaps them) and one branch decides
    /// the round; the round with a hit is looked at window by window.
    @inline(never)
    private static func nextHit(_ raw: UnsafeRawPointer, from start: Int, count: Int, tables: Tables) -> Int {
        var index = start
        let bits = tables.bits
        @inline(__always) func hit(_ window: UInt64) -> UInt64 {
            let slot = slot(UInt32(truncatingIfNeeded: window) | 0x2020_2020)
            return bits[slot >> 6] >> UInt64(slot & 63) & 1
        }
        // Windows at index, +3, +6 and +9: the first two in the load at index, the others in
        // the load at index + 6.
        while index + 14 <= count {
            let low = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let high = raw.loadUnaligned(fromByteOffset: index + 6, as: UInt64.self)
            if hit(low) | hit(low >> 24) | hit(high) | hit(high >> 24) != 0 { break }
            index += 4 * step
        }
        while index + 4 <= count {
            if hit(UInt64(raw.loadUnaligned(fromByteOffset: index, as: UInt32.self))) != 0 { return index }
            index += step
        }
        return index
    }

    /// A text's first four bytes folded as the window folds them (little-endian).
    static func gram(_ bytes: [UInt8]) -> UInt32 {
        let padded = bytes + [0x20, 0x20, 0x20, 0x20]
        return (UInt32(padded[0]) | UInt32(padded[1]) << 8 | UInt32(padded[2]) << 16 | UInt32(padded[3]) << 24) | 0x2020_2020
    }
}
