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
        let folder = destination.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: destination.path) && !force {
            throw CollectError.outputExists(destination.path)
        }
        temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).partial-\(CurrentProcess.id)")
        do {
            zip = try ZipWriter(path: temporary.path)
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

    /// Writes one entry; returns its manifest record, or nil when the bundle cap left it out.
    ///
    /// Large entries are produced (read, scrubbed, checked, hashed) on a thread of their own
    /// while this one deflates what they produce; small ones are done in line. With a
    /// `deadline`, every client file is read on a thread of its own, and when the deadline
    /// passes before it is read, the entry keeps what was read and `PartialEntry` (with
    /// `timedOut`) says so: a read that hangs (a FIFO, a dead network share) is left behind.
    public func add(_ planned: PlannedEntry, deadline: DispatchTime? = nil) throws -> Manifest.Entry? {
        if full || writtenBytes >= maxBundleBytes { return nil }
        var content = planned.content
        var storeCounts: [String: Int] = [:]
        if planned.format == .sqlite, let storeRedactor, case .file(let file, _) = planned.content {
            storeCounts = try storeRedactor(file.url)
            content = .file(try file.url.machineFile(origin: file.path, modified: file.modified), keepNewest: nil)  // its size changed
        }
        // An entry that keeps its newest part when cut keeps it under the bundle's cap too.
        let left = maxBundleBytes - writtenBytes
        var cutToFit = false  // the bundle's cap, not the entry's own, decides where it starts
        switch content {
        case .file(let file, let keep?) where file.size > left && keep >= left:
            content = .file(file, keepNewest: left)
            cutToFit = true
        case .gzipFile(let file, let keep?) where keep > left:
            content = .gzipFile(file, keepNewest: left)
            cutToFit = true
        default: break
        }
        // A file that cannot be opened is refused before its header is written, so the ZIP never
        // holds an entry the manifest does not list.
        if case .file(let file, _) = content { try FileChunks.checkReadable(file) }
        if case .gzipFile(let file, _) = content { try FileChunks.checkReadable(file) }
        let job = EntryJob(planned: planned, content: content, budget: maxBundleBytes - writtenBytes,
                           redactor: redactors?(), detector: detector)
        job.addCounts(storeCounts)
        var readFailure: MachineError?
        var timedOut = false
        var written: EntryJob.Progress?
        try zip.addEntry(named: planned.path, size: nil, modified: timestamp(of: planned)) { write in
            do {
                guard Self.isLarge(content) || (deadline != nil && Self.isClientFile(content)) else {
                    try withoutActuallyEscaping(write) { write in try job.produce(write) }
                    return
                }
                let pipe = ChunkPipe<EntryJob.Chunk>()
                Thread { job.run(into: pipe) }.start()
                let watchdog = DispatchWorkItem { pipe.finish(error: DeadlinePassed()) }
                if let deadline { DispatchQueue.global().asyncAfter(deadline: deadline, execute: watchdog) }
                defer { watchdog.cancel() }
                do {
                    while let chunk = try pipe.take() {
                        try chunk.bytes.withUnsafeBytes { try write($0) }
                        written = chunk.progress
                    }
                } catch is DeadlinePassed where !job.isFinishedWhole {
                    // The reader may be stuck in the kernel: it is left behind, and gives up
                    // (its next hand-over fails) if it ever wakes.
                    pipe.cancel()
                    timedOut = true
                } catch is DeadlinePassed {
                    // It finished just as the deadline passed: every chunk was taken.
                } catch {
                    pipe.cancel()
                    job.waitUntilDone()
                    throw error
                }
            } catch let error as MachineError {
                readFailure = error  // the source broke off: keep what was read, say so
            }
        }
        // A reader left behind still owns the job; what was written is the last chunk's state.
        let done = timedOut ? written ?? EntryJob.Progress() : job.progress
        for kind in done.leakKinds { record(leak: kind, in: planned.path) }
        writtenBytes += done.size
        if done.reachedBudget || (cutToFit && done.truncated) { full = true }
        let stopped = timedOut ? "reading stopped: the source's time limit passed" : readFailure.map { "reading stopped: \($0.message)" }
        let entry = Manifest.Entry(
            path: planned.path, size: done.size, sha256: done.sha256, source: planned.source, origin: origin(of: planned),
            truncated: done.truncated || stopped != nil, redactions: done.counts.isEmpty ? nil : done.counts,
            note: [done.note ?? planned.note, stopped].compactMap { $0 }.joined(separator: "; ").nilIfEmpty)
        if timedOut {
            throw PartialEntry(entry: entry, reason: MachineError(path: planned.path, message: "the source's time limit passed"),
                               timedOut: true)
        }
        if let readFailure { throw PartialEntry(entry: entry, reason: readFailure) }
        return entry
    }

    /// Client files, whose reads may block.
    private static func isClientFile(_ content: PlannedEntry.Content) -> Bool {
        if case .data = content { false } else { true }
    }

    /// Entries worth a producer thread: files over 1 MB.
    private static func isLarge(_ content: PlannedEntry.Content) -> Bool {
        switch content {
        case .data: false
        case .file(let file, _), .gzipFile(let file, _): file.size > 1 << 20
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

/// An entry whose source broke off while it was read: what was read is in the bundle.
public struct PartialEntry: Error {
    /// The entry as written (marked truncated).
    public let entry: Manifest.Entry
    /// Why reading stopped.
    public let reason: MachineError
    /// True when it stopped because the source's time limit passed.
    public var timedOut = false
}

/// The watchdog's word that an entry's deadline passed.
struct DeadlinePassed: Error {}

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
        }
    }
}
