import Foundation

/// The longest text a regular expression cannot match without: the prefilter that lets a
/// regex be tried only on lines holding it (NSRegularExpression costs microseconds a line; the
/// literal pass costs nanoseconds).
///
/// Conservative: it reads only the top level of the pattern — groups and classes end a run,
/// a top-level `|` or `(?x)` gives none, a quantified atom is left out (`?`, `*`, `{`) or ends
/// the run (`+`). When in doubt it returns less, never text the regex could match without.
///
/// The literal is looked for in a line's raw bytes, with ASCII letters folded when case is
/// ignored, while the regex reads the line as UTF-8 with ICU's case folding. So a run also ends
/// at what the two could see differently: U+FFFD (the regex sees it where the bytes hold any
/// invalid UTF-8), and, when case is ignored, `k` and `s` (ICU folds the Kelvin sign U+212A to
/// `k` and the long s U+017F to `s`; the ASCII folding does not).
public enum RegexLiteral {
    /// The required literal, or nil when none is at least `LiteralScanner.minimumLength` bytes.
    /// The returned `ignoreCase` is true when case is ignored: `ignoringCase` (the signature's
    /// own flag), or the pattern turns it on inline (`(?i)`).
    public static func required(in pattern: String, ignoringCase: Bool = false) -> (text: String, ignoreCase: Bool)? {
        let scalars = Array(pattern.unicodeScalars)
        let ignoreCase = ignoringCase || pattern.range(of: #"\(\?[a-zA-Z-]*i"#, options: .regularExpression) != nil
        /// Scalars a line's bytes and its UTF-8 reading may disagree on.
        func ambiguous(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\u{FFFD}" || (ignoreCase && (scalar == "k" || scalar == "K" || scalar == "s" || scalar == "S"))
        }
        if pattern.contains("(?x") || pattern.contains("\\Q") { return nil }
        var best: [Unicode.Scalar] = []
        var run: [Unicode.Scalar] = []
        var lastWasLiteral = false
        func endRun() {
            if run.count > best.count || (run.count == best.count && String(String.UnicodeScalarView(run)).utf8.count > String(String.UnicodeScalarView(best)).utf8.count) {
                best = run
            }
            run = []
            lastWasLiteral = false
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "|":
                return nil
            case "(":
                endRun()
                index = skipGroup(scalars, from: index)
                continue
            case "[":
                endRun()
                index = skipClass(scalars, from: index)
                continue
            case ".", "^", "$", ")", "]", "}":
                endRun()
            case "*", "?", "{":
                if lastWasLiteral, !run.isEmpty { run.removeLast() }
                endRun()
                if scalar == "{" { while index < scalars.count, scalars[index] != "}" { index += 1 } }
                index += 1
                if index < scalars.count, scalars[index] == "?" || scalars[index] == "+" { index += 1 }
                continue
            case "+":
                endRun()
                index += 1
                if index < scalars.count, scalars[index] == "?" || scalars[index] == "+" { index += 1 }
                continue
            case "\\":
                index += 1
                guard index < scalars.count else { return nil }
                let escaped = scalars[index]
                if escaped.properties.isAlphabetic || ("0"..."9").contains(escaped) {
                    endRun()  // \d, \w, \s, \b, \p{…}, \x41, \1…: not one literal character
                    if escaped == "p" || escaped == "P" || escaped == "x" || escaped == "N" || escaped == "u",
                       index + 1 < scalars.count, scalars[index + 1] == "{" {
                        while index < scalars.count, scalars[index] != "}" { index += 1 }
                    }
                } else if ambiguous(escaped) {
                    endRun()
                } else {
                    run.append(escaped)
                    lastWasLiteral = true
                }
            default:
                if ambiguous(scalar) {
                    endRun()
                } else {
                    run.append(scalar)
                    lastWasLiteral = true
                }
            }
            index += 1
        }
        endRun()
        let text = String(String.UnicodeScalarView(best))
        guard text.utf8.count >= LiteralScanner.minimumLength else { return nil }
        return (text, ignoreCase)
    }

    /// The index just past the group opening at `start` (and past a quantifier on it).
    private static func skipGroup(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "[": index = skipClass(scalars, from: index) - 1
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return skipQuantifier(scalars, from: index + 1) }
            default: break
            }
            index += 1
        }
        return index
    }

    /// The index just past the class opening at `start` (and past a quantifier on it).
    private static func skipClass(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        if index < scalars.count, scalars[index] == "^" { index += 1 }
        if index < scalars.count, scalars[index] == "]" { index += 1 }
        var depth = 1
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "[": depth += 1
            case "]":
                depth -= 1
                if depth == 0 { return skipQuantifier(scalars, from: index + 1) }
            default: break
            }
            index += 1
        }
        return index
    }

    private static func skipQuantifier(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        guard index < scalars.count else { return index }
        switch scalars[index] {
        case "*", "?", "+": index += 1
        case "{":
            while index < scalars.count, scalars[index] != "}" { index += 1 }
            index += 1
        default: return index
        }
        if index < scalars.count, scalars[index] == "?" || scalars[index] == "+" { index += 1 }
        return index
    }
}
