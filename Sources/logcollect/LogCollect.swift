import ArgumentParser
import CollectKit
import Foundation

/// `logcollect`: gathers a support bundle from a client machine (or a client root folder).
@main
struct LogCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logcollect",
        abstract: "Collect a support bundle for a Bentley licensing (trial mode) problem.",
        discussion: """
            Reads the client root (a folder laid out like the system drive: Users, ProgramData, \
            Program Files, Windows) and writes one ZIP: a manifest, the CONNECTION Client version, \
            the policy snapshot, the Licensing Tool's Entitlements and Product Status tabs, \
            checkouts, registry keys, processes, events and logs. Secrets are always removed. The \
            last line names the bundle: send it to Bentley support, or run loganalyze on it.

            Examples:
              logcollect --root /mnt/c --output case-12345.zip --case 12345
              logcollect --root /mnt/c --user jdoe --redact

            Exit status:
              0    complete
              2    written, but a source was missing, failed or timed out (see the
                   manifest); the last line says so
              1    nothing written (one line on stderr says why)
              64   bad usage (also several users and no --user)
              130  interrupted (SIGINT, SIGTERM or SIGHUP), nothing written
            """,
        version: ToolVersion.current)

    @Option(help: ArgumentHelp("The client root folder to read (the system drive's layout: Users, ProgramData, Windows).",
                               valueName: "folder"))
    var root: String

    @Option(help: "The user profile under Users/ (default: the one with Bentley data).")
    var user: String?

    @Option(help: "The collection time, ISO 8601 (default: now). Fixes it for reproducible bundles.")
    var now: String?

    @Option(help: "Leave out logs last modified before this date, ISO 8601 or yyyy-MM-dd (default: 14 days before --now).")
    var since: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The bundle to write (default: BentleySupport_<MACHINE>_<yyyyMMdd_HHmmss>.zip here).",
                                                     valueName: "file.zip"))
    var output: String?

    @Flag(help: "Replace --output if it exists.")
    var force = false

    @Option(name: .customLong("case"), help: "The support case number, recorded in the manifest.")
    var caseNumber: String?

    @Option(help: "A free label, recorded in the manifest.")
    var label: String?

    @Flag(help: "Replace e-mails, user and machine names with pseudonyms (the same in every file).")
    var redact = false

    @Option(help: "The key for --redact pseudonyms (default: random), to match pseudonyms across bundles.")
    var redactKey: String?

    @Option(help: "Keep at most this many MB of each log, its newest part (0: no cap).")
    var maxLogMb: Int = 64

    @Option(help: "Cap on the whole bundle, in MB of uncompressed data (oldest logs go first).")
    var maxBundleMb: Int = 2048

    @Flag(help: "Print a JSON summary on stdout (for scripts).")
    var json = false

    mutating func validate() throws {
        if let now, Dates.parse(now) == nil { throw ValidationError("--now \(now) is not an ISO 8601 time such as 2026-11-20T10:00:00Z") }
        if let since, Dates.parse(since) == nil { throw ValidationError("--since \(since) is not a date such as 2026-11-06") }
        if maxLogMb < 0 || maxBundleMb <= 0 { throw ValidationError("--max-log-mb must be ≥ 0 and --max-bundle-mb > 0") }
        if redactKey != nil && !redact { throw ValidationError("--redact-key needs --redact") }
    }

    func run() throws {
        var options = CollectOptions(root: root)
        options.user = user
        options.now = now.flatMap(Dates.parse)
        options.since = since.flatMap(Dates.parse)
        options.output = output
        options.force = force
        options.caseNumber = caseNumber
        options.label = label
        options.redact = redact
        options.redactKey = redactKey
        options.maxLogFileBytes = maxLogMb == 0 ? nil : Int64(maxLogMb) << 20
        options.maxBundleBytes = Int64(maxBundleMb) << 20
        let showProgress = isatty(STDERR_FILENO) == 1
        if let problem = ClientRootCheck.problem(root) {
            FileHandle.standardError.write(Data("logcollect: \(problem)\n".utf8))
            throw ExitCode(1)
        }
        if let output, let problem = ClientRootCheck.cannotWrite(output) {
            FileHandle.standardError.write(Data("logcollect: --output \(output): \(problem)\n".utf8))
            throw ExitCode(1)
        }
        do {
            let summary = try Collector.run(options) { outcome in
                guard showProgress else { return }
                let extra = outcome.messages.first.map { " — \($0)" } ?? ""
                let line = ProgressText.wrap("\(outcome.name): \(outcome.outcome.rawValue)\(extra)", first: "  ", rest: "      ")
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            }
            // Always, also when stderr is not a terminal: the one line that says what was made
            // and what to do with it (and, for exit status 2, that something is missing).
            let last = ProgressText.finalLine(summary)
            FileHandle.standardError.write(Data(((showProgress ? ProgressText.wrap(last, first: "", rest: "  ") : last) + "\n").utf8))
            if !summary.complete { throw ExitCode(2) }
        } catch let error as CollectError {
            FileHandle.standardError.write(Data("logcollect: \(error)\n".utf8))
            if case .chooseUser = error { throw ExitCode(64) }
            throw ExitCode(1)
        } catch let error as MachineError {
            FileHandle.standardError.write(Data("logcollect: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

