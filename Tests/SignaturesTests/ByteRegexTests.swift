import Foundation
@testable import Signatures
import Testing

/// The byte-level regex engine says what NSRegularExpression says — on thousands of random
/// patterns of its subset and random lines — so a signature matches alike either way.
struct ByteRegexTests {
    /// A deterministic generator (SplitMix64), so a failure can be run again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let atoms = ["a", "b", "A", "B", "1", "2", " ", "-", "_", ".", "\\.", "\\-", "\\(", "\\?", "\\d", "\\D", "\\w",
                        "\\W", "\\s", "\\S", "\\t", "[ab]", "[^a-c]", "[\\d_]", "[a-]", "[a-b1-]", "[-b1]", "[^\\s]", "[A-Z]", "[ -/]",
                        "\\b", "\\B", "^", "$", "x"]
    static let quantifiers = ["", "", "", "?", "*", "+", "{2}", "{1,2}", "{0,}", "??", "*?", "+?"]

    static func pattern(_ generator: inout Seeded, depth: Int = 0) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            var atom: String
            if depth < 2, Int.random(in: 0..<5, using: &generator) == 0 {
                let inner = (0..<Int.random(in: 1...3, using: &generator)).map { _ in pattern(&generator, depth: depth + 1) }
                atom = (Bool.random(using: &generator) ? "(" : "(?:") + inner.joined(separator: "|") + ")"
            } else {
                atom = atoms.randomElement(using: &generator) ?? "a"
            }
            let isAssertion = ["\\b", "\\B", "^", "$"].contains(atom)
            text += atom + (isAssertion ? "" : quantifiers.randomElement(using: &generator) ?? "")
        }
        return text
    }

    static let lineBytes = ["a", "b", "A", "B", "1", "2", " ", "-", "_", ".", "(", "?", "x", "\t", "\r", "\n", "\u{0B}", "\u{0C}",
                            "/", "Z"]

    static func line(_ generator: inout Seeded) -> String {
        var text = (0..<Int.random(in: 0...14, using: &generator)).map { _ in lineBytes.randomElement(using: &generator) ?? "" }
            .joined()
        if Int.random(in: 0..<20, using: &generator) == 0 { text += "é" }  // not ASCII: NSRegularExpression decides
        return text
    }

    static func expected(_ pattern: String, ignoreCase: Bool, _ line: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: pattern, options: ignoreCase ? [.caseInsensitive] : [])
        return regex.firstMatch(in: line, range: NSRange(location: 0, length: line.utf16.count)) != nil
    }

    @Test(arguments: 0..<8)
    func randomPatternsMatchRandomLinesAsNSRegularExpressionDoes(_ seed: Int) throws {
        var generator = Seeded(state: UInt64(seed) &* 7919)
        var compiled = 0
        var compared = 0
        for _ in 0..<400 {
            let pattern = Self.pattern(&generator)
            let ignoreCase = Int.random(in: 0..<4, using: &generator) == 0
            guard (try? NSRegularExpression(pattern: pattern)) != nil else { continue }
            guard let regex = ByteRegex(pattern: pattern, ignoreCase: ignoreCase) else { continue }
            compiled += 1
            for _ in 0..<60 {
                var line = Self.line(&generator)
                guard let answer = line.withUTF8({ regex.matches($0) }) else { continue }
                compared += 1
                let expected = try Self.expected(pattern, ignoreCase: ignoreCase, line)
                #expect(answer == expected, "pattern \(pattern.debugDescription) ignoreCase \(ignoreCase) line \(line.debugDescription)")
                if answer != expected { return }
            }
        }
        #expect(compiled > 200)  // of 400: the rest are outside the subset (an empty-able loop…)
        #expect(compared > 15_000)
    }

    /// Patterns as support writes them, on lines that hold their literals.
    static let written: [(String, String)] = [
        (#"LicenseStatus Returned: 1(0[5-9]|10)\b"#, "2026-11-20 10:00:01,123 [3] INFO  X - LicenseStatus Returned: 107"),
        (#"LicenseStatus Returned: 1(0[5-9]|10)\b"#, "2026-11-20 10:00:01,123 [3] INFO  X - LicenseStatus Returned: 1070"),
        (#"LicenseStatus Returned: 1(0[5-9]|10)\b"#, "2026-11-20 10:00:01,123 [3] INFO  X - LicenseStatus Returned: 110."),
        (#"entitlements\?id=[0-9a-f-]+ -> 5\d\d"#, "GET https://e/api/v1/entitlements?id=0a1b-22 -> 503 Service Unavailable"),
        (#"entitlements\?id=[0-9a-f-]+ -> 5\d\d"#, "GET https://e/api/v1/entitlements?id=0a1b-22 -> 200 OK in 5 ms"),
        (#"System clock moved (back|forward) by \d+ s(econds)? since the last policy check"#,
         "x - System clock moved back by 3600 seconds since the last policy check"),
        (#"PostUsageLogs failed: HTTP 413 \(payload of \d+ records too large\)"#,
         "x - PostUsageLogs failed: HTTP 413 (payload of 12 records too large)"),
        (#"Proxy auto-config script \S+ did not load within \d+ ms"#,
         "x - Proxy auto-config script http://wpad/wpad.dat did not load within 30000 ms"),
        (#"^\d{4}-\d\d-\d\d .*ERROR"#, "2026-11-20 10:00:01,123 [3] ERROR X - boom"),
        (#"Token cache (is )?locked$"#, "x - Token cache locked\r"),
    ]

    @Test(arguments: written)
    func writtenPatternsAreInTheSubsetAndMatchAlike(_ item: (String, String)) throws {
        for ignoreCase in [false, true] {
            let regex = try #require(ByteRegex(pattern: item.0, ignoreCase: ignoreCase))
            var line = item.1
            let answer = line.withUTF8 { regex.matches($0) }
            #expect(answer == (try Self.expected(item.0, ignoreCase: ignoreCase, item.1)))
        }
    }

    @Test func patternsOutsideTheSubsetAreLeftToNSRegularExpression() {
        for pattern in [#"(?i)token"#, #"\p{L}+"#, #"(a)\1"#, #"a++b"#, #"[[a-z]&&[^b]]"#, #"\x41"#, "café", #"\Qa.b\E"#, "(a*)*b", #"(\b|x)+"#] {
            #expect(ByteRegex(pattern: pattern, ignoreCase: false) == nil, "\(pattern)")
        }
    }

    @Test func aBacktrackingBlowUpGivesUpInsteadOfTakingLong() throws {
        let regex = try #require(ByteRegex(pattern: "(a+|ab?)+c", ignoreCase: false))
        var line = String(repeating: "a", count: 60)
        #expect(line.withUTF8 { regex.matches($0) } == .some(nil))
    }
}
