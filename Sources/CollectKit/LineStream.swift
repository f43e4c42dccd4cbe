import ArchiveKit
import Foundation
import LicensingParsers
import Platform

/// Splits streamed text into lines, converts UTF-16LE to UTF-8, and scrubs each line.
///
/// Lines are bytes, split by `LineSplitter.Chunked` with their ends as they were (what is not
/// redacted must be the client's bytes); a line is turned into anything else only when the
/// redactor changes it. A line longer than 1 MiB is passed on in pieces.
final class LineStream {
    private let redactor: LineRedactor?
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var lines = LineSplitter.Chunked(maxLine: 1 << 20)
    private var output: [UInt8] = []
    private var started = false
    private var utf16: UTF16StreamDecoder?
    private var decoded: [UInt8] = []
    private(set) var counts: [String: Int] = [:]
    var convertedFromUTF16: Bool { utf16 != nil }

    init(redactor: LineRedactor?, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.redactor = redactor
        self.sink = sink
    }

    func feed(_ chunk: UnsafeRawBufferPointer) throws {
        var bytes = chunk
        if !started {
            started = true
            if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
                utf16 = UTF16StreamDecoder(littleEndian: true)
                bytes = UnsafeRawBufferPointer(rebasing: bytes[2...])
            }
        }
        if var decoder = utf16 {
            decoded.removeAll(keepingCapacity: true)
            decoder.decode(bytes, into: &decoded)
            utf16 = decoder
            try decoded.withUnsafeBytes { try split($0) }
        } else {
            try split(bytes)
        }
    }

    func finish() throws {
        if var decoder = utf16 {
            decoded.removeAll(keepingCapacity: true)
            decoder.finish(into: &decoded)
            utf16 = decoder
            try decoded.withUnsafeBytes { try split($0) }
        }
        try lines.finish { try emit(line: $0) }
        try flushOutput(force: true)
    }

    /// Passes on every whole line fed so far and drops an unfinished last one: the source
    /// broke off, so what follows it was never read.
    func finishWholeLines() throws {
        try flushOutput(force: true)
    }

    private func split(_ bytes: UnsafeRawBufferPointer) throws {
        try lines.feed(bytes) { try emit(line: $0) }
    }

    private func emit(line: UnsafeBufferPointer<UInt8>) throws {
        if let redactor {
            let (replacement, found) = redactor(line)
            for (kind, count) in found { counts[kind, default: 0] += count }
            if let replacement {
                output.append(contentsOf: replacement)
                try flushOutput(force: false)
                return
            }
        }
        output.append(contentsOf: line)
        try flushOutput(force: false)
    }

    private func flushOutput(force: Bool) throws {
        guard output.count >= (force ? 1 : 256 * 1024) else { return }
        try output.withUnsafeBytes { try sink($0) }
        output.removeAll(keepingCapacity: true)
    }
}

/// Reads client files in chunks, optionally only their newest part.
enum FileChunks {
    static let chunkSize = 1 << 20

    /// Throws `MachineError` (with the system's reason) when the file cannot be opened.
    static func checkReadable(_ file: MachineFile) throws {
        _ = try open(file)
    }

    /// Streams a file as it was when found (bytes appended since are left out); returns true
    /// when only the newest part was kept.
    static func stream(_ file: MachineFile, keepNewest: Int64?,
                       _ feed: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        // Opened without blocking (a FIFO would wait for a writer in open), then read blocking.
        let reader = try open(file)
        let end = file.size
        var offset: Int64 = 0
        var cut = false
        if let keep = keepNewest, end > keep {
            offset = end - keep
            cut = true
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var skipToLine = cut
        while offset < end {
            let want = Int(min(Int64(chunkSize), end - offset))
            let count: Int
            do { count = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset) } catch {
                throw MachineError(path: file.path, message: error.message)
            }
            if count == 0 {
                throw MachineError(path: file.path, message: "the file shrank while it was read (\(offset) of \(end) bytes)")
            }
            offset += Int64(count)
            var chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if skipToLine {
                guard let newline = chunk.firstIndex(of: 0x0A) else { continue }
                chunk = UnsafeRawBufferPointer(rebasing: chunk[(newline + 1)...])
                skipToLine = false
            }
            try feed(chunk)
        }
        return cut
    }

    private static func open(_ file: MachineFile) throws -> ReadOnlyFile { try file.open() }

    /// Streams a gzipped file decompressed; with `keepNewest`, only its last bytes.
    static func streamGzip(_ file: MachineFile, keepNewest: Int64?,
                           _ feed: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        var total: Int64 = 0
        if keepNewest != nil {
            try decompress(file) { total += Int64($0.count) }
        }
        let skip = keepNewest.map { max(0, total - $0) } ?? 0
        var seen: Int64 = 0
        var skipToLine = skip > 0
        try decompress(file) { chunk in
            var part = chunk
            if seen + Int64(chunk.count) <= skip { seen += Int64(chunk.count); return }
            if seen < skip { part = UnsafeRawBufferPointer(rebasing: chunk[Int(skip - seen)...]) }
            seen += Int64(chunk.count)
            if skipToLine {
                guard let newline = part.firstIndex(of: 0x0A) else { return }
                part = UnsafeRawBufferPointer(rebasing: part[(newline + 1)...])
                skipToLine = false
            }
            try feed(part)
        }
        return skip > 0
    }

    /// A damaged `.gz` is the client's file being bad, not the bundle failing: it becomes a
    /// `MachineError`, so the entry keeps what was read and the collection goes on.
    private static func decompress(_ file: MachineFile, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        do {
            try file.withOpenedPath { path in
                let reader = try ArchiveReader(path: path, format: .compressedStream)
                guard try reader.nextEntry() != nil else { return }
                try reader.readData(body)
            }
        } catch let error as ArchiveError {
            throw MachineError(path: file.path, message: "not a readable gzip file (\(error.message))")
        }
    }
}
