import Foundation
import LicensingModel

/// Pulls values out of a recognised log message: status codes, usage fields, hosts, HTTP codes.
enum LogFieldScanner {
    /// The status after "LicenseStatus Returned": a code (`110`) or a name (`NotEntitled`).
    static func statusCode(after start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = start
        while index < bytes.count, isStatusSeparator(bytes[index]) { index += 1 }
        var end = index
        let negative = end < bytes.count && bytes[end] == 0x2D
        if negative { end += 1 }
        let digits = end
        while end < bytes.count, LicensingDate.isDigit(bytes[end]) { end += 1 }
        // What `Int(String)` makes of the sign and digits, without the string: nil for a bare
        // sign or a number that does not fit, which then reads as a name, as it did.
        if end > digits, let code = decimal(UnsafeBufferPointer(rebasing: bytes[digits..<end]), negative: negative) {
            return code
        }
        while end < bytes.count, isLetter(bytes[end]) { end += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
        return LicenseStatus(name: name)?.code
    }

    @inline(__always)
    private static func isStatusSeparator(_ byte: UInt8) -> Bool {
        byte == 0x3A || byte == 0x20 || byte == 0x3D || byte == 0x09 || byte == 0x22
    }

    /// The value of ASCII digits (nil when it overflows `Int`), negated when `negative`.
    @inline(__always)
    private static func decimal(_ digits: UnsafeBufferPointer<UInt8>, negative: Bool) -> Int? {
        var value = 0
        for digit in digits {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) = negative ? times.subtractingReportingOverflow(Int(digit &- 0x30))
                : times.addingReportingOverflow(Int(digit &- 0x30))
            guard !overflowTimes, !overflowAdd else { return nil }
            value = next
        }
        return value
    }

    /// The country, usage type and product of "UsageLogEntry data: {…,country:GB,usageType:…}".
    static func usageRecord(after start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> LogSignal {
        var index = start
        while index < bytes.count, bytes[index] != 0x7B { index += 1 }
        var cursor = index < bytes.count ? index + 1 : start
        var country: String?
        var usageType: String?
        var productId: Int?
        while cursor < bytes.count, bytes[cursor] != 0x7D {
            var pairEnd = cursor
            while pairEnd < bytes.count, bytes[pairEnd] != 0x2C, bytes[pairEnd] != 0x7D { pairEnd += 1 }
            var separator = cursor
            while separator < pairEnd, bytes[separator] != 0x3A, bytes[separator] != 0x3D { separator += 1 }
            if separator < pairEnd {
                let key = trimmed(cursor..<separator, in: bytes)
                let value = trimmed((separator + 1)..<pairEnd, in: bytes)
                if !value.isEmpty {
                    if country == nil, matchesAny(key, in: bytes, countryKeys) {
                        country = text(value, in: bytes)
                    } else if usageType == nil, matchesAny(key, in: bytes, usageTypeKeys) {
                        usageType = text(value, in: bytes)
                    } else if productId == nil, matchesAny(key, in: bytes, productKeys) {
                        productId = Int(text(value, in: bytes))
                    }
                }
            }
            cursor = pairEnd < bytes.count && bytes[pairEnd] == 0x2C ? pairEnd + 1 : pairEnd
        }
        return .usageRecord(country: country, usageType: usageType, productId: productId)
    }

    /// `range` without surrounding blanks and quotes.
    private static func trimmed(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        func isTrim(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x22 || byte == 0x27 }
        while lower < upper, isTrim(bytes[lower]) { lower += 1 }
        while upper > lower, isTrim(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private static func matchesAny(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, _ keys: [[UInt8]]) -> Bool {
        keys.contains { key in
            key.count == range.count && ByteSearch.matches(key, in: bytes, at: range.lowerBound, caseInsensitive: true)
        }
    }

    /// The usage record's keys, lower case.
    private static let countryKeys: [[UInt8]] = ["country", "usagecountryiso", "usagecountry"].map { Array($0.utf8) }
    private static let usageTypeKeys: [[UInt8]] = [Array("usagetype".utf8)]
    private static let productKeys: [[UInt8]] = [Array("productid".utf8)]

    private static func text(_ range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The host a message names: after `://`, else a `….bentley.com` name; in lower case.
    /// The decimal number that ends just before `index` (blanks between), e.g. the `3` of
    /// "3 logs failed to post"; nil when there is none.
    static func number(before index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var end = min(index, bytes.count)
        while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
        var start = end
        while start > 0, end - start < 9, (0x30...0x39).contains(bytes[start - 1]) { start -= 1 }
        guard start < end else { return nil }
        return Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// The host of the URL at `from` when it is one of Bentley's (`….bentley.com`); nil otherwise.
    static func bentleyHost(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> String? {
        guard let host = host(in: bytes, from: from), host.hasSuffix(".bentley.com") else { return nil }
        return host
    }

    /// The host of the first URL at or after `from` (or anywhere), else a `….bentley.com` name.
    static func host(in bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) -> String? {
        var range: Range<Int>?
        if let scheme = ByteSearch.find(Array("://".utf8), in: bytes, from: from, caseInsensitive: false) {
            var end = scheme + 3
            var start = end
            while end < bytes.count, isHostByte(bytes[end]) || bytes[end] == 0x40 {
                if bytes[end] == 0x40 { start = end + 1 }
                end += 1
            }
            if end > start { range = start..<end }
        }
        if range == nil, let domain = ByteSearch.find(Array(".bentley.com".utf8), in: bytes, caseInsensitive: true) {
            var start = domain
            while start > 0, isHostByte(bytes[start - 1]) { start -= 1 }
            range = start..<(domain + ".bentley.com".utf8.count)
        }
        return range.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self).lowercased() }
    }

    private static let reasons = [
        "unauthorized", "forbidden", "proxy authentication", "not found", "bad request",
        "internal server error", "service unavailable", "bad gateway", "gateway timeout", "too many requests",
    ]
    /// Each reason after a blank, bare or in parentheses: " unauthorized", " (unauthorized".
    private static let reasonPhrases: [[UInt8]] = reasons.flatMap { [Array(" \($0)".utf8), Array(" (\($0)".utf8)] }
    private static let contextWords: [[UInt8]] = ["http", "status", "code"].map { Array($0.utf8) }
    /// The words without which no HTTP status is recognised (for `LogPrefilter`).
    static var httpTriggers: [String] { ["http", "status", "code"] + reasons }
    /// How many of `httpTriggers` come first and stand before their number (the rest follow it).
    static let httpContextWordCount = 3

    /// HTTP status codes (any case): a 3-digit number from 100 to 599 after "HTTP"/"status"/"code", in
    /// parentheses before a reason phrase, or followed by a reason phrase — looked for only where
    /// they may stand: the classifier passes the 40 bytes after each HTTP word and the few bytes
    /// before each reason it found.
    static func httpStatuses(in bytes: UnsafeBufferPointer<UInt8>, within regions: [Range<Int>]) -> [Int] {
        var statuses: [Int] = []
        for region in regions {
            forEachHTTPStatus(in: bytes, within: region) { value in
                if !statuses.contains(value) { statuses.append(value) }
                return true
            }
        }
        return statuses
    }

    /// Whether `httpStatuses(in:within: [region])` would find anything (stops at the first).
    static func hasHTTPStatus(in bytes: UnsafeBufferPointer<UInt8>, within region: Range<Int>) -> Bool {
        var found = false
        forEachHTTPStatus(in: bytes, within: region) { _ in
            found = true
            return false
        }
        return found
    }

    /// Calls `body` with each HTTP status in one region, in order, while it returns true.
    @inline(__always)
    static func forEachHTTPStatus(in bytes: UnsafeBufferPointer<UInt8>, within region: Range<Int>,
                                          _ body: (Int) -> Bool) {
        let count = bytes.count
        var index = max(0, region.lowerBound)
        // Start at a number's beginning: back up over digits the region cut into.
        while index > 0, LicensingDate.isDigit(bytes[index - 1]) { index -= 1 }
        let stop = min(count, region.upperBound)
        while index < stop, index + 3 <= count {
            guard LicensingDate.isDigit(bytes[index]) else { index += 1; continue }
            var end = index
            while end < count, LicensingDate.isDigit(bytes[end]) { end += 1 }
            defer { index = end }
            guard end - index == 3 else { continue }
            let value = Int(bytes[index] &- 0x30) * 100 + Int(bytes[index + 1] &- 0x30) * 10
                + Int(bytes[index + 2] &- 0x30)
            guard (100...599).contains(value) else { continue }
            let before = index > 0 ? bytes[index - 1] : 0x20
            let after = end < count ? bytes[end] : 0x20
            let afterIsDecimal = after == 0x2E && end + 1 < count && LicensingDate.isDigit(bytes[end + 1])
            guard !isLetter(before), before != 0x2E, before != 0x2C, before != 0x2D, !isLetter(after), !afterIsDecimal
            else { continue }
            let windowStart = max(0, index - 40)
            let window = UnsafeBufferPointer(rebasing: bytes[windowStart..<index])
            let hasContext = contextWords.contains { ByteSearch.find($0, in: window, caseInsensitive: true) != nil }
            // "(401) Unauthorized", "401 Unauthorized", "403 (Forbidden)"
            let reasonStart = after == 0x29 ? end + 1 : end
            let hasReason = reasonPhrases.contains {
                ByteSearch.matches($0, in: bytes, at: reasonStart, caseInsensitive: true)
            }
            if hasContext || hasReason, !body(value) { return }
        }
    }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    @inline(__always)
    private static func isHostByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || LicensingDate.isDigit(byte) || byte == 0x2E || byte == 0x2D
    }

}
