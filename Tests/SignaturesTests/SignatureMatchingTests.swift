import Foundation
import Signatures
import Testing
import TestSupport

/// The one pass of literals and the regex prefilter find what a plain search would.
struct SignatureMatchingTests {
    @Test func theScannerFindsEveryLiteralAPlainSearchFinds() {
        var generator = SystemRandomNumberGenerator()
        let words = ["policy", "Token", "cache", "locked", "HTTP", "407", "proxy", "refresh", "Licensing", "ERROR", "-", "::"]
        let literals = (0..<200).map { index in
            (0..<3).map { _ in words.randomElement(using: &generator) ?? "" }.joined(separator: " ") + " #\(index)"
        } + ["Token cache", "POLICY refresh"]
        let ignoring = Set([3, 7, 201])
        let scanner = LiteralScanner(literals.enumerated().map { ($0.element, ignoring.contains($0.offset)) })
        for _ in 0..<500 {
            var line = (0..<20).map { _ in words.randomElement(using: &generator) ?? "" }.joined(separator: " ")
            if Bool.random(using: &generator) { line += " " + (literals.randomElement(using: &generator) ?? "") }
            var found = Set<Int>()
            line.withUTF8 { bytes in scanner.scan(bytes) { found.insert($0); return true } }
            let expected = Set(literals.indices.filter { index in
                ignoring.contains(index) ? line.lowercased().contains(literals[index].lowercased()) : line.contains(literals[index])
            })
            #expect(found == expected, "\(line)")
        }
    }

    /// (pattern, its required literal or nil).
    static let required: [(String, String?)] = [
        (#"PostUsageLogs failed: HTTP 413 \(payload of \d+ records"#, "PostUsageLogs failed: HTTP 413 (payload of "),
        (#"System clock moved (back|forward) by \d+ s"#, "System clock moved "),
        ("Proxy auto-config script \\S+ did not load", "Proxy auto-config script "),
        ("abc|defghij", nil),
        ("colou?r scheme", "r scheme"),
        ("ab+cdefg", "cdefg"),
        ("[Tt]oken cache[s]? locked", "oken cache"),
        ("(?i)token cache", "en cache"),  // no k or s when case is ignored: ICU folds U+212A to k
        ("HT\u{FFFD}40: x y", "40: x y"),  // U+FFFD is what any invalid UTF-8 reads as
        (#"\d+ ms"#, nil),
    ]

    @Test(arguments: required)
    func aRegexRequiresItsLongestTopLevelLiteral(_ item: (String, String?)) {
        #expect(RegexLiteral.required(in: item.0)?.text == item.1)
    }

    /// Found by FuzzSignatures: the required literal is looked for in the raw bytes, the regex
    /// reads the line as UTF-8 with ICU's case folding; lines where the two differ still match.
    @Test("a regex matches where ICU reads the line differently from its bytes (invalid UTF-8, the Kelvin sign)")
    func requiredLiteralsAgreeWithICU() throws {
        let support = Signature.Support.note(id: "n", fix: "", kb: "")
        let signatures = [
            Signature(id: "replacement", pattern: .regex("HT\u{FFFD}40: x"), support: support),
            Signature(id: "kelvin", pattern: .regex("token cache is locked"), ignoreCase: true, support: support),
        ]
        let matcher = SignatureMatcher(signatures: signatures)
        let invalid: [UInt8] = Array("HTHT".utf8) + [0xD4] + Array("40: x".utf8)  // 0xD4 alone is not UTF-8
        let kelvin = Array("To\u{212A}en cache is locked".utf8)
        for (line, expected) in [(invalid, [0]), (kelvin, [1])] {
            // What NSRegularExpression says is what a signature means.
            let text = String(decoding: line, as: UTF8.self)
            let pattern = signatures[expected[0]]
            guard case .regex(let source) = pattern.pattern else { continue }
            let regex = try NSRegularExpression(pattern: source, options: pattern.ignoreCase ? [.caseInsensitive] : [])
            #expect(regex.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil)
            #expect(line.withUnsafeBufferPointer { matcher.matches($0) } == expected, "\(text)")
            #expect(line.withUnsafeBufferPointer { matcher.matchesAny($0) })
        }
    }

    @Test func globsNameFilesWhereverTheBundlePutsThem() {
        let path = "Users/jdoe/AppData/Local/Bentley/Logs/CONNECTION Client/Bentley.Connect.Client.1.log"
        #expect(FileGlob.matches([], path: path))
        #expect(FileGlob.matches(["CONNECTION Client/*.log"], path: path))
        #expect(FileGlob.matches(["connection client/*.LOG"], path: path))
        #expect(FileGlob.matches(["**/Logs/**"], path: path))
        #expect(!FileGlob.matches(["Licensing Service/*.log"], path: path))
        #expect(!FileGlob.matches(["Logs/*.log"], path: path))
    }

    @Test func examplesPassAndFailAsWritten() throws {
        let text = """
            version: 1
            signatures:
              - id: good
                regex: 'HTTP 413 \\(payload of \\d+ records'
                supports: usage-unsent
                weight: 0.2
                examples:
                  match: ["x - HTTP 413 (payload of 12 records too large)"]
                  noMatch: ["x - HTTP 413 (payload of many records)"]
              - id: wrong
                literal: "Token cache is locked"
                supports: note:cache
                title: Cache locked
                fix: Close it.
                kb: https://kb.example.com/2
                examples:
                  match: ["Token cache is LOCKED"]
                  noMatch: ["Token cache is locked now"]
            """
        let results = try SignatureExamples.run(SignatureFile(text: text, name: "e.yaml"))
        #expect(results.map(\.passed) == [true, true, false, false])
        #expect(results.map(\.signature) == ["good", "good", "wrong", "wrong"])
    }

    @Test func theBuiltInFileIsTheCommittedYAMLAndItsExamplesPass() throws {
        let committed = try String(contentsOf: RepoPaths.root.appendingPathComponent(BuiltinSignatures.sourcePath), encoding: .utf8)
        #expect(BuiltinSignatures.yaml == committed, "run Scripts/make-builtin-signatures")
        let file = try BuiltinSignatures.file()
        #expect(file.signatures.count >= 5)
        let results = try SignatureExamples.run(file)
        for failed in results where !failed.passed { Issue.record("\(failed.signature): \(failed.example)") }
        #expect(!results.isEmpty)
    }
}
