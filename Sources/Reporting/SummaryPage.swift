import Diagnosis
import Foundation

/// The batch's summary as one self-contained HTML page: totals, four inline-SVG charts (bundles
/// per top cause; causes by CC version, by country and by week of collection) and a table of
/// every bundle linking its report. No script, no stylesheet, font or image to fetch, no clock:
/// the same lines give the same bytes, so a merge of shards gives the page one run gives.
public enum SummaryPage {
    /// Groups beyond this in a chart are added up as `other`.
    static let groupLimit = 30

    /// The page for `summary`.
    public static func render(_ summary: BatchSummary) -> String {
        let palette = CausePalette(causes: Array(summary.causes.keys))
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>loganalyze batch summary</title>
            <style>\(style)</style>
            </head>
            <body>
            <h1>Batch summary</h1>

            """
        page += "<p class=\"totals\">\(summary.total) bundles: " + ["trial", "licensed", "unknown", "error"].map { name in
            "<span class=\"v-\(name)\">\(summary.verdicts[name] ?? 0) \(name == "error" ? "unreadable" : name)</span>"
        }.joined(separator: ", ") + (summary.damaged > 0 ? "; <span class=\"damaged\">\(summary.damaged) damaged</span>" : "")
            + (summary.duplicates > 0 ? "; \(summary.duplicates) with the same content as another" : "") + ".</p>\n"
        page += "<p class=\"legend\"><b>trial</b>: some requested product is not licensed. <b>licensed</b>: every "
            + "requested product is. <b>unknown</b>: the bundle cannot tell (it holds no product status, policy or "
            + "licensing log that says), so its top cause, if any, is a lead, not a verdict. <b>unreadable</b>: "
            + "the bundle could not be read at all (its error says why). <b>damaged</b>: analysed, but part of "
            + "the bundle could not be read (truncated, encrypted, a bomb stopped); no cause rests on what was not read.</p>\n"

        page += "<h2>Bundles per top cause</h2>\n"
        // Charts keep a readable size on a narrow screen and scroll sideways instead.
        page += "<div class=\"chart\">" + SVGChart.bars(title: "Bundles per top cause", BatchSummary.ranked(summary.causes).map {
            SVGChart.Segment(label: $0.0, count: $0.1, color: palette.color($0.0))
        }) + "</div>\n"
        let legend = BatchSummary.ranked(summary.causes).map(\.0).filter { $0 != BatchSummary.unreadable }
            .map { SVGChart.Segment(label: $0, count: 0, color: palette.color($0)) }
        for (title, counts, order) in [
            ("Top causes by CONNECTION Client version", summary.byVersion, VersionOrder.less as (String, String) -> Bool),
            ("Top causes by country", summary.byCountry, { ($0 == BatchSummary.unknown ? 1 : 0, $0) < ($1 == BatchSummary.unknown ? 1 : 0, $1) }),
            ("Top causes by week of collection", summary.byWeek, { ($0 == BatchSummary.unknown ? 1 : 0, $0) < ($1 == BatchSummary.unknown ? 1 : 0, $1) }),
        ] {
            page += "<h2>\(HTMLRenderer.escape(title))</h2>\n"
            page += counts.isEmpty ? "<p>No bundle could be read.</p>\n"
                : "<div class=\"chart\">" + SVGChart.stacked(title: title, groups(counts, legend: legend, order: order), legend: legend)
                    + "</div>\n"
        }
        page += table(summary, palette: palette)
        return page + "</body>\n</html>\n"
    }

    /// One group per key in `order`; past `groupLimit` (by size), the rest as `other`.
    private static func groups(_ counts: [String: [String: Int]], legend: [SVGChart.Segment],
                               order: (String, String) -> Bool) -> [SVGChart.Group] {
        var keys = counts.keys.sorted(by: order)
        var other: [String: Int] = [:]
        if keys.count > groupLimit {
            let kept = Set(counts.sorted { ($0.value.values.reduce(0, +), $1.key) > ($1.value.values.reduce(0, +), $0.key) }
                .prefix(groupLimit - 1).map(\.key))
            for key in keys where !kept.contains(key) {
                for (cause, count) in counts[key] ?? [:] { other[cause, default: 0] += count }
            }
            keys = keys.filter(kept.contains)
        }
        func group(_ label: String, _ causes: [String: Int]) -> SVGChart.Group {
            SVGChart.Group(label: label, segments: legend.map {
                SVGChart.Segment(label: $0.label, count: causes[$0.label] ?? 0, color: $0.color)
            })
        }
        return keys.map { group($0, counts[$0] ?? [:]) } + (other.isEmpty ? [] : [group("other", other)])
    }

    private static func table(_ summary: BatchSummary, palette: CausePalette) -> String {
        var html = "<h2>Bundles</h2>\n"
        if summary.total > summary.rows.count {
            html += "<p>The first \(summary.rows.count) of \(summary.total) bundles, by path; the CSV and the JSON Lines list them all.</p>\n"
        }
        html += "<table>\n<thead><tr><th>bundle</th><th>verdict</th><th>top cause</th><th>confidence</th>"
            + "<th>CC version</th><th>country</th><th>collected</th><th>error</th></tr></thead>\n<tbody>\n"
        for row in summary.rows {
            let link = row.reportLink ?? PageLink.href(forPath: row.path)
            html += "<tr><td><a href=\"\(HTMLRenderer.escape(link))\">\(path(row.path))</a></td>"
                + "<td class=\"v-\(row.verdict)\"\(row.verdict == "unknown" ? " title=\"the bundle cannot tell whether the products are licensed\"" : "")>\(row.verdict)"
                + (row.damaged ? " <span class=\"damaged\">damaged</span>" : "") + "</td>"
                + "<td class=\"c\">\(row.cause.map { "<span class=\"swatch\" style=\"background:\(palette.color($0))\"></span>" + HTMLRenderer.escape($0) } ?? "")</td>"
                + "<td class=\"n\">\(row.confidence.map { String(format: "%.2f", $0) } ?? "")</td>"
                + "<td>\(HTMLRenderer.escape(row.ccVersion ?? ""))</td><td>\(HTMLRenderer.escape(row.country ?? ""))</td>"
                + "<td class=\"t\">\(HTMLRenderer.escape(row.collectedAt?.replacingOccurrences(of: "T", with: " ") ?? ""))</td><td>\(HTMLRenderer.escape(row.error ?? ""))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// A path escaped, breaking only after a `/` (a name's own hyphens do not break it).
    private static func path(_ value: String) -> String {
        HTMLRenderer.escape(value).split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.count <= 40 && !$0.isEmpty ? "<span class=\"seg\">\($0)</span>" : String($0) }.joined(separator: "/<wbr>")
    }

    private static let style = """
        body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;padding:0 1em;color:#222}\
        h1{font-size:1.6em}h2{font-size:1.15em;margin-top:1.8em}svg{max-width:100%;height:auto}\
        table{border-collapse:collapse;font-size:.85em;width:100%}th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left}\
        td.n,td.t{white-space:nowrap}td.n{text-align:right}td a{overflow-wrap:break-word}.v-trial{color:#b3261e;font-weight:600}.v-licensed{color:#1b6e20}.v-error{color:#6d4c41}\
        .v-unknown{color:#9a5b00}.legend{color:#555;font-size:.9em}.seg,td.c{white-space:nowrap}\
        .damaged{color:#fff;background:#b3261e;border-radius:3px;padding:0 4px;font-size:.85em;font-weight:600}\
        .chart{overflow-x:auto}.chart svg{min-width:640px}\
        .swatch{display:inline-block;width:.7em;height:.7em;margin-right:.35em;border-radius:2px;vertical-align:baseline}\
        @media (max-width:600px){body{margin:1em auto}table{font-size:.8em}thead{display:none}\
        tr{display:block;border-bottom:1px solid #ddd;padding:4px 0}td{display:inline-block;border:0;padding:1px 6px}\
        td:first-child{display:block}}
        """
}

/// Stable colours: each cause code its own (in `RuleCatalog` order), grey for no cause.
struct CausePalette {
    private static let colors = [
        // No greens: every cause is a failure, and green reads as "fine".
        "#4e79a7", "#f28e2b", "#e15759", "#6b6ecf", "#8c6d31", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
        "#1f77b4", "#d62728", "#e7969c", "#9467bd", "#8c564b", "#e377c2", "#393b79", "#d6616b", "#843c39", "#7b4173",
        "#17becf", "#ad494a", "#a55194", "#ce6dbd", "#5254a3", "#e6550d", "#3182bd", "#756bb1",
    ]
    private var assigned: [String: String] = [:]

    init(causes: [String]) {
        let codes = RuleCatalog.all.map(\.code)
        for (offset, code) in codes.enumerated() { assigned[code] = Self.colors[offset % Self.colors.count] }
        let unknown = causes.filter { assigned[$0] == nil && !$0.hasPrefix("(") }.sorted(by: PathOrder.less)
        for (offset, cause) in unknown.enumerated() { assigned[cause] = Self.colors[(codes.count + offset) % Self.colors.count] }
        assigned[BatchSummary.noCause] = "#c7c7c7"
        assigned[BatchSummary.unreadable] = "#5d4037"
    }

    func color(_ cause: String) -> String { assigned[cause] ?? "#999999" }
}

/// Links from the summary page, and from a bundle's report page back to it.
public enum PageLink {
    /// A link to a bundle: an absolute path as a `file:` URL, a relative one as a relative URL.
    public static func href(forPath path: String) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#;"))
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : "./" + encoded
    }

    /// The relative URL of `file` seen from the folder `folder` (both made absolute first).
    public static func relative(from folder: String, to file: String) -> String {
        let base = components(folder)
        let target = components(file)
        var common = 0
        while common < base.count, common < target.count - 1, base[common] == target[common] { common += 1 }
        let path = Array(repeating: "..", count: base.count - common) + target[common...]
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#;"))
        return path.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
    }

    private static func components(_ path: String) -> [String] {
        URL(fileURLWithPath: path).standardizedFileURL.path.split(separator: "/").map(String.init)
    }
}
