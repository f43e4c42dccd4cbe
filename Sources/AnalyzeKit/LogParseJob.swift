import ArchiveKit
import Foundation
import LicensingModel
import LicensingParsers
import Platform
import Signatures

/// Parses one log on a thread of its own, fed through a bounded `ChunkPipe` by the thread that
/// inflates the bundle: the two run on two cores, and memory stays bounded by the pipe.
///
/// Most of the parser's time goes to asking of every line whether it says anything
/// (`LogMessageClassifier`). When the parser falls behind (half the pipe waiting), the
/// inflating thread, which would otherwise wait for room, answers that for the batch it is about
/// to hand over (`LogReader.decide`): the work balances itself over the two cores. The log's
/// CRC-32, which libarchive would sum up on the inflating thread, is balanced the same way: the
/// parser sums up each batch, unless the inflating thread did as it handed the batch over.
///
/// Not threaded (a batch that already keeps every core busy with a bundle each), the log is
/// parsed on the feeding thread as its bytes come, with no copy and no hand-over.
///
/// `@unchecked Sendable`: the reader and the taker belong to the parsing thread until it
/// signals `done`; `finish()` reads them only after waiting for that signal. `options` and
/// `decidesAhead` belong to the feeding thread.
final class LogParseJob: @unchecked Sendable {
    struct Result {
        var observations = ObservationKeeper()
        var newestStamp: Date?
        var signatureHits = SignatureHits()
        /// The CRC-32 of every byte fed, when threaded and summing (the bundle's check of the
        /// log's entry is then done here, off the inflating thread); nil otherwise.
        var checksum: CRC32?
    }

    /// Bytes of the log, with the keep decisions for their lines when the feeding thread made them.
    private struct Batch {
        var bytes: [UInt8]
        let decisions: LogReader.LineDecisions?
        /// The batch's CRC-32, when the feeding thread summed it up; the parser does otherwise.
        let checksum: CRC32?
    }

    /// Batch buffers the parser is done with, for the feeding thread to fill again. Without
    /// them every 256 KB batch was a new allocation whose pages faulted in anew (130,000 page
    /// faults and 0.45 s of system time for 500 MB of logs).
    private final class Spares: @unchecked Sendable {
        private let lock = NSLock()
        private var buffers: [[UInt8]] = []

        /// Takes `buffer` (emptied, its storage kept) and leaves an empty array in its place.
        func give(_ buffer: inout [UInt8]) {
            buffer.removeAll(keepingCapacity: true)
            lock.lock()
            buffers.append(buffer)
            lock.unlock()
            buffer = []
        }

        /// An empty buffer with room for a batch.
        func take() -> [UInt8] {
            lock.lock()
            let spare = buffers.popLast()
            lock.unlock()
            if let spare { return spare }
            var fresh: [UInt8] = []
            fresh.reserveCapacity(LogParseJob.batch)
            return fresh
        }
    }

    private let pipe = ChunkPipe<Batch>(capacity: 8)
    private let spares = Spares()
    private let done = DispatchSemaphore(value: 0)
    private let options: LogReader.Options
    /// The reader and what takes in each entry it completes; nil while they are out. While
    /// bytes are parsed they are held in local variables (`parse()`, `feed` unthreaded), not in
    /// this object's properties: a class's stored property costs a run-time exclusivity check on
    /// every access, and an entry's few accesses to it were 2 % of a dense log's analysis.
    private var parser: (reader: LogReader, taker: EntryTaker)?
    private var buffer: [UInt8] = []
    /// Nil until the first bytes tell the encoding; decisions are made for UTF-8 logs only.
    private var decidesAhead: Bool?
    fileprivate static let batch = 256 * 1024

    private let threaded: Bool
    /// Whether the CRC-32 of what is fed is summed up (threaded only).
    private let summing: Bool

    init(file: BundleFile, timeZone: TimeZone, threaded: Bool = true, summing: Bool, signatures: SignatureSet = .none) {
        let signatures = SignatureObserver(file: file.path, signatures: signatures)
        let signatureKeeps = signatures?.keep
        options = .init(timeZone: timeZone, fileModified: file.modified,
                        keepLine: { LogMessageClassifier.recognises(bytes: $0) || signatureKeeps?($0) == true })
        let reader = LogReader(file: file.path, options: options)
        parser = (reader, EntryTaker(candidates: ObservationCandidates(builder: LogReader.EntryBuilder(file: file.path, component: reader.component)),
                                     signatures: signatures))
        self.threaded = threaded
        self.summing = threaded && summing
        guard threaded else { return }
        buffer = spares.take()
        Thread { [self] in parse() }.start()
    }

    /// Hands the next bytes over (copied: the caller's buffer is only lent), or parses them
    /// here when not threaded.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard threaded else {
            var (reader, taker) = takeParser()
            defer { parser = (reader, taker) }
            return reader.feedRaw(bytes) { taker.take($0) }
        }
        if decidesAhead == nil, !bytes.isEmpty { decidesAhead = TextDecoding.detect(bytes).encoding == .utf8 }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.batch { flush() }
    }

    /// Ends the file and waits for the parser; returns what it found.
    func finish() -> Result {
        guard threaded else {
            var (reader, taker) = takeParser()
            reader.finishRaw { taker.take($0) }
            return taker.finish()
        }
        flush()
        pipe.finish(error: nil)
        done.wait()
        var (_, taker) = takeParser()
        return taker.finish()
    }

    /// The reader and the taker, moved out of this object (not copied: their buffers are then
    /// not shared, and not copied on the first write). They are put back after a feed; after
    /// the parsing thread ends, only the taker is still needed.
    private func takeParser() -> (reader: LogReader, taker: EntryTaker) {
        guard let parser = parser.take() else { preconditionFailure("the log's parser was taken and not put back") }
        return parser
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        var decisions: LogReader.LineDecisions?
        var checksum: CRC32?
        if pipe.backlog >= pipe.capacity / 2 {  // the parser is behind: help it
            if summing { checksum = buffer.withUnsafeBytes { CRC32($0) } }
            if decidesAhead == true {
                decisions = buffer.withUnsafeBufferPointer { LogReader.decide($0, options: options) }
            }
        }
        _ = pipe.put(Batch(bytes: buffer, decisions: decisions, checksum: checksum))
        buffer = spares.take()
    }

    /// Whether every byte is ASCII, eight at a time.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    private func parse() {
        defer { done.signal() }
        var (reader, taker) = takeParser()
        var checksum = CRC32()
        while var batch = try? pipe.take() {
            batch.bytes.withUnsafeBytes { bytes in
                if let summed = batch.checksum { checksum.append(summed) } else if summing { checksum.update(bytes) }
                reader.feedRaw(bytes, decisions: batch.decisions) { taker.take($0) }
            }
            spares.give(&batch.bytes)
        }
        reader.finishRaw { taker.take($0) }
        taker.result.checksum = summing ? checksum : nil
        parser = (reader, taker)
    }
}

/// What a log's parse keeps of its entries: the newest stamp, the signature hits and the
/// observations' candidates.
struct EntryTaker {
    var result = LogParseJob.Result()
    /// The log's observations so far, as bytes: only those that can still be among the first or
    /// the newest of their kind become `LogEntry`s, when the log ends.
    var candidates: ObservationCandidates
    /// The known-issue signatures that apply to this log (docs/signatures.md); nil when none does.
    var signatures: SignatureObserver?
    /// The signals of the entry being taken in (one array, reused).
    private var signals: [LogSignal] = []

    init(candidates: ObservationCandidates, signatures: SignatureObserver?) {
        self.candidates = candidates
        self.signatures = signatures
    }

    /// Takes in one entry the reader completed: what `LogMessageClassifier.classify(_: LogEntry)`
    /// finds in it, read from its bytes; its strings are made later, if it is kept. This is the
    /// one place each entry of the log passes through.
    mutating func take(_ entry: LogReader.RawEntry) {
        if let time = entry.time, time > (result.newestStamp ?? .distantPast) { result.newestStamp = time }
        signatures?.observe(line: entry.line, lineNumber: entry.lineNumber, continuation: entry.continuation)
        signals.removeAll(keepingCapacity: true)
        // A usage record's fields are read only if its entry is kept (most are not): not when
        // continuation lines follow, whose signals are told apart from the message's by value.
        let deferred = Self.classify(message: entry.message, into: &signals, deferringUsageRecord: entry.continuation.isEmpty)
        for line in entry.continuation {
            var line = line
            _ = line.withUTF8 { LogMessageClassifier.classify(bytes: $0, into: &signals) }
        }
        guard !signals.isEmpty else { return }
        candidates.add(entry, signals: signals, usageRecordDeferred: deferred)
    }

    /// Classifies a message's bytes as its entry's `String` reads them: invalid UTF-8 repaired
    /// (ASCII needs no check). True when a usage record was deferred.
    static func classify(message: UnsafeBufferPointer<UInt8>, into signals: inout [LogSignal],
                         deferringUsageRecord: Bool) -> Bool {
        guard LogParseJob.isASCII(message) else {
            var repaired = String(decoding: message, as: UTF8.self)
            return repaired.withUTF8 {
                LogMessageClassifier.classify(bytes: $0, into: &signals, deferringUsageRecord: deferringUsageRecord)
            }
        }
        return LogMessageClassifier.classify(bytes: message, into: &signals, deferringUsageRecord: deferringUsageRecord)
    }

    /// What the log gave, its surviving candidates built into observations.
    mutating func finish() -> LogParseJob.Result {
        candidates.keep(into: &result.observations)
        result.signatureHits = signatures?.hits ?? SignatureHits()
        return result
    }
}
