import CollectKit
import Foundation

/// Checks on `--root` and `--output` made before collecting, so a mistake is one plain line.
enum ClientRootCheck {
    /// The folders a client root (a system drive's layout) has at least one of.
    static let markers = ["users", "programdata", "program files", "program files (x86)", "windows"]

    /// Why `root` is not a client root, or nil when it looks like one.
    static func problem(_ root: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil  // the collector says "not a folder" itself
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).map { $0.lowercased() }
        guard !names.contains(where: markers.contains) else { return nil }
        return "\(root) is not a client root: it has no Users, ProgramData, Program Files or Windows folder "
            + "(--root names a folder laid out like the system drive, e.g. /mnt/c)"
    }

    /// Why `path` cannot be written, or nil.
    static func cannotWrite(_ path: String) -> String? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            return "the folder \(folder) does not exist"
        }
        return isDirectory.boolValue ? nil : "\(folder) is not a folder"
    }
}

/// logcollect's lines on standard error: progress that fits 80 columns, and the last line.
enum ProgressText {
    /// The text wrapped at spaces to 80 columns (a word longer than a line stays whole, and so
    /// does a `loganalyze FILE` command, to be copied in one piece); past `maxLines`, cut there
    /// with a line that says the rest is in the bundle's manifest.
    static func wrap(_ text: String, width: Int = 80, first: String, rest: String, maxLines: Int = .max) -> String {
        var lines: [String] = []
        var line = first
        var empty = true
        let glue: Character = "\u{1}"
        let glued = text.replacingOccurrences(of: "`loganalyze ", with: "`loganalyze\(glue)")
        for word in glued.split(separator: " ").map({ $0.replacingOccurrences(of: String(glue), with: " ") }) {
            if !empty, line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines)) + [rest + "… (all of it in manifest.json in the bundle)"]
        }
        return lines.joined(separator: "\n")
    }

    /// `wrote FILE (1.2 MB, 48 files); send this file to Bentley support, or run …`.
    static func finalLine(_ summary: CollectSummary) -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: summary.output)[.size] as? NSNumber)?.int64Value
        let sizeText = size.map { ByteCountFormatter.string(fromByteCount: $0, countStyle: .file) + ", " } ?? ""
        let short = summary.sources.filter(\.outcome.isShortfall).map { "\($0.name) \($0.outcome.rawValue)" }
        let partial = short.isEmpty ? "" : "; \(short.joined(separator: ", ")) (manifest.json in it says why)"
        let quoted = summary.output.contains(" ") ? "'\(summary.output)'" : summary.output
        return "wrote \(summary.output) (\(sizeText)\(summary.entries) files)\(partial); "
            + "send this file to Bentley support, or run `loganalyze \(quoted)`"
    }
}
