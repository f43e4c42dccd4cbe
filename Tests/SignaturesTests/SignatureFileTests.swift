import Diagnosis
import Foundation
import Signatures
import Testing
import TestSupport

/// A signature file that cannot be used says where and why, in one line.
struct SignatureFileTests {
    /// A valid signature, to break one field at a time.
    static let valid = """
        version: 1
        signatures:
          - id: token-cache-locked
            literal: "Token cache is locked"
            supports: not-signed-in
            weight: 0.3
            examples:
              match: ["2026-11-20 10:00:00,000 [1] WARN  X - Token cache is locked"]
              noMatch: ["2026-11-20 10:00:00,000 [1] INFO  X - Token cache saved"]
        """

    @Test func aValidFileReads() throws {
        let file = try SignatureFile(text: Self.valid, name: "site.yaml")
        #expect(file.signatures.count == 1)
        #expect(file.signatures[0].support == .cause(code: "not-signed-in", weight: 0.3))
        #expect(file.signatures[0].line == 3)
    }

    /// (what is replaced, by what, the line named, words of the reason).
    static let broken: [(String, String, Int, String)] = [
        ("literal: \"Token cache is locked\"", "regex: 'Token (cache'", 4, "`regex` does not compile"),
        ("supports: not-signed-in", "supports: not-signed", 5, "unknown cause code `not-signed`"),
        ("    weight: 0.3\n", "", 3, "missing field `weight`"),
        ("weight: 0.3", "weight: high", 6, "`weight` must be a number"),
        ("weight: 0.3", "weight: 1.5", 6, "`weight` must be a number above 0 and at most 1"),
        ("literal: \"Token cache is locked\"", "literal: [a, b]", 4, "`literal` must be text"),
        ("literal: \"Token cache is locked\"", "literal: abc", 4, "at least 4 bytes"),
        ("    literal: \"Token cache is locked\"\n", "", 3, "missing field `literal` or `regex`"),
        ("id: token-cache-locked", "id: Token Cache", 3, "must be kebab-case"),
        ("supports: not-signed-in", "suports: not-signed-in", 5, "unknown field `suports`"),
        ("      noMatch: [\"2026-11-20 10:00:00,000 [1] INFO  X - Token cache saved\"]", "", 7, "missing `examples.noMatch`"),
        ("supports: not-signed-in\n    weight: 0.3", "supports: note:cache", 3, "missing field `title`"),
        ("supports: not-signed-in", "supports: note:cache", 6, "`weight` is for a signature that supports a cause"),
        ("version: 1", "version: 2", 1, "unknown version 2"),
        ("literal: \"Token cache is locked\"", "literal: \"Token cache is locked", 8, "not valid YAML"),
    ]

    @Test(arguments: broken)
    func aBrokenFileSaysWhereAndWhy(_ broken: (String, String, Int, String)) {
        let (old, new, line, words) = broken
        let text = Self.valid.replacingOccurrences(of: old, with: new)
        #expect(text != Self.valid, "the replacement must change the file")
        do {
            _ = try SignatureFile(text: text, name: "site.yaml")
            Issue.record("accepted: \(new)")
        } catch let error as SignatureFileError {
            #expect(error.file == "site.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(words), "\(error)")
            #expect(error.description.hasPrefix("site.yaml:\(line): "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aNoteNeedsItsFixAndAnHTTPLink() throws {
        let note = Self.valid.replacingOccurrences(of: "supports: not-signed-in\n    weight: 0.3", with: """
            supports: note:cache-locked
                title: The token cache is locked
                fix: Close the other CONNECTION Client.
                kb: ftp://kb.example.com/1
            """)
        #expect(throws: SignatureFileError(file: "n.yaml", line: 8, reason: "`kb` must be an http(s) link (got `ftp://kb.example.com/1`)")) {
            try SignatureFile(text: note, name: "n.yaml")
        }
        let fine = try SignatureFile(text: note.replacingOccurrences(of: "ftp:", with: "https:"), name: "n.yaml")
        #expect(fine.signatures[0].support == .note(id: "note:cache-locked", fix: "Close the other CONNECTION Client.", kb: "https://kb.example.com/1"))
    }

    @Test func anIdUsedTwiceNamesTheFirst() {
        let twice = Self.valid + "\n" + Self.valid.components(separatedBy: "signatures:\n")[1]
        #expect(throws: SignatureFileError(file: "t.yaml", line: 10, reason: "id `token-cache-locked` is already used on line 3")) {
            try SignatureFile(text: twice, name: "t.yaml")
        }
    }

    @Test func aMissingFileIsOneLine() {
        #expect(throws: SignatureFileError.self) { try SignatureFile.load(path: "/nonexistent/site.yaml") }
    }
}
