import Foundation
import LicensingModel

/// Streams a log file's entries: lines split over bytes, stamped lines parsed by
/// `LogLineParser`, unstamped lines (stack traces) folded into the entry before them.
///
/// Push bytes in chunks of any size with `feed`, then call `finish`. UTF-8 or UTF-16 (BOM or
/// not), CRLF or LF. A line longer than `maxLineLength` is cut (and the rest skipped without
/// being held), so a 50 MB line costs at most one limit of memory beyond its input chunk.
public struct LogReader {
    /// How to read a log.
    public struct Options: Sendable {
        /// The machine's zone (`TimeZoneKeyName`), for stamps without an offset.
        public var timeZone: TimeZone
        /// The file's modification time: time-only stamps take their date from it, counting
        /// back over midnight. Without it their `time` is nil.
        public var fileModified: Date?
        /// Bytes kept of one line; the rest is dropped and the entry marked truncated.
        public var maxLineLength: Int
        /// Continuation lines kept per entry (and at most four line lengths of their bytes);
        /// more are dropped and the entry marked truncated.
        public var maxContinuationLines: Int
        /// When set, a stamped line for which it is false is skipped without building an entry
        /// (analysis passes the classifier: most lines say nothing it keys on). A skipped line's
        /// stack trace is still read, and the file's last stamped line is always emitted, so the
        /// newest stamp is known.
        public var keepLine: (@Sendable (UnsafeBufferPointer<UInt8>) -> Bool)?

        /// Options; the defaults keep 64 KiB of a line and 1000 continuation lines.
        public init(timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current, fileModified: Date? = nil,
                    maxLineLength: Int = 64 * 1024, maxContinuationLines: Int = 1000,
                    keepLine: (@Sendable (UnsafeBufferPointer<UInt8>) -> Bool)? = nil) {
            self.timeZone = timeZone
            self.fileModified = fileModified
            self.maxLineLength = max(16, maxLineLength)
            self.maxContinuationLines = max(0, maxContinuationLines)
            self.keepLine = keepLine
        }
    }

    /// The file, as entries' `source` names it.
    public let file: String
    /// The component entries are attributed to.
    public let component: String
    private var options: Options
    private var parser: LogLineParser
    private var encoding: TextEncoding?
    private var head: [UInt8] = []
    private var transcoder = UTF16StreamDecoder()
    /// The UTF-8 of the last UTF-16 chunk (one array, reused).
    private var transcoded: [UInt8] = []
    private var carry: [UInt8] = []
    private var carryOverflow = false
    private var lineNumber = 0
    /// The entry being read (continuation lines may follow), as bytes: its strings are made
    /// only when a caller asks for a `LogEntry` (`EntryBuilder`).
    private var pending: Held?
    private var pendingBytes = 0
    /// Entries held until the file ends, to date time-only stamps.
    private var deferred: [Held] = []
    /// The lines of `pending` and `deferred`, one after another (emptied once none is held).
    private var heldBytes: [UInt8] = []
    /// Builds the entries of `feed(_:decisions:_:)` from the raw ones.
    private let builder: EntryBuilder
    /// The last stamped line `keepLine` skipped (and its line number), kept to be read if a
    /// continuation line follows it or the file ends on it. While the bytes it was read from are
    /// still lent to us, it is only a view of them (`skippedView`): most skipped lines are
    /// followed by another stamped line and never need copying.
    private var skipped: [UInt8] = []
    private var skippedView: UnsafeBufferPointer<UInt8>?
    private var skippedLineNumber = 0
    private var skippedIsLast = false

    /// A reader for `file`; the component defaults to the folder under `Logs/` in its path.
    public init(file: String, component: String? = nil, options: Options = Options()) {
        self.file = file
        self.component = component ?? Self.component(forPath: file)
        self.options = options
        parser = LogLineParser(timeZone: options.timeZone)
        builder = EntryBuilder(file: file, component: self.component)
    }

    /// An entry as read, before any of its strings are made: its first line's bytes — valid
    /// only during the call that hands it over — its time and where its fields stand. Analysis
    /// classifies the message's bytes and builds a `LogEntry` (`EntryBuilder`) only for the few
    /// it keeps.
    public struct RawEntry {
        /// When it was written (time-only stamps dated as `LogEntry.time` is).
        public let time: Date?
        /// The first line, without its CR, cut at `maxLineLength`: lent, not owned.
        public let line: UnsafeBufferPointer<UInt8>
        /// Where the fields after the stamp start; nil for an unstamped entry (the file's first
        /// lines before any stamp), whose message is the whole line.
        public let fieldsStart: Int?
        /// Where the message starts in `line`.
        public let messageStart: Int
        /// The line number the entry starts on.
        public let lineNumber: Int
        /// Whether a line was cut or continuation lines dropped.
        public let isTruncated: Bool
        /// The continuation lines kept.
        public let continuation: [String]

        /// The message's bytes (what `LogEntry.message` decodes).
        public var message: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: line[messageStart...]) }
    }

    /// Makes the `LogEntry` of a raw entry (or of its bytes kept elsewhere), exactly as the
    /// reader would have: the same strings, the same time. Not thread-safe (it caches loggers).
    public final class EntryBuilder {
        private var parser = LogLineParser()
        private let file: String
        private let component: String

        /// A builder for the entries of `file`, attributed to `component`.
        public init(file: String, component: String) {
            self.file = file
            self.component = component
        }

        /// The entry of `raw`.
        public func entry(_ raw: RawEntry) -> LogEntry {
            entry(line: raw.line, fieldsStart: raw.fieldsStart, time: raw.time, lineNumber: raw.lineNumber,
                  isTruncated: raw.isTruncated, continuation: raw.continuation)
        }

        /// The entry of a raw entry's parts (`line` as `RawEntry.line` was).
        public func entry(line: UnsafeBufferPointer<UInt8>, fieldsStart: Int?, time: Date?, lineNumber: Int,
                          isTruncated: Bool, continuation: [String]) -> LogEntry {
            let source = SourceRef(file: file, line: lineNumber)
            guard let fieldsStart else {
                return LogEntry(time: nil, message: String(decoding: line, as: UTF8.self), continuation: continuation,
                                component: component, source: source, isTruncated: isTruncated)
            }
            let fields = parser.fields(after: fieldsStart, in: line)
            let (thread, logger, message) = parser.strings(fields, in: line)
            return LogEntry(time: time, level: fields.level, thread: thread, logger: logger, message: message,
                            continuation: continuation, component: component, source: source, isTruncated: isTruncated)
        }
    }

    /// An entry held as bytes in `heldBytes`.
    private struct Held {
        var start: Int
        var count: Int
        var time: Date?
        var timeOfDay: Double?
        var fieldsStart: Int?
        var messageStart: Int
        var lineNumber: Int
        var isTruncated: Bool
        var continuation: [String] = []
    }

    /// The component a log belongs to: the folder after `Logs/` (`Logs/Licensing Service/x.log`
    /// → "Licensing Service"), else the file's folder; `""` when there is none.
    public static func component(forPath path: String) -> String {
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).map(String.init)
        if let logs = parts.lastIndex(where: { $0.lowercased() == "logs" }), logs + 1 < parts.count - 1 {
            return parts[logs + 1]
        }
        return parts.count >= 2 ? parts[parts.count - 2] : ""
    }

    /// Every entry of a log held in memory.
    public static func entries(in data: Data, file: String, component: String? = nil,
                               options: Options = Options()) -> [LogEntry] {
        var reader = LogReader(file: file, component: component, options: options)
        var entries: [LogEntry] = []
        data.withUnsafeBytes { reader.feed($0) { entries.append($0) } }
        reader.finish { entries.append($0) }
        return entries
    }

    /// Calls `body` with each entry of the file at `path`, read in 1 MiB chunks.
    public static func forEachEntry(inFile path: String, file: String? = nil, component: String? = nil,
                                    options: Options = Options(), _ body: (LogEntry) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ParseError(.io, file: file ?? path, "cannot open the log file")
        }
        defer { try? handle.close() }
        var reader = LogReader(file: file ?? path, component: component, options: options)
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw ParseError(.io, file: file ?? path, "reading failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            try chunk.withUnsafeBytes { try reader.feed($0, body) }
        }
        try reader.finish(body)
    }

    /// What `keepLine` says of the whole lines of one UTF-8 chunk, decided ahead of `feed` —
    /// on another thread — by `decide(_:options:)`, so that `feed` need not ask it again.
    public struct LineDecisions: Sendable {
        /// The chunk offsets of the lines decided: from just after the chunk's first newline to
        /// just after its last (the lines before and after may continue in other chunks).
        public let covered: Range<Int>
        /// The offsets of those lines' starts that are not skipped, ascending.
        public let kept: [Int]
    }

    /// Decides for each whole line of `chunk` (UTF-8) what `feed` would: a line that starts with
    /// a digit and for which `options.keepLine` is false is skipped (seen, as `feed` sees it,
    /// without its CR and cut to `maxLineLength`). Nil without a `keepLine`.
    public static func decide(_ chunk: UnsafeBufferPointer<UInt8>, options: Options) -> LineDecisions? {
        guard let keepLine = options.keepLine, let base = chunk.baseAddress,
              let first = memchr(base, 0x0A, chunk.count) else { return nil }
        let firstStart = UnsafeRawPointer(first) - UnsafeRawPointer(base) + 1
        var kept: [Int] = []
        var start = firstStart
        while start < chunk.count, let found = memchr(base + start, 0x0A, chunk.count - start) {
            let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            let (line, _) = visible(UnsafeBufferPointer(rebasing: chunk[start..<end]), maxLength: options.maxLineLength)
            if !skips(line, keepLine) { kept.append(start) }
            start = end + 1
        }
        return LineDecisions(covered: firstStart..<start, kept: kept)
    }

    /// Reads the next bytes of the file; calls `emit` for each entry that is complete.
    /// `decisions`, when given, are `decide(_:options:)`'s for these very bytes.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, decisions: LineDecisions? = nil,
                              _ emit: (LogEntry) throws -> Void) rethrows {
        let builder = builder
        try feedRaw(chunk, decisions: decisions) { try emit(builder.entry($0)) }
    }

    /// Ends the file: emits the last entry and any entries held to date time-only stamps.
    public mutating func finish(_ emit: (LogEntry) throws -> Void) rethrows {
        let builder = builder
        try finishRaw { try emit(builder.entry($0)) }
    }

    /// `feed`, handing over entries before any of their strings are made.
    public mutating func feedRaw(_ chunk: UnsafeRawBufferPointer, decisions: LineDecisions? = nil,
                                 _ emit: (RawEntry) throws -> Void) rethrows {
        guard let encoding else {
            head.append(contentsOf: chunk)
            if head.count >= 4096 { try startWithHead(emit) }
            return
        }
        switch encoding {
        case .utf8: try consume(chunk.bindMemory(to: UInt8.self), decisions: decisions, emit)
        case .utf16LE, .utf16BE:
            var utf8: [UInt8] = []
            swap(&utf8, &transcoded)
            utf8.removeAll(keepingCapacity: true)
            transcoder.decode(chunk, into: &utf8)
            try utf8.withUnsafeBufferPointer { try consume($0, emit) }
            transcoded = utf8
        }
    }

    /// `finish`, handing over entries before any of their strings are made.
    public mutating func finishRaw(_ emit: (RawEntry) throws -> Void) rethrows {
        if encoding == nil { try startWithHead(emit) }
        if !carry.isEmpty || carryOverflow {
            let line = carry
            carry.removeAll()
            try line.withUnsafeBufferPointer {
                try handleLine($0, truncated: carryOverflow, emit)
                keepSkippedBytes()
            }
            carryOverflow = false
        }
        if skippedIsLast { try reviveSkipped(emit) }
        try release(emit)
        try resolveDeferred(emit)
    }

    private mutating func startWithHead(_ emit: (RawEntry) throws -> Void) rethrows {
        let bytes = head
        head = []
        let (detected, bom) = bytes.withUnsafeBytes { TextDecoding.detect($0) }
        encoding = detected
        transcoder = UTF16StreamDecoder(littleEndian: detected != .utf16BE)
        try bytes.withUnsafeBytes { raw in try feedRaw(UnsafeRawBufferPointer(rebasing: raw[bom...]), emit) }
    }

    /// Splits UTF-8 bytes into lines; a partial last line waits in `carry` (capped).
    ///
    /// Not `LineSplitter`, on purpose: this is the analysis' hot path (docs/performance.md),
    /// and its split is not only a split. A line cut by a chunk's end is held, but only up to
    /// `maxLineLength` (the rest is dropped, the entry marked truncated) and without its leading
    /// NULs; a line that needs no carry is handled in place, with the skip the inflating thread
    /// decided for its offset ahead of time (`decisions`). A shared streaming splitter would
    /// need a callback per line and hooks for the cap, the NULs and the decisions: more work per
    /// line on the path whose speed is measured against inflate alone, to save ~20 lines of
    /// `memchr` loop (`LineSplitter.Chunked` is that loop for everyone else).
    private mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, decisions: LineDecisions? = nil,
                                  _ emit: (RawEntry) throws -> Void) rethrows {
        defer { keepSkippedBytes() }
        guard let base = bytes.baseAddress else { return }
        let covered = decisions?.covered ?? 0..<0
        let kept = decisions?.kept ?? []
        var nextKept = 0
        var start = 0
        let count = bytes.count
        while start < count {
            let found = memchr(base + start, 0x0A, count - start)
            let end = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? count
            if !carry.isEmpty || carryOverflow {
                appendToCarry(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                guard found != nil else { return }
                let line = carry
                carry.removeAll(keepingCapacity: true)
                let truncated = carryOverflow
                carryOverflow = false
                try line.withUnsafeBufferPointer {
                    try handleLine($0, truncated: truncated, emit)
                    keepSkippedBytes()
                }
            } else if found == nil {
                appendToCarry(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                return
            } else {
                var skip: Bool?
                if covered.contains(start) {
                    while nextKept < kept.count, kept[nextKept] < start { nextKept += 1 }
                    skip = !(nextKept < kept.count && kept[nextKept] == start)
                }
                try handleLine(UnsafeBufferPointer(rebasing: bytes[start..<end]), truncated: false, skip: skip, emit)
            }
            start = end + 1
        }
    }

    private mutating func appendToCarry(_ piece: UnsafeBufferPointer<UInt8>) {
        // A line's leading NULs are not part of it (`visible`): they do not fill the carry.
        let bytes = carry.isEmpty && !carryOverflow ? UnsafeBufferPointer(rebasing: piece[Self.withoutLeadingNULs(piece)...]) : piece
        let room = options.maxLineLength + 1 - carry.count
        if bytes.count <= room {
            carry.append(contentsOf: bytes)
        } else {
            if room > 0 { carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<room])) }
            carryOverflow = true
        }
    }

    /// A line as entries see it: without leading NULs (the space a crashed writer preallocated,
    /// which the next session writes right after) and its CR, cut to `maxLength` bytes at a
    /// character boundary (and whether it was cut). A line carried over chunks never holds its
    /// leading NULs either (`appendToCarry`), so the cut falls alike.
    @inline(__always)
    private static func visible(_ whole: UnsafeBufferPointer<UInt8>, maxLength: Int) -> (UnsafeBufferPointer<UInt8>, Bool) {
        var raw = whole
        if raw.first == 0 { raw = UnsafeBufferPointer(rebasing: raw[withoutLeadingNULs(raw)...]) }
        var length = raw.count
        if length > 0, raw[length - 1] == 0x0D { length -= 1 }
        guard length > maxLength else { return (UnsafeBufferPointer(rebasing: raw[0..<length]), false) }
        length = maxLength
        while length > 0, raw[length] & 0xC0 == 0x80 { length -= 1 }
        return (UnsafeBufferPointer(rebasing: raw[0..<length]), true)
    }

    /// The index of the first byte that is not NUL (`bytes.count` when none is).
    @inline(__always)
    private static func withoutLeadingNULs(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = 0
        while start < bytes.count, bytes[start] == 0 { start += 1 }
        return start
    }

    /// Whether `keepLine` skips a line: only stamped lines (they start with a digit) are asked.
    @inline(__always)
    private static func skips(_ line: UnsafeBufferPointer<UInt8>, _ keepLine: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard let first = line.first, first >= 0x30 && first <= 0x39 else { return false }
        return !keepLine(line)
    }

    /// One line; `skip` is what `decide` found for it, when it was decided ahead.
    private mutating func handleLine(_ raw: UnsafeBufferPointer<UInt8>, truncated: Bool, skip decided: Bool? = nil,
                                     _ emit: (RawEntry) throws -> Void) rethrows {
        lineNumber += 1
        let (line, wasCut) = Self.visible(raw, maxLength: options.maxLineLength)
        let cut = truncated || wasCut
        let length = line.count
        let skip = decided ?? options.keepLine.map { Self.skips(line, $0) } ?? false
        if skip {
            // Most likely a stamped line that says nothing analysis keys on: close the entry
            // before it and remember this one cheaply, in case a stack trace follows.
            try release(emit)
            skippedView = line
            skippedLineNumber = lineNumber
            skippedIsLast = true
            return
        }
        let parsed = parser.parseStamp(line)
        if skippedIsLast {
            skippedIsLast = false
            defer { skippedView = nil }
            if parsed == nil, !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                try reviveSkipped(emit)  // a continuation line: its entry is needed after all
            }
        }
        if let (stamp, fieldsStart) = parsed {
            var timeOfDay: Double?
            var time: Date?
            switch stamp {
            case .absolute(let seconds): time = Date(timeIntervalSince1970: seconds)
            case .timeOfDay(let seconds): timeOfDay = seconds
            }
            let messageStart = parser.fields(after: fieldsStart, in: line).messageStart
            try release(emit)
            pending = Held(start: heldBytes.count, count: length, time: time, timeOfDay: timeOfDay, fieldsStart: fieldsStart,
                           messageStart: messageStart, lineNumber: lineNumber, isTruncated: cut)
            heldBytes.append(contentsOf: line)
            pendingBytes = 0
            return
        }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        if pending == nil {
            pendingBytes = 0
            pending = Held(start: heldBytes.count, count: length, time: nil, timeOfDay: nil, fieldsStart: nil,
                           messageStart: 0, lineNumber: lineNumber, isTruncated: cut)
            heldBytes.append(contentsOf: line)
            return
        }
        if let count = pending?.continuation.count, count < options.maxContinuationLines,
           pendingBytes + length <= 4 * options.maxLineLength {
            pendingBytes += length
            pending?.continuation.append(String(decoding: line, as: UTF8.self))
            if cut { pending?.isTruncated = true }
        } else {
            pending?.isTruncated = true
        }
    }

    /// Builds the entry of the last skipped line after all (a continuation follows, or the file ends).
    private mutating func reviveSkipped(_ emit: (RawEntry) throws -> Void) rethrows {
        skippedIsLast = false
        let line = skippedView.map(Array.init) ?? skipped
        skippedView = nil
        let number = lineNumber
        lineNumber = skippedLineNumber - 1
        let keep = options.keepLine
        options.keepLine = nil
        try line.withUnsafeBufferPointer { try handleLine($0, truncated: false, emit) }
        options.keepLine = keep
        lineNumber = number
    }

    /// Copies the skipped line out of bytes that are about to be taken back.
    private mutating func keepSkippedBytes() {
        guard let view = skippedView else { return }
        skippedView = nil
        guard skippedIsLast else { return }
        skipped.removeAll(keepingCapacity: true)
        skipped.append(contentsOf: view)
    }

    /// Emits the pending entry, or holds it while time-only entries wait for their dates.
    private mutating func release(_ emit: (RawEntry) throws -> Void) rethrows {
        guard let item = pending else { return }
        pending = nil
        if item.timeOfDay != nil || !deferred.isEmpty {
            deferred.append(item)
        } else {
            try heldBytes.withUnsafeBufferPointer { try emit(Self.raw(item, in: $0)) }
            heldBytes.removeAll(keepingCapacity: true)
        }
    }

    /// The raw entry of a held one, its line in `bytes` (`heldBytes`).
    @inline(__always)
    private static func raw(_ item: Held, in bytes: UnsafeBufferPointer<UInt8>) -> RawEntry {
        RawEntry(time: item.time, line: UnsafeBufferPointer(rebasing: bytes[item.start..<(item.start + item.count)]),
                 fieldsStart: item.fieldsStart, messageStart: item.messageStart, lineNumber: item.lineNumber,
                 isTruncated: item.isTruncated, continuation: item.continuation)
    }

    /// Dates time-only entries from the file's modification time, counting midnights back:
    /// a stamp more than an hour earlier than the one before it starts a new day.
    private mutating func resolveDeferred(_ emit: (RawEntry) throws -> Void) rethrows {
        guard !deferred.isEmpty else { return }
        var dayIndex: [Int] = []
        var day = 0
        var previous: Double?
        for item in deferred {
            if let time = item.timeOfDay {
                if let last = previous, time < last - 3600 { day += 1 }
                previous = time
            }
            dayIndex.append(day)
        }
        if let modified = options.fileModified, let lastTime = previous {
            let seconds = Int(modified.timeIntervalSince1970.rounded(.down))
            let local = seconds + options.timeZone.secondsFromGMT(for: modified)
            let referenceDay = LicensingDate.floorDiv(local, 86_400)
            let referenceTime = Double(local - referenceDay * 86_400)
            let lastDay = lastTime > referenceTime + 60 ? referenceDay - 1 : referenceDay
            for position in deferred.indices {
                guard let time = deferred[position].timeOfDay else { continue }
                let localDay = lastDay - (day - dayIndex[position])
                let whole = Int(time.rounded(.down))
                let utc = parser.utcSeconds(fromLocal: localDay * 86_400 + whole)
                deferred[position].time = Date(timeIntervalSince1970: Double(utc) + time - Double(whole))
            }
        }
        try heldBytes.withUnsafeBufferPointer { bytes in
            for item in deferred { try emit(Self.raw(item, in: bytes)) }
        }
        deferred.removeAll()
        heldBytes.removeAll(keepingCapacity: true)
    }
}
