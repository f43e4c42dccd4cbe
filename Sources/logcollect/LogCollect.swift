import ArgumentParser
import CollectKit
import Foundation
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
            or a client root (--root: a folder laid out like the system drive, see CLIENT-MODEL.md) \
            and writes one ZIP: a manifest, the CONNECTION Client version, the policy snapshot, the \
            Licensing Tool's Entitlements and Product Status tabs, checkouts, registry keys, \
            processes, events and logs. Secrets are always removed.

            Exit status: 0 complete; 2 written, but something was missing, failed or timed out \
            (see the manifest); 1 nothing written; 64 bad usage; 130 interrupted (SIGINT, SIGTERM \
            or SIGHUP), nothing written.
            """,
        version: ToolVersion.current)

    @Option(help: "The client root folder to read (the system drive's layout).")
    var root: String?

    @Flag(help: "Read this machine: files from --drive, the rest asked of reg, tasklist and wevtutil (default on Windows).")
    var live = false

    @Option(help: "With --live: the system drive's folder (default %SystemDrive%\\ on Windows; required elsewhere).")
    var drive: String?

    @Option(help: "With --live: the newest events asked of the Application and System logs.")
    var maxEvents: Int = 2000

    @Option(help: "The user profile under Users/ (default: the one with Bentley data).")
    var user: String?

    @Option(help: "The collection time, ISO 8601 (default: now). Fixes it for reproducible bundles.")
    var now: String?

    @Option(help: "Leave out logs last modified before this date, ISO 8601 or yyyy-MM-dd (default: 14 days before --now).")
    var since: String?

    @Option(name: .shortAndLong, help: "The bundle to write (default: BentleySupport_<MACHINE>_<yyyyMMdd_HHmmss>.zip here).")
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
        let showProgress = CurrentProcess.standardErrorIsTerminal
        do {
            let summary = try Collector.run(options) { outcome in
                guard showProgress else { return }
                let extra = outcome.messages.first.map { " — \($0)" } ?? ""
                FileHandle.standardError.write(Data("  \(outcome.name): \(outcome.outcome.rawValue)\(extra)\n".utf8))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            }
            if showProgress || options.live != nil {
                // The last line: where the bundle is and what to do with it.
                let short = summary.sources.filter { $0.outcome != .ok }.map { "\($0.name) \($0.outcome.rawValue)" }
                let incomplete = short.isEmpty ? "" : "; \(short.joined(separator: ", ")), its manifest.json says why"
                FileHandle.standardError.write(Data("wrote \(summary.output) (\(summary.entries) files\(incomplete)): send this file to Bentley support, or run `loganalyze \(summary.output)`\n".utf8))
            }
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
