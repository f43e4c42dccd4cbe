import AnalyzeKit
import ArgumentParser
import Diagnosis
import Foundation
import Platform
import Reporting

/// `loganalyze compare OLD NEW`: what a ticket's second bundle says after the user tried the fix.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two bundles of one machine: causes resolved, new and persisting, and what changed.",
        discussion: """
            OLD is the bundle of the first contact, NEW the one collected after the user tried \
            the fix. The comparison gives the verdict before → after, the causes resolved, new \
            and persisting (confidence before → after), and what changed on the machine: \
            CONNECTION Client version, the policy (id, created, expiry), product statuses, \
            sign-in, offline grace and checkouts. Bundles whose manifests name different \
            machines or users are refused unless --force; a NEW collected before OLD is a \
            warning.

            Examples:
              loganalyze compare first.zip after-fix.zip
              loganalyze compare first.zip fixed.zip --format markdown -o ticket.md

            Exit status: 0 compared; 1 a bundle is not a bundle or cannot be read (one line on \
            stderr); 3 compared, but a bundle is damaged; 64 bad usage, or bundles of different \
            machines or users without --force (both named on stderr).
            """)

    @Argument(help: "The older bundle (first contact): a ZIP, tar, tar.gz or folder.")
    var old: String

    @Argument(help: "The newer bundle (after the fix was tried).")
    var new: String

    @Option(help: "The comparison's format.")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the comparison to this file (written aside, then renamed) instead of standard output.",
                                                     valueName: "file"))
    var output: String?

    @Flag(help: "Compare bundles of different machines or users.")
    var force = false

    @Option(help: ArgumentHelp("A JSON table of CONNECTION Client versions replacing the built-in one (see docs/rules.md).",
                               valueName: "file"))
    var versions: String?

    func run() throws {
        if let output, let reason = ErrorLines.cannotWrite(output) {
            ErrorLines.print("--output \(output): \(reason)")
            throw ExitCode(1)
        }
        let loaded = Result { try versions.map(Analyzer.versions(fromFile:)) }
        guard case .success(let table) = loaded else {
            if case .failure(let error) = loaded { ErrorLines.print("--versions \(versions ?? ""): \(ErrorLines.reason(error))") }
            throw ExitCode(64)
        }
        let comparison: Comparison
        do {
            comparison = try Comparer.compare(old: old, new: new, versions: table ?? .default, force: force)
        } catch let error as Comparer.IdentityMismatch {
            ErrorLines.print("\(error)")
            throw ExitCode(64)
        } catch let error as BundleError {
            ErrorLines.print("\(error)")
            throw ExitCode(1)
        } catch {
            ErrorLines.print("\(old), \(new): \(ErrorLines.reason(error))")
            throw ExitCode(1)
        }
        let color = output == nil && format == .text
            && TerminalStyle.shouldUseColor(environment: ProcessInfo.processInfo.environment, isTTY: CurrentProcess.standardOutputShowsEscapes)
        let text = comparison.rendered(as: format, color: color)
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
        if comparison.old.report.damaged || comparison.new.report.damaged { throw ExitCode(3) }
    }
}
