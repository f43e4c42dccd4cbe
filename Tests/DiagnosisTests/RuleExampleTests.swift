import Diagnosis
import Foundation
import Testing

/// Every example of every rule, each failing at the line it was written on.
@Suite("Rule examples")
struct RuleExampleTests {
    @Test("each rule example behaves as it says", arguments: RuleCatalog.all.flatMap(\.examples))
    func example(_ example: RuleExample) {
        guard let failure = example.failure() else { return }
        Issue.record(Comment(rawValue: failure),
                     sourceLocation: SourceLocation(fileID: example.fileID, filePath: example.filePath,
                                                    line: example.line, column: example.column))
    }
}

/// The catalog: one rule per cause code of CAUSES.md, each with enough examples.
@Suite("Rule catalog")
struct RuleCatalogTests {
    /// The codes of CAUSES.md, in its order: the public contract.
    static let causeCodes = [
        "not-entitled", "country-mismatch", "access-denied", "invalid-request", "feature-level-missing",
        "client-outdated", "client-os-unsupported", "not-signed-in", "offline-expired", "offline-not-allowed",
        "tool-login-mismatch", "policy-stale", "no-account", "checkout-expired", "checkout-wrong-machine",
        "evaluation-expired", "network-blocked", "clock-skew", "service-not-running", "no-policy",
    ]

    @Test("the catalog holds exactly the cause codes of CAUSES.md, in its order")
    func codes() {
        #expect(RuleCatalog.all.map(\.code) == Self.causeCodes)
    }

    @Test("every rule has two triggering and two non-triggering examples", arguments: RuleCatalog.all.map(\.code))
    func exampleCounts(_ code: String) throws {
        let rule = try #require(RuleCatalog.rule(code: code))
        #expect(rule.examples.filter { $0.expectation == .triggers }.count >= 2)
        #expect(rule.examples.filter { $0.expectation == .doesNotTrigger }.count >= 2)
        #expect(rule.examples.allSatisfy { $0.ruleCode == code })
    }

    @Test("every rule describes itself", arguments: RuleCatalog.all.map(\.code))
    func descriptions(_ code: String) throws {
        let rule = try #require(RuleCatalog.rule(code: code))
        #expect(code.allSatisfy { $0.isLowercase || $0 == "-" })
        for text in [rule.title, rule.why, rule.fix, rule.evidenceDescription] {
            #expect(!text.isEmpty && !text.contains("  "))
        }
    }
}
