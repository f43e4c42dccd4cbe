import Foundation

/// Renders the merged timeline as plain text for `loganalyze timeline`, one event a line,
/// oldest first: `2026-11-20 09:15:22Z  log  message  (file:line)`.
///
/// Each event stays on one line: line breaks and control characters in a summary are shown
/// as symbols, so `grep` and `sort` work on the output.
public struct TimelineRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// The report's timeline, one event a line, each ending with a newline; empty when there
    /// are no events.
    public func render(_ report: Report) -> String {
        let events = report.timeline.enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        var out = ""
        for event in events {
            out += "\(ReportDate.readable(event.time))  \(PlainText.sanitize(event.kind))  \(PlainText.sanitize(event.summary))"
            if let location = event.location { out += "  (\(PlainText.sanitize(location)))" }
            out += "\n"
        }
        return out
    }
}
