import Crypto
import Foundation
import Platform

/// The work of turning one planned entry into the bytes the ZIP gets: read its source, split
/// and scrub text lines, check for leaks, hash — on a thread of its own, so that it runs on one
/// core while deflate runs on the other. What it learns (size, hash, redactions, leaks) is read
/// once it has finished.
///
/// `@unchecked Sendable`: the producer thread owns every field until it calls
/// `ChunkPipe.finish`; the consumer reads them only after `ChunkPipe.take` returned nil, after
/// `waitUntilDone`, or once `isFinishedWhole` is true, and a lock orders the two. A consumer
/// that stops waiting (a deadline) reads nothing of the job: each chunk carries a copy of the
/// entry's `Progress` after it.
final class EntryJob: @unchecked Sendable {
    let planned: PlannedEntry
    let content: PlannedEntry.Content
    private let budget: Int64
    private let redactor: LineRedactor?
    private let detector: LeakDetector
    private let done = DispatchSemaphore(value: 0)

    /// What the entry holds so far: complete once `produce` has returned.
    private(set) var progress = Progress()
    private let finishedLock = NSLock()
    private var finishedWhole = false

    /// What an entry holds after some of its bytes: its size, hash, what was found in it.
    struct Progress {
        var size: Int64 = 0
        var truncated = false
        /// True when the bundle's cap (the job's budget) cut it.
        var reachedBudget = false
        var counts: [String: Int] = [:]
        var leakKinds: [String] = []
        var note: String?
        var hasher = SHA256()

        /// The SHA-256 of the bytes so far, lower-case hex.
        var sha256: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
    }

    /// Bytes handed to the consumer, with the entry as it stands once they are written: a
    /// consumer that stops waiting part-way records the last one it wrote.
    struct Chunk {
        let bytes: [UInt8]
        let progress: Progress
    }

    init(planned: PlannedEntry, content: PlannedEntry.Content, budget: Int64, redactor: LineRedactor?,
         detector: LeakDetector) {
        self.planned = planned
        self.content = content
        self.budget = budget
        self.redactor = redactor
        self.detector = detector
        progress.note = planned.note
    }

    /// How streaming an entry ended (a write error is thrown instead: the ZIP is then unusable).
    enum Ending {
        /// Every byte was produced and written.
        case whole(Progress)
        /// The source broke off: what was read before is written.
        case readFailed(Progress, MachineError)
        /// The deadline passed while it was read: what was written before it.
        case timedOut(Progress)
    }

    /// Streams the entry into `write`. Large entries, and client files when there is a
    /// `deadline`, are produced on a producer thread while this one writes; the rest in line.
    ///
    /// At the deadline a watchdog ends the wait: the producer may be stuck in the kernel (a
    /// FIFO, a dead network share), so it is left behind and gives up (its next hand-over
    /// fails) if it ever wakes; the entry keeps the chunks written before.
    func stream(deadline: DispatchTime?, into write: (UnsafeRawBufferPointer) throws -> Void) throws -> Ending {
        guard Self.isLarge(content) || (deadline != nil && Self.isClientFile(content)) else {
            do {
                try withoutActuallyEscaping(write) { write in try produce(write) }
            } catch let error as MachineError {
                return .readFailed(progress, error)
            }
            return .whole(progress)
        }
        let pipe = ChunkPipe<Chunk>()
        Thread { [self] in run(into: pipe) }.start()
        let watchdog = DispatchWorkItem { pipe.finish(error: DeadlinePassed()) }
        if let deadline { DispatchQueue.global().asyncAfter(deadline: deadline, execute: watchdog) }
        defer { watchdog.cancel() }
        var written = Progress()
        do {
            while let chunk = try pipe.take() {
                try chunk.bytes.withUnsafeBytes { try write($0) }
                written = chunk.progress
            }
        } catch is DeadlinePassed where !isFinishedWhole {
            pipe.cancel()
            return .timedOut(written)  // the producer still owns `progress`: the last chunk's copy
        } catch is DeadlinePassed {
            // It finished just as the deadline passed: every chunk was taken.
        } catch let error as MachineError {
            return .readFailed(progress, error)  // the producer finished (with this error)
        } catch {
            pipe.cancel()
            waitUntilDone()
            throw error
        }
        return .whole(progress)
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

    /// Produces every chunk into `pipe`, then finishes it (with the error, if one stopped it).
    private func run(into pipe: ChunkPipe<Chunk>) {
        defer { done.signal() }
        do {
            try produce { [self] chunk in
                guard pipe.put(Chunk(bytes: Array(chunk), progress: progress)) else { throw CancellationError() }
            }
            finishedLock.withLock { finishedWhole = true }
            pipe.finish(error: nil)
        } catch {
            pipe.finish(error: error)
        }
    }

    /// True once every byte was produced: then `progress` is final.
    private var isFinishedWhole: Bool { finishedLock.withLock { finishedWhole } }

    /// Blocks until `run` has returned.
    private func waitUntilDone() { done.wait() }

    /// Produces the entry's bytes, in chunks, to `emit` (on the calling thread).
    private func produce(_ emit: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        let sink: (UnsafeRawBufferPointer) throws -> Void = { [self] chunk in
            let left = budget - progress.size
            guard left > 0 else {
                (progress.truncated, progress.reachedBudget) = (true, true)
                return
            }
            let part = UnsafeRawBufferPointer(rebasing: chunk[0..<min(chunk.count, Int(left))])
            if part.count < chunk.count { (progress.truncated, progress.reachedBudget) = (true, true) }
            for kind in detector.scan(part) where !progress.leakKinds.contains(kind) { progress.leakKinds.append(kind) }
            progress.hasher.update(bufferPointer: part)
            progress.size += Int64(part.count)
            try emit(part)
        }
        let lines = planned.format == .text ? LineStream(redactor: redactor, sink: sink) : nil
        let feed: (UnsafeRawBufferPointer) throws -> Void = { chunk in
            if let lines { try lines.feed(chunk) } else { try sink(chunk) }
        }
        let cut: Bool
        do {
            switch content {
            case .data(let data):
                try data.withUnsafeBytes { try feed($0) }
                cut = false
            case .file(let file, let keepNewest):
                cut = try FileChunks.stream(file, keepNewest: keepNewest, feed)
            case .gzipFile(let file, let keepNewest):
                cut = try FileChunks.streamGzip(file, keepNewest: keepNewest, feed)
            }
        } catch let error as MachineError {
            try lines?.finishWholeLines()  // what was read is kept, up to its last whole line
            throw error
        }
        if let lines {
            try lines.finish()
            progress.counts.merge(lines.counts, uniquingKeysWith: +)
            if lines.convertedFromUTF16 {
                progress.note = [progress.note, "converted from UTF-16LE to UTF-8"].compactMap { $0 }.joined(separator: "; ")
            }
        }
        progress.truncated = progress.truncated || cut
    }

    /// Adds redactions made before the job ran (a SQLite copy pseudonymized in place).
    func addCounts(_ more: [String: Int]) { progress.counts.merge(more, uniquingKeysWith: +) }
}

/// The watchdog's word that an entry's deadline passed.
private struct DeadlinePassed: Error {}
