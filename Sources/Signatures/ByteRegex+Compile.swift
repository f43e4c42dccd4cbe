extension ByteRegex {
    /// A pattern read into a tree.
    indirect enum Node {
        case set(ByteSet)
        case assert(Assertion)
        case sequence([Node])
        case alternatives([Node])
        case repetition(Node, min: Int, max: Int?)

        /// The bytes every match of it starts with; nil when it may match nothing or start
        /// with an assertion.
        var firstBytes: ByteSet? {
            switch self {
            case .set(let set): return set
            case .assert: return nil
            case .sequence(let items): return items.first.flatMap { $0.canBeEmpty ? nil : $0.firstBytes }
            case .alternatives(let branches):
                var union = ByteSet()
                for branch in branches {
                    guard let first = branch.firstBytes else { return nil }
                    union.formUnion(first)
                }
                return union
            case .repetition(let atom, let min, _): return min == 0 ? nil : atom.firstBytes
            }
        }

        /// Whether it can match without consuming a byte.
        var canBeEmpty: Bool {
            switch self {
            case .set: return false
            case .assert: return true
            case .sequence(let items): return items.allSatisfy(\.canBeEmpty)
            case .alternatives(let branches): return branches.contains(where: \.canBeEmpty)
            case .repetition(let atom, let min, _): return min == 0 || atom.canBeEmpty
            }
        }
    }

    /// Reads the subset (see `ByteRegex`); any method returns nil for what it does not know.
    struct Parser {
        let bytes: [UInt8]
        let ignoreCase: Bool
        var index = 0

        init(bytes: [UInt8], ignoreCase: Bool) {
            self.bytes = bytes
            self.ignoreCase = ignoreCase
        }

        private var next: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func alternation() -> Node? {
            var branches: [Node] = []
            while true {
                guard let branch = sequence() else { return nil }
                branches.append(branch)
                guard next == UInt8(ascii: "|") else { break }
                index += 1
            }
            return branches.count == 1 ? branches[0] : .alternatives(branches)
        }

        private mutating func sequence() -> Node? {
            var items: [Node] = []
            while let byte = next, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                guard let atom = atom() else { return nil }
                guard let item = quantified(atom) else { return nil }
                items.append(item)
            }
            return .sequence(items)
        }

        private mutating func atom() -> Node? {
            guard let byte = next else { return nil }
            index += 1
            switch byte {
            case UInt8(ascii: "("):
                if next == UInt8(ascii: "?") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") else { return nil }
                    index += 2
                }
                guard let inner = alternation(), next == UInt8(ascii: ")") else { return nil }
                index += 1
                return inner
            case UInt8(ascii: "["): return characterClass()
            case UInt8(ascii: "."):
                var set = ByteSet()
                set.insert(0...0x7F)
                for terminator in UInt8(0x0A)...0x0D { set = ByteSet(low: set.low & ~(1 << UInt64(terminator)), high: set.high) }
                return .set(set)
            case UInt8(ascii: "^"): return .assert(.start)
            case UInt8(ascii: "$"): return .assert(.end)
            case UInt8(ascii: "\\"):
                guard let escaped = next else { return nil }
                index += 1
                if escaped == UInt8(ascii: "b") { return .assert(.wordBoundary) }
                if escaped == UInt8(ascii: "B") { return .assert(.notWordBoundary) }
                return escape(escaped).map { .set(folded($0)) }
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                 UInt8(ascii: "]"):
                return nil
            default:
                var set = ByteSet()
                set.insert(byte)
                return .set(folded(set))
            }
        }

        private func folded(_ set: ByteSet) -> ByteSet { ignoreCase ? set.caseClosed : set }

        /// The set of an escape (`\d`, `\.`…) after its backslash.
        private func escape(_ byte: UInt8) -> ByteSet? {
            var set = ByteSet()
            switch byte {
            case UInt8(ascii: "d"), UInt8(ascii: "D"): set.insert(0x30...0x39)
            case UInt8(ascii: "w"), UInt8(ascii: "W"):
                set.insert(0x30...0x39)
                set.insert(0x41...0x5A)
                set.insert(0x61...0x7A)
                set.insert(0x5F)
            case UInt8(ascii: "s"), UInt8(ascii: "S"):
                set.insert(0x09...0x0D)
                set.insert(0x20)
            case UInt8(ascii: "t"): set.insert(0x09)
            case UInt8(ascii: "n"): set.insert(0x0A)
            case UInt8(ascii: "r"): set.insert(0x0D)
            case UInt8(ascii: "f"): set.insert(0x0C)
            default:
                // Escaped punctuation is itself; a letter or digit not above is ICU's own
                // (`\p`, `\x`, `\1`, `\Q`…): not in the subset.
                guard byte >= 0x20, byte < 0x7F, !ByteRegex.isWord(byte) else { return nil }
                set.insert(byte)
            }
            let negated = byte == UInt8(ascii: "D") || byte == UInt8(ascii: "W") || byte == UInt8(ascii: "S")
            return negated ? set.inverted : set
        }

        /// `[…]` after its `[`: ranges, escapes and single bytes; nested sets and `&&` are not
        /// in the subset.
        private mutating func characterClass() -> Node? {
            var negated = false
            if next == UInt8(ascii: "^") {
                negated = true
                index += 1
            }
            if next == UInt8(ascii: "]") { return nil }
            var set = ByteSet()
            var previous: UInt8?  // the last single byte, which a `-` may make a range from
            while let byte = next {
                index += 1
                switch byte {
                case UInt8(ascii: "]"):
                    set = folded(set)
                    return .set(negated ? set.inverted : set)
                case UInt8(ascii: "["), UInt8(ascii: "&"): return nil
                case UInt8(ascii: "\\"):
                    guard let escaped = next, let part = escape(escaped) else { return nil }
                    index += 1
                    set.formUnion(part)
                    previous = part.low.nonzeroBitCount + part.high.nonzeroBitCount == 1 ? Self.only(part) : nil
                case UInt8(ascii: "-") where previous != nil && next != UInt8(ascii: "]") && next != nil:
                    guard let low = previous, var high = next else { return nil }
                    index += 1
                    if high == UInt8(ascii: "\\") {
                        guard let escaped = next, let part = escape(escaped),
                              part.low.nonzeroBitCount + part.high.nonzeroBitCount == 1 else { return nil }
                        index += 1
                        high = Self.only(part)
                    } else if high == UInt8(ascii: "[") || high == UInt8(ascii: "-") {
                        return nil
                    }
                    guard low <= high else { return nil }
                    set.insert(low...high)
                    previous = nil
                case UInt8(ascii: "-") where next == UInt8(ascii: "]"):
                    set.insert(byte)  // `[a-]`, `[0-9a-f-]`: a literal `-` at the end
                    previous = nil
                case UInt8(ascii: "-"):
                    // At the start `[-a]` is a literal; after a range (`[a-c-e]`) ICU says otherwise.
                    guard index == 2 + (negated ? 1 : 0) else { return nil }
                    set.insert(byte)
                    previous = byte
                default:
                    set.insert(byte)
                    previous = byte
                }
            }
            return nil
        }

        private static func only(_ set: ByteSet) -> UInt8 {
            set.low != 0 ? UInt8(set.low.trailingZeroBitCount) : UInt8(64 + set.high.trailingZeroBitCount)
        }

        /// `atom` with the quantifier that follows it, if any.
        private mutating func quantified(_ atom: Node) -> Node? {
            guard let byte = next else { return atom }
            var min = 0
            var max: Int?
            switch byte {
            case UInt8(ascii: "*"): break
            case UInt8(ascii: "+"): min = 1
            case UInt8(ascii: "?"): max = 1
            case UInt8(ascii: "{"):
                index += 1
                guard let low = number() else { return nil }
                min = low
                max = low
                if next == UInt8(ascii: ",") {
                    index += 1
                    max = next == UInt8(ascii: "}") ? nil : number()
                    if max == nil, next != UInt8(ascii: "}") { return nil }
                }
                guard next == UInt8(ascii: "}"), max.map({ $0 >= min }) ?? true else { return nil }
            default: return atom
            }
            index += 1
            // A quantified atom that can match nothing (`(a*)*`, `(\b|x)+`): ICU ends such a loop
            // on an empty iteration, which a plain backtracker does not; the differential test
            // found lines where the two disagree. Left to NSRegularExpression.
            if atom.canBeEmpty { return nil }
            if next == UInt8(ascii: "?") {
                index += 1  // lazy: the same matches exist
            } else if next == UInt8(ascii: "+") {
                return nil  // possessive: fewer matches exist
            }
            if let following = next, following == UInt8(ascii: "*") || following == UInt8(ascii: "+")
                || following == UInt8(ascii: "?") || following == UInt8(ascii: "{") {
                return nil
            }
            return .repetition(atom, min: min, max: max)
        }

        private mutating func number() -> Int? {
            var value: Int?
            while let byte = next, byte >= 0x30, byte <= 0x39 {
                value = (value ?? 0) * 10 + Int(byte - 0x30)
                guard value ?? 0 <= 1000 else { return nil }
                index += 1
            }
            return value
        }
    }

    /// Turns a tree into instructions.
    struct Compiler {
        var program: [Instruction] = []
        var sets: [ByteSet] = []

        private mutating func index(of set: ByteSet) -> Int {
            if let index = sets.firstIndex(of: set) { return index }
            sets.append(set)
            return sets.count - 1
        }

        mutating func emit(_ node: Node) {
            guard program.count <= ByteRegex.longest else { return }
            switch node {
            case .set(let set):
                program.append(.set(index(of: set)))
            case .assert(let assertion):
                program.append(.assert(assertion))
            case .sequence(let items):
                for (number, item) in items.enumerated() {
                    // `[0-9a-f]+ ->`: when what follows cannot start with a byte of the loop's
                    // set, fewer iterations can only fail there; the loop takes all it can and
                    // leaves nothing to backtrack into (what took the time of a non-matching line).
                    if case .repetition(.set(let set), let min, nil) = item, number + 1 < items.count,
                       let following = items[number + 1].firstBytes, set.low & following.low == 0, set.high & following.high == 0 {
                        for _ in 0..<min { emit(.set(set)) }
                        program.append(.span(index(of: set)))
                    } else {
                        emit(item)
                    }
                }
            case .alternatives(let branches):
                var jumps: [Int] = []
                for (number, branch) in branches.enumerated() {
                    if number < branches.count - 1 {
                        let split = program.count
                        program.append(.match)  // patched below
                        emit(branch)
                        jumps.append(program.count)
                        program.append(.match)  // patched below
                        program[split] = .split(split + 1, program.count)
                    } else {
                        emit(branch)
                    }
                }
                for jump in jumps { program[jump] = .jump(program.count) }
            case .repetition(let atom, let min, let max):
                for _ in 0..<min { emit(atom) }
                if let max {
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        program.append(.match)  // patched below
                        emit(atom)
                    }
                    for split in splits { program[split] = .split(split + 1, program.count) }
                } else {
                    let loop = program.count
                    program.append(.match)  // patched below
                    emit(atom)
                    program.append(.jump(loop))
                    program[loop] = .split(loop + 1, program.count)
                }
            }
        }
    }
}
