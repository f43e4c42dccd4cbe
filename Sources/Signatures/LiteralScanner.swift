import Foundation

/// Finds which of many literals occur in a line, in one pass over its bytes that mostly skips.
///
/// Wu–Manber: a window as long as the shortest literal (`span`, at most 64 bytes) slides over
/// the line; the last four bytes of the window, folded to lower case (`| 0x20`) and hashed into
/// a 64 K table, say how far it may jump without passing over the start of any literal. Only
/// where the table says 0 are the literals whose first `span` bytes end in that block compared
/// whole. With 200 literals of 20 bytes or more, most windows jump a dozen bytes or more, so a
/// line costs a few table reads, not one per byte — what lets 200 signatures cost a few per cent
/// of an analysis that is itself bound by inflating.
///
/// Immutable after `init`: shared by every thread that reads a log.
public struct LiteralScanner: Sendable {
    /// Literals are at least this long: the hashed block.
    public static let minimumLength = 4
    private static let block = 4

    /// One literal as bytes.
    struct Needle: Sendable {
        let bytes: [UInt8]
        let ignoreCase: Bool
    }

    private let needles: [Needle]
    private let span: Int
    /// How far a window may move on, by the hash of its last block.
    private let shift: [UInt8]
    /// The needles whose first `span` bytes end in a block of this hash.
    private let candidates: [UInt16: [Int32]]

    /// The literals to find, each ASCII-case-sensitive or not; every one at least `minimumLength` bytes.
    public init(_ literals: [(text: String, ignoreCase: Bool)]) {
        let needles = literals.map { Needle(bytes: Array($0.text.utf8), ignoreCase: $0.ignoreCase) }
        let shortest = needles.map(\.bytes.count).min() ?? Self.block
        let span = max(Self.block, min(shortest, 64))
        self.needles = needles
        self.span = span
        let most = UInt8(span - Self.block + 1)
        var shift = [UInt8](repeating: most, count: 1 << 16)
        var candidates: [UInt16: [Int32]] = [:]
        for (index, needle) in needles.enumerated() {
            precondition(needle.bytes.count >= Self.block, "a literal is shorter than \(Self.block) bytes")
            needle.bytes.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                for end in Self.block...span {
                    let hash = Self.hash(UnsafeRawPointer(base + end - Self.block))
                    shift[Int(hash)] = min(shift[Int(hash)], UInt8(span - end))
                    if end == span { candidates[hash, default: []].append(Int32(index)) }
                }
            }
        }
        self.shift = shift
        self.candidates = candidates
    }

    /// Whether there are no literals at all.
    public var isEmpty: Bool { needles.isEmpty }

    /// The hash of the four bytes at `pointer`, folded to lower case the lossy way (`| 0x20`):
    /// bytes equal ignoring ASCII case fold alike, which is all a filter needs.
    @inline(__always)
    private static func hash(_ pointer: UnsafeRawPointer) -> UInt16 {
        let word = pointer.loadUnaligned(as: UInt32.self) | 0x2020_2020
        return UInt16(truncatingIfNeeded: (word &* 0x9E37_79B1) >> 16)
    }

    /// Calls `found` with the index of each literal that occurs in `line` (once per occurrence);
    /// `found` returns false to stop.
    @inline(__always)
    public func scan(_ line: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Bool) {
        guard !needles.isEmpty, let base = line.baseAddress, line.count >= span else { return }
        let count = line.count
        var end = span
        shift.withUnsafeBufferPointer { shift in
            while end <= count {
                let hash = Self.hash(UnsafeRawPointer(base + end - Self.block))
                let step = shift[Int(hash)]
                if step > 0 {
                    end += Int(step)
                    continue
                }
                if let list = candidates[hash] {
                    let start = end - span
                    for index in list where Self.occurs(needles[Int(index)], at: start, in: line) {
                        if !found(Int(index)) { return }
                    }
                }
                end += 1
            }
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
    private static func occurs(_ needle: Needle, at start: Int, in line: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = needle.bytes.count
        guard start + length <= line.count, let base = line.baseAddress else { return false }
        return needle.bytes.withUnsafeBufferPointer { bytes in
            guard let needleBase = bytes.baseAddress else { return false }
            if !needle.ignoreCase { return memcmp(base + start, needleBase, length) == 0 }
            for offset in 0..<length where lower(base[start + offset]) != lower(needleBase[offset]) { return false }
            return true
        }
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
