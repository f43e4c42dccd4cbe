import Foundation

/// The batch's `--csv` format: one record per bundle (path, sha256, collectedAt, verdict,
/// topCause, confidence, ccVersion, country, error), RFC 4180 quoting, CRLF line ends. BatchKit
/// writes the records to the file as the lines come.
public enum BatchCSV {
    /// The column names, in order.
    public static let header = ["path", "sha256", "collectedAt", "verdict", "topCause", "confidence", "ccVersion", "country", "error"]

    /// The header record.
    public static var headerRecord: String { row(header) }

    /// The record of one line.
    public static func record(_ fields: LineFields) -> String {
        row([
            fields.path, fields.sha256 ?? "", fields.collectedAt ?? "", fields.isError ? "error" : (fields.verdict ?? ""),
            fields.topCause ?? "", fields.confidence.map { String(format: "%.2f", $0) } ?? "",
            fields.client?.ccVersion ?? "", fields.client?.country ?? "", fields.errorText ?? "",
        ])
    }

    /// One CSV record ending in CRLF; a field with a comma, quote or line break is quoted.
    static func row(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
