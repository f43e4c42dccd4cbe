import Foundation

/// Finds which of many literals occur in a line, in one pass over its bytes that mostly skips.
///
/// Wu–Manber: a window as long as the shortest literal (`span`, at most 64 bytes) slides over
/// the line; the last four bytes of the window, folded to lower case (`| 0x20`) and hashed into
/// a 4 K table, say how far it may jump without passing over the start of any literal. Only
/// where the table says 0 are the literals whose first `span` bytes end in that block looked
/// at: first their first four bytes (folded, one compare each), then the whole literal.
///
/// Everything a window reads fits the L1 cache: the shift table is 4 KB, and the literals of
/// a hash are found in flat arrays, not a dictionary (whose hashing cost more than the scan
/// itself where log words share blocks with the literals: about three windows a line of the
/// dense bench log with 200 literals). A smaller table collides more, but the literals' blocks
/// are few (a few hundred for 200 literals) so the skips stay nearly as long
/// (docs/signatures.md "Cost").
///
/// Immutable after `init`: shared by every thread that reads a log.
public struct LiteralScanner: Sendable {
    /// Literals are at least this long: the hashed block.
    public static let minimumLength = 4
    private static let block = 4
    private static let hashBits = 12

    /// The tables, in memory of their own so that a scan reads them through plain pointers.
    /// `@unchecked Sendable`: written only in `init`, read-only afterwards.
    private final class Tables: @unchecked Sendable {
        /// How far a window may move on, by the hash of its last block (`1 << hashBits` bytes).
        let shift: UnsafeMutablePointer<UInt8>
        /// For hash `h`, the slots `bucketStart[h]..<bucketStart[h + 1]` of `bucket` and `heads`.
        let bucketStart: UnsafeMutablePointer<Int32>
        /// Needle indices: those whose first `span` bytes end in a block of each hash, by hash.
        let bucket: UnsafeMutablePointer<Int32>
        /// The first four bytes of each slot's needle, folded (`| 0x20` a byte).
        let heads: UnsafeMutablePointer<UInt32>
        /// Every needle's bytes, one after another; needle `i` is at `starts[i]..<starts[i + 1]`.
        let text: UnsafeMutablePointer<UInt8>
        let starts: UnsafeMutablePointer<Int>
        let ignoreCase: UnsafeMutablePointer<Bool>
        let slots: Int
        let needles: Int

        init(needles: [(bytes: [UInt8], ignoreCase: Bool)], span: Int) {
            let size = 1 << LiteralScanner.hashBits
            self.needles = needles.count
            let shift = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
            shift.initialize(repeating: UInt8(span - LiteralScanner.block + 1), count: size)
            self.shift = shift
            var lists = [[Int32]](repeating: [], count: size)
            for (index, needle) in needles.enumerated() {
                precondition(needle.bytes.count >= LiteralScanner.block, "a literal is shorter than \(LiteralScanner.block) bytes")
                needle.bytes.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    for end in LiteralScanner.block...span {
                        let hash = Int(LiteralScanner.hash(base + end - LiteralScanner.block))
                        shift[hash] = min(shift[hash], UInt8(span - end))
                        if end == span { lists[hash].append(Int32(index)) }
                    }
                }
            }
            let slots = lists.reduce(0) { $0 + $1.count }
            self.slots = slots
            let bucketStart = UnsafeMutablePointer<Int32>.allocate(capacity: size + 1)
            let bucket = UnsafeMutablePointer<Int32>.allocate(capacity: max(slots, 1))
            let heads = UnsafeMutablePointer<UInt32>.allocate(capacity: max(slots, 1))
            var slot = 0
            for hash in 0..<size {
                bucketStart[hash] = Int32(slot)
                for index in lists[hash] {
                    bucket[slot] = index
                    heads[slot] = needles[Int(index)].bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } | 0x2020_2020
                    slot += 1
                }
            }
            bucketStart[size] = Int32(slot)
            self.bucketStart = bucketStart
            self.bucket = bucket
            self.heads = heads
            let total = needles.reduce(0) { $0 + $1.bytes.count }
            let text = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
            let starts = UnsafeMutablePointer<Int>.allocate(capacity: needles.count + 1)
            let ignoreCase = UnsafeMutablePointer<Bool>.allocate(capacity: max(needles.count, 1))
            var offset = 0
            for (index, needle) in needles.enumerated() {
                starts[index] = offset
                ignoreCase[index] = needle.ignoreCase
                for byte in needle.bytes {
                    text[offset] = byte
                    offset += 1
                }
            }
            starts[needles.count] = offset
            self.text = text
            self.starts = starts
            self.ignoreCase = ignoreCase
        }

        deinit {
            shift.deallocate()
            bucketStart.deallocate()
            bucket.deallocate()
            heads.deallocate()
            text.deallocate()
            starts.deallocate()
            ignoreCase.deallocate()
        }
    }

    private let tables: Tables
    private let span: Int

    /// The literals to find, each ASCII-case-sensitive or not; every one at least `minimumLength` bytes.
    public init(_ literals: [(text: String, ignoreCase: Bool)]) {
        let needles = literals.map { (bytes: Array($0.text.utf8), ignoreCase: $0.ignoreCase) }
        let shortest = needles.map(\.bytes.count).min() ?? Self.block
        span = max(Self.block, min(shortest, 64))
        tables = Tables(needles: needles, span: span)
    }

    /// Whether there are no literals at all.
    public var isEmpty: Bool { tables.needles == 0 }

    /// The hash of the four bytes at `pointer`, folded to lower case the lossy way (`| 0x20`):
    /// bytes equal ignoring ASCII case fold alike, which is all a filter needs.
    @inline(__always)
    private static func hash(_ pointer: UnsafeRawPointer) -> UInt32 {
        let word = pointer.loadUnaligned(as: UInt32.self) | 0x2020_2020
        return (word &* 0x9E37_79B1) >> (32 - UInt32(hashBits))
    }

    /// Calls `found` with the index of each literal that occurs in `line` (once per occurrence);
    /// `found` returns false to stop.
    @inline(__always)
    public func scan(_ line: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Bool) {
        guard tables.needles > 0, let base = line.baseAddress, line.count >= span else { return }
        let count = line.count
        let span = span
        let tables = tables
        let shift = tables.shift
        var end = span
        while end <= count {
            let hash = Int(Self.hash(UnsafeRawPointer(base + end - Self.block)))
            let step = shift[hash]
            if step > 0 {
                end += Int(step)
                continue
            }
            let start = end - span
            let head = UnsafeRawPointer(base + start).loadUnaligned(as: UInt32.self) | 0x2020_2020
            var slot = Int(tables.bucketStart[hash])
            let last = Int(tables.bucketStart[hash + 1])
            while slot < last {
                if tables.heads[slot] == head {
                    let index = Int(tables.bucket[slot])
                    if Self.occurs(index, tables, at: start, in: line), !found(index) { return }
                }
                slot += 1
            }
            end += 1
        }
    }

    /// Whether any literal occurs in `line`.
    public func occursAny(in line: UnsafeBufferPointer<UInt8>) -> Bool {
        var any = false
        scan(line) { _ in
            any = true
            return false
        }
        return any
    }

    @inline(__always)
    private static func occurs(_ index: Int, _ tables: Tables, at start: Int, in line: UnsafeBufferPointer<UInt8>) -> Bool {
        let needle = tables.text + tables.starts[index]
        let length = tables.starts[index + 1] - tables.starts[index]
        guard start + length <= line.count, let base = line.baseAddress else { return false }
        if !tables.ignoreCase[index] { return memcmp(base + start, needle, length) == 0 }
        for offset in 0..<length where lower(base[start + offset]) != lower(needle[offset]) { return false }
        return true
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
