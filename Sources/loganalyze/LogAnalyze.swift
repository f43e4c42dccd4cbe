import AnalyzeKit
import Diagnosis
import Reporting
import ArgumentParser
import Foundation
import Platform

/// `loganalyze`: why is this product in trial mode?
@main
struct LogAnalyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loganalyze",
        abstract: "Explain why a Bentley product fell into trial mode, from a support bundle.",
        discussion: """
            BUNDLE is a logcollect ZIP, another collector's ZIP, a tar or tar.gz, or a folder. \
            The report ranks the causes with confidence, evidence and the fix, lists what was \
            ruled out and what the bundle lacks. Analysis judges the bundle as of its own \
            collection time, never the clock.

            Exit status: 0 analysed (whatever the verdict); 1 the bundle cannot be read; 64 bad usage.
            """,
        version: AnalyzeVersion.current,
        subcommands: [Analyze.self, Rules.self, Explain.self, Timeline.self, Batch.self, Merge.self, Query.self],
        defaultSubcommand: Analyze.self)
}

/// Options shared by the commands that read a bundle.
struct BundleOptions: ParsableArguments {
    @Argument(help: "The bundle: a ZIP, tar, tar.gz or folder.")
    var bundle: String

    @Option(help: "A JSON versions table replacing the built-in one (CLIENT-MODEL §10).")
    var versions: String?

    func analyze() throws -> Analyzer.Outcome {
        do {
            let table = try versions.map(Analyzer.versions(fromFile:)) ?? .default
            return try Analyzer.analyze(path: bundle, versions: table)
        } catch let error as BundleError {
            FileHandle.standardError.write(Data("loganalyze: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Analyse one bundle (the default command).")

    @OptionGroup var bundle: BundleOptions

    @Option(help: "text, json, markdown or html.")
    var format: String = "text"

    @Option(name: .shortAndLong, help: "Write the report to this file (written aside, then renamed) instead of stdout.")
    var output: String?

    @Flag(help: "With --format json: include the timeline.")
    var timeline = false

    func validate() throws {
        guard ReportFormat(argument: format) != nil else {
            throw ValidationError("--format must be text, json, markdown or html (got \(format))")
        }
    }

    func run() throws {
        let outcome = try bundle.analyze()
        let format = ReportFormat(argument: format) ?? .text
        let color = output == nil && format == .text
            && TerminalStyle.shouldUseColor(environment: ProcessInfo.processInfo.environment, isTTY: CurrentProcess.standardOutputIsTerminal)
        let text = format == .json
            ? outcome.report.jsonString(pretty: true, includeTimeline: timeline) + "\n"
            : format.render(outcome.report, color: color)
        if let output {
            try AtomicFile.write(Data(text.utf8), to: output)
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}

struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the merged timeline of licensing events of a bundle.")

    @OptionGroup var bundle: BundleOptions

    func run() throws {
        let outcome = try bundle.analyze()
        print(TimelineRenderer().render(outcome.report), terminator: "")
    }
}
