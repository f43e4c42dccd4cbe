import Foundation

/// A regular expression of the simple kind signatures mostly use, matched on a line's bytes
/// without NSRegularExpression (which costs microseconds a line: a `String`, UTF-16 and ICU).
///
/// The subset: literal characters and escaped punctuation, `.`, classes (`[a-z_]`, `[^…]`,
/// with `\d \w \s` and their negations inside), `\d \D \w \W \s \S \t \n \r \f`, groups (`(…)`,
/// `(?:…)`), `|`, the quantifiers `? * + {m} {m,} {m,n}` and their lazy forms, `^ $ \b \B`; the
/// whole pattern ASCII. `init` returns nil for anything else (inline flags, `\p{…}`, back
/// references, possessive quantifiers, nested classes…) and the matcher keeps
/// NSRegularExpression for that signature. Only whether a match exists is asked, so greedy and
/// lazy quantifiers are alike.
///
/// `matches` answers only for an ASCII line (there `\w`, `\s`, `.`, `\b` and case folding are
/// the ASCII ones ICU uses too) and within a step budget (a backtracking blow-up, `(a*)*b`);
/// otherwise it returns nil and the caller asks NSRegularExpression. `ByteRegexTests` compares
/// it with NSRegularExpression on many random patterns and lines.
struct ByteRegex: Sendable {
    /// One instruction of the backtracking machine (Pike/Thompson style, no captures).
    enum Instruction: Sendable, Equatable {
        /// A byte in the set `sets[index]`.
        case set(Int)
        /// As many bytes of the set `sets[index]` as there are, none given back (see `Compiler`).
        case span(Int)
        /// Go on at both: the first, then (on failure) the second.
        case split(Int, Int)
        case jump(Int)
        case assert(Assertion)
        case match
    }

    enum Assertion: Sendable, Equatable {
        case start, end, wordBoundary, notWordBoundary
    }

    /// 128 bits: which ASCII bytes.
    struct ByteSet: Sendable, Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        @inline(__always)
        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }

        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else if byte < 128 { high |= 1 << UInt64(byte - 64) }
        }

        mutating func insert(_ range: ClosedRange<UInt8>) { for byte in range { insert(byte) } }

        mutating func formUnion(_ other: ByteSet) {
            low |= other.low
            high |= other.high
        }

        var inverted: ByteSet { ByteSet(low: ~low, high: ~high) }

        /// With the other case of every ASCII letter.
        var caseClosed: ByteSet {
            var closed = self
            for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") where contains(byte) || contains(byte | 0x20) {
                closed.insert(byte)
                closed.insert(byte | 0x20)
            }
            return closed
        }
    }

    let program: [Instruction]
    let sets: [ByteSet]
    /// The bytes a match can start with; nil when a match may be empty or start with an assertion.
    let first: ByteSet?
    /// The bytes every match starts with, exactly (single-byte sets at the start of `program`).
    let prefix: [UInt8]
    /// Backtracking entries one try may hold.
    static let stackSize = 512

    /// Steps one `matches` call may take before it gives up (and NSRegularExpression decides).
    static let budget = 20_000
    /// Programs longer than this (`{m,n}` copies the atom) are left to NSRegularExpression.
    static let longest = 2_000

    /// The compiled `pattern`, or nil when it is outside the subset.
    init?(pattern: String, ignoreCase: Bool) {
        guard pattern.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var parser = Parser(bytes: Array(pattern.utf8), ignoreCase: ignoreCase)
        guard let node = parser.alternation(), parser.index == parser.bytes.count else { return nil }
        var compiler = Compiler()
        compiler.emit(node)
        compiler.program.append(.match)
        guard compiler.program.count <= Self.longest else { return nil }
        program = compiler.program
        sets = compiler.sets
        first = Self.firstBytes(program, sets)
        var prefix: [UInt8] = []
        while case .set(let index) = program[prefix.count], sets[index].low.nonzeroBitCount + sets[index].high.nonzeroBitCount == 1 {
            let set = sets[index]
            prefix.append(set.low != 0 ? UInt8(set.low.trailingZeroBitCount) : UInt8(64 + set.high.trailingZeroBitCount))
        }
        self.prefix = prefix
    }

    /// Whether the regex matches somewhere in `line`; nil when the line is not ASCII, the
    /// budget ran out or the backtracking stack is full (a line of thousands of bytes under `.*`).
    func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard Self.isASCII(line), let base = line.baseAddress else { return line.isEmpty ? matchesEmpty() : nil }
        var budget = Self.budget
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Self.stackSize) { stack in
            program.withUnsafeBufferPointer { program in
                sets.withUnsafeBufferPointer { sets in
                    // One try from `start` (after the literal prefix when there is one).
                    func attempt(_ startPC: Int, _ startPosition: Int) -> Bool? {
                        var depth = 0
                        stack[0] = UInt64(startPC) << 32 | UInt64(startPosition)
                        depth = 1
                        while depth > 0 {
                            depth -= 1
                            var pc = Int(stack[depth] >> 32)
                            var position = Int(stack[depth] & 0xFFFF_FFFF)
                            thread: while true {
                                budget -= 1
                                if budget < 0 { return nil }
                                switch program[pc] {
                                case .set(let index):
                                    guard position < line.count, sets[index].contains(base[position]) else { break thread }
                                    position += 1
                                    pc += 1
                                case .span(let index):
                                    while position < line.count, sets[index].contains(base[position]) { position += 1 }
                                    pc += 1
                                case .split(let preferred, let other):
                                    guard depth < stack.count else { return nil }
                                    stack[depth] = UInt64(other) << 32 | UInt64(position)
                                    depth += 1
                                    pc = preferred
                                case .jump(let target):
                                    pc = target
                                case .assert(let assertion):
                                    guard Self.holds(assertion, at: position, in: line) else { break thread }
                                    pc += 1
                                case .match:
                                    return true
                                }
                            }
                        }
                        return false
                    }
                    if let head = prefix.first {
                        // Only where the literal prefix is: memchr for its first byte, then the rest.
                        let length = prefix.count
                        var from = 0
                        while from + length <= line.count, let found = memchr(base + from, Int32(head), line.count - from - length + 1) {
                            let start = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                            if length == 1 || prefix.withUnsafeBufferPointer({ memcmp(base + start + 1, $0.baseAddress! + 1, length - 1) }) == 0 {
                                guard let answer = attempt(length, start + length) else { return nil }
                                if answer { return true }
                            }
                            from = start + 1
                        }
                        return false
                    }
                    for start in 0...line.count {
                        if let first {
                            guard start < line.count else { return false }
                            if !first.contains(base[start]) { continue }
                        }
                        guard let answer = attempt(0, start) else { return nil }
                        if answer { return true }
                    }
                    return false
                }
            }
        }
    }

    /// `matches` of an empty line.
    private func matchesEmpty() -> Bool? {
        var empty: [UInt8] = [0]
        return empty.withUnsafeMutableBufferPointer { matches(UnsafeBufferPointer(rebasing: $0[0..<0])) }
    }

    @inline(__always)
    private static func holds(_ assertion: Assertion, at position: Int, in line: UnsafeBufferPointer<UInt8>) -> Bool {
        switch assertion {
        case .start:
            return position == 0
        case .end:
            // ICU without multiline: the end, or before a line terminator that ends the input.
            let left = line.count - position
            if left == 0 { return true }
            if left == 1 { return isTerminator(line[position]) }
            return left == 2 && line[position] == 0x0D && line[position + 1] == 0x0A
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && isWord(line[position - 1])
            let after = position < line.count && isWord(line[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    @inline(__always)
    static func isTerminator(_ byte: UInt8) -> Bool { byte >= 0x0A && byte <= 0x0D }

    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte >= 0x30 && byte <= 0x39 || byte == 0x5F
    }

    /// Whether every byte is below 0x80, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The union of the sets reachable from the start without consuming a byte; nil when the
    /// match may end (or meet an assertion) before any.
    private static func firstBytes(_ program: [Instruction], _ sets: [ByteSet]) -> ByteSet? {
        var result = ByteSet()
        var seen = Set<Int>()
        var work = [0]
        while let pc = work.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch program[pc] {
            case .set(let index): result.formUnion(sets[index])
            case .span: return nil
            case .split(let a, let b): work += [a, b]
            case .jump(let target): work.append(target)
            case .assert, .match: return nil
            }
        }
        return result
    }
}
