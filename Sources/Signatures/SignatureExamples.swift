import Foundation

/// Runs signatures' examples (`loganalyze signatures test FILE`): each `match` line must match
/// and each `noMatch` line must not, through the same compiled matcher analysis uses — the
/// literal prefilter included, so a regex whose prefilter would drop a line it matches fails
/// its own example.
public enum SignatureExamples {
    /// One example's result.
    public struct Result: Sendable, Equatable {
        /// The signature's id.
        public var signature: String
        /// The file line the signature starts on.
        public var line: Int
        /// The example line.
        public var example: String
        /// Whether it should match.
        public var shouldMatch: Bool
        /// Whether it did what it should.
        public var passed: Bool
    }

    /// The results of every example of `file`'s signatures, in file order.
    public static func run(_ file: SignatureFile) throws -> [Result] {
        let set = try SignatureSet(files: [file])
        let matcher = set.matcherOfAll()
        var results: [Result] = []
        for (index, signature) in set.signatures.enumerated() {
            for (examples, shouldMatch) in [(signature.matching, true), (signature.notMatching, false)] {
                for example in examples {
                    var text = example
                    let matched = text.withUTF8 { line in
                        // Both questions analysis asks: is the line kept, and which signatures match it.
                        matcher.matches(line).contains(index) && matcher.matchesAny(line)
                    }
                    results.append(Result(signature: signature.id, line: signature.line, example: example,
                                          shouldMatch: shouldMatch, passed: matched == shouldMatch))
                }
            }
        }
        return results
    }
}
