import Foundation

/// Where in a log line a known message may start: the first step of `LogMessageClassifier`.
///
/// It slides a 4-byte window over the line, folds letters to lower case, and looks the window up
/// in a 64 Kbit table of the first four bytes of every phrase, HTTP context word and reason the
/// classifier knows — about one load, one multiply and one bit test per byte. Only the positions
/// it reports are compared with phrases (every trigger starts with one of those 4-grams).
enum LogPrefilter {
    /// Calls `body` with each position (and its folded 4-gram) where a trigger's first four
    /// bytes may stand (rarely a position whose gram only shares the table's bit).
    @inline(__always)
    static func forEachCandidate(in line: UnsafeBufferPointer<UInt8>, _ body: (Int, UInt32) -> Void) {
        guard line.count >= 4, let base = line.baseAddress else { return }
        table.withUnsafeBufferPointer { bits in
            let raw = UnsafeRawPointer(base)
            var index = 0
            let last = line.count - 4
            while index <= last {
                let gram = raw.loadUnaligned(fromByteOffset: index, as: UInt32.self) | 0x2020_2020
                let slot = Int((gram &* 0x9E37_79B1) >> 16)
                if bits[slot >> 6] & (1 << UInt64(slot & 63)) != 0 { body(index, gram) }  // the caller checks the gram
                index += 1
            }
        }
    }

    /// A text's first four bytes folded as the window folds them (little-endian).
    static func gram(_ bytes: [UInt8]) -> UInt32 {
        let padded = bytes + [0x20, 0x20, 0x20, 0x20]
        return (UInt32(padded[0]) | UInt32(padded[1]) << 8 | UInt32(padded[2]) << 16 | UInt32(padded[3]) << 24) | 0x2020_2020
    }

    private static let table: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for gram in LogMessageClassifier.triggerPrefixes.map({ gram(Array($0.utf8)) }) {
            let slot = Int((gram &* 0x9E37_79B1) >> 16)
            bits[slot >> 6] |= 1 << UInt64(slot & 63)
        }
        return bits
    }()
}
