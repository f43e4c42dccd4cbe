import ArchiveKit
import Crypto
import Foundation

/// The work of turning one planned entry into the bytes the ZIP gets: read its source, split
/// and scrub text lines, check for leaks, hash — on a thread of its own, so that it runs on one
/// core while deflate runs on the other. What it learns (size, hash, redactions, leaks) is read
/// once it has finished.
///
/// `@unchecked Sendable`: the producer thread owns every field until it calls
/// `ChunkPipe.finish`; the consumer reads them only after `ChunkPipe.take` returned nil (or
/// after `waitUntilDone`), and the pipe's lock orders the two.
final class EntryJob: @unchecked Sendable {
    let planned: PlannedEntry
    let content: PlannedEntry.Content
    private let budget: Int64
    private let redactor: LineRedactor?
    private let detector: LeakDetector
    private let done = DispatchSemaphore(value: 0)

    private(set) var size: Int64 = 0
    private(set) var truncated = false
    private(set) var counts: [String: Int] = [:]
    private(set) var leakKinds: [String] = []
    private(set) var note: String?
    private var hasher = SHA256()

    init(planned: PlannedEntry, content: PlannedEntry.Content, budget: Int64, redactor: LineRedactor?,
         detector: LeakDetector) {
        self.planned = planned
        self.content = content
        self.budget = budget
        self.redactor = redactor
        self.detector = detector
        note = planned.note
    }

    /// The entry's SHA-256, lower-case hex.
    var sha256: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }

    /// Produces every chunk into `pipe`, then finishes it (with the error, if one stopped it).
    func run(into pipe: ChunkPipe<[UInt8]>) {
        defer { done.signal() }
        do {
            try produce { chunk in
                guard pipe.put(Array(chunk)) else { throw CancellationError() }
            }
            pipe.finish(error: nil)
        } catch {
            pipe.finish(error: error)
        }
    }

    /// Blocks until `run` has returned.
    func waitUntilDone() { done.wait() }

    /// Produces the entry's bytes, in chunks, to `emit` (on the calling thread).
    func produce(_ emit: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        let sink: (UnsafeRawBufferPointer) throws -> Void = { [self] chunk in
            let left = budget - size
            guard left > 0 else { truncated = true; return }
            let part = UnsafeRawBufferPointer(rebasing: chunk[0..<min(chunk.count, Int(left))])
            if part.count < chunk.count { truncated = true }
            for kind in detector.scan(part) where !leakKinds.contains(kind) { leakKinds.append(kind) }
            hasher.update(bufferPointer: part)
            size += Int64(part.count)
            try emit(part)
        }
        let lines = planned.format == .text ? LineStream(redactor: redactor, sink: sink) : nil
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

    /// Adds redactions made before the job ran (a SQLite copy pseudonymized in place).
    func addCounts(_ more: [String: Int]) { counts.merge(more, uniquingKeysWith: +) }
}
