import Diagnosis
import Foundation
import Testing

/// `docs/rules.md` is generated from the rules; this test keeps it in step.
@Suite("Rule documentation")
struct RuleDocumentationTests {
    /// The repository root, three levels above this file.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("docs/rules.md matches RuleCatalog.markdown()")
    func upToDate() throws {
        let url = Self.root.appendingPathComponent(RuleCatalog.documentationPath)
        let expected = RuleCatalog.markdown()
        if ProcessInfo.processInfo.environment["REGENERATE_RULE_DOCS"] == "1" {
            try Data(expected.utf8).write(to: url, options: .atomic)
            return
        }
        let actual = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        #expect(actual == expected, """
            \(RuleCatalog.documentationPath) is out of date with the rules. Regenerate it with:
              REGENERATE_RULE_DOCS=1 swift test --scratch-path .build-diagnosis --filter DiagnosisTests
            """)
    }

    @Test("each rule's section of docs/rules.md holds its own fix and examples, once, in rank order")
    func sections() throws {
        // Read the committed file a support engineer opens, and cut it at its `## ` headings, so a
        // fix or an example written under the wrong rule (or a rule left out) fails here.
        let text = try String(contentsOf: Self.root.appendingPathComponent(RuleCatalog.documentationPath), encoding: .utf8)
        var sections: [(code: String, body: String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                sections.append((String(line.dropFirst(3)), ""))
            } else if !sections.isEmpty {
                sections[sections.count - 1].body += line + "\n"
            }
        }
        #expect(sections.map(\.code) == RuleCatalog.all.map(\.code))
        for (rule, section) in zip(RuleCatalog.all, sections) {
            #expect(section.body.contains("**Fix.** \(rule.fix)"), "\(rule.code): its fix is not in its section")
            for example in rule.examples {
                let verb = example.expectation == .triggers ? "triggers" : "does not trigger"
                #expect(section.body.contains("- \(verb): \(example.name)\n"), "\(rule.code): example '\(example.name)' missing")
            }
            #expect(text.components(separatedBy: "[`\(rule.code)`](#\(rule.code))").count == 2,
                    "\(rule.code) should be linked exactly once from the table")
        }
    }
}
