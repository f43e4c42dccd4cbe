import ArchiveKit
import Crypto
import Foundation

/// What one bundle entry holds, before it is written.
public struct PlannedEntry: Sendable {
    /// Where the bytes come from.
    public enum Content: Sendable {
        /// Bytes made by the collector (a dump, a decoded policy).
        case data(Data)
        /// A client file; with `keepNewest`, only its last bytes (from a line start) are kept.
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
        temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).partial-\(getpid())")
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
    public func add(_ planned: PlannedEntry) throws -> Manifest.Entry? {
        if writtenBytes >= maxBundleBytes { return nil }
        var hasher = SHA256()
        var size: Int64 = 0
        var counts: [String: Int] = [:]
        var content = planned.content
        if planned.format == .sqlite, let storeRedactor, case .file(let file, _) = planned.content {
            counts = try storeRedactor(file.url)
            content = .file(try file.url.machineFile(origin: file.path, modified: file.modified), keepNewest: nil)  // its size changed
        }
        var truncated = false
        var note = planned.note
        try zip.addEntry(named: planned.path, size: nil, modified: timestamp(of: planned)) { zipWrite in
          try withoutActuallyEscaping(zipWrite) { write in
            let sink: (UnsafeRawBufferPointer) throws -> Void = { chunk in
                let budget = self.maxBundleBytes - self.writtenBytes - size
                guard budget > 0 else { truncated = true; return }
                let part = UnsafeRawBufferPointer(rebasing: chunk[0..<min(chunk.count, Int(budget))])
                if part.count < chunk.count { truncated = true }
                for kind in self.detector.scan(part) { self.record(leak: kind, in: planned.path) }
                hasher.update(bufferPointer: part)
                size += Int64(part.count)
                try write(part)
            }
            let lines = planned.format == .text ? LineStream(redactor: self.redactors?(), sink: sink) : nil
            let feed: (UnsafeRawBufferPointer) throws -> Void = { chunk in
                if let lines { try lines.feed(chunk) } else { try sink(chunk) }
            }
            let cut: Bool
            switch content {
            case .data(let data):
                try data.withUnsafeBytes { try feed($0) }
                cut = false
            case .file(let file, let keepNewest):
                cut = try FileChunks.stream(file, keepNewest: keepNewest, feed)
            case .gzipFile(let file, let keepNewest):
                cut = try FileChunks.streamGzip(file, keepNewest: keepNewest, feed)
            }
            if let lines {
                try lines.finish()
                counts.merge(lines.counts, uniquingKeysWith: +)
                if lines.convertedFromUTF16 { note = [note, "converted from UTF-16LE to UTF-8"].compactMap { $0 }.joined(separator: "; ") }
            }
            truncated = truncated || cut
          }
        }
        writtenBytes += size
        return Manifest.Entry(path: planned.path, size: size, sha256: hasher.finalize().map { String(format: "%02x", $0) }.joined(),
                              source: planned.source, origin: origin(of: planned), truncated: truncated,
                              redactions: counts.isEmpty ? nil : counts, note: note)
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
            let descriptor = open(temporary.path, O_RDONLY)
            if descriptor >= 0 { fsync(descriptor); close(descriptor) }
            if rename(temporary.path, destination.path) != 0 {
                throw CollectError.outputNotWritable(destination.path, String(cString: strerror(errno)))
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
        unlink(temporary.path)
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
