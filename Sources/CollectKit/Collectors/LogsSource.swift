import Foundation

/// The logs of every component under the user's `Bentley/Logs/<component>/`, rotated and
/// gzipped ones included, modified since `--since`, each capped to its newest part.
///
/// Newest files come first, so when the whole-bundle cap is reached it is the oldest logs that
/// are left out. Gzipped logs are stored decompressed, so that they can be scrubbed.
public struct LogsSource: CollectorSource {
    public let name = "logs"
    /// Covers reading the logs into the bundle too: up to `--max-bundle-mb` (2 GB) of them,
    /// about a minute on a laptop (docs/performance.md), with room for a slow disk.
    public var timeLimit: Duration { .seconds(600) }
    /// Logs are bounded by `--max-log-mb` per file and the bundle cap as a whole.
    public var sizeLimit: Int64 { .max }

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        let (files, skipped) = try context.machine.files(under: context.logsFolder, recursive: true)
        var result = SourceResult()
        result.problems = skipped
        guard !files.isEmpty || !skipped.isEmpty else { return .missing("no logs under \(context.logsFolder)") }
        let prefix = context.logsFolder + "/"
        var old = 0
        let logs = files.filter { Self.isLog($0.path) }
        for file in logs.sorted(by: { $0.modified > $1.modified }) {
            guard file.modified >= context.logsSince else { old += 1; continue }
            let relative = file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : file.path
            let gzipped = file.path.lowercased().hasSuffix(".gz")
            let path = "logs/" + (gzipped ? String(relative.dropLast(3)) : relative)
            // A log cut (by its own cap, or the bundle's) keeps its newest part.
            let keep = context.maxLogFileBytes ?? .max
            result.entries.append(PlannedEntry(
                path: path,
                content: gzipped ? .gzipFile(file, keepNewest: keep) : .file(file, keepNewest: keep),
                format: .text, source: name,
                note: gzipped ? "decompressed from \((file.path as NSString).lastPathComponent)" : nil))
        }
        if old > 0 {
            result.notes.append("\(old) log file(s) last modified before \(ISO8601DateFormatter().string(from: context.logsSince)) left out")
        }
        let unrecognized = files.count - logs.count
        if unrecognized > 0 { result.notes.append("\(unrecognized) file(s) in the logs folder are not logs; left out") }
        return result
    }

    /// `name.log`, `name.1.log`, `name.log.1`, `name.3.log.gz`, `name.txt`.
    static func isLog(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent.lowercased()
        return name.contains(".log") || name.hasSuffix(".txt")
    }
}
