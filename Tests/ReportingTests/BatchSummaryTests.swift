import Diagnosis
import Foundation
@testable import Reporting
import Testing

/// The batch's summary model and its renderers: the page's table limit, weeks, CSV quoting,
/// cause colours. (The page as a batch writes it is tested in BatchKitTests' `SummaryTests`.)
@Suite("batch summary rendering")
struct BatchSummaryTests {
    @Test("a huge batch keeps counts, not rows: the table stops at its limit and says so")
    func rowLimit() {
        var summary = BatchSummary()
        let count = BatchSummary.rowLimit + 5
        for number in 0..<count {
            summary.add(LineFields(path: String(format: "/b/%06d.zip", number), sha256: String(repeating: String(format: "%016x", number), count: 4),
                                   collectedAt: "2026-11-20T10:00:00Z", verdict: "trial", topCause: "no-policy", confidence: 0.9))
        }
        #expect(summary.total == count && summary.rows.count == BatchSummary.rowLimit && summary.duplicates == 0)
        #expect(summary.causes["no-policy"] == count)
        let page = SummaryPage.render(summary)
        #expect(page.contains("The first \(BatchSummary.rowLimit) of \(count) bundles"))
    }

    @Test("the ISO week of a collection time")
    func weeks() {
        #expect(BatchSummary.week(of: "2026-11-20T10:00:00Z") == "2026-W47")
        #expect(BatchSummary.week(of: "2027-01-01T00:00:00Z") == "2026-W53")
        #expect(BatchSummary.week(of: nil) == "unknown")
    }

    @Test("CSV fields with commas, quotes and line breaks are quoted")
    func csvQuoting() {
        #expect(BatchCSV.row(["a", "b,c", "say \"hi\"", "x\ny", ""]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\r\n")
    }
}

@Suite("Summary colours")
struct SummaryColourTests {
    @Test("every cause keeps one colour, none of them green (a cause is a failure)")
    func noGreenCause() {
        let codes = RuleCatalog.all.map(\.code)
        let one = CausePalette(causes: codes)
        let other = CausePalette(causes: Array(codes.reversed().prefix(3)))
        for code in codes {
            #expect(one.color(code) == other.color(code), "\(code): the same colour whatever else is in the batch")
            let hex = one.color(code).dropFirst()
            let value = Int(hex, radix: 16) ?? 0
            let (red, green, blue) = (value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF)
            #expect(!(green > red + 20 && green > blue + 20), "\(code) is green: \(one.color(code))")
        }
        #expect(Set(codes.map(one.color)).count == codes.count, "each cause its own colour")
    }
}
