import Foundation
import LicensingParsers

/// What every source knows about the collection.
public struct CollectionContext: Sendable {
    /// The machine being read.
    public let machine: any ClientMachine
    /// The user profile folder name under `Users/`.
    public let user: String
    /// The collection time: what every "now" in the bundle means.
    public let now: Date
    /// Logs last modified before this are left out.
    public let logsSince: Date
    /// Each log keeps at most this many of its newest bytes (nil: no cap).
    public let maxLogFileBytes: Int64?
    /// A private scratch folder for this run (removed afterwards).
    public let scratch: URL

    /// The user's Bentley licensing folder.
    public var licensingFolder: String { "Users/\(user)/AppData/Local/Bentley/Licensing" }
    /// Where checked-out licenses (`.belic`) are looked for (CLIENT-MODEL §1): the user's
    /// Desktop and Downloads, and the licensing `Checkouts/` folder.
    public var checkoutFolders: [String] { ["Users/\(user)/Desktop", "Users/\(user)/Downloads", "\(licensingFolder)/Checkouts"] }
    /// The user's Bentley logs folder.
    public var logsFolder: String { "Users/\(user)/AppData/Local/Bentley/Logs" }
    /// The CONNECTION Client install folder.
    public static let clientFolder = "Program Files/Common Files/Bentley Shared/CONNECTION Client"
}

/// The user's identities found on the machine.
public struct Identities: Sendable, Equatable {
    /// Sign-in e-mail addresses.
    public var emails: Set<String> = []
    /// User account names.
    public var users: Set<String> = []
    /// Computer names.
    public var hosts: Set<String> = []

    /// None yet.
    public init() {}

    /// Both sets together.
    public func union(_ other: Identities) -> Identities {
        var result = self
        result.emails.formUnion(other.emails)
        result.users.formUnion(other.users)
        result.hosts.formUnion(other.hosts)
        return result
    }

    /// Every identity, for the leak check.
    public var all: [String] { (emails.union(users).union(hosts)).sorted() }
}

/// What a source produced.
public struct SourceResult: Sendable {
    /// The entries to write.
    public var entries: [PlannedEntry] = []
    /// Things that went wrong but did not stop the source (a file unreadable, a link refused).
    public var problems: [String] = []
    /// Things a reader of the manifest should know (an encoding converted, events left out).
    public var notes: [String] = []
    /// False when what the source looks for is not on the machine at all.
    public var found = true
    /// Parts the system could not be asked for (a command not on `PATH`): the source is then
    /// `missing`, whatever else it found.
    public var missingParts: [String] = []
    /// Parts this kind of machine cannot be asked for at all (the CONNECTION Client API on a
    /// live machine): the source is then `unavailable`, unless it fell short otherwise.
    public var unavailableParts: [String] = []
    /// Parts whose command did not finish within its time limit: the source is then `timed-out`.
    public var timedOut: [String] = []
    /// Names that pseudonyms replace with `--redact`, and that must then appear nowhere.
    public var identities = Identities()
    /// What the source learnt about the machine that the manifest records (the client source
    /// reads both from the registry).
    public var machine = MachineNames()

    /// An empty result.
    public init() {}

    /// Records a failure to ask the system as the outcome its kind calls for.
    public mutating func record(_ error: SystemQueryError) {
        switch error.kind {
        case .missing: missingParts.append(error.message)
        case .failed: problems.append(error.message)
        case .timedOut: timedOut.append(error.message)
        case .unavailable: unavailableParts.append(error.message)
        }
    }

    /// A result for a source that found nothing to collect.
    public static func missing(_ why: String) -> SourceResult {
        var result = SourceResult()
        result.found = false
        result.notes = [why]
        return result
    }
}

/// The machine's names as the manifest records them; nil when no source found them.
public struct MachineNames: Sendable, Equatable {
    /// The computer name (`ComputerName`), before any pseudonym.
    public var computerName: String?
    /// The Windows time zone (`TimeZoneKeyName`).
    public var timeZone: String?

    public init(computerName: String? = nil, timeZone: String? = nil) {
        (self.computerName, self.timeZone) = (computerName, timeZone)
    }

    /// These names, each filled from `other` where this one has none.
    func filled(from other: MachineNames) -> MachineNames {
        MachineNames(computerName: computerName ?? other.computerName, timeZone: timeZone ?? other.timeZone)
    }
}

/// One independent collector: a name, a time limit, and the work.
///
/// Sources are synchronous and may block on I/O; the runner gives each its own thread and
/// stops waiting for it at its time limit, so one stuck source never holds up the others.
public protocol CollectorSource: Sendable {
    /// A short stable name (`logs`, `policy`), used in the manifest.
    var name: String { get }
    /// How long the runner waits for it.
    var timeLimit: Duration { get }
    /// True when many machines simply have none of it (checkouts): its absence is then `ok`.
    var isOptional: Bool { get }
    /// The most bytes its entries may add to the bundle; entries past it are left out, and said so.
    var sizeLimit: Int64 { get }
    /// Reads the machine and plans the source's entries.
    func collect(_ context: CollectionContext) throws -> SourceResult
}

extension CollectorSource {
    public var timeLimit: Duration { .seconds(60) }
    public var isOptional: Bool { false }
    public var sizeLimit: Int64 { 256 << 20 }
}

/// Runs sources concurrently, each under its time limit.
enum SourceRunner {
    struct Finished: Sendable {
        var outcome: Manifest.SourceOutcome
        var result: SourceResult?
    }

    /// Runs each source under its limit (`limits[i]` seconds for `sources[i]`, from the start).
    static func run(_ sources: [any CollectorSource], limits: [Double], context: CollectionContext) -> [Finished] {
        let box = ResultBox(count: sources.count)
        let started = DispatchTime.now()
        for (index, source) in sources.enumerated() {
            DispatchQueue.global().async {
                let begin = DispatchTime.now()
                let finished: Finished
                do {
                    let result = try source.collect(context)
                    finished = Finished(outcome: outcome(of: source, result: result, since: begin), result: result)
                } catch {
                    finished = Finished(outcome: .init(name: source.name, outcome: .failed, messages: ["\(error)"],
                                                       durationMs: milliseconds(since: begin), entries: 0), result: nil)
                }
                box.store(finished, at: index)
            }
        }
        var results: [Finished] = []
        for (index, source) in sources.enumerated() {
            let limit = limits[index]
            let deadline = started + .milliseconds(Int(limit * 1000))
            if let finished = box.wait(for: index, until: deadline) {
                results.append(finished)
            } else {
                let outcome = Manifest.SourceOutcome(
                    name: source.name, outcome: .timedOut,
                    messages: ["gave no answer within \(seconds(limit)) s; left out"],
                    durationMs: milliseconds(since: started), entries: 0)
                results.append(Finished(outcome: outcome, result: nil))
            }
        }
        return results
    }

    private static func outcome(of source: any CollectorSource, result: SourceResult, since begin: DispatchTime) -> Manifest.SourceOutcome {
        let kind: Manifest.SourceOutcome.Outcome = !result.timedOut.isEmpty ? .timedOut
            : !result.problems.isEmpty ? .failed
            : !result.missingParts.isEmpty ? .missing
            : !result.unavailableParts.isEmpty ? .unavailable
            : (result.found || source.isOptional ? .ok : .missing)
        return .init(name: source.name, outcome: kind,
                     messages: result.timedOut + result.problems + result.missingParts + result.unavailableParts + result.notes,
                     durationMs: milliseconds(since: begin), entries: result.entries.count)
    }

    /// A time limit as the manifest says it: whole seconds, or tenths below ten.
    static func seconds(_ value: Double) -> String {
        value >= 10 ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func milliseconds(since start: DispatchTime) -> Int {
        Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    }
}

/// Results arriving from worker threads; a late result after a time-out is dropped.
/// `@unchecked Sendable`: every field is guarded by `condition`.
private final class ResultBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [SourceRunner.Finished?]
    private var abandoned: Set<Int> = []

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Stores a result, unless the runner already gave up on it.
    func store(_ finished: SourceRunner.Finished, at index: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard !abandoned.contains(index) else { return }
        slots[index] = finished
        condition.broadcast()
    }

    /// Waits for a result until the deadline; past it, gives the slot up (nil) in one step,
    /// so a result is either returned here or dropped, never both.
    func wait(for index: Int, until deadline: DispatchTime) -> SourceRunner.Finished? {
        condition.lock()
        defer { condition.unlock() }
        while slots[index] == nil {
            let left = Double(Int64(deadline.uptimeNanoseconds) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1e9
            if left <= 0 {
                abandoned.insert(index)
                return nil
            }
            _ = condition.wait(until: Date(timeIntervalSinceNow: left))
        }
        return slots[index]
    }
}
