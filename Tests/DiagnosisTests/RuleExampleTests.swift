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
    /// `../shared/CAUSES.md` beside the repository: the public contract of cause codes.
    static let causesFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/CAUSES.md")

    /// The codes of CAUSES.md's table (rows that start with a code in backquotes), in its order.
    static func causeCodes() throws -> [String] {
        let text = try String(contentsOf: causesFile, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            let code = line.dropFirst(3).prefix { $0 != "`" }
            return code.allSatisfy { $0.isLowercase || $0 == "-" } && !code.isEmpty ? String(code) : nil
        }
    }

    @Test("the catalog holds exactly the cause codes of CAUSES.md, in its order")
    func codes() throws {
        let codes = try Self.causeCodes()
        #expect(codes.count >= 28, "CAUSES.md lists \(codes.count) codes; read from \(Self.causesFile.path)")
        #expect(RuleCatalog.all.map(\.code) == codes)
    }

    @Test("what the rules declare they explain names known codes and never runs in a circle")
    func explanations() {
        let codes = Set(RuleCatalog.all.map(\.code))
        for (explainer, explained) in Ranking.explains {
            #expect(codes.contains(explainer))
            for code in explained { #expect(codes.contains(code), "\(explainer) explains unknown \(code)") }
        }
        // A circle would make an explained finding its own explainer: follow each chain.
        func reaches(_ start: String, _ target: String, _ seen: Set<String> = []) -> Bool {
            (Ranking.explains[start] ?? []).contains { $0 == target || (!seen.contains($0) && reaches($0, target, seen.union([$0]))) }
        }
        for code in codes { #expect(!reaches(code, code), "\(code) explains itself through a chain") }
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
