import Foundation
import LicensingModel

/// Pulls values out of a recognised log message: status codes, usage fields, hosts, HTTP codes.
enum LogFieldScanner {
    /// The status after "LicenseStatus Returned": a code (`110`) or a name (`NotEntitled`).
    static func statusCode(after start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = start
        while index < bytes.count, [0x3A, 0x20, 0x3D, 0x09, 0x22].contains(bytes[index]) { index += 1 }
        var end = index
        if end < bytes.count, bytes[end] == 0x2D { end += 1 }
        while end < bytes.count, LicensingDate.isDigit(bytes[end]) { end += 1 }
        if end > index, let code = Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)) {
            return code
        }
        while end < bytes.count, isLetter(bytes[end]) { end += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
        return LicenseStatus(name: name)?.code
    }

    /// The country, usage type and product of "UsageLogEntry data: {…,country:GB,usageType:…}".
    static func usageRecord(after start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> LogSignal {
        var index = start
        while index < bytes.count, bytes[index] != 0x7B { index += 1 }
        let body = index < bytes.count ? index + 1 : start
        var end = body
        while end < bytes.count, bytes[end] != 0x7D { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[body..<end]), as: UTF8.self)
        var country: String?
        var usageType: String?
        var productId: Int?
        for pair in text.split(separator: ",") {
            guard let separator = pair.firstIndex(where: { $0 == ":" || $0 == "=" }) else { continue }
            let key = clean(pair[..<separator]).lowercased()
            let value = clean(pair[pair.index(after: separator)...])
            guard !value.isEmpty else { continue }
            switch key {
            case "country", "usagecountryiso", "usagecountry": country = country ?? value
            case "usagetype": usageType = usageType ?? value
            case "productid": productId = productId ?? Int(value)
            default: break
            }
        }
        return .usageRecord(country: country, usageType: usageType, productId: productId)
    }

    /// The host a message names: after `://`, else a `….bentley.com` name.
    static func host(in lowered: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>) -> String? {
        if let scheme = ByteSearch.find(Array("://".utf8), in: lowered, caseInsensitive: false) {
            var end = scheme + 3
            var start = end
            while end < lowered.count, isHostByte(lowered[end]) || lowered[end] == 0x40 {
                if lowered[end] == 0x40 { start = end + 1 }
                end += 1
            }
            if end > start { return String(decoding: UnsafeBufferPointer(rebasing: lowered[start..<end]), as: UTF8.self) }
        }
        if let domain = ByteSearch.find(Array(".bentley.com".utf8), in: lowered, caseInsensitive: false) {
            var start = domain
            while start > 0, isHostByte(lowered[start - 1]) { start -= 1 }
            let end = domain + ".bentley.com".utf8.count
            return String(decoding: UnsafeBufferPointer(rebasing: lowered[start..<end]), as: UTF8.self)
        }
        return nil
    }

    private static let reasons = [
        "unauthorized", "forbidden", "proxy authentication", "not found", "bad request",
        "internal server error", "service unavailable", "bad gateway", "gateway timeout", "too many requests",
    ]
    /// Each reason after a blank, bare or in parentheses: " unauthorized", " (unauthorized".
    private static let reasonPhrases: [[UInt8]] = reasons.flatMap { [Array(" \($0)".utf8), Array(" (\($0)".utf8)] }
    private static let contextWords: [[UInt8]] = ["http", "status", "code"].map { Array($0.utf8) }

    /// HTTP status codes: a 3-digit number from 100 to 599 after "HTTP"/"status"/"code", in
    /// parentheses before a reason phrase, or followed by a reason phrase.
    static func httpStatuses(in lowered: UnsafeBufferPointer<UInt8>) -> [Int] {
        var statuses: [Int] = []
        var index = 0
        let count = lowered.count
        while index + 3 <= count {
            guard LicensingDate.isDigit(lowered[index]) else { index += 1; continue }
            var end = index
            while end < count, LicensingDate.isDigit(lowered[end]) { end += 1 }
            defer { index = end }
            guard end - index == 3 else { continue }
            let value = Int(lowered[index] &- 0x30) * 100 + Int(lowered[index + 1] &- 0x30) * 10
                + Int(lowered[index + 2] &- 0x30)
            guard (100...599).contains(value) else { continue }
            let before = index > 0 ? lowered[index - 1] : 0x20
            let after = end < count ? lowered[end] : 0x20
            let afterIsDecimal = after == 0x2E && end + 1 < count && LicensingDate.isDigit(lowered[end + 1])
            guard !isLetter(before), before != 0x2E, before != 0x2C, before != 0x2D, !isLetter(after), !afterIsDecimal
            else { continue }
            let windowStart = max(0, index - 40)
            let window = UnsafeBufferPointer(rebasing: lowered[windowStart..<index])
            let hasContext = contextWords.contains { ByteSearch.find($0, in: window, caseInsensitive: false) != nil }
            // "(401) Unauthorized", "401 Unauthorized", "403 (Forbidden)"
            let reasonStart = after == 0x29 ? end + 1 : end
            let hasReason = reasonPhrases.contains {
                ByteSearch.matches($0, in: lowered, at: reasonStart, caseInsensitive: false)
            }
            if hasContext || hasReason, !statuses.contains(value) { statuses.append(value) }
        }
        return statuses
    }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    @inline(__always)
    private static func isHostByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || LicensingDate.isDigit(byte) || byte == 0x2E || byte == 0x2D
    }

    private static func clean(_ text: Substring) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'{}"))
    }
}
