/// Signatures: known issues that support describes in a YAML file, matched on log lines.
///
/// New client versions bring new error messages before a rule can be written for them. A
/// signature names a log line (literal text or a regular expression, optionally only in some
/// files) and either supports a cause code of CAUSES.md with a weight, or is a note of its own
/// (`note:ID`) with a title, a fix and a KB link. `SignatureFile` reads and checks a file (every
/// problem is `FILE:LINE: reason`), `SignatureSet` compiles its patterns into one cheap pass per
/// line (`LiteralScanner`), `SignatureHits` gathers what matched in a bundle, and
/// `SignatureVerdict` turns that into findings and notes. The format is in docs/signatures.md.
import Diagnosis
import Foundation

/// One known-issue signature of a signature file.
public struct Signature: Sendable, Equatable {
    /// What a signature looks for in a line.
    public enum Pattern: Sendable, Equatable {
        /// Text that occurs in the line as written.
        case literal(String)
        /// A regular expression (ICU syntax, as NSRegularExpression reads it) found in the line.
        case regex(String)
    }

    /// What a match stands for.
    public enum Support: Sendable, Equatable {
        /// Evidence for a cause code of CAUSES.md: its confidence rises by `weight`.
        case cause(code: String, weight: Double)
        /// A note of its own (`note:ID`), with what to do and where to read more.
        case note(id: String, fix: String, kb: String)
    }

    /// A stable kebab-case name, unique in its file.
    public var id: String
    /// What it looks for.
    public var pattern: Pattern
    /// Whether ASCII letters match in either case.
    public var ignoreCase: Bool
    /// Globs of the files it applies to (empty: every log).
    public var files: [String]
    /// What a match stands for.
    public var support: Support
    /// One line said of a match; for a cause signature it may be empty (the rule's title then).
    public var title: String
    /// Lines that must match.
    public var matching: [String]
    /// Lines that must not match.
    public var notMatching: [String]
    /// The file line the signature starts on (for messages).
    public var line: Int

    /// Creates a signature.
    public init(id: String, pattern: Pattern, ignoreCase: Bool = false, files: [String] = [], support: Support,
                title: String = "", matching: [String] = [], notMatching: [String] = [], line: Int = 0) {
        self.id = id
        self.pattern = pattern
        self.ignoreCase = ignoreCase
        self.files = files
        self.support = support
        self.title = title
        self.matching = matching
        self.notMatching = notMatching
        self.line = line
    }

    /// `cause not-signed-in +0.3` or `note:proxy-pac-timeout`.
    public var supportDescription: String {
        switch support {
        case .cause(let code, let weight): return "cause \(code) +\(weight)"
        case .note(let id, _, _): return id
        }
    }
}

/// A problem with a signature file: where, and why, in one line (`FILE:LINE: reason`).
public struct SignatureFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// The 1-based line of the problem, when known.
    public var line: Int?
    /// What is wrong, and what to do.
    public var reason: String

    /// Creates an error.
    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)"
    }
}
