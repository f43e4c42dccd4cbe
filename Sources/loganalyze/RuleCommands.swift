import ArgumentParser
import Diagnosis
import Foundation
import Reporting

/// `loganalyze rules`: every rule, one a line.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every diagnosis rule (cause code and title).",
        discussion: """
            Examples:
              loganalyze rules
              loganalyze rules --markdown > rules.md

            Exit status: 0.
            """)

    @Flag(help: "Print the full rule documentation as Markdown (as in docs/rules.md).")
    var markdown = false

    func run() {
        if markdown {
            print(RuleCatalog.markdown(), terminator: "")
            return
        }
        let width = RuleCatalog.all.map(\.code.count).max() ?? 0
        for rule in RuleCatalog.all {
            let lines = TerminalText.wrap(rule.title, width: 80, first: rule.code.padding(toLength: width + 2, withPad: " ", startingAt: 0),
                                          rest: String(repeating: " ", count: width + 4))
            print(lines.joined(separator: "\n"))
        }
    }
}

/// `loganalyze explain CODE`: one rule's description, evidence, fix and examples.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one cause code: what it means, the evidence, the fix, examples.",
        discussion: """
            Examples:
              loganalyze explain country-mismatch
              loganalyze explain not-signed-in

            Exit status: 0 explained; 64 an unknown code (the closest codes are named).
            """)

    @Argument(help: "A cause code, e.g. country-mismatch (see `loganalyze rules`).")
    var code: String

    func validate() throws {
        guard RuleCatalog.rule(code: code) != nil else {
            let closest = ClosestCodes.to(code, in: RuleCatalog.all.map(\.code))
            throw ValidationError("no cause code \(code); closest: \(closest.joined(separator: ", ")) (`loganalyze rules` lists them all)")
        }
    }

    func run() {
        guard let rule = RuleCatalog.rule(code: code) else { return }
        func paragraph(_ text: String, _ first: String = "", _ rest: String = "") -> [String] {
            TerminalText.wrap(text, width: 80, first: first, rest: rest)
        }
        var lines = paragraph("\(rule.code): \(rule.title)", "", "  ") + [""] + paragraph(rule.why) + [""]
        lines += paragraph(rule.evidenceDescription, "Evidence: ", "  ") + [""] + paragraph(rule.fix, "Fix: ", "  ")
        lines += ["", "Examples:"]
        for example in rule.examples {
            lines += paragraph("\(example.expectation == .triggers ? "triggers" : "does not trigger"): \(example.name)", "  - ", "    ")
        }
        print(lines.joined(separator: "\n"))
    }
}
