import ArchiveKit
import Foundation
import LicensingModel
import LicensingParsers

/// Parses one log on a thread of its own, fed through a bounded `ChunkPipe` by the thread that
/// inflates the bundle: the two run on two cores, and memory stays bounded by the pipe.
///
/// `@unchecked Sendable`: the reader and the results belong to the parsing thread until it
/// signals `done`; `finish()` reads them only after waiting for that signal.
final class LogParseJob: @unchecked Sendable {
    struct Result {
        var observations: [LogObservation] = []
        var newestStamp: Date?
    }

    private let pipe = ChunkPipe(capacity: 8)
    private let done = DispatchSemaphore(value: 0)
    private var reader: LogReader
    private var result = Result()
    private var buffer: [UInt8] = []
    private static let batch = 256 * 1024

    init(file: BundleFile, timeZone: TimeZone) {
        reader = LogReader(file: file.path, options: .init(
            timeZone: timeZone, fileModified: file.modified,
            keepLine: { !LogMessageClassifier.classify(bytes: Self.afterStamp($0)).isEmpty }))
        buffer.reserveCapacity(Self.batch)
        Thread { [self] in parse() }.start()
    }

    /// A line without its leading time stamp and thread (`2026-11-20 09:15:22,123 [12] `): no
    /// known message starts there, so the classifier need not look at those bytes.
    @inline(__always)
    static func afterStamp(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var index = 0
        let limit = min(line.count, 40)
        while index < limit {
            let byte = line[index]
            let isStampByte = (byte >= 0x30 && byte <= 0x3A) || byte == 0x20 || byte == 0x2D || byte == 0x2C
                || byte == 0x2E || byte == 0x2B || byte == 0x54 || byte == 0x5A || byte == 0x5B || byte == 0x5D
            guard isStampByte else { break }
            index += 1
        }
        return UnsafeBufferPointer(rebasing: line[index...])
    }

    /// Hands the next bytes over (copied: the caller's buffer is only lent).
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.batch { flush() }
    }

    /// Ends the file and waits for the parser; returns what it found.
    func finish() -> Result {
        flush()
        pipe.finish(error: nil)
        done.wait()
        return result
    }

    private func flush() {
        guard !buffer.isEmpty else { return }
        _ = pipe.put(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func parse() {
        defer { done.signal() }
        let emit: (LogEntry) -> Void = { [self] entry in
            if let time = entry.time, time > (result.newestStamp ?? .distantPast) { result.newestStamp = time }
            for signal in LogMessageClassifier.classify(entry) {
                result.observations.append(LogObservation(signal: signal, entry: entry))
            }
        }
        while let chunk = try? pipe.take() {
            chunk.withUnsafeBytes { reader.feed($0, emit) }
            if result.observations.count > 20_000 { compact() }
        }
        reader.finish(emit)
        compact()
    }

    /// Keeps the first and newest observations of each kind, as `ObservationSample` would.
    private func compact() {
        var samples: [String: ObservationSample] = [:]
        result.observations.sort { ($0.entry.time ?? .distantPast, $0.entry.source.line ?? 0) < ($1.entry.time ?? .distantPast, $1.entry.source.line ?? 0) }
        for observation in result.observations { samples[observation.signal.code, default: ObservationSample()].add(observation) }
        result.observations = samples.values.flatMap(\.all)
    }
}
