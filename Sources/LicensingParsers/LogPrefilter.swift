import Foundation

/// Where in a log line a known message may start: the first step of `LogMessageClassifier`.
///
/// It slides a 4-byte window over the line, folds letters to lower case, and looks the window up
/// in a 64 Kbit table of the first four bytes of every phrase, HTTP context word and reason the
/// classifier knows. Four windows come from one 8-byte load and share one branch, so a byte costs
/// about a multiply and a bit test. Only the positions it reports are compared with phrases
/// (every trigger starts with one of those 4-grams, and is at least four bytes long).
///
/// The tables are built once and live as long as the process, behind plain pointers: the scan
/// runs once per log line and must not pay reference counting for them. (`nonisolated(unsafe)`:
/// they are written once, while the lazy initialiser runs, and only read after it.)
enum LogPrefilter {
    /// One bit per hash slot of a folded 4-gram.
    nonisolated(unsafe) private static let bits: UnsafePointer<UInt64> = UnsafePointer(tables.bits)
    /// Per slot, 1 + the first group hashed there (0: none).
    nonisolated(unsafe) private static let groupOfSlot: UnsafePointer<UInt8> = UnsafePointer(tables.groupOfSlot)
    /// Per group: its gram, and 1 + the next group in the same slot (0: none).
    nonisolated(unsafe) private static let groupGram: UnsafePointer<UInt32> = UnsafePointer(tables.groupGram)
    nonisolated(unsafe) private static let groupNext: UnsafePointer<UInt8> = UnsafePointer(tables.groupNext)
    /// Per group, the triggers (indexes into `LogMessageClassifier.triggerPrefixes`) that start with its gram.
    private static let groupTriggers: [[Int]] = tables.groupTriggers

    nonisolated(unsafe) private static let tables: (bits: UnsafeMutablePointer<UInt64>, groupOfSlot: UnsafeMutablePointer<UInt8>,
                                groupGram: UnsafeMutablePointer<UInt32>, groupNext: UnsafeMutablePointer<UInt8>,
                                groupTriggers: [[Int]]) = {
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        bits.initialize(repeating: 0, count: 1024)
        let groupOfSlot = UnsafeMutablePointer<UInt8>.allocate(capacity: 65536)
        groupOfSlot.initialize(repeating: 0, count: 65536)
        var grams: [UInt32] = []
        var next: [UInt8] = []
        var triggers: [[Int]] = []
        for (index, text) in LogMessageClassifier.triggerPrefixes.enumerated() {
            let gram = gram(Array(text.utf8))
            let slot = slot(gram)
            bits[slot >> 6] |= 1 << UInt64(slot & 63)
            if let existing = grams.firstIndex(of: gram) {
                triggers[existing].append(index)
                continue
            }
            precondition(grams.count < 255, "more distinct trigger grams than the slot table holds")
            grams.append(gram)
            next.append(groupOfSlot[slot])
            triggers.append([index])
            groupOfSlot[slot] = UInt8(grams.count)
        }
        let groupGram = UnsafeMutablePointer<UInt32>.allocate(capacity: grams.count)
        groupGram.initialize(from: grams, count: grams.count)
        let groupNext = UnsafeMutablePointer<UInt8>.allocate(capacity: next.count)
        groupNext.initialize(from: next, count: next.count)
        return (bits, groupOfSlot, groupGram, groupNext, triggers)
    }()

    @inline(__always)
    private static func slot(_ gram: UInt32) -> Int { Int(truncatingIfNeeded: (gram &* 0x9E37_79B1) >> 16) }

    /// Calls `body` with each position at or after `start` where a trigger's first four bytes
    /// stand, and the triggers that start with them.
    @inline(__always)
    static func forEachCandidate(in line: UnsafeBufferPointer<UInt8>, from start: Int,
                                 _ body: (Int, [Int]) -> Void) {
        guard start >= 0, line.count - start >= 4, let base = line.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        let bits = bits, groupOfSlot = groupOfSlot, groupGram = groupGram, groupNext = groupNext
        @inline(__always) func check(_ index: Int, _ gram: UInt32) {
            let slot = slot(gram)
            guard bits[slot >> 6] >> UInt64(slot & 63) & 1 != 0 else { return }
            var group = Int(groupOfSlot[slot])
            while group != 0 {
                if groupGram[group - 1] == gram { return body(index, groupTriggers[group - 1]) }
                group = Int(groupNext[group - 1])
            }
        }
        var index = start
        while true {
            index = nextBlock(raw, from: index, count: line.count)
            guard index + 8 <= line.count else { break }
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) | 0x2020_2020_2020_2020
            for offset in 0..<4 { check(index + offset, UInt32(truncatingIfNeeded: word >> UInt64(8 * offset))) }
            index += 4
        }
        while index + 4 <= line.count {
            check(index, raw.loadUnaligned(fromByteOffset: index, as: UInt32.self) | 0x2020_2020)
            index += 1
        }
    }

    /// The first position from `index` on, in steps of four, whose four windows (one 8-byte
    /// load) have a bit set in the table; the first position with fewer than 8 bytes left when
    /// none has. Kept apart from the checks so that the loop holds nothing but the word it reads.
    @inline(never)
    private static func nextBlock(_ raw: UnsafeRawPointer, from start: Int, count: Int) -> Int {
        let bits = bits
        var index = start
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) | 0x2020_2020_2020_2020
            let s0 = slot(UInt32(truncatingIfNeeded: word)), s1 = slot(UInt32(truncatingIfNeeded: word >> 8))
            let s2 = slot(UInt32(truncatingIfNeeded: word >> 16)), s3 = slot(UInt32(truncatingIfNeeded: word >> 24))
            let hits = bits[s0 >> 6] >> UInt64(s0 & 63) | bits[s1 >> 6] >> UInt64(s1 & 63)
                | bits[s2 >> 6] >> UInt64(s2 & 63) | bits[s3 >> 6] >> UInt64(s3 & 63)
            if hits & 1 != 0 { return index }
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
