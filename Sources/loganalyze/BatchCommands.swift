import AnalyzeKit
import ArgumentParser
import BatchKit
import Diagnosis
import Foundation
import Platform
import Signatures

/// `loganalyze batch`: many bundles, one JSON line each.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse many bundles: one JSON report per line, sorted by path.",
        discussion: """
            PATH is a bundle, or a folder searched recursively for bundles (.zip, .tar, .tar.gz, \
            .tgz, .7z files, and folders with manifest.json at their top; every other file is \
            named on standard error as skipped); - reads more paths from standard input, one a \
            line. A bundle that cannot be read is one line with "error"; a damaged one has \
            "damaged": true. Outputs are written as FILE.partial and renamed at the end; on \
            Ctrl-C or SIGTERM the lines of the bundles that had finished are renamed into place.

            Examples:
              loganalyze batch bundles/ --output results.jsonl --summary summary.html
              find /cases -name '*.zip' | loganalyze batch - --output results.jsonl --jobs 1

            Exit status: 0 every bundle analysed; 2 some bundles could not be read (their lines \
            hold "error"); 1 nothing written (no bundle found, or an output or the index cannot \
            be written); 64 bad usage; 130/143 interrupted by SIGINT/SIGTERM.
            """)

    @Argument(help: "Bundles or folders; - reads paths from standard input.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "The JSON Lines file to write.")
    var output: String

    @Option(help: "Bundles analysed at once, one thread each: the cores kept busy (default: all cores).")
    var jobs: Int?

    @OptionGroup var files: SummaryFiles

    @Option(help: "A SQLite index of results: a re-run reuses the lines of unchanged bundles.")
    var index: String?

    @Option(help: "Take only share K of N of the bundles (K from 0), e.g. 0/4; see docs/scale-out.md.")
    var shard: String?

    @Option(help: ArgumentHelp("A JSON table of CONNECTION Client versions replacing the built-in one (see docs/rules.md).",
                               valueName: "file"))
    var versions: String?

    @OptionGroup var signatures: SignatureOptions

    @Flag(help: "No progress line on standard error, even on a terminal.")
    var noProgress = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more (got \(jobs))") }
        if let shard, Shard(argument: shard) == nil {
            throw ValidationError("--shard must be K/N with 0 <= K < N, e.g. 0/4 (got \(shard))")
        }
    }

    func run() throws {
        var options = BatchOptions(inputs: paths, outputs: files.outputs(output),
                                   jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        options.index = index
        options.shard = shard.flatMap(Shard.init(argument:))
        options.showProgress = !noProgress && CurrentProcess.standardErrorShowsEscapes
        options.signatures = try signatures.load()
        options.rulesVersion = RulesVersion.of(versions: .default, signatures: options.signatures)
        if let versions {
            do {
                options.versions = try Analyzer.versions(fromFile: versions)
                options.rulesVersion = RulesVersion.of(versions: .file(try Data(contentsOf: URL(fileURLWithPath: versions))),
                                                       signatures: options.signatures)
            } catch {
                // A versions table that cannot be used is a bad argument: one line, exit 64.
                ErrorLines.print("--versions \(versions): \(ErrorLines.reason(error))")
                throw ExitCode(64)
            }
        }
        try finish(BatchCommandSupport.run { try BatchRunner.run(options) })
    }
}

/// `loganalyze merge`: shard outputs into one.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the JSON Lines of `batch --shard` runs into what one batch would write.",
        discussion: """
            Examples:
              loganalyze merge shard-0.jsonl shard-1.jsonl --output results.jsonl
              loganalyze merge shards/*.jsonl --output results.jsonl --summary summary.html

            Exit status: 0 merged; 2 merged, some bundles could not be read; 1 nothing written; \
            64 bad usage.
            """)

    @Argument(help: "The shards' JSON Lines files.")
    var shards: [String]

    @Option(name: .shortAndLong, help: "The JSON Lines file to write.")
    var output: String

    @OptionGroup var files: SummaryFiles

    func run() throws {
        try finish(BatchCommandSupport.run { try ShardMerger.merge(shards, outputs: files.outputs(output)) })
    }
}

/// `loganalyze query`: bundles of an index by cause, version, country, time.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the bundles of a batch index that match: path, verdict, top cause, confidence (tab-separated).",
        discussion: """
            Examples:
              loganalyze query --index triage.sqlite --cause country-mismatch --country GB
              loganalyze query --index triage.sqlite --cc-version 11 --since 2026-11-01
              loganalyze query --index triage.sqlite --machine WS-JDOE-01

            With --machine, the machine's bundles newest first, each line starting with its \
            collection time and user.

            Exit status: 0 listed (perhaps nothing); 1 the index cannot be read; 64 bad usage \
            (also a cause code that does not exist: the closest ones are named).
            """)

    @Option(help: "The index written by `batch --index`.")
    var index: String

    @Option(help: "A top cause code, e.g. country-mismatch.")
    var cause: String?

    @Option(name: .customLong("cc-version"), help: "A CONNECTION Client version or its first parts (11 matches 11.x).")
    var ccVersion: String?

    @Option(help: "A country code (Geo\\Name), e.g. GB.")
    var country: String?

    @Option(help: "Collected on or after this date (2026-11-01 or 2026-11-01T08:00:00Z).")
    var since: String?

    @Option(help: "Collected on or before this date (a date includes the whole day).")
    var until: String?

    @Option(help: "A machine's name: its history, newest first (collectedAt and user first on each line).")
    var machine: String?

    func validate() throws {
        if let cause, !RuleCatalog.all.contains(where: { $0.code == cause }) {
            let closest = ClosestCodes.to(cause, in: RuleCatalog.all.map(\.code))
            throw ValidationError("--cause \(cause) is no cause code; closest: \(closest.joined(separator: ", ")) (`loganalyze rules` lists them all)")
        }
        if let since, IndexQuery.date(since) == nil { throw ValidationError("--since must be a date like 2026-11-01 (got \(since))") }
        if let until, IndexQuery.until(until) == nil { throw ValidationError("--until must be a date like 2026-11-30 (got \(until))") }
    }

    func run() throws {
        let query = IndexQuery(cause: cause, ccVersion: ccVersion, country: country, since: since.flatMap(IndexQuery.date),
                               until: until.flatMap(IndexQuery.until), machine: machine)
        do {
            let matches = try query.run(index: index)
            var text = ""
            for match in matches { text += (machine == nil ? match.line : match.historyLine) + "\n" }
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch let error as BatchError {
            FileHandle.standardError.write(Data("loganalyze: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// The summary outputs `batch` and `merge` share.
struct SummaryFiles: ParsableArguments {
    @Option(help: "Also write a self-contained HTML summary page (charts and a table of every bundle).")
    var summary: String?

    @Option(help: "Also write one CSV row per bundle.")
    var csv: String?

    @Option(help: "Also write one HTML report page per bundle into this folder, linked from the summary.")
    var reports: String?

    func outputs(_ output: String) -> BatchOutputs {
        BatchOutputs(output: output, summary: summary, csv: csv, reports: reports)
    }
}

enum BatchCommandSupport {
    /// Runs a batch or merge; a `BatchError` is one line on standard error and exit status 1.
    static func run(_ body: () throws -> BatchResult) throws -> BatchResult {
        do {
            return try body()
        } catch let error as BatchError {
            FileHandle.standardError.write(Data("loganalyze: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Exits with the result's status when it is not 0.
private func finish(_ result: BatchResult) throws {
    guard result.status.exitCode == 0 else { throw ExitCode(result.status.exitCode) }
}
