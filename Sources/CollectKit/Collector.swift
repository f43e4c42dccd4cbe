import Foundation
import LicensingModel
import LicensingParsers
import Platform

/// What `logcollect` was asked to do.
public struct CollectOptions: Sendable {
    /// The client root folder (`--root`); not read when `live` is set.
    public var root: String
    /// Read the live system instead (`--live`): its drive, environment and commands.
    public var live: LiveMachine.Settings?
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
    /// Time limits by source name, in place of the sources' own (before `timeScale`).
    public var timeLimits: [String: Duration] = [:]
    /// Multiplies every source's size limit (tests shrink it).
    public var sizeScale: Double = 1
    /// Called, on a queue of its own, once an interrupt (SIGINT, SIGTERM, SIGHUP) has stopped
    /// the commands and removed the partial bundle: `logcollect` ends the process there at once
    /// (exit 130), as a read blocked on the client's disk may never return. Without it, `run`
    /// throws `CollectError.interrupted` at its next step.
    public var onInterrupt: (@Sendable (InterruptSignal) -> Void)?

    /// Options with defaults for everything but the root.
    public init(root: String) { self.root = root }

    /// Options for the live system, with defaults for everything else.
    public init(live: LiveMachine.Settings) {
        root = live.drive
        self.live = live
    }

    /// A source's time limit in seconds.
    func timeLimit(of source: any CollectorSource) -> Double {
        let (seconds, attoseconds) = (timeLimits[source.name] ?? source.timeLimit).components
        return (Double(seconds) + Double(attoseconds) / 1e18) * timeScale
    }
}

/// How a collection ended.
public struct CollectSummary: Codable, Sendable {
    /// The bundle written.
    public var output: String
    /// True when no source fell short (`Outcome.isShortfall`): each was ok, simply had nothing
    /// to collect, or cannot be asked on this kind of machine.
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

    /// Runs every source on the client root `options.root`, writes the bundle aside, checks it
    /// for leaks and renames it into place.
    ///
    /// Throws `CollectError` (or `MachineError`) when nothing was written.
    public static func run(_ options: CollectOptions,
                           progress: (@Sendable (Manifest.SourceOutcome) -> Void)? = nil) throws -> CollectSummary {
        guard let live = options.live else { return try run(options, machine: ClientRoot(path: options.root), progress: progress) }
        let machine = try LiveMachine(live)
        machine.start()
        defer { machine.finish() }  // no command outlives the collection, however it ended
        return try run(options, machine: machine, progress: progress)
    }

    /// Runs every source on `machine` (`options.root` is not read), writes the bundle aside,
    /// checks it for leaks and renames it into place.
    ///
    /// Each source's time limit covers its own work: finding its files and reading them into
    /// the bundle. A source whose limit passes while its files are read keeps what was read,
    /// the rest is left out, and the manifest says so.
    public static func run(_ options: CollectOptions, machine: any ClientMachine,
                           progress: (@Sendable (Manifest.SourceOutcome) -> Void)? = nil) throws -> CollectSummary {
        let interrupt = InterruptGuard(then: options.onInterrupt)
        defer { interrupt.release() }
        let signedIn = options.live.flatMap { LiveMachine.currentUser(environment: $0.environment) }
        let user = try chooseUser(options.user, machine: machine, signedIn: signedIn)
        let now = options.now ?? Date()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("logcollect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let context = CollectionContext(
            machine: machine, user: user, now: now, logsSince: options.since ?? now.addingTimeInterval(-14 * 86_400),
            maxLogFileBytes: options.maxLogFileBytes, scratch: scratch)

        let sources = sources()
        // A source's outcome is final once its files are written (reading can still fail or time
        // out): progress reports it then, once.
        let limits = sources.map(options.timeLimit(of:))
        let finished = SourceRunner.run(sources, limits: limits, context: context)
        try interrupt.check()
        let results = finished.compactMap(\.result)
        let names = results.reduce(MachineNames()) { $0.filled(from: $1.machine) }
        var identities = results.map(\.identities).reduce(Identities()) { $0.union($1) }
        identities.users.insert(user)
        let redaction = Redaction(identities: identities, pseudonymize: options.redact, key: options.redactKey)

        let host = names.computerName.map(redaction.pseudonym(forHost:))
        let destination = URL(fileURLWithPath: options.output ?? defaultFolder(options).appendingPathComponent(
            defaultName(host: host, now: now)).path)
        let writer = try BundleWriter(
            destination: destination, force: options.force, maxBundleBytes: options.maxBundleBytes, modified: now,
            redactors: redaction.lineRedactors, storeRedactor: redaction.storeRedactor,
            detector: LeakDetector(identities: options.redact ? identities.all : []))
        interrupt.remove(onInterrupt: writer.partialPath)
        try interrupt.check()  // interrupted before the line above: the writer's aside file goes with it

        let filling = BundleFilling(writer: writer, redaction: redaction, sizeScale: options.sizeScale,
                                    destination: destination.path)
        let (entries, outcomes) = try interrupt.checking {
            try filling.write(finished, sources: sources, limits: limits, progress: progress)
        }

        let manifest = Manifest(
            tool: "logcollect \(SuiteVersion.current)", collectedAt: ISO8601DateFormatter().string(from: now),
            timeZone: names.timeZone, host: host, user: redaction.pseudonym(forUser: user),
            caseNumber: options.caseNumber, label: options.label, pseudonymized: options.redact,
            machine: machine.description, logsSince: ISO8601DateFormatter().string(from: context.logsSince),
            entries: entries, sources: outcomes)
        let manifestData = Data(redaction.pseudonymized(String(decoding: try manifest.encoded(), as: UTF8.self)).utf8)
        try interrupt.checking { try writer.publish(manifest: manifestData) }
        return CollectSummary(
            output: destination.path, complete: !outcomes.contains(where: { $0.outcome.isShortfall }),
            entries: entries.count, bytes: entries.reduce(0) { $0 + $1.size }, sources: outcomes)
    }

    /// `--user`, else the signed-in user running a live collection (when that profile exists),
    /// else the only profile with Bentley data, else the registry's last signed-in user, else an
    /// error that lists the candidates.
    static func chooseUser(_ requested: String?, machine: any ClientMachine, signedIn: String? = nil) throws -> String {
        let users = try machine.userNames()
        if let requested {
            guard let match = users.first(where: { $0.caseInsensitiveCompare(requested) == .orderedSame }) else {
                throw CollectError.machine("no user profile \(requested) under Users/ (found: \(users.joined(separator: ", ")))")
            }
            return match
        }
        if let signedIn, let match = users.first(where: { $0.caseInsensitiveCompare(signedIn) == .orderedSame }) {
            return match
        }
        let withBentley = users.filter { (try? machine.folderExists(at: "Users/\($0)/AppData/Local/Bentley")) == true }
        if withBentley.count == 1 { return withBentley[0] }
        if let last = ClientSource.lastLoggedOnUser(machine),
           let match = (withBentley.isEmpty ? users : withBentley).first(where: { $0.caseInsensitiveCompare(last) == .orderedSame }) {
            return match
        }
        throw CollectError.chooseUser(withBentley.isEmpty ? users : withBentley)
    }

    /// Where a bundle without `--output` goes: the current folder; on a live machine whose
    /// current folder cannot be written (a program folder, a share), the user's Desktop.
    static func defaultFolder(_ options: CollectOptions) -> URL {
        let here = FileManager.default.currentDirectoryPath
        guard let profile = options.live?.environment["USERPROFILE"], !profile.isEmpty,
              !FileSystem.isWritableFolder(here) else { return URL(fileURLWithPath: here) }
        return UserFolders.desktop(profile: profile)
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

/// Stops a collection when the process is interrupted (Ctrl-C, kill, hang-up): kills the
/// commands still running and removes the partial bundle once there is one, so no partial file
/// is ever left next to `--output`; then calls the caller's handler, and `check()` throws
/// `CollectError.interrupted` from then on. A `kill -9` cannot be caught; the partial file then
/// stays under its hidden `.NAME.partial-PID` name, never at the output path.
///
/// It never ends the process itself: that is the executable's choice (`CollectOptions.onInterrupt`).
final class InterruptGuard: @unchecked Sendable {
    // `@unchecked Sendable`: `partialPath` and `received` are guarded by `lock`.
    private var watch: InterruptWatch?
    private let lock = NSLock()
    private var partialPath: String?
    private var received: InterruptSignal?

    init(then handler: (@Sendable (InterruptSignal) -> Void)?) {
        watch = InterruptWatch { [self] signal in
            ChildProcess.killRunning()
            let path: String? = lock.withLock {
                received = received ?? signal
                return partialPath
            }
            if let path { FileSystem.remove(path) }
            handler?(signal)
        }
    }

    /// The partial bundle to remove if the process is interrupted from now on.
    func remove(onInterrupt path: String) { lock.withLock { partialPath = path } }

    /// Throws `CollectError.interrupted` once the process was interrupted.
    func check() throws {
        if lock.withLock({ received }) != nil { throw CollectError.interrupted }
    }

    /// Runs `body`; once the process was interrupted, its outcome (a bundle whose partial
    /// file was removed under it fails) gives way to `CollectError.interrupted`.
    func checking<T>(_ body: () throws -> T) throws -> T {
        let result = Result(catching: body)
        try check()
        return try result.get()
    }

    func release() { watch?.release() }
}
