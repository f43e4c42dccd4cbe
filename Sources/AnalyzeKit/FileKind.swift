import Foundation
import LicensingModel
import LicensingParsers

/// What a bundle file is, recognised by its name **and** its first bytes, so that bundles from
/// other collectors (with other layouts and names) are read as well as logcollect's own.
public enum FileKind: String, Sendable, CaseIterable {
    case manifest, systemInfo = "system-info", policy, checkout, registry, tasklist, events, dotNetConfig = "config",
         store, usage, featureLevels = "feature-levels", entitlements, productStatus = "product-status",
         connectClient = "connect-client", log

    /// Recognises a file from its path and the first few KB of its content; nil when unknown.
    public static func recognise(path: String, head: Data) -> FileKind? {
        let name = (path as NSString).lastPathComponent.lowercased()
        let lower = path.lowercased()
        if head.starts(with: Array("SQLite format 3\0".utf8)) { return .store }
        let text = headText(head)
        // The head without blanks, as UTF-8 bytes: the shape tests below are byte searches (on up
        // to 64 KB per file, for thousands of files in a batch, String searches cost too much).
        let compact = Compact(text)
        // A manifest lists every entry before its sorted `formatVersion` key: known by name and shape.
        if name == "manifest.json" && compact.hasPrefix("{") && (compact.contains("\"formatVersion\"") || compact.contains("\"entries\"")) {
            return .manifest
        }
        if name.hasSuffix(".belic") { return .checkout }
        if compact.hasPrefix("{") && compact.contains("\"kind\":\"checkout\"") { return .checkout }
        if compact.hasPrefix("{") && compact.contains("\"client\":{") && compact.contains("\"collectedAt\"") { return .systemInfo }
        if text.hasPrefix("Windows Registry Editor") || text.hasPrefix("REGEDIT4") { return .registry }
        if compact.hasPrefix("\"ImageName\",\"PID\"") || compact.hasPrefix("ImageName,PID") { return .tasklist }
        if compact.hasPrefix("<Event") || (compact.hasPrefix("<?xml") && compact.contains("<Event")) { return .events }
        if compact.contains("<Entitlements") { return .entitlements }
        if compact.contains("<ProductStatus") { return .productStatus }
        if compact.contains("<FeatureLevelSelector") { return .featureLevels }
        if compact.contains("<configuration") || name.hasSuffix(".exe.config") { return .dotNetConfig }
        let firstLine = text.utf8.prefix { $0 != 0x0A && $0 != 0x0D }
        let headerFields = String(decoding: firstLine, as: UTF8.self).lowercased().split(separator: ",")
            .map { $0.trimmed(CharacterSet(charactersIn: "\" ")) }
        if headerFields.count >= 10 && (headerFields.contains("ultimateid") || headerFields.contains("ultimatesapid"))
            && headerFields.contains("productid") { return .usage }
        if compact.hasPrefix("{") && (compact.contains("\"IsLoggedIn\"") || compact.contains("\"SignedInUser\"")
                                      || compact.contains("\"LicenseService\"")) {
            return .connectClient
        }
        if compact.hasPrefix("eyJ") && compact.bytes.split(separator: 0x2E).count >= 2 { return .policy }
        if compact.hasPrefix("{") && compact.contains("\"PolicyId\"") { return .policy }
        if lower.hasSuffix(".log") || name.contains(".log.") || lower.contains("/logs/") || looksLikeLog(text) { return .log }
        return nil
    }

    /// A text's UTF-8 bytes without ASCII blanks (space, tab, line breaks, form feeds).
    private struct Compact {
        let bytes: [UInt8]

        init(_ text: String) {
            var text = text
            bytes = text.withUTF8 { utf8 in
                var kept: [UInt8] = []
                kept.reserveCapacity(utf8.count)
                for byte in utf8 where !(byte == 0x20 || (0x09...0x0D).contains(byte)) { kept.append(byte) }
                return kept
            }
        }

        func hasPrefix(_ prefix: String) -> Bool { bytes.starts(with: prefix.utf8) }

        func contains(_ needle: String) -> Bool {
            bytes.withUnsafeBufferPointer { ByteSearch.find(Array(needle.utf8), in: $0) != nil }
        }
    }

    /// The first bytes as text, whatever the encoding (UTF-8, UTF-16 with or without BOM).
    static func headText(_ head: Data) -> String {
        var bytes = [UInt8](head)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || (bytes.count > 3 && bytes[1] == 0 && bytes[3] == 0) {
            if bytes.starts(with: [0xFF, 0xFE]) { bytes.removeFirst(2) }
            let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            bytes.removeFirst(2)
            let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A text whose first lines mostly start with a date stamp (`yyyy-MM-dd`).
    private static func looksLikeLog(_ text: String) -> Bool {
        let lines = text.utf8.split(separator: 0x0A, maxSplits: 10).prefix(10)
        guard !lines.isEmpty else { return false }
        let stamped = lines.filter { line in
            let head = Array(line.prefix(10))
            return head.count == 10 && head.enumerated().allSatisfy { index, byte in
                index == 4 || index == 7 ? byte == 0x2D : (0x30...0x39).contains(byte)
            }
        }
        return stamped.count * 2 >= lines.count
    }
}
