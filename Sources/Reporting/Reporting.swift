/// Reporting: a diagnosis → what people and programs read.
///
/// `Report` is the one value every output is made from: the JSON contract of CAUSES.md
/// ("The JSON contract of one report") as a `Codable` type, built from a `Conclusion` (what `Diagnosis` concluded) plus what
/// the analyser knows about the bundle (path, SHA-256, read problems, unrecognised files), or
/// the batch error form when a bundle cannot be read at all (`Report.failure`). The renderers
/// turn it into text for a terminal (`TextRenderer`, coloured only when asked), Markdown for a
/// ticket (`MarkdownRenderer`), one self-contained HTML file (`HTMLRenderer`) and the merged
/// timeline (`TimelineRenderer`); JSON comes from `Report.jsonData(pretty:)`. A batch's outputs
/// are rendered here too: BatchKit counts its lines (`LineFields`) into a `BatchSummary`, which
/// `SummaryPage` (with `SVGChart`) and `BatchSummary.text(title:)` render, and `BatchCSV` is
/// the CSV's format. Everything from
/// a bundle is untrusted: renderers escape it for their format and never let it emit control
/// characters, markup, scripts or URLs. Reporting neither reads files nor judges anything: it
/// only presents what `Diagnosis` concluded. The schema is published in `docs/report.schema.json`.
import Foundation

/// An output format of `loganalyze`.
public enum ReportFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// For a terminal.
    case text
    /// The JSON contract (one object; JSON Lines in batch mode).
    case json
    /// To paste into a ticket.
    case markdown
    /// One self-contained HTML file.
    case html

    /// The format named by a command-line argument: `text`, `json`, `markdown` (or `md`), `html`;
    /// case-insensitive. Nil for anything else.
    public init?(argument: String) {
        switch argument.trimmingCharacters(in: .whitespaces).lowercased() {
        case "text", "txt": self = .text
        case "json": self = .json
        case "markdown", "md": self = .markdown
        case "html", "htm": self = .html
        default: return nil
        }
    }

    /// The usual file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .json: "json"
        case .markdown: "md"
        case .html: "html"
        }
    }

    /// The argument spelling, e.g. `markdown`.
    public var description: String { rawValue }
}

extension ReportFormat {
    /// Renders a report in this format with each renderer's defaults.
    ///
    /// - Parameters:
    ///   - report: The report.
    ///   - color: For `.text` only: whether to use ANSI colours (see `TerminalStyle`).
    ///   - verbose: For `.text` only: list every ruled-out and not-checked cause.
    /// - Returns: The rendered report, ending with a newline.
    public func render(_ report: Report, color: Bool = false, verbose: Bool = false) -> String {
        switch self {
        case .text: return TextRenderer(color: color, verbose: verbose).render(report)
        case .markdown: return MarkdownRenderer().render(report)
        case .html: return HTMLRenderer().render(report)
        case .json: return report.jsonString(pretty: true) + "\n"
        }
    }
}
