import Foundation

/// The date formats of policies, usage logs, events and logs, parsed by hand.
///
/// Thread-safe and allocation-free: no `DateFormatter`. Accepts `2019-11-13T16:09:45.8755003Z`
/// (any number of fraction digits), `2020-11-13T05:59:59.535+00:00`, `2022-04-26T00:00:00` (no
/// zone: UTC), a space instead of `T`, a comma before the fraction, `+0100`/`+01` offsets, a
/// bare date, and .NET's `/Date(1605243599535)/`.
public enum LicensingDate {
    /// The fields of a stamp as written.
    struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var fraction = 0.0
        /// Seconds east of UTC, or nil when the stamp has no zone.
        var offset: Int?
        /// How many bytes the stamp took.
        var length = 0

        /// Seconds since 1970 of the wall-clock fields, as if they were UTC.
        var wallSeconds: Int { LicensingDate.epochSeconds(year, month, day, hour, minute, second) }
    }

    /// A date from ISO-8601-like text; a stamp without a zone is UTC. Nil when not a date.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// A date from the bytes of ISO-8601-like text (surrounding spaces and quotes allowed).
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var start = 0
        var end = bytes.count
        while start < end, isBlankOrQuote(bytes[start]) { start += 1 }
        while end > start, isBlankOrQuote(bytes[end - 1]) { end -= 1 }
        if let date = dotNetDate(bytes, start, end) { return date }
        guard let fields = scan(bytes, from: start, dateOnlyAllowed: true), start + fields.length == end else {
            return nil
        }
        return date(fields, offset: fields.offset ?? 0)
    }

    /// A log4net stamp (`2026-11-20 10:15:22,123`) in the machine's local `timeZone`.
    public static func parseLog4net(_ text: String, timeZone: TimeZone) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard let fields = scan(bytes, from: 0, dateOnlyAllowed: false) else { return nil }
            if let offset = fields.offset { return date(fields, offset: offset) }
            var converter = LocalTimeConverter(timeZone: timeZone)
            let utc = converter.utcSeconds(fromLocal: fields.wallSeconds)
            return Date(timeIntervalSince1970: Double(utc) + fields.fraction)
        }
    }

    /// `2026-11-20T10:00:00Z`, or with milliseconds when the date has them.
    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = Int(seconds.rounded(.down))
        let millis = Int(((seconds - Double(whole)) * 1000).rounded())
        let (year, month, day) = civil(fromDays: floorDiv(whole, 86_400))
        let inDay = whole - floorDiv(whole, 86_400) * 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        var text = "\(year)-\(two(month))-\(two(day))T\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))"
        if millis > 0, millis < 1000 { text += "." + String(String(millis + 1000).dropFirst()) }
        return text + "Z"
    }

    /// Scans a stamp at `from`: `YYYY-MM-DD[(T| )hh:mm[:ss[(.|,)f…]][Z|±hh[:mm]]]`.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, dateOnlyAllowed: Bool) -> Fields? {
        var fields = Fields()
        var index = from
        guard let year = digits(bytes, &index, 4), expect(bytes, &index, 0x2D),
              let month = digits(bytes, &index, 2), expect(bytes, &index, 0x2D),
              let day = digits(bytes, &index, 2),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        (fields.year, fields.month, fields.day) = (year, month, day)
        guard index < bytes.count, bytes[index] == 0x54 || bytes[index] == 0x20 || bytes[index] == 0x74,
              index + 1 < bytes.count, isDigit(bytes[index + 1])
        else {
            fields.length = index - from
            return dateOnlyAllowed ? fields : nil
        }
        index += 1
        guard let time = scanTime(bytes, &index) else { return nil }
        (fields.hour, fields.minute, fields.second, fields.fraction) = time
        fields.offset = scanZone(bytes, &index)
        fields.length = index - from
        return fields
    }

    /// Scans `hh:mm[:ss[(.|,)f…]]` at `index`.
    static func scanTime(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int)
        -> (hour: Int, minute: Int, second: Int, fraction: Double)?
    {
        guard let hour = digits(bytes, &index, 2), expect(bytes, &index, 0x3A),
              let minute = digits(bytes, &index, 2), hour < 24, minute < 60
        else { return nil }
        var second = 0
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 0x3A {
            index += 1
            guard let value = digits(bytes, &index, 2), value <= 60 else { return nil }
            second = value
            if index + 1 < bytes.count, bytes[index] == 0x2E || bytes[index] == 0x2C, isDigit(bytes[index + 1]) {
                index += 1
                var scale = 0.1
                while index < bytes.count, isDigit(bytes[index]) {
                    fraction += Double(bytes[index] &- 0x30) * scale
                    scale *= 0.1
                    index += 1
                }
            }
        }
        return (hour, minute, second, fraction)
    }

    /// Scans `Z`, `±hh:mm`, `±hhmm` or `±hh`; nil (and `index` unchanged) when there is none.
    private static func scanZone(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Int? {
        guard index < bytes.count else { return nil }
        let sign = bytes[index]
        if sign == 0x5A || sign == 0x7A { index += 1; return 0 }
        guard sign == 0x2B || sign == 0x2D else { return nil }
        var cursor = index + 1
        guard let hours = digits(bytes, &cursor, 2), hours <= 14 else { return nil }
        var minutes = 0
        if cursor < bytes.count, bytes[cursor] == 0x3A { cursor += 1 }
        if cursor + 1 < bytes.count, isDigit(bytes[cursor]), isDigit(bytes[cursor + 1]) {
            guard let value = digits(bytes, &cursor, 2), value < 60 else { return nil }
            minutes = value
        } else if cursor > 0, bytes[cursor - 1] == 0x3A {
            return nil
        }
        index = cursor
        let offset = hours * 3600 + minutes * 60
        return sign == 0x2D ? -offset : offset
    }

    private static func dotNetDate(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Date? {
        let prefix: [UInt8] = Array("/Date(".utf8)
        guard end - start > prefix.count + 2,
              ByteSearch.matches(prefix, in: bytes, at: start, caseInsensitive: false)
        else { return nil }
        var index = start + prefix.count
        var negative = false
        if bytes[index] == 0x2D { negative = true; index += 1 }
        var millis = 0
        var count = 0
        while index < end, isDigit(bytes[index]), count < 18 {
            millis = millis * 10 + Int(bytes[index] &- 0x30)
            index += 1
            count += 1
        }
        guard count > 0 else { return nil }
        return Date(timeIntervalSince1970: Double(negative ? -millis : millis) / 1000)
    }

    static func date(_ fields: Fields, offset: Int) -> Date {
        Date(timeIntervalSince1970: Double(fields.wallSeconds - offset) + fields.fraction)
    }

    /// Seconds since 1970 of a UTC wall-clock time (proleptic Gregorian).
    static func epochSeconds(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int,
                             _ second: Int) -> Int {
        days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = floorDiv(shifted, 400)
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func floorDiv(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    private static func isBlankOrQuote(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x22 || byte == 0x0D || byte == 0x0A
    }

    @inline(__always)
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ count: Int) -> Int? {
        guard bytes.count - index >= count else { return nil }
        var value = 0
        for offset in 0..<count {
            let byte = bytes[index + offset]
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte &- 0x30)
        }
        index += count
        return value
    }

    @inline(__always)
    static func expect(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }
}

/// Converts a local wall-clock time to UTC in one time zone, caching the offset per hour.
///
/// One per reader (it is a mutable value); zone transitions fall on hour boundaries, so an
/// hour's offset holds for the whole hour.
struct LocalTimeConverter {
    let timeZone: TimeZone
    private var cachedHour = Int.min
    private var cachedOffset = 0

    init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// UTC seconds since 1970 for local wall-clock seconds since 1970.
    mutating func utcSeconds(fromLocal local: Int) -> Int {
        let hour = LicensingDate.floorDiv(local, 3600)
        if hour == cachedHour { return local - cachedOffset }
        var offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local)))
        let corrected = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - offset)))
        if corrected != offset { offset = corrected }
        cachedHour = hour
        cachedOffset = offset
        return local - offset
    }
}
