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

    @Test("the documentation names every rule with its fix and examples")
    func content() {
        let markdown = RuleCatalog.markdown()
        for rule in RuleCatalog.all {
            #expect(markdown.contains("## \(rule.code)"))
            #expect(markdown.contains(rule.fix))
            #expect(rule.examples.allSatisfy { markdown.contains($0.name) })
        }
    }
}
