import ArchiveKit
import Foundation
import LicensingParsers
import Platform

/// What one bundle entry holds, before it is written.
public struct PlannedEntry: Sendable {
    /// Where the bytes come from.
    public enum Content: Sendable {
        /// Bytes made by the collector (a dump, a decoded policy).
        case data(Data)
        /// A client file; with `keepNewest`, only its last bytes (from a line start) are kept,
        /// also when the bundle's cap cuts it (`.max`: no cap of its own, cut from the start).
        case file(MachineFile, keepNewest: Int64?)
        /// A gzipped client file, stored decompressed (so that it can be scrubbed).
        case gzipFile(MachineFile, keepNewest: Int64?)
    }

    /// The entry's path inside the bundle.
    public var path: String
    /// Its bytes.
    public var content: Content
    /// How the bytes are treated on the way in.
    public var format: EntryFormat
    /// The source that planned it.
    public var source: String
    /// Anything a reader should know about it.
    public var note: String?

    /// Creates a planned entry.
    public init(path: String, content: Content, format: EntryFormat, source: String, note: String? = nil) {
        self.path = path
        self.content = content
        self.format = format
        self.source = source
        self.note = note
    }
}

/// How an entry's bytes are treated on the way into the bundle.
public enum EntryFormat: Sendable {
    /// Scrubbed line by line (UTF-16LE with a BOM is converted to UTF-8 first).
    case text
    /// Copied as is (still checked for leaks).
    case binary
    /// A private SQLite copy: with `--redact`, pseudonymized in place before it is copied.
    case sqlite
}

/// Scrubs one line of text (with its terminator): returns the replacement (nil when
/// unchanged) and the redactions made, by kind.
public typealias LineRedactor = (UnsafeBufferPointer<UInt8>) -> (replacement: [UInt8]?, counts: [String: Int])

/// Makes a fresh `LineRedactor` for each entry (a redactor may carry state across lines).
public typealias LineRedactorFactory = () -> LineRedactor

/// Writes a bundle aside and renames it into place only when it is complete and clean.
///
/// Each entry streams from its source through the line redactor (text), the leak detector
/// and SHA-256 into the ZIP; nothing is held whole in memory. Not `Sendable`: one task writes.
public final class BundleWriter {
    /// Where the finished bundle goes.
    public let destination: URL
    private let temporary: URL
    private let zip: ZipWriter
    private let redactors: LineRedactorFactory?
    private let storeRedactor: (@Sendable (URL) throws -> [String: Int])?
    private let detector: LeakDetector
    private let maxBundleBytes: Int64
    private let modified: Date
    private var writtenBytes: Int64 = 0
    /// Set once an entry was cut to fit the cap: what follows is left out (not cut to a sliver).
    private var full = false
    private var published = false
    /// Leaks found so far; a bundle with any is never published.
    public private(set) var leaks: [LeakDetector.Leak] = []

    /// Prepares to write `destination`; throws `CollectError` when it exists (and `force` is
    /// false) or its folder cannot be written.
    public init(destination: URL, force: Bool, maxBundleBytes: Int64, modified: Date,
                redactors: LineRedactorFactory?, storeRedactor: (@Sendable (URL) throws -> [String: Int])? = nil,
                detector: LeakDetector) throws {
        self.destination = destination
        if FileManager.default.fileExists(atPath: destination.path) && !force {
            throw CollectError.outputExists(destination.path)
        }
        AsideFile.removeStale(for: destination)  // left by a collection killed before it finished
        temporary = AsideFile.path(for: destination)
        do {
            zip = try ZipWriter(path: temporary.path, exclusive: true)
        } catch {
            throw CollectError.outputNotWritable(destination.path, "\(error)")
        }
        self.redactors = redactors
        self.storeRedactor = storeRedactor
        self.detector = detector
        self.maxBundleBytes = maxBundleBytes
        self.modified = modified
    }

    deinit { if !published { abandon() } }

    /// Writes one entry, within `room` (the most bytes it may add, besides the bundle's own
    /// cap, of which `keepFree` bytes stay free for entries still to come) and `deadline`, and
    /// says what became of it.
    ///
    /// An entry too big for its room is cut to its newest part when it keeps one (a log),
    /// else left out; it never adds more than its room. Throws only when the ZIP cannot be
    /// written (nothing is published then).
    public func add(_ planned: PlannedEntry, room: Room = .unlimited, keepFree: Int64 = 0,
                    deadline: DispatchTime? = nil) throws -> EntryResult {
        let left = maxBundleBytes - writtenBytes - keepFree
        let limit = room.bytes < left ? room : Room(bytes: left, limit: .bundleCap)
        if limit.bytes <= 0 { return .leftOut(limit.limit) }
        var content = planned.content
        var storeCounts: [String: Int] = [:]
        if planned.format == .sqlite, let storeRedactor, case .file(let file, _) = planned.content {
            storeCounts = try storeRedactor(file.url)
            content = .file(try file.url.machineFile(origin: file.path, modified: file.modified), keepNewest: nil)  // its size changed
        }
        guard let fitted = Self.fit(content, into: limit.bytes, onlyWhole: full) else { return .leftOut(limit.limit) }
        // A file that cannot be opened is refused before its header is written, so the ZIP never
        // holds an entry the manifest does not list.
        switch fitted.content {
        case .file(let file, _), .gzipFile(let file, _):
            do { try FileChunks.checkReadable(file) } catch let error as MachineError { return .unreadable(error) }
        case .data: break
        }
        let job = EntryJob(planned: planned, content: fitted.content, budget: limit.bytes,
                           redactor: redactors?(), detector: detector)
        job.addCounts(storeCounts)
        var ending: EntryJob.Ending = .whole(EntryJob.Progress())
        try zip.addEntry(named: planned.path, size: nil, modified: timestamp(of: planned)) { write in
            ending = try job.stream(deadline: deadline, into: write)
        }
        return record(ending, of: planned, limit: limit, cut: fitted.cut)
    }

    /// Records what was written of an entry and gives its result.
    private func record(_ ending: EntryJob.Ending, of planned: PlannedEntry, limit: Room, cut: Bool) -> EntryResult {
        let done: EntryJob.Progress
        let stopped: String?
        switch ending {
        case .whole(let progress): (done, stopped) = (progress, nil)
        case .readFailed(let progress, let error): (done, stopped) = (progress, "reading stopped: \(error.message)")
        case .timedOut(let progress): (done, stopped) = (progress, "reading stopped: the source's time limit passed")
        }
        for kind in done.leakKinds { record(leak: kind, in: planned.path) }
        writtenBytes += done.size
        let cutByLimit = done.reachedBudget || (cut && done.truncated)
        // Once the bundle's cap cut an entry, later ones go in only whole (not cut to a sliver).
        if cutByLimit && limit.limit == .bundleCap { full = true }
        let limitNote = cutByLimit ? "cut to \(limit.limit)" + (cut ? ", its newest part kept" : "") : nil
        let entry = Manifest.Entry(
            path: planned.path, size: done.size, sha256: done.sha256, source: planned.source, origin: origin(of: planned),
            truncated: done.truncated || stopped != nil, redactions: done.counts.isEmpty ? nil : done.counts,
            note: [done.note ?? planned.note, limitNote, stopped].compactMap { $0 }.joined(separator: "; ").nilIfEmpty)
        switch ending {
        case .whole: return .written(entry, cutBy: cutByLimit ? limit.limit : nil)
        case .readFailed(_, let error): return .partial(entry, error)
        case .timedOut: return .timedOut(entry)
        }
    }

    /// The content cut to fit `room` bytes: a file that keeps its newest part is cut to it; one
    /// that does not, and is known to be larger, is left out (nil), as is any entry that does
    /// not fit whole when `onlyWhole`. A text entry whose redactions make it grow is cut by the
    /// job's budget instead. `cut` is true when it was cut here.
    static func fit(_ content: PlannedEntry.Content, into room: Int64, onlyWhole: Bool) -> (content: PlannedEntry.Content, cut: Bool)? {
        // A gzip file's inflated size is known only once it is read: cut it to its newest part
        // whenever its own cap is larger than the room, as if it were that large.
        if !onlyWhole, case .gzipFile(let file, let keep?) = content, keep > room {
            return (.gzipFile(file, keepNewest: room), true)
        }
        if estimatedSize(content) <= room { return (content, false) }
        if onlyWhole { return nil }
        switch content {
        case .file(let file, let keep?): return (.file(file, keepNewest: min(keep, room)), true)
        case .gzipFile: return (content, false)  // no cap of its own: the budget cuts it as it is inflated
        case .file(_, nil), .data: return nil
        }
    }

    /// The bytes an entry is expected to add: its size as found, within its own cap. (A gzip
    /// file's inflated size is not known before it is read: its compressed size stands in.)
    static func estimatedSize(_ content: PlannedEntry.Content) -> Int64 {
        switch content {
        case .data(let data): Int64(data.count)
        case .file(let file, let keep), .gzipFile(let file, let keep): min(file.size, keep ?? .max)
        }
    }

    /// Adds the manifest, completes the ZIP and renames it into place.
    ///
    /// Throws `CollectError.leak` (and removes the partial file) when the leak check found
    /// anything: a bundle with a secret in it is never published.
    public func publish(manifest data: Data) throws {
        data.withUnsafeBytes { bytes in
            for kind in detector.scan(bytes) { record(leak: kind, in: "manifest.json") }
        }
        guard leaks.isEmpty else {
            abandon()
            throw CollectError.leak(leaks)
        }
        do {
            try zip.addEntry(named: "manifest.json", data: data, modified: modified)
            try zip.finish()
            FileSystem.sync(temporary.path)
            do { try FileSystem.rename(temporary.path, to: destination.path) } catch {
                throw CollectError.outputNotWritable(destination.path, error.message)
            }
            published = true
        } catch let error as CollectError {
            abandon()
            throw error
        } catch {
            abandon()
            throw CollectError.outputNotWritable(destination.path, "\(error)")
        }
    }

    /// Removes the partial file; the destination is never touched.
    public func abandon() {
        FileSystem.remove(temporary.path)
    }

    /// The partial file's path (for a signal handler that must remove it).
    public var partialPath: String { temporary.path }

    private func record(leak kind: String, in entry: String) {
        let leak = LeakDetector.Leak(kind: kind, entry: entry)
        if !leaks.contains(leak) { leaks.append(leak) }
    }

    private func timestamp(of planned: PlannedEntry) -> Date {
        switch planned.content {
        case .data: modified
        case .file(let file, _), .gzipFile(let file, _): file.modified
        }
    }

    private func origin(of planned: PlannedEntry) -> String? {
        switch planned.content {
        case .data: nil
        case .file(let file, _), .gzipFile(let file, _): file.path
        }
    }
}

/// The most bytes an entry may add, and the limit that sets it (for the manifest).
public struct Room: Sendable, Equatable {
    /// The limits that can leave an entry out or cut it.
    public enum Limit: Sendable, Equatable, CustomStringConvertible {
        /// `--max-bundle-mb` (also: room kept for smaller files after it).
        case bundleCap
        /// The source's own size limit, in bytes.
        case sourceLimit(Int64)

        public var description: String {
            switch self {
            case .bundleCap: "the bundle's size cap"
            case .sourceLimit(let bytes): "the source's \(String(format: "%g", Double(bytes) / 1_048_576)) MB limit"
            }
        }
    }

    public var bytes: Int64
    public var limit: Limit

    public init(bytes: Int64, limit: Limit) {
        self.bytes = bytes
        self.limit = limit
    }

    /// No room of its own: only the bundle's cap.
    public static let unlimited = Room(bytes: .max, limit: .bundleCap)
}

/// What became of one planned entry.
public enum EntryResult {
    /// In the bundle, every byte read; `cutBy` names the limit that cut it, if one did.
    case written(Manifest.Entry, cutBy: Room.Limit?)
    /// In the bundle up to where its source broke off.
    case partial(Manifest.Entry, MachineError)
    /// In the bundle up to where its source's time limit passed.
    case timedOut(Manifest.Entry)
    /// Not in the bundle: it could not be opened.
    case unreadable(MachineError)
    /// Not in the bundle: no room under this limit.
    case leftOut(Room.Limit)
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// Why a collection wrote nothing.
public enum CollectError: Error, CustomStringConvertible, Sendable {
    case outputExists(String)
    case outputNotWritable(String, String)
    case leak([LeakDetector.Leak])
    case machine(String)
    case chooseUser([String])
    /// The process was interrupted (SIGINT, SIGTERM, SIGHUP); `logcollect` exits 130.
    case interrupted

    public var description: String {
        switch self {
        case .outputExists(let path):
            "\(path) already exists; choose another --output or add --force to replace it"
        case .outputNotWritable(let path, let why):
            "cannot write \(path): \(why)"
        case .leak(let leaks):
            "refusing to publish: secrets left in the bundle (\(leaks.map(\.description).joined(separator: ", ")))"
        case .machine(let why):
            why
        case .chooseUser(let users):
            users.isEmpty
                ? "no user profile with Bentley data was found under Users/; name one with --user"
                : "several users could be meant (\(users.joined(separator: ", "))); name one with --user"
        case .interrupted:
            "interrupted; no bundle written"
        }
    }
}
