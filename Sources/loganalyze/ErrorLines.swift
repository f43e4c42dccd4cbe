import Foundation

/// Errors as one plain line: what failed, in words, never `Error Domain=NSCocoaErrorDomain …`.
enum ErrorLines {
    /// What went wrong with a file, in a few words (`no such file`, `permission denied`).
    static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError {
            if let posix = cocoa.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)).lowercased() }
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "the disk is full"
            case .fileReadCorruptFile, .propertyListReadCorrupt: return "not valid JSON"
            case .fileReadInapplicableStringEncoding: return "not UTF-8 text"
            default: return cocoa.code.rawValue < 512 ? "cannot be read" : "cannot be written"
            }
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)).lowercased() }
        if error is DecodingError { return "not JSON of the expected shape (see docs/rules.md)" }
        let text = "\(error)"
        return text.contains("Error Domain=") ? "failed" : text
    }

    /// Whether `path` can be written as a new file: its folder exists and is a folder. Returns
    /// the one-line reason when not.
    static func cannotWrite(_ path: String) -> String? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            return "the folder \(folder) does not exist"
        }
        guard isDirectory.boolValue else { return "\(folder) is not a folder" }
        guard FileManager.default.isWritableFile(atPath: folder) else { return "the folder \(folder) cannot be written (permission denied)" }
        return nil
    }

    /// Prints `loganalyze: message` on standard error.
    static func print(_ message: String) {
        FileHandle.standardError.write(Data("loganalyze: \(message)\n".utf8))
    }
}

/// Cause codes close to a mistyped one, for "did you mean".
enum ClosestCodes {
    /// Up to three `codes` closest to `wanted` (by edit distance; a code containing it first).
    static func to(_ wanted: String, in codes: [String]) -> [String] {
        let lower = wanted.lowercased()
        let scored = codes.map { code -> (String, Int) in
            let distance = code.contains(lower) || lower.contains(code) ? 0 : editDistance(lower, code)
            return (code, distance)
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
