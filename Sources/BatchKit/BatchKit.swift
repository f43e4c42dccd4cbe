/// BatchKit: what `loganalyze batch`, `merge` and `query` do.
///
/// `BundleDiscovery` turns the command line's paths (bundles, folders searched recursively,
/// `-` for stdin) into one sorted list of bundles, of which `Shard` keeps a stable share.
/// `BatchRunner` analyses them on a few worker threads (`OrderedPipeline` bounds the work in
/// flight and hands results back in path order), `BundleJob` analyses one (or reuses its line
/// from the `TriageIndex`), and `ResultSink` writes the JSON Lines, the CSV and the HTML
/// summary, each through a `.partial` file renamed into place. `ShardMerger` combines shard
/// outputs into what one run would have written. Nothing here reads a bundle itself: that is
/// AnalyzeKit's job (its `Outcome` also gives the client's version and country).
import Foundation
import Signatures
import LicensingModel

/// The files a batch or a merge writes; each is written aside (`PATH.partial`) and renamed
/// into place at the end, or with what is complete when interrupted.
public struct BatchOutputs: Sendable {
    /// The JSON Lines file: one report per bundle, sorted by path.
    public var output: String
    /// The HTML summary page, if any.
    public var summary: String?
    /// The CSV file, if any.
    public var csv: String?
    /// A folder for one HTML report page per bundle, linked from the summary's table, if any.
    public var reports: String?

    /// Outputs with only the JSON Lines file.
    public init(output: String, summary: String? = nil, csv: String? = nil, reports: String? = nil) {
        self.output = output
        self.summary = summary
        self.csv = csv
        self.reports = reports
    }
}

/// What `loganalyze batch` is asked to do.
public struct BatchOptions: Sendable {
    /// Bundles or folders; `-` reads more of them from standard input, one a line.
    public var inputs: [String]
    /// What to write.
    public var outputs: BatchOutputs
    /// How many bundles are analysed at once (at least 1).
    public var jobs: Int
    /// The SQLite index that lets a re-run skip unchanged bundles, if any.
    public var index: String?
    /// The share of the inputs this run takes, if the batch is split.
    public var shard: Shard?
    /// A versions table replacing the built-in one.
    public var versions: VersionTable = .default
    /// The known-issue signatures matched on every log (docs/signatures.md); with a file of
    /// its own, set `rulesVersion` to `RulesVersion.of(versions:signatures:)` too.
    public var signatures: SignatureSet = .builtIn
    /// The version of the rules the index keys on (`RulesVersion.of(versions:)` with a
    /// replaced table; tests set another to mimic a rule change).
    public var rulesVersion: String = RulesVersion.current
    /// Show progress on standard error (the command sets it when that is a terminal).
    public var showProgress = false
    /// Where `-` reads paths from.
    public var discovery = BundleDiscovery()

    /// Options with the defaults of the command line.
    public init(inputs: [String], outputs: BatchOutputs, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.inputs = inputs
        self.outputs = outputs
        self.jobs = max(1, jobs)
    }
}

/// How a batch, a merge or a query ended; `exitCode` is the process's exit status.
public enum BatchStatus: Equatable, Sendable {
    /// Every bundle was analysed (whatever the verdicts).
    case allAnalysed
    /// Everything was written, but some bundles could not be read (their lines hold `error`).
    case someErrors
    /// Interrupted by a signal: the outputs hold the whole lines of what had finished.
    case interrupted(signal: Int32)

    /// 0, 2, or 128 + the signal (130 for SIGINT, 143 for SIGTERM), as shells report it.
    public var exitCode: Int32 {
        switch self {
        case .allAnalysed: 0
        case .someErrors: 2
        case .interrupted(let signal): 128 + signal
        }
    }
}

/// Why a batch wrote nothing (exit status 1): one line a user can act on.
public struct BatchError: Error, CustomStringConvertible, Sendable {
    /// The line to print.
    public let message: String

    /// An error with its one-line message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Where one-line messages go (standard error in the command, a buffer in tests).
public typealias MessageSink = @Sendable (String) -> Void

/// Writes a message to standard error, as one line.
public let standardErrorSink: MessageSink = { message in
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}
