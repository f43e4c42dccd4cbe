import Foundation

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
        let compact = text.filter { !$0.isWhitespace }
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
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }.lowercased()
        let headerFields = firstLine.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
        if headerFields.count >= 10 && headerFields.contains("ultimateid") && headerFields.contains("productid") { return .usage }
        if compact.hasPrefix("{") && (compact.contains("\"IsLoggedIn\"") || compact.contains("\"SignedInUser\"")
                                      || compact.contains("\"LicenseService\"")) {
            return .connectClient
        }
        if compact.hasPrefix("eyJ") && compact.split(separator: ".").count >= 2 { return .policy }
        if compact.hasPrefix("{") && compact.contains("\"PolicyId\"") { return .policy }
        if lower.hasSuffix(".log") || name.contains(".log.") || lower.contains("/logs/") || looksLikeLog(text) { return .log }
        return nil
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

    /// A text whose lines mostly start with a date stamp.
    private static func looksLikeLog(_ text: String) -> Bool {
        let lines = text.split(separator: "\n").prefix(10)
        guard !lines.isEmpty else { return false }
        let stamped = lines.filter { line in
            let digits = line.prefix(10)
            return digits.count == 10 && digits.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isNumber
            }
        }
        return stamped.count * 2 >= lines.count
    }
}
