import Foundation

/// The `--csv` file: one row per bundle (path, sha256, collectedAt, verdict, topCause,
/// confidence, ccVersion, country, error), written as the lines come, RFC 4180 quoting.
final class CSVExport {
    static let header = ["path", "sha256", "collectedAt", "verdict", "topCause", "confidence", "ccVersion", "country", "error"]
    /// The file the rows go to.
    let file: LineFileWriter

    /// Opens `path` (through `path.partial`) and writes the header.
    init(path: String) throws {
        file = try LineFileWriter(path: path)
        try file.append(Data(Self.row(Self.header).utf8))
    }

    /// Appends the row of one line.
    func add(_ fields: LineFields) throws {
        let error = fields.errorCode.map { "\($0): \(fields.errorMessage ?? "")" }
        try file.append(Data(Self.row([
            fields.path, fields.sha256 ?? "", fields.collectedAt ?? "", fields.isError ? "error" : (fields.verdict ?? ""),
            fields.topCause ?? "", fields.confidence.map { String(format: "%.2f", $0) } ?? "",
            fields.client?.ccVersion ?? "", fields.client?.country ?? "", error ?? "",
        ]).utf8))
    }

    func commit() throws { try file.commit() }
    func discard() { file.discard() }

    /// One CSV record ending in CRLF; a field with a comma, quote or line break is quoted.
    static func row(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
