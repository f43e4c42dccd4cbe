import Foundation
import LicensingModel

/// What the summaries of a batch count, built line by line from `LineFields`; it keeps one small
/// row per bundle for the page's table and counts for the charts, never a report. BatchKit adds
/// the lines; `SummaryPage` and `text(title:)` render it.
public struct BatchSummary: Sendable {
    /// The label of bundles with no cause at 0.5 or more.
    public static let noCause = "(no cause)"
    /// The label of bundles that could not be read.
    public static let unreadable = "(unreadable)"
    /// The label of an unknown CC version, country or week.
    public static let unknown = "unknown"

    /// One bundle in the page's table.
    struct Row: Sendable {
        let path: String
        let verdict: String
        let cause: String?
        let confidence: Double?
        let ccVersion: String?
        let country: String?
        let collectedAt: String?
        let error: String?
        /// Whether the bundle is damaged (analysed, not all of it read).
        let damaged: Bool
        /// The per-bundle report page, relative to the summary page, if one was written.
        let reportLink: String?
    }

    /// The first `rowLimit` bundles (by path), for the page's table.
    private(set) var rows: [Row] = []
    /// Rows kept for the table; beyond it only counts grow, so a huge batch stays small.
    static let rowLimit = 20_000
    /// Bundles in all.
    public private(set) var total = 0
    /// Bundles per verdict (`trial`, `licensed`, `unknown`; `error` for unreadable ones).
    public private(set) var verdicts: [String: Int] = [:]
    /// Bundles per top cause (`noCause`, `unreadable` included).
    public private(set) var causes: [String: Int] = [:]
    /// Unreadable bundles per error code.
    public private(set) var errors: [String: Int] = [:]
    /// Read bundles per CC version, country and ISO week, then per top cause.
    private(set) var byVersion: [String: [String: Int]] = [:]
    private(set) var byCountry: [String: [String: Int]] = [:]
    private(set) var byWeek: [String: [String: Int]] = [:]
    /// Bundles analysed although damaged (truncated, encrypted entries, a bomb stopped…).
    public private(set) var damaged = 0
    /// Bundles whose content (SHA-256) an earlier line already had.
    public private(set) var duplicates = 0
    /// The first 64 bits of every SHA-256 seen (8 bytes a bundle, not 64 characters).
    private var contents: Set<UInt64> = []

    /// An empty summary.
    public init() {}

    /// Counts one line; `reportLink` is its report page, relative to the summary page.
    public mutating func add(_ fields: LineFields, reportLink: String? = nil) {
        total += 1
        if let sha = fields.sha256, let key = UInt64(sha.prefix(16), radix: 16), !contents.insert(key).inserted { duplicates += 1 }
        let verdict = fields.isError ? "error" : (fields.verdict ?? "unknown")
        verdicts[verdict, default: 0] += 1
        let error = fields.errorText
        if rows.count < Self.rowLimit {
            rows.append(Row(path: fields.path, verdict: verdict, cause: fields.topCause, confidence: fields.confidence,
                            ccVersion: fields.client?.ccVersion, country: fields.client?.country,
                            collectedAt: fields.collectedAt, error: error, damaged: fields.damaged, reportLink: reportLink))
        }
        if fields.damaged { damaged += 1 }
        if let code = fields.errorCode {
            errors[code, default: 0] += 1
            causes[Self.unreadable, default: 0] += 1
            return
        }
        let cause = fields.topCause ?? Self.noCause
        causes[cause, default: 0] += 1
        byVersion[fields.client?.ccVersion ?? Self.unknown, default: [:]][cause, default: 0] += 1
        byCountry[fields.client?.country ?? Self.unknown, default: [:]][cause, default: 0] += 1
        byWeek[Self.week(of: fields.collectedAt), default: [:]][cause, default: 0] += 1
    }

    /// `2026-W47`: the ISO week of a collection time, or `unknown`.
    static func week(of collectedAt: String?) -> String {
        guard let text = collectedAt, let date = try? Date.ISO8601FormatStyle().parse(text) else { return unknown }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        guard let year = parts.yearForWeekOfYear, let week = parts.weekOfYear else { return unknown }
        return String(format: "%04d-W%02d", year, week)
    }

    /// Counts sorted by count, then by name; the labels in parentheses last.
    static func ranked(_ counts: [String: Int]) -> [(String, Int)] {
        counts.sorted { lhs, rhs in
            let (left, right) = (lhs.key.hasPrefix("("), rhs.key.hasPrefix("("))
            if left != right { return right }
            return lhs.value != rhs.value ? lhs.value > rhs.value : PathOrder.less(lhs.key, rhs.key)
        }.map { ($0.key, $0.value) }
    }

    /// The plain-text summary for standard error: totals, verdicts, causes, errors.
    public func text(title: String) -> String {
        let verdictOrder = ["trial", "licensed", "unknown", "error"]
        let verdictText = verdictOrder.compactMap { name in verdicts[name].map { "\($0) \(name)" } }.joined(separator: ", ")
        var lines = ["\(title): \(total) bundle\(total == 1 ? "" : "s")" + (total > 0 ? " (\(verdictText))" : "")]
        let causeList = Self.ranked(causes)
        if !causeList.isEmpty {
            let width = causeList.map(\.0.count).max() ?? 0
            lines.append("  top causes:")
            lines += causeList.map { "    \($0.0.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.1)" }
        }
        if !errors.isEmpty {
            lines.append("  could not be read: " + Self.ranked(errors).map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        }
        if damaged > 0 {
            lines.append("  \(damaged) bundle\(damaged == 1 ? " is" : "s are") damaged: analysed as far as they could be read")
        }
        if duplicates > 0 {
            lines.append("  \(duplicates) bundle\(duplicates == 1 ? " has" : "s have") the same content as another")
        }
        return lines.joined(separator: "\n")
    }
}

/// Orders CC versions numerically (`9.2` before `10.0`), `unknown` last.
enum VersionOrder {
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        switch (ClientVersion(lhs), ClientVersion(rhs)) {
        case let (left?, right?): return left != right ? left < right : PathOrder.less(lhs, rhs)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return PathOrder.less(lhs, rhs)
        }
    }
}

/// The order of a batch's lines: by path, byte by byte (UTF-8), the same on every machine and
/// in every locale, so that a merge of shards gives exactly the order of one run; the summary
/// orders its labels by it too.
public enum PathOrder {
    /// Whether `lhs` sorts before `rhs`.
    public static func less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
