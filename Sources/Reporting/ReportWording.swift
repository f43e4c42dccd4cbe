import Diagnosis
import Foundation

/// The words every renderer shares: the verdict's headline, what a missing item is, percentages.
enum ReportWording {
    /// The verdict in capitals and the sentence after it, e.g.
    /// `("TRIAL", "MicroStation (1000) is not licensed")`. Product names are untrusted.
    static func headline(_ report: Report) -> (label: String, sentence: String) {
        if let error = report.error {
            return ("ERROR", "the bundle could not be read (\(error.code))")
        }
        switch report.verdict {
        case .trial:
            let unlicensed = report.products.filter { !$0.isLicensed }
            guard !unlicensed.isEmpty else { return ("TRIAL", "a requested product is not licensed") }
            return ("TRIAL", "\(list(unlicensed)) \(unlicensed.count == 1 ? "is" : "are") not licensed")
        case .licensed:
            switch report.products.count {
            case 0: return ("LICENSED", "every requested product is licensed")
            case 1:
                let product = report.products[0]
                let how = product.status.caseInsensitiveCompare("Ok") == .orderedSame ? "" : " (\(product.status))"
                return ("LICENSED", "\(product.displayName) is licensed\(how)")
            default: return ("LICENSED", "\(list(report.products)) are licensed")
            }
        case .unknown:
            return ("UNKNOWN", "the bundle cannot tell whether the products are licensed")
        }
    }

    /// `A`, `A and B`, `A, B and C`, `A, B and 3 more products`.
    private static func list(_ products: [Report.Product]) -> String {
        let names = products.map(\.displayName)
        switch names.count {
        case 1: return names[0]
        case 2, 3: return names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
        default: return names.prefix(2).joined(separator: ", ") + " and \(names.count - 2) more products"
        }
    }

    /// What a missing item is, for people: `email` → `the sign-in e-mail`.
    static func missingDescription(_ item: String) -> String {
        switch MissingItem(rawValue: item) {
        case .email: "the sign-in e-mail"
        case .clientVersion: "the CONNECTION Client version"
        case .entitlements: "the Licensing Tool's Entitlements tab"
        case .productStatus: "the Licensing Tool's Product Status tab"
        case .logs: "the logs"
        case .policy: "the licensing policy"
        case nil: item
        }
    }

    /// A finding's evidence with each excerpt once: the places that show the same excerpt are
    /// listed together, in the order they were first met.
    static func groupedEvidence(_ finding: Finding) -> [(locations: [String], excerpt: String)] {
        var groups: [(locations: [String], excerpt: String)] = []
        var index: [String: Int] = [:]
        for evidence in finding.evidence {
            if let at = index[evidence.excerpt] {
                if !groups[at].locations.contains(evidence.location) { groups[at].locations.append(evidence.location) }
            } else {
                index[evidence.excerpt] = groups.count
                groups.append(([evidence.location], evidence.excerpt))
            }
        }
        return groups
    }

    /// The excerpt between quotes, unless it has quotes of its own (`UsageCountryISO "IE"`),
    /// which another pair would only nest.
    static func quoted(_ excerpt: String) -> String {
        excerpt.contains("\"") ? excerpt : "\"\(excerpt)\""
    }

    /// The one line that sums up a list left out by default: `17 causes; --verbose lists them`.
    static func countLine(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s"); --verbose lists \(count == 1 ? "it" : "them")"
    }

    /// `92%`.
    /// "follows from 1 (offline-expired)" for a finding another finding explains, by its
    /// number in the report's list; nil when none does.
    static func followsFrom(_ finding: Finding, in report: Report) -> String? {
        guard let cause = finding.explainedBy,
              let index = report.findings.firstIndex(where: { $0.cause == cause }) else { return nil }
        return "follows from \(index + 1) (\(cause))"
    }

    static func percent(_ confidence: Double) -> String {
        "\(Int((confidence * 100).rounded()))%"
    }

    /// `collected 2026-11-20 10:00:00Z (manifest)`, or `collection time unknown`.
    static func collected(_ report: Report) -> String {
        guard let date = report.bundle.collectedAt else { return "collection time unknown" }
        return "collected \(ReportDate.readable(date)) (\(report.collectedAtSource))"
    }
}

/// Plain-text helpers: untrusted text made safe for a terminal, and word wrapping.
enum PlainText {
    /// The text with every control character shown as a visible symbol (`␛` for ESC, `␊` for a
    /// line feed), so a hostile excerpt can neither move the cursor nor change colours.
    static func sanitize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09: result.append(" ")
            case 0x00...0x1F: result.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
            case 0x7F: result.append("\u{2421}")
            case 0x80...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// The text wrapped at spaces into lines of at most `width` characters, the first starting
    /// with `first`, the others with `rest`; a word longer than a line is cut at a separator
    /// (`breakPoint`). With `maxLines`,
    /// the last line kept ends with `…` when text was left out.
    static func wrap(_ text: String, width: Int, first: String, rest: String, maxLines: Int? = nil) -> [String] {
        var lines: [String] = []
        var current = first
        var currentHasWord = false
        func room(_ prefix: String) -> Int { max(1, width - prefix.count) }
        for word in sanitize(text).split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            while !word.isEmpty {
                let needed = word.count + (currentHasWord ? 1 : 0)
                if current.count + needed <= width {
                    current += (currentHasWord ? " " : "") + word
                    currentHasWord = true
                    word = ""
                } else if currentHasWord {
                    lines.append(current)
                    current = rest
                    currentHasWord = false
                } else {
                    let take = breakPoint(word, room: room(current))
                    current += word.prefix(take)
                    word = word.dropFirst(take)
                    lines.append(current)
                    current = rest
                }
            }
        }
        if currentHasWord || lines.isEmpty { lines.append(current) }
        guard let maxLines, lines.count > maxLines, maxLines > 0 else { return lines }
        var kept = Array(lines.prefix(maxLines))
        let last = kept[maxLines - 1]
        kept[maxLines - 1] = (last.count < width ? last : String(last.dropLast())) + "…"
        return kept
    }

    /// A path wrapped only after a `/` (or `\\`), never inside a folder's or file's name, even
    /// one with spaces; a single name longer than a line is cut as `wrap` cuts a word.
    static func wrapPath(_ path: String, width: Int, first: String, rest: String) -> [String] {
        var segments: [String] = []
        var current = ""
        for character in sanitize(path) {
            current.append(character)
            if character == "/" || character == "\\" {
                segments.append(current)
                current = ""
            }
        }
        if !current.isEmpty { segments.append(current) }
        var lines: [String] = []
        var line = first
        var lineHasSegment = false
        for segment in segments {
            if lineHasSegment, line.count + segment.count > width {
                lines.append(line)
                line = rest
                lineHasSegment = false
            }
            if !lineHasSegment, line.count + segment.count > width {
                let pieces = wrap(segment, width: width, first: line, rest: rest)
                lines += pieces.dropLast()
                line = pieces.last ?? rest
            } else {
                line += segment
            }
            lineHasSegment = true
        }
        lines.append(line)
        return lines
    }

    /// Where to cut a word longer than a line: after the last `/`, `\`, `,`, `;`, `&` or `=`
    /// that leaves at least a third of the line used, so paths break between folders and
    /// lists between items, never inside a name or a GUID; else at the end of the room.
    static func breakPoint(_ word: Substring, room: Int) -> Int {
        guard word.count > room else { return word.count }
        var best: Int?
        var offset = 0
        for character in word.prefix(room) {
            offset += 1
            if "/\\,;&=".contains(character), offset >= room / 3 { best = offset }
        }
        return best ?? room
    }

    /// The text cut to `width` characters, ending with `…` when cut.
    static func truncate(_ text: String, width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }
}

/// Text for a terminal, for the commands that print more than a report (`explain`, `rules`).
public enum TerminalText {
    /// The text wrapped at word boundaries to `width` columns, the first line starting with
    /// `first`, the others with `rest`; control characters are made visible.
    public static func wrap(_ text: String, width: Int = 80, first: String = "", rest: String = "") -> [String] {
        PlainText.wrap(text, width: width, first: first, rest: rest)
    }
}
