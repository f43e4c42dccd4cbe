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
            Reads the client root (a folder laid out like the system drive, see CLIENT-MODEL.md) \
            and writes one ZIP: a manifest, the CONNECTION Client version, the policy snapshot, the \
            Licensing Tool's Entitlements and Product Status tabs, checkouts, registry keys, \
            processes, events and logs. Secrets are always removed.

            Exit status: 0 complete; 2 written, but something was missing, failed or timed out \
            (see the manifest); 1 nothing written; 64 bad usage; 130 interrupted (SIGINT, SIGTERM \
            or SIGHUP), nothing written.
            """,
        version: ToolVersion.current)

    @Option(help: "The client root folder to read (the system drive's layout).")
    var root: String

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
            } else if showProgress {
                FileHandle.standardError.write(Data("wrote \(summary.output) (\(summary.entries) files)\(summary.complete ? "" : "; something was missing or failed, see manifest.json")\n".utf8))
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
