import ArgumentParser
import CollectKit
import Foundation
import LicensingModel
import Platform

/// `logcollect`: gathers a support bundle from the machine it runs on (`--live`) or from a
/// client root folder (`--root`).
@main
struct LogCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logcollect",
        abstract: "Collect a support bundle for a Bentley licensing (trial mode) problem.",
        discussion: """
            Reads this Windows machine (--live, the default on Windows: files from the system drive, \
            registry, processes and event logs asked of the system with reg, tasklist and wevtutil) \
            or a client root (--root: a folder laid out like the system drive) \
            and writes one ZIP: a manifest, the CONNECTION Client version, the policy snapshot, the \
            Licensing Tool's Entitlements and Product Status tabs, checkouts, registry keys, \
            processes, events and logs. Secrets are always removed. The \
            last line names the bundle: send it to Bentley support, or run loganalyze on it.

            Examples:
              logcollect                       (on the Windows PC: this machine, ZIP here)
              logcollect --live --drive /mnt/c --user jdoe --output case-12345.zip
              logcollect --root /mnt/c --output case-12345.zip --case 12345 --redact

            Exit status:
              0    complete (a source this kind of machine cannot be asked at all,
                   the CC API under --live, is "unavailable": not a shortfall)
              2    written, but a source was missing, failed or timed out (see the
                   manifest); the last line names it
              1    nothing written (one line on stderr says why)
              64   bad usage (also several users and no --user)
              130  interrupted (SIGINT, SIGTERM or SIGHUP), nothing written
            """,
        version: SuiteVersion.current)

    @Option(help: ArgumentHelp("The client root folder to read (the system drive's layout: Users, ProgramData, Windows).",
                               valueName: "folder"))
    var root: String?

    @Flag(help: "Read this machine: files from --drive, the rest asked of reg, tasklist and wevtutil (default on Windows).")
    var live = false

    @Option(help: ArgumentHelp("With --live: the system drive's folder (default %SystemDrive%\\ on Windows; required elsewhere).",
                               valueName: "folder"))
    var drive: String?

    @Option(help: ArgumentHelp("With --live: how many of the newest events to ask of the Application and System logs.",
                               valueName: "count"))
    var maxEvents: Int = 2000

    @Option(help: "The user profile under Users/ (default: the one with Bentley data).")
    var user: String?

    @Option(help: "The collection time, ISO 8601 (default: now). Fixes it for reproducible bundles.")
    var now: String?

    @Option(help: "Leave out logs last modified before this date, ISO 8601 or yyyy-MM-dd (default: 14 days before --now).")
    var since: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The bundle to write (default: BentleySupport_<MACHINE>_<yyyyMMdd_HHmmss>.zip here, or on the Desktop when here cannot be written).",
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
        if root != nil && (live || drive != nil) { throw ValidationError("--root reads a folder; --live and --drive read this machine: give one or the other") }
        if maxEvents <= 0 { throw ValidationError("--max-events must be > 0") }
        if root == nil && liveDrive == nil {
            throw ValidationError(live || drive != nil
                ? "--live needs --drive DIR here (the system drive's folder, or a mounted image of it)"
                : "give --root DIR (a client root folder), or --live --drive DIR")
        }
    }

    /// The system drive a live collection reads: `--drive`, else `%SystemDrive%\` on Windows
    /// when `--root` is not given; nil for a client root.
    private var liveDrive: String? {
        guard root == nil else { return nil }
        return drive ?? LiveMachine.defaultDrive(environment: ProcessInfo.processInfo.environment)
    }

    func run() throws {
        var options: CollectOptions
        if let drive = liveDrive {
            var settings = LiveMachine.Settings(drive: drive, environment: ProcessInfo.processInfo.environment)
            settings.maxEvents = maxEvents
            options = CollectOptions(live: settings)
        } else {
            options = CollectOptions(root: root ?? ".")
        }
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
        // At once, from the signal's queue: a worker blocked in a read of the client's disk
        // would keep the process alive if it waited for `run` to return.
        options.onInterrupt = { _ in
            FileHandle.standardError.write(Data("logcollect: \(CollectError.interrupted)\n".utf8))
            Foundation.exit(130)
        }
        let showProgress = CurrentProcess.standardErrorIsTerminal
        // Started by a double-click on Windows, the window would close with the last line in it,
        // the one that says where the bundle is: it stays until the user has read it.
        defer {
            if CurrentProcess.isAloneInItsConsole {
                FileHandle.standardError.write(Data("Press Enter to close this window.\n".utf8))
                _ = readLine()
            }
        }
        ProcessProbe.reportFileSizeLimitAsError()  // a file-size limit is then "cannot write", exit 1
        if let root, let problem = ClientRootCheck.problem(root) {
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
                // A source's line is at most four lines; the manifest keeps every word.
                let line = ProgressText.wrap("\(outcome.name): \(outcome.outcome.rawValue)\(extra)", first: "  ", rest: "      ",
                                             maxLines: 4)
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            }
            // Always, also when stderr is not a terminal: the one line that says what was made
            // and what to do with it (and, for exit status 2, which sources fell short).
            let last = ProgressText.finalLine(summary)
            FileHandle.standardError.write(Data(((showProgress ? ProgressText.wrap(last, first: "", rest: "  ") : last) + "\n").utf8))
            if !summary.complete { throw ExitCode(2) }
        } catch let error as CollectError {
            FileHandle.standardError.write(Data("logcollect: \(error)\n".utf8))
            if case .chooseUser = error { throw ExitCode(64) }
            if case .interrupted = error { throw ExitCode(130) }
            throw ExitCode(1)
        } catch let error as MachineError {
            FileHandle.standardError.write(Data("logcollect: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
