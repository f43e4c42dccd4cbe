import Diagnosis
import Foundation

/// What signatures matched in a bundle: per signature, how many lines, and the first few as
/// evidence (a signature may match thousands of lines of a busy log; the report quotes three).
public struct SignatureHits: Sendable, Equatable {
    /// Lines quoted per signature.
    public static let quoted = 3

    /// One signature's matches.
    public struct Hit: Sendable, Equatable {
        /// Lines that matched.
        public var count = 0
        /// The first `quoted` of them.
        public var evidence: [Evidence] = []
    }

    /// By signature index (the set's `signatures`).
    public private(set) var bySignature: [Int: Hit] = [:]

    /// No matches.
    public init() {}

    /// Whether nothing matched.
    public var isEmpty: Bool { bySignature.isEmpty }

    /// Records a match of signature `index` on `line` of `file`; the quote is made only for the
    /// first few.
    public mutating func add(_ index: Int, file: String, line: Int, text: @autoclosure () -> String) {
        var hit = bySignature[index] ?? Hit()
        hit.count += 1
        if hit.evidence.count < Self.quoted { hit.evidence.append(Evidence(file: file, line: line, excerpt: text())) }
        bySignature[index] = hit
    }

    /// Adds the matches of a later file (quotes stay the earliest ones).
    public mutating func merge(_ other: SignatureHits) {
        for (index, hit) in other.bySignature {
            var merged = bySignature[index] ?? Hit()
            merged.count += hit.count
            merged.evidence += hit.evidence.prefix(Self.quoted - merged.evidence.count)
            bySignature[index] = merged
        }
    }
}

/// Reads one log's entries for signatures: the one object `LogParseJob` holds per log.
///
/// `keep` answers the log reader's "is this line worth an entry?" for the signatures (so a line
/// only a signature knows is not skipped); `observe` matches an entry's first line and its
/// continuation lines and records the hits.
public struct SignatureObserver: Sendable {
    /// The file, as evidence names it.
    public let file: String
    private let matcher: SignatureMatcher
    /// What matched so far.
    public private(set) var hits = SignatureHits()

    /// An observer of the log `file` of the bundle, or nil when no signature applies to it.
    public init?(file: String, signatures: SignatureSet) {
        guard let matcher = signatures.matcher(forFile: file) else { return nil }
        self.file = file
        self.matcher = matcher
    }

    /// Whether some signature matches `line` (a stamped line the reader may skip otherwise).
    public var keep: @Sendable (UnsafeBufferPointer<UInt8>) -> Bool {
        let matcher = matcher
        return { matcher.matchesAny($0) }
    }

    /// Matches an entry: its first line (as written, stamp included) is line `lineNumber`;
    /// a match in a continuation line (a stack trace) is quoted with the entry's line number,
    /// since blank lines inside an entry are not kept to count them exactly.
    public mutating func observe(line: UnsafeBufferPointer<UInt8>, lineNumber: Int, continuation: [String]) {
        for index in matcher.matches(line) {
            hits.add(index, file: file, line: lineNumber, text: String(decoding: line, as: UTF8.self))
        }
        for text in continuation {
            for index in matcher.matches(text) { hits.add(index, file: file, line: lineNumber, text: text) }
        }
    }
}
