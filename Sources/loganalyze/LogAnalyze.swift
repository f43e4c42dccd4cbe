import AnalyzeKit
import Diagnosis
import Reporting
import ArgumentParser
import Foundation
import LicensingModel
import Platform
import Signatures

/// `loganalyze`: why is this product in trial mode?
@main
struct LogAnalyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loganalyze",
        abstract: "Explain why a Bentley product fell into trial mode, from a support bundle.",
        usage: """
            loganalyze BUNDLE [--format text|json|markdown|html] [--output FILE] [--verbose]
            loganalyze compare OLD NEW [--format text|json|markdown|html] [--output FILE] [--force]
            loganalyze <subcommand> [<options>]
            """,
        discussion: """
            BUNDLE is a logcollect ZIP, another collector's ZIP, a tar or tar.gz, or a folder. \
            The report gives the verdict, the causes ranked with confidence, evidence and the fix, \
            what was ruled out and what the bundle lacks. Analysis judges the bundle as of its own \
            collection time, never the clock.

            Examples:
              loganalyze BentleySupport_WS-JDOE-01_20261120_100000.zip
              loganalyze bundle.zip --format html --output report.html

            Exit status:
              0   analysed (whatever the verdict)
              1   not a bundle, or it cannot be read at all (one line on stderr)
              3   analysed, but the bundle is damaged (truncated, encrypted,
                  a bomb stopped, a checksum error): the report says so
              64  bad usage
            """,
        version: SuiteVersion.current,
        subcommands: [Analyze.self, Rules.self, Explain.self, Timeline.self, Batch.self, Merge.self, Query.self,
                      Compare.self, SignatureCommand.self],
        defaultSubcommand: Analyze.self)
}

extension ReportFormat: ExpressibleByArgument {}

/// Options shared by the commands that read a bundle.
struct BundleOptions: ParsableArguments {
    @Argument(help: "The bundle: a ZIP, tar, tar.gz or folder.")
    var bundle: String

    @Option(help: ArgumentHelp("A JSON table of CONNECTION Client versions replacing the built-in one (see docs/rules.md).",
                               valueName: "file"))
    var versions: String?

    @OptionGroup var signatures: SignatureOptions

    /// Analyses the bundle; a bundle that cannot be read, or a `--versions` or `--signatures`
    /// file that cannot be used, is one line on standard error and exit status 1 (64 for the
    /// files, found before the bundle is read).
    func analyze() throws -> Analyzer.Outcome {
        let signatureSet = try signatures.load()
        let loaded = Result { try versions.map(Analyzer.versions(fromFile:)) }
        guard case .success(let table) = loaded else {
            if case .failure(let error) = loaded { ErrorLines.print("--versions \(versions ?? ""): \(ErrorLines.reason(error))") }
            throw ExitCode(64)
        }
        do {
            return try Analyzer.analyze(path: bundle, versions: table ?? .default, signatures: signatureSet)
        } catch let error as BundleError {
            ErrorLines.print("\(error)")
            throw ExitCode(1)
        } catch {
            ErrorLines.print("\(bundle): \(ErrorLines.reason(error))")
            throw ExitCode(1)
        }
    }
}

/// The exit status of an analysed bundle: 3 when it is damaged.
func exitIfDamaged(_ outcome: Analyzer.Outcome) throws {
    if outcome.report.damaged { throw ExitCode(3) }
}

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse one bundle (the default command: `loganalyze BUNDLE` is `loganalyze analyze BUNDLE`).",
        discussion: """
            Examples:
              loganalyze analyze bundle.zip --verbose
              loganalyze analyze bundle.zip --format markdown --output ticket.md

            Exit status: 0 analysed; 1 not a bundle or unreadable; 3 analysed, but the bundle is \
            damaged; 64 bad usage.
            """)

    @OptionGroup var bundle: BundleOptions

    @Option(help: "The report's format.")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file (written aside, then renamed) instead of standard output.",
                                                     valueName: "file"))
    var output: String?

    @Flag(help: "Text: list every ruled-out and not-checked cause, and every place of each excerpt.")
    var verbose = false

    @Flag(help: "JSON: include the timeline.")
    var timeline = false

    func run() throws {
        if let output, let reason = ErrorLines.cannotWrite(output) {
            ErrorLines.print("--output \(output): \(reason)")
            throw ExitCode(1)
        }
        let outcome = try bundle.analyze()
        let color = output == nil && format == .text
            && TerminalStyle.shouldUseColor(environment: ProcessInfo.processInfo.environment, isTTY: CurrentProcess.standardOutputShowsEscapes)
        let text = format == .json
            ? outcome.report.jsonString(pretty: true, includeTimeline: timeline) + "\n"
            : format.render(outcome.report, color: color, verbose: verbose)
        if let output {
            do {
                try AtomicFile.write(Data(text.utf8), to: output)
            } catch {
                ErrorLines.print("--output \(output): \(ErrorLines.reason(error))")
                throw ExitCode(1)
            }
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
        try exitIfDamaged(outcome)
    }
}

struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the merged timeline of licensing events of a bundle.",
        discussion: """
            Oldest first; each event wraps at word boundaries to 80 columns, its place in the \
            bundle on the last line.

            Examples:
              loganalyze timeline bundle.zip
              loganalyze timeline bundle.zip --one-line | grep 401

            Exit status: 0 printed; 1 not a bundle or unreadable; 3 printed, but the bundle is \
            damaged; 64 bad usage.
            """)

    @OptionGroup var bundle: BundleOptions

    @Flag(help: "One event a line, however long (for grep and sort).")
    var oneLine = false

    func run() throws {
        let outcome = try bundle.analyze()
        print(TimelineRenderer(width: oneLine ? nil : 80).render(outcome.report), terminator: "")
        try exitIfDamaged(outcome)
    }
}
