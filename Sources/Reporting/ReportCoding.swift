import Diagnosis
import Foundation

/// Dates as reports write them: ISO 8601 in UTC, whole seconds (`2026-11-20T10:00:00Z`).
enum ReportDate {
    /// `2026-11-20T10:00:00Z`.
    static func iso(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }

    /// `2026-11-20 10:00:00Z`: the same, easier to read in a table.
    static func readable(_ date: Date) -> String {
        iso(date).replacingOccurrences(of: "T", with: " ")
    }

    /// Parses `2026-11-20T10:00:00Z`, with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> Date? {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return date
    }
}

/// Encodes a report with its timeline, which `Report.encode(to:)` leaves out.
private struct ReportWithTimeline: Encodable {
    let report: Report

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder, includeTimeline: true)
    }
}

extension Report: Codable {
    enum CodingKeys: String, CodingKey {
        case schemaVersion, bundle, verdict, products, findings, ruledOut, notChecked, missing
        case collectedAtSource, tool, notes, unrecognized, timeline, error, damaged, damage, knownIssues
    }

    /// Encodes the contract without the timeline; the error form holds only `schemaVersion`,
    /// `bundle` and `error`.
    public func encode(to encoder: Encoder) throws {
        try encode(to: encoder, includeTimeline: false)
    }

    func encode(to encoder: Encoder, includeTimeline: Bool) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(bundle, forKey: .bundle)
        if let error {
            try container.encode(error, forKey: .error)
            return
        }
        try container.encode(verdict, forKey: .verdict)
        try container.encode(products, forKey: .products)
        try container.encode(findings, forKey: .findings)
        if !knownIssues.isEmpty { try container.encode(knownIssues, forKey: .knownIssues) }
        try container.encode(ruledOut, forKey: .ruledOut)
        try container.encode(notChecked, forKey: .notChecked)
        try container.encode(missing, forKey: .missing)
        try container.encode(collectedAtSource, forKey: .collectedAtSource)
        try container.encode(tool, forKey: .tool)
        try container.encode(notes, forKey: .notes)
        try container.encode(unrecognized, forKey: .unrecognized)
        if damaged {
            try container.encode(true, forKey: .damaged)
            try container.encode(damage, forKey: .damage)
        }
        if includeTimeline {
            try container.encode(timeline, forKey: .timeline)
        }
    }

    /// Decodes either form; fields the contract adds later are ignored, added ones may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(bundle: try container.decode(BundleInfo.self, forKey: .bundle),
                  error: try container.decodeIfPresent(Failure.self, forKey: .error))
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        if error != nil { return }
        verdict = try container.decode(Verdict.self, forKey: .verdict)
        products = try container.decode([Product].self, forKey: .products)
        findings = try container.decode([Finding].self, forKey: .findings)
        ruledOut = try container.decode([RuledOut].self, forKey: .ruledOut)
        missing = try container.decode([String].self, forKey: .missing)
        notChecked = try container.decodeIfPresent([RuledOut].self, forKey: .notChecked) ?? []
        collectedAtSource = try container.decodeIfPresent(String.self, forKey: .collectedAtSource) ?? "unknown"
        tool = try container.decodeIfPresent(String.self, forKey: .tool) ?? ""
        notes = try container.decodeIfPresent([String].self, forKey: .notes) ?? []
        unrecognized = try container.decodeIfPresent([String].self, forKey: .unrecognized) ?? []
        damage = try container.decodeIfPresent([String].self, forKey: .damage) ?? []
        knownIssues = try container.decodeIfPresent([KnownIssue].self, forKey: .knownIssues) ?? []
        timeline = try container.decodeIfPresent([TimelineEntry].self, forKey: .timeline) ?? []
    }

    /// The report as JSON: sorted keys, `/` unescaped, UTF-8.
    ///
    /// - Parameters:
    ///   - pretty: Indented over several lines; otherwise one line, as JSON Lines needs.
    ///   - includeTimeline: Also write `timeline` (omitted by default: it can be long).
    public func jsonData(pretty: Bool = false, includeTimeline: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty
            ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        return includeTimeline ? try encoder.encode(ReportWithTimeline(report: self)) : try encoder.encode(self)
    }

    /// The report as a JSON string (see `jsonData(pretty:includeTimeline:)`).
    ///
    /// Encoding cannot fail for a report's values (confidences are finite); should it ever,
    /// the result is the error form with code `encoding-failed`, so a batch still gets a line.
    public func jsonString(pretty: Bool = false, includeTimeline: Bool = false) -> String {
        do {
            return String(decoding: try jsonData(pretty: pretty, includeTimeline: includeTimeline), as: UTF8.self)
        } catch {
            let fallback = Report.failure(path: bundle.path, sha256: bundle.sha256, code: "encoding-failed",
                                          message: "the report could not be encoded as JSON: \(error)")
            return (try? fallback.jsonData(pretty: pretty)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }

    /// Decodes a report written by `jsonData` (either form).
    public static func decode(from data: Data) throws -> Report {
        try JSONDecoder().decode(Report.self, from: data)
    }
}
