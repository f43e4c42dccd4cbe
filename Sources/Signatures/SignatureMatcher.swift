import Foundation

/// Some signatures compiled to match lines: one `LiteralScanner` pass over a line finds the
/// literal signatures and the required literals of the regex ones (`RegexLiteral`); a regex is
/// tried only on a line holding its literal — or on every line when it has none — and, when it
/// is of the simple kind (`ByteRegex`), on the line's bytes; NSRegularExpression only for the
/// rest (and for lines that are not ASCII).
///
/// `@unchecked Sendable`: immutable after `init`; NSRegularExpression is documented as safe to
/// use from several threads at once.
public final class SignatureMatcher: @unchecked Sendable {
    /// What a literal of the scanner stands for.
    private enum Target {
        case signature(Int)
        case regex(Int)  // an index into `regexes`
    }

    private let scanner: LiteralScanner
    private let targets: [Target]
    /// The regexes and the signatures they belong to; `bytes` when the pattern is in ByteRegex's subset.
    private let regexes: [(signature: Int, regex: NSRegularExpression, bytes: ByteRegex?)]
    /// Regexes (indices into `regexes`) with no required literal: tried on every line.
    private let unfiltered: [Int]

    init(signatures: [Signature], indices: [Int]) {
        var literals: [(text: String, ignoreCase: Bool)] = []
        var targets: [Target] = []
        var regexes: [(signature: Int, regex: NSRegularExpression, bytes: ByteRegex?)] = []
        var unfiltered: [Int] = []
        for index in indices {
            let signature = signatures[index]
            switch signature.pattern {
            case .literal(let text):
                literals.append((text, signature.ignoreCase))
                targets.append(.signature(index))
            case .regex(let pattern):
                // `SignatureFile` compiled it once already: it cannot fail here.
                guard let regex = try? NSRegularExpression(pattern: pattern, options: signature.ignoreCase ? [.caseInsensitive] : [])
                else { continue }
                regexes.append((index, regex, ByteRegex(pattern: pattern, ignoreCase: signature.ignoreCase)))
                if let required = RegexLiteral.required(in: pattern, ignoringCase: signature.ignoreCase) {
                    literals.append((required.text, required.ignoreCase))
                    targets.append(.regex(regexes.count - 1))
                } else {
                    unfiltered.append(regexes.count - 1)
                }
            }
        }
        scanner = LiteralScanner(literals)
        self.targets = targets
        self.regexes = regexes
        self.unfiltered = unfiltered
    }

    /// A matcher of every signature of `signatures` (their indices are what `matches` gives).
    public convenience init(signatures: [Signature]) {
        self.init(signatures: signatures, indices: Array(signatures.indices))
    }

    /// How many regexes are tried on every line (they have no required literal).
    public var unfilteredRegexCount: Int { unfiltered.count }

    /// Whether some signature matches `line`: what decides that a log line is read further.
    public func matchesAny(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var any = false
        scanner.scan(line) { found in
            switch targets[found] {
            case .signature: any = true
            case .regex(let regex): any = matches(regex, line)
            }
            return !any
        }
        if any { return true }
        return unfiltered.contains { matches($0, line) }
    }

    /// The signatures (indices into the set's `signatures`) that match `line`, each once, ascending.
    public func matches(_ line: UnsafeBufferPointer<UInt8>) -> [Int] {
        var found: [Int] = []
        // The regexes tried on this line: a bit each for the first 64 (no array to allocate on
        // every line that holds a required literal), an array for the rest.
        var triedBits: UInt64 = 0
        var tried: [Int] = []
        scanner.scan(line) { hit in
            switch targets[hit] {
            case .signature(let index): found.append(index)
            case .regex(let regex):
                if regex < 64 {
                    guard triedBits & (1 << UInt64(regex)) == 0 else { break }
                    triedBits |= 1 << UInt64(regex)
                } else {
                    guard !tried.contains(regex) else { break }
                    tried.append(regex)
                }
                if matches(regex, line) { found.append(regexes[regex].signature) }
            }
            return true
        }
        for regex in unfiltered where matches(regex, line) { found.append(regexes[regex].signature) }
        return found.isEmpty ? found : Array(Set(found)).sorted()
    }

    /// `matches(_:)` of a string.
    public func matches(_ line: String) -> [Int] {
        var line = line
        return line.withUTF8 { matches($0) }
    }

    /// How many regexes are matched on bytes (`ByteRegex`) rather than by NSRegularExpression.
    public var byteRegexCount: Int { regexes.count { $0.bytes != nil } }

    private func matches(_ regex: Int, _ line: UnsafeBufferPointer<UInt8>) -> Bool {
        if let answer = regexes[regex].bytes?.matches(line) { return answer }
        let text = String(decoding: line, as: UTF8.self)
        return regexes[regex].regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
