import Foundation
import LicensingModel

/// Recognises one stamped log line (CLIENT-MODEL §9), by hand over bytes.
///
/// Stamps: log4net `2026-11-20 10:15:22,123` (local time in `timeZone`), ISO-8601
/// `2026-11-20T10:15:22.123+01:00` (its own offset; none means local), and time-only
/// `10:15:22` (the date is the caller's). After the stamp, in any order: `[thread]`, a level
/// (`INFO`, `[ERROR]`…), then `Logger - message` or just the message. A line without a stamp
/// is not an entry: it continues the previous one.
public struct LogLineParser {
    /// What a stamp said.
    enum Stamp {
        /// A full date and time, in seconds since 1970 (UTC).
        case absolute(Double)
        /// Only a time of day, in seconds since local midnight.
        case timeOfDay(Double)
    }

    /// A recognised line before it becomes an entry.
    struct Line {
        var stamp: Stamp
        var level: String?
        var thread: String?
        var logger: String?
        var message: String
    }

    /// The machine's zone, for stamps without an offset.
    public let timeZone: TimeZone
    /// The day (in `timeZone`) given to time-only stamps; nil leaves their `time` nil.
    public var dayForTimeOnly: Date?
    private var converter: LocalTimeConverter
    private var loggers: [(bytes: [UInt8], name: String)] = []

    /// A parser for logs written in `timeZone`.
    public init(timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current, dayForTimeOnly: Date? = nil) {
        self.timeZone = timeZone
        self.dayForTimeOnly = dayForTimeOnly
        converter = LocalTimeConverter(timeZone: timeZone)
    }

    /// The entry a stamped line starts, or nil when the line has no stamp (a continuation).
    public mutating func parse(_ line: String, source: SourceRef, component: String) -> LogEntry? {
        var line = line
        let parsed = line.withUTF8 { parseLine($0) }
        guard let parsed else { return nil }
        var time: Date?
        switch parsed.stamp {
        case .absolute(let seconds): time = Date(timeIntervalSince1970: seconds)
        case .timeOfDay(let seconds):
            if let day = dayForTimeOnly {
                time = Date(timeIntervalSince1970: localDayStart(of: day) + seconds)
            }
        }
        return LogEntry(time: time, level: parsed.level, thread: parsed.thread, logger: parsed.logger,
                        message: parsed.message, component: component, source: source)
    }

    /// UTC seconds of local midnight of `date`'s day in `timeZone`.
    mutating func localDayStart(of date: Date) -> Double {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let local = seconds + timeZone.secondsFromGMT(for: date)
        let midnight = LicensingDate.floorDiv(local, 86_400) * 86_400
        return Double(converter.utcSeconds(fromLocal: midnight))
    }

    /// UTC seconds for local wall-clock seconds.
    mutating func utcSeconds(fromLocal local: Int) -> Int { converter.utcSeconds(fromLocal: local) }

    /// Parses the bytes of one line (no terminator).
    mutating func parseLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Line? {
        guard let (stamp, start) = parseStamp(bytes) else { return nil }
        let found = fields(after: start, in: bytes)
        let (thread, logger, message) = strings(found, in: bytes)
        return Line(stamp: stamp, level: found.level, thread: thread, logger: logger, message: message)
    }

    /// The stamp a line starts with and where the fields after it start; nil when the line has
    /// no stamp (a continuation).
    mutating func parseStamp(_ bytes: UnsafeBufferPointer<UInt8>) -> (stamp: Stamp, fieldsStart: Int)? {
        let count = bytes.count
        guard count >= 8 else { return nil }
        var index = 0
        let bracketed = bytes[0] == 0x5B
        if bracketed { index = 1 }
        guard index + 8 <= count, LicensingDate.isDigit(bytes[index]), LicensingDate.isDigit(bytes[index + 1])
        else { return nil }
        let stamp: Stamp
        if bytes[index + 2] == 0x3A {
            var cursor = index
            guard let time = LicensingDate.scanTime(bytes, &cursor), cursor - index >= 8 else { return nil }
            stamp = .timeOfDay(Double(time.hour * 3600 + time.minute * 60 + time.second) + time.fraction)
            index = cursor
        } else {
            guard index + 10 <= count, bytes[index + 4] == 0x2D,
                  let fields = LicensingDate.scan(bytes, from: index, dateOnlyAllowed: false)
            else { return nil }
            index += fields.length
            let utc = fields.offset.map { fields.wallSeconds - $0 } ?? converter.utcSeconds(fromLocal: fields.wallSeconds)
            stamp = .absolute(Double(utc) + fields.fraction)
        }
        if bracketed {
            guard index < count, bytes[index] == 0x5D else { return nil }
            index += 1
        }
        guard index == count || isSeparator(bytes[index]) else { return nil }
        return (stamp, index)
    }

    /// Where a stamped line's fields stand (nothing allocated): its level, thread, logger and
    /// the start of its message.
    struct Fields {
        var level: String?
        var thread: Range<Int>?
        var logger: Range<Int>?
        var messageStart: Int
    }

    /// The fields after a stamp, from `start` (`parseStamp`'s `fieldsStart`).
    func fields(after start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Fields {
        let count = bytes.count
        var index = skipBlanks(bytes, start)
        if index < count, bytes[index] == 0x7C || bytes[index] == 0x2D, index + 1 < count, bytes[index + 1] == 0x20 {
            index = skipBlanks(bytes, index + 1)
        }
        var level: String?
        var thread: Range<Int>?
        for _ in 0..<3 where index < count {
            if bytes[index] == 0x5B {
                guard let close = firstIndex(of: 0x5D, in: bytes, from: index + 1, limit: 80) else { break }
                let inner = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<close])
                if level == nil, let known = Self.level(inner) {
                    level = known
                } else if thread == nil {
                    thread = (index + 1)..<close
                } else {
                    break
                }
                index = skipBlanks(bytes, close + 1)
            } else if level == nil {
                var end = index
                while end < count, bytes[end] != 0x20, bytes[end] != 0x09, end - index < 12 { end += 1 }
                var wordEnd = end
                if wordEnd > index, bytes[wordEnd - 1] == 0x3A { wordEnd -= 1 }
                guard let known = Self.level(UnsafeBufferPointer(rebasing: bytes[index..<wordEnd])) else { break }
                level = known
                index = skipBlanks(bytes, end)
            } else {
                break
            }
        }
        if index + 1 < count, bytes[index] == 0x7C, bytes[index + 1] == 0x20 { index = skipBlanks(bytes, index + 1) }
        var logger: Range<Int>?
        var messageStart = index
        if let dash = loggerSeparator(in: bytes, from: index) {
            logger = index..<dash
            messageStart = dash + 3
        }
        return Fields(level: level, thread: thread, logger: logger, messageStart: messageStart)
    }

    /// The strings of a line's fields: thread, logger (a recently seen one's `String` reused)
    /// and message.
    mutating func strings(_ fields: Fields, in bytes: UnsafeBufferPointer<UInt8>)
        -> (thread: String?, logger: String?, message: String) {
        let thread = fields.thread.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        let logger = fields.logger.map { loggerName(UnsafeBufferPointer(rebasing: bytes[$0])) }
        let message = String(decoding: UnsafeBufferPointer(rebasing: bytes[fields.messageStart..<bytes.count]), as: UTF8.self)
        return (thread, logger, message)
    }

    /// The position of ` - ` ending a logger name: no blank before it, within 200 bytes.
    /// The first blank is found with `memchr`, then the name checked for a tab.
    private func loggerSeparator(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let limit = min(bytes.count - 2, start + 200)
        guard start < limit, let base = bytes.baseAddress,
              let blank = memchr(base + start, 0x20, limit - start) else { return nil }
        let index = UnsafeRawPointer(blank) - UnsafeRawPointer(base)
        guard index > start, memchr(base + start, 0x09, index - start) == nil else { return nil }
        return bytes[index + 1] == 0x2D && bytes[index + 2] == 0x20 ? index : nil
    }

    /// The logger's name, reusing the `String` of a recently seen one.
    private mutating func loggerName(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        for cached in loggers where cached.bytes.count == bytes.count {
            let same = cached.bytes.withUnsafeBufferPointer { known -> Bool in
                guard let first = known.baseAddress, let second = bytes.baseAddress else { return true }
                return memcmp(first, second, bytes.count) == 0
            }
            if same {
                return cached.name
            }
        }
        let name = String(decoding: bytes, as: UTF8.self)
        if loggers.count >= 32 { loggers.removeFirst() }
        loggers.append((Array(bytes), name))
        return name
    }

    private static let levels: [String] = [
        "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "VERBOSE", "NOTICE", "CRITICAL",
        "INF", "DBG", "WRN", "ERR", "FTL", "VRB",
    ]
    private static let levelBytes: [[UInt8]] = levels.map { Array($0.utf8) }

    /// The level a word names (any case), as a shared upper-case string.
    static func level(_ word: UnsafeBufferPointer<UInt8>) -> String? {
        guard (3...8).contains(word.count) else { return nil }
        outer: for (position, candidate) in levelBytes.enumerated() where candidate.count == word.count {
            for offset in 0..<word.count where word[offset] & 0xDF != candidate[offset] { continue outer }
            return levels[position]
        }
        return nil
    }

    @inline(__always)
    private func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x7C || byte == 0x5D || byte == 0x3A
    }

    @inline(__always)
    private func skipBlanks(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        return index
    }

    private func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int? {
        var index = from
        let end = min(bytes.count, from + limit)
        while index < end {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}
