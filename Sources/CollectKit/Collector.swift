import Foundation
import LicensingParsers

/// What `logcollect` was asked to do.
public struct CollectOptions: Sendable {
    /// The client root folder (`--root`).
    public var root: String
    /// The user profile to read (`--user`); nil to choose as CLIENT-MODEL §1 says.
    public var user: String?
    /// The collection time (`--now`); nil for the clock.
    public var now: Date?
    /// Logs modified before this are left out (`--since`); nil for 14 days before `now`.
    public var since: Date?
    /// The bundle to write (`--output`); nil for `BentleySupport_<MACHINE>_<yyyyMMdd_HHmmss>.zip` here.
    public var output: String?
    /// Replace an existing output file.
    public var force = false
    /// `--case` and `--label`, recorded in the manifest.
    public var caseNumber: String?
    public var label: String?
    /// Replace e-mails, user and machine names by keyed pseudonyms (`--redact`).
    public var redact = false
    /// The pseudonym key (`--redact-key`); nil for a random one.
    public var redactKey: String?
    /// Per-log cap on bytes kept (newest part); nil for no cap.
    public var maxLogFileBytes: Int64? = 64 << 20
    /// Cap on the whole bundle's uncompressed bytes.
    public var maxBundleBytes: Int64 = 2 << 30
    /// Multiplies every source's time limit (tests shorten it).
    public var timeScale: Double = 1

    /// Options with defaults for everything but the root.
    public init(root: String) { self.root = root }
}

/// How a collection ended.
public struct CollectSummary: Codable, Sendable {
    /// The bundle written.
    public var output: String
    /// True when every source was ok or simply had nothing to collect.
    public var complete: Bool
    /// Entries written and their total size.
    public var entries: Int
    public var bytes: Int64
    /// Every source's outcome.
    public var sources: [Manifest.SourceOutcome]
}

/// Collects a bundle: the one call behind `logcollect`.
public enum Collector {
    /// The sources, in the order their entries are written.
    static func sources() -> [any CollectorSource] {
        [ClientSource(), ConnectClientSource(), PolicySource(), LicensingToolSource(), CheckoutsSource(),
         FileCopySource.featureLevels, FileCopySource.usage, FileCopySource.configs, FileCopySource.serviceConfigs,
         ProcessesSource(), EventsSource(), LogsSource()]
    }

    /// Runs every source, writes the bundle aside, checks it for leaks and renames it into place.
    ///
    /// Throws `CollectError` (or `MachineError`) when nothing was written.
    public static func run(_ options: CollectOptions,
                           progress: (@Sendable (Manifest.SourceOutcome) -> Void)? = nil) throws -> CollectSummary {
        let machine = try ClientRoot(path: options.root)
        let user = try chooseUser(options.user, machine: machine)
        let now = options.now ?? Date()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("logcollect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let context = CollectionContext(
            machine: machine, user: user, now: now, logsSince: options.since ?? now.addingTimeInterval(-14 * 86_400),
            maxLogFileBytes: options.maxLogFileBytes, scratch: scratch)

        let finished = SourceRunner.run(sources(), context: context, timeScale: options.timeScale, progress: progress)
        let results = finished.compactMap(\.result)
        let facts = results.reduce(into: [String: String]()) { $0.merge($1.facts) { first, _ in first } }
        var identities = results.map(\.identities).reduce(Identities()) { $0.union($1) }
        identities.users.insert(user)
        let redaction = Redaction(identities: identities, pseudonymize: options.redact, key: options.redactKey)

        let host = facts["computerName"].map(redaction.pseudonym(forHost:))
        let destination = URL(fileURLWithPath: options.output ?? defaultName(host: host, now: now))
        let writer = try BundleWriter(
            destination: destination, force: options.force, maxBundleBytes: options.maxBundleBytes, modified: now,
            redactors: redaction.lineRedactors, storeRedactor: redaction.storeRedactor,
            detector: LeakDetector(identities: options.redact ? identities.all : []))
        let interrupt = InterruptGuard(partialPath: writer.partialPath)
        defer { interrupt.release() }

        var outcomes = finished.map(\.outcome)
        var entries: [Manifest.Entry] = []
        let limits = Dictionary(uniqueKeysWithValues: sources().map { ($0.name, $0.sizeLimit) })
        for (index, item) in finished.enumerated() {
            var sourceBytes: Int64 = 0
            for var planned in item.result?.entries ?? [] {
                planned.path = redaction.pseudonymized(planned.path)
                let limit = limits[item.outcome.name] ?? .max
                if sourceBytes >= limit {
                    outcomes[index].messages.append("\(planned.path): left out, the source reached its \(limit >> 20) MB limit")
                    outcomes[index].outcome = .failed
                    continue
                }
                do {
                    if let entry = try writer.add(planned) {
                        entries.append(entry)
                        sourceBytes += entry.size
                    } else {
                        outcomes[index].messages.append("\(planned.path): left out, the bundle reached its size cap")
                        outcomes[index].outcome = .failed
                    }
                } catch let partial as PartialEntry {
                    entries.append(partial.entry)
                    sourceBytes += partial.entry.size
                    outcomes[index].messages.append("\(partial.reason); the part read before is in the bundle")
                    outcomes[index].outcome = .failed
                } catch let error as CollectError {
                    throw error
                } catch let error as MachineError {
                    outcomes[index].messages.append("\(error)")
                    outcomes[index].outcome = .failed
                } catch {
                    // A write error leaves the ZIP unusable: nothing is published.
                    throw CollectError.outputNotWritable(destination.path, "\(error)")
                }
            }
            outcomes[index].entries = entries.filter { $0.source == outcomes[index].name }.count
        }

        let manifest = Manifest(
            tool: "logcollect \(ToolVersion.current)", collectedAt: ISO8601DateFormatter().string(from: now),
            timeZone: facts["timeZone"], host: host, user: redaction.pseudonym(forUser: user),
            caseNumber: options.caseNumber, label: options.label, pseudonymized: options.redact,
            machine: machine.description, logsSince: ISO8601DateFormatter().string(from: context.logsSince),
            entries: entries, sources: outcomes)
        try writer.publish(manifest: Data(redaction.pseudonymized(String(decoding: try manifest.encoded(), as: UTF8.self)).utf8))
        return CollectSummary(
            output: destination.path, complete: outcomes.allSatisfy { $0.outcome == .ok },
            entries: entries.count, bytes: entries.reduce(0) { $0 + $1.size }, sources: outcomes)
    }

    /// `--user`, else the only profile with Bentley data, else the registry's last signed-in
    /// user, else an error that lists the candidates.
    static func chooseUser(_ requested: String?, machine: ClientRoot) throws -> String {
        let users = try machine.userNames()
        if let requested {
            guard let match = users.first(where: { $0.caseInsensitiveCompare(requested) == .orderedSame }) else {
                throw CollectError.machine("no user profile \(requested) under Users/ (found: \(users.joined(separator: ", ")))")
            }
            return match
        }
        let withBentley = users.filter { (try? machine.resolve("Users/\($0)/AppData/Local/Bentley")) != nil }
        if withBentley.count == 1 { return withBentley[0] }
        if let last = ClientSource.lastLoggedOnUser(machine),
           let match = (withBentley.isEmpty ? users : withBentley).first(where: { $0.caseInsensitiveCompare(last) == .orderedSame }) {
            return match
        }
        throw CollectError.chooseUser(withBentley.isEmpty ? users : withBentley)
    }

    static func defaultName(host: String?, now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        let machine = (host ?? "UNKNOWN").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return "BentleySupport_\(machine)_\(formatter.string(from: now)).zip"
    }
}

/// The collector's version, recorded in every manifest.
public enum ToolVersion {
    public static let current = "0.1.0"
}

/// Removes the partial bundle when the process is interrupted (Ctrl-C, kill), so no partial
/// file is ever left next to `--output`. A `kill -9` cannot be caught; the partial file then
/// stays under its hidden `.NAME.partial-PID` name, never at the output path.
final class InterruptGuard: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(partialPath: String) {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                unlink(partialPath)
                FileHandle.standardError.write(Data("logcollect: interrupted; no bundle written\n".utf8))
                exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }

    func release() {
        for source in sources { source.cancel() }
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { signal(signalNumber, SIG_DFL) }
    }
}
