import Foundation

/// Bar charts as inline SVG: no script, no font or image to fetch, readable without CSS.
enum SVGChart {
    /// One bar, or one segment of a stacked bar.
    struct Segment {
        let label: String
        let count: Int
        let color: String
    }

    /// One row of a stacked chart: a label and its segments.
    struct Group {
        let label: String
        let segments: [Segment]
        var total: Int { segments.reduce(0) { $0 + $1.count } }
    }

    static let width = 960
    static let labelWidth = 230
    static let rowHeight = 22

    /// Horizontal bars, one per item, the count at the end of each.
    static func bars(title: String, _ items: [Segment]) -> String {
        let maximum = max(1, items.map(\.count).max() ?? 1)
        let barSpace = Double(width - labelWidth - 60)
        let height = items.count * rowHeight + 10
        var svg = open(title: title, height: height)
        for (row, item) in items.enumerated() {
            let y = 5 + row * rowHeight
            let length = max(1, Double(item.count) / Double(maximum) * barSpace)
            svg += text(item.label, x: labelWidth - 8, y: y + 15, anchor: "end")
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(format(length))\" height=\"\(rowHeight - 6)\" fill=\"\(item.color)\">"
                + "<title>\(HTMLRenderer.escape(item.label)): \(item.count)</title></rect>\n"
            svg += text(String(item.count), x: labelWidth + Int(length.rounded(.up)) + 6, y: y + 15, anchor: "start")
        }
        return svg + "</svg>\n"
    }

    /// Horizontal stacked bars, one per group, segments in legend order, with the legend above.
    static func stacked(title: String, _ groups: [Group], legend: [Segment]) -> String {
        let maximum = max(1, groups.map(\.total).max() ?? 1)
        let barSpace = Double(width - labelWidth - 60)
        let legendRows = legendLayout(legend)
        let top = legendRows.count * 20 + 10
        var svg = open(title: title, height: top + groups.count * rowHeight + 10)
        for (rowIndex, row) in legendRows.enumerated() {
            for (item, x) in row {
                let y = 6 + rowIndex * 20
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>"
                svg += text(item.label, x: x + 16, y: y + 11, anchor: "start")
            }
        }
        for (row, group) in groups.enumerated() {
            let y = top + row * rowHeight
            svg += text(group.label, x: labelWidth - 8, y: y + 15, anchor: "end")
            var x = Double(labelWidth)
            for segment in group.segments where segment.count > 0 {
                let length = Double(segment.count) / Double(maximum) * barSpace
                svg += "<rect x=\"\(format(x))\" y=\"\(y + 3)\" width=\"\(format(max(length, 0.5)))\" height=\"\(rowHeight - 6)\" "
                    + "fill=\"\(segment.color)\"><title>\(HTMLRenderer.escape(group.label)) · \(HTMLRenderer.escape(segment.label)): "
                    + "\(segment.count)</title></rect>\n"
                x += length
            }
            svg += text(String(group.total), x: Int(x.rounded(.up)) + 6, y: y + 15, anchor: "start")
        }
        return svg + "</svg>\n"
    }

    /// Places legend entries left to right, wrapping at the chart's width.
    private static func legendLayout(_ legend: [Segment]) -> [[(Segment, Int)]] {
        var rows: [[(Segment, Int)]] = [[]]
        var x = 10
        for item in legend {
            let width = 16 + item.label.count * 7 + 18
            if x + width > Self.width, !(rows.last?.isEmpty ?? true) {
                rows.append([])
                x = 10
            }
            rows[rows.count - 1].append((item, x))
            x += width
        }
        return rows.last?.isEmpty == true ? [] : rows
    }

    private static func open(title: String, height: Int) -> String {
        "<svg role=\"img\" aria-label=\"\(HTMLRenderer.escape(title))\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
            + "<title>\(HTMLRenderer.escape(title))</title>\n"
    }

    private static func text(_ value: String, x: Int, y: Int, anchor: String) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" fill=\"#222\">\(HTMLRenderer.escape(value))</text>\n"
    }

    /// One decimal, so the page is the same bytes on every machine.
    private static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
