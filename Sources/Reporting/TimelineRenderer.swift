import Foundation

/// Renders the merged timeline as plain text for `loganalyze timeline`, oldest first:
/// `2026-11-20 09:15:22Z  log  message  (file:line)`.
///
/// With a `width` (80 by default) an event wraps at word boundaries, its continuation lines
/// indented under the message and its place in the bundle on a line of its own when it does
/// not fit; with `width: nil` each event stays on one line, so `grep` and `sort` work on the
/// output. Line breaks and control characters in a summary are shown as symbols.
public struct TimelineRenderer: Sendable {
    /// The longest line, or nil for one event a line.
    public var width: Int?

    /// Creates a renderer.
    public init(width: Int? = 80) {
        self.width = width.map { max(40, $0) }
    }

    /// The report's timeline, each line ending with a newline; empty when there are no events.
    public func render(_ report: Report) -> String {
        let events = report.timeline.enumerated()
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        var out = ""
        for event in events {
            let head = "\(ReportDate.readable(event.time))  \(PlainText.sanitize(event.kind))  "
            let location = event.location.map { "(\(PlainText.sanitize($0)))" }
            guard let width else {
                out += head + PlainText.sanitize(event.summary) + (location.map { "  " + $0 } ?? "") + "\n"
                continue
            }
            let indent = String(repeating: " ", count: 22)
            var lines = PlainText.wrap(event.summary, width: width, first: head, rest: indent)
            if let location {
                if let last = lines.last, last.count + 2 + location.count <= width {
                    lines[lines.count - 1] = last + "  " + location
                } else {
                    lines += PlainText.wrapPath(location, width: width, first: indent, rest: indent)
                }
            }
            out += lines.joined(separator: "\n") + "\n"
        }
        return out
    }
}
