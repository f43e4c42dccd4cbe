import Foundation

/// Where in a log line a known message may start: the first step of `LogMessageClassifier`.
///
/// It slides a 4-byte window over the line, folds letters to lower case, and looks the window up
/// in a 64 Kbit table of the first four bytes of every phrase, HTTP context word and reason the
/// classifier knows. Four windows come from one 8-byte load and share one branch, so a byte costs
/// about a multiply and a bit test. Only the positions it reports are compared with phrases
/// (every trigger starts with one of those 4-grams, and is at least four bytes long).
enum LogPrefilter {
    /// The tables, built once and kept for the life of the process behind plain pointers: the
    /// scan runs once per log line and must pay neither reference counting nor more than one
    /// lazy-initialisation check for them. (`@unchecked Sendable`: they
    /// are written while the initialiser runs and only read after it.)
    private struct Tables: @unchecked Sendable {
        /// One bit per hash slot of a folded 4-gram.
        let bits: UnsafePointer<UInt64>
        /// Per slot, 1 + the first group hashed there (0: none).
        let groupOfSlot: UnsafePointer<UInt8>
        /// Per group: its gram, and 1 + the next group in the same slot (0: none).
        let groupGram: UnsafePointer<UInt32>
        let groupNext: UnsafePointer<UInt8>
        /// Per group, the triggers (indexes into `LogMessageClassifier.triggerPrefixes`) that
        /// start with its gram: `triggers[triggerStart[g] ..< triggerStart[g + 1]]`.
        let triggerStart: UnsafePointer<Int>
        let triggers: UnsafePointer<Int>
    }

    private static let tables: Tables = {
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        bits.initialize(repeating: 0, count: 1024)
        let groupOfSlot = UnsafeMutablePointer<UInt8>.allocate(capacity: 65536)
        groupOfSlot.initialize(repeating: 0, count: 65536)
        var grams: [UInt32] = []
        var next: [UInt8] = []
        var byGroup: [[Int]] = []
        for (index, text) in LogMessageClassifier.triggerPrefixes.enumerated() {
            let gram = gram(Array(text.utf8))
            let slot = slot(gram)
            bits[slot >> 6] |= 1 << UInt64(slot & 63)
            if let existing = grams.firstIndex(of: gram) {
                byGroup[existing].append(index)
                continue
            }
            precondition(grams.count < 255, "more distinct trigger grams than the slot table holds")
            grams.append(gram)
            next.append(groupOfSlot[slot])
            byGroup.append([index])
            groupOfSlot[slot] = UInt8(grams.count)
        }
        func pointer<T>(_ values: [T]) -> UnsafePointer<T> {
            let memory = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
            memory.initialize(from: values, count: values.count)
            return UnsafePointer(memory)
        }
        let starts = byGroup.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        return Tables(bits: UnsafePointer(bits), groupOfSlot: UnsafePointer(groupOfSlot), groupGram: pointer(grams),
                      groupNext: pointer(next), triggerStart: pointer(starts), triggers: pointer(byGroup.flatMap { $0 }))
    }()

    @inline(__always)
    private static func slot(_ gram: UInt32) -> Int { Int(truncatingIfNeeded: (gram &* 0x9E37_79B1) >> 16) }

    /// Whether any of the four windows of `word` (bytes 0–3, 1–4, 2–5, 3–6) has its bit set.
    @inline(__always)
    private static func mayHit(_ word: UInt64, _ bits: UnsafePointer<UInt64>) -> Bool {
        let s0 = slot(UInt32(truncatingIfNeeded: word)), s1 = slot(UInt32(truncatingIfNeeded: word >> 8))
        let s2 = slot(UInt32(truncatingIfNeeded: word >> 16)), s3 = slot(UInt32(truncatingIfNeeded: word >> 24))
        let hits = bits[s0 >> 6] >> UInt64(s0 & 63) | bits[s1 >> 6] >> UInt64(s1 & 63)
            | bits[s2 >> 6] >> UInt64(s2 & 63) | bits[s3 >> 6] >> UInt64(s3 & 63)
        return hits & 1 != 0
    }

    /// Calls `body` with each position at or after `start` where a trigger's first four bytes
    /// stand, and the triggers that start with them.
    @inline(__always)
    static func forEachCandidate(in line: UnsafeBufferPointer<UInt8>, from start: Int,
                                 _ body: (Int, UnsafeBufferPointer<Int>) -> Void) {
        let count = line.count
        guard start >= 0, count - start >= 4, let base = line.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let tables = tables
        @inline(__always) func check(_ index: Int, _ gram: UInt32) {
            let slot = slot(gram)
            guard tables.bits[slot >> 6] >> UInt64(slot & 63) & 1 != 0 else { return }
            var group = Int(tables.groupOfSlot[slot])
            while group != 0 {
                if tables.groupGram[group - 1] == gram {
                    let from = tables.triggerStart[group - 1], to = tables.triggerStart[group]
                    return body(index, UnsafeBufferPointer(start: tables.triggers + from, count: to - from))
                }
                group = Int(tables.groupNext[group - 1])
            }
        }
        @inline(__always) func checkBlock(at index: Int, from first: Int) {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) | 0x2020_2020_2020_2020
            guard mayHit(word, tables.bits) else { return }
            for offset in max(0, first - index)..<4 { check(index + offset, UInt32(truncatingIfNeeded: word >> UInt64(8 * offset))) }
        }
        var index = start
        while true {
            index = nextBlock(raw, from: index, count: count, bits: tables.bits)
            guard index + 8 <= count else { break }
            checkBlock(at: index, from: index)
            index += 4
        }
        // The windows left (fewer than 8 bytes remain): the block ending at the line's end
        // covers all but the last, which is read alone; a line shorter than 8 bytes, one by one.
        if count >= 8 {
            if index < count - 4 { checkBlock(at: count - 8, from: index) }
            index = max(index, count - 4)
        }
        while index + 4 <= count {
            check(index, raw.loadUnaligned(fromByteOffset: index, as: UInt32.self) | 0x2020_2020)
            index += 1
        }
    }

    /// The first position from `index` on, in steps of four, whose four windows (one 8-byte
    /// load) may hold a trigger; the first position with fewer than 8 bytes left when none does.
    /// Kept apart from the checks so that the loop holds nothing but the word it reads.
    @inline(never)
    private static func nextBlock(_ raw: UnsafeRawPointer, from start: Int, count: Int, bits: UnsafePointer<UInt64>) -> Int {
        var index = start
        while index + 8 <= count {
            if mayHit(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) | 0x2020_2020_2020_2020, bits) { return index }
            index += 4
        }
        return index
    }

    /// A text's first four bytes folded as the window folds them (little-endian).
    static func gram(_ bytes: [UInt8]) -> UInt32 {
        let padded = bytes + [0x20, 0x20, 0x20, 0x20]
        return (UInt32(padded[0]) | UInt32(padded[1]) << 8 | UInt32(padded[2]) << 16 | UInt32(padded[3]) << 24) | 0x2020_2020
    }
}
