import Diagnosis
import Foundation

extension Report {
    /// A known issue a `note:` signature found (docs/signatures.md): not a cause code of
    /// CAUSES.md, but something support already knows, with its fix and KB article. In JSON as
    /// `knownIssues`, present only when some signature matched.
    public struct KnownIssue: Sendable, Equatable, Codable {
        /// `note:ID`, as the signature file names it.
        public var id: String
        /// The signature that matched.
        public var signature: String
        /// One line: what the issue is.
        public var title: String
        /// What to do.
        public var fix: String
        /// The KB article.
        public var kb: String
        /// How many log lines matched.
        public var count: Int
        /// The first few of them.
        public var evidence: [Evidence]

        /// Creates a known issue.
        public init(id: String, signature: String, title: String, fix: String, kb: String, count: Int, evidence: [Evidence]) {
            self.id = id
            self.signature = signature
            self.title = title
            self.fix = fix
            self.kb = kb
            self.count = count
            self.evidence = evidence
        }

        /// `3 matching lines`, or `1 matching line`.
        public var countLine: String { count == 1 ? "1 matching line" : "\(count) matching lines" }
    }
}
