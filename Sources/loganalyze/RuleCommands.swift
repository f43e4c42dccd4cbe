import ArgumentParser
import Diagnosis
import Foundation

/// `loganalyze rules`: every rule, one a line.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every diagnosis rule (cause code and title).")

    @Flag(help: "Print the full rule documentation as Markdown (as in docs/rules.md).")
    var markdown = false

    func run() {
        if markdown {
            print(RuleCatalog.markdown(), terminator: "")
            return
        }
        let width = RuleCatalog.all.map(\.code.count).max() ?? 0
        for rule in RuleCatalog.all {
            print(rule.code.padding(toLength: width + 2, withPad: " ", startingAt: 0) + rule.title)
        }
    }
}

/// `loganalyze explain CODE`: one rule's description, evidence, fix and examples.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain one cause code: what it means, the evidence, the fix, examples.")

    @Argument(help: "A cause code, e.g. country-mismatch (see `loganalyze rules`).")
    var code: String

    func validate() throws {
        guard RuleCatalog.rule(code: code) != nil else {
            throw ValidationError("no rule \(code); `loganalyze rules` lists them")
        }
    }

    func run() {
        guard let rule = RuleCatalog.rule(code: code) else { return }
        var lines = ["\(rule.code): \(rule.title)", "", rule.why, "", "Evidence: \(rule.evidenceDescription)", "",
                     "Fix: \(rule.fix)", "", "Examples:"]
        lines += rule.examples.map { "  - \($0.expectation == .triggers ? "triggers" : "does not trigger"): \($0.name)" }
        print(lines.joined(separator: "\n"))
    }
}
