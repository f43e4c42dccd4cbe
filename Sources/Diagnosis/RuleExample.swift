import Foundation
import LicensingModel

/// A small set of facts that must, or must not, trigger a rule; it remembers the line it was
/// written on, so a failing example points at itself.
public struct RuleExample: Sendable, CustomStringConvertible {
    /// What the example must do.
    public enum Expectation: String, Sendable {
        /// The rule finds its cause, at or above `Diagnoser.causeThreshold`.
        case triggers
        /// The rule rules the cause out, cannot apply, or finds at most a note.
        case doesNotTrigger = "does not trigger"
    }

    /// What the example shows, in a few words.
    public var name: String
    /// The facts.
    public var facts: Facts
    /// What the rule must do with them.
    public var expectation: Expectation
    /// The rule it belongs to; set by `DiagnosisRule.examples`.
    public var ruleCode: String
    /// Where it was written.
    public var fileID: String
    public var filePath: String
    public var line: Int
    public var column: Int

    /// Creates an example; the source location defaults to the caller's.
    public init(_ name: String, _ expectation: Expectation, facts: Facts, ruleCode: String = "",
                fileID: String = #fileID, filePath: String = #filePath, line: Int = #line,
                column: Int = #column) {
        self.name = name
        self.facts = facts
        self.expectation = expectation
        self.ruleCode = ruleCode
        self.fileID = fileID
        self.filePath = filePath
        self.line = line
        self.column = column
    }

    /// An example the rule must trigger on.
    public static func triggers(_ name: String, _ facts: FactsBuilder, fileID: String = #fileID,
                                filePath: String = #filePath, line: Int = #line,
                                column: Int = #column) -> RuleExample {
        RuleExample(name, .triggers, facts: facts.facts, fileID: fileID, filePath: filePath,
                    line: line, column: column)
    }

    /// An example the rule must not trigger on.
    public static func doesNotTrigger(_ name: String, _ facts: FactsBuilder, fileID: String = #fileID,
                                      filePath: String = #filePath, line: Int = #line,
                                      column: Int = #column) -> RuleExample {
        RuleExample(name, .doesNotTrigger, facts: facts.facts, fileID: fileID, filePath: filePath,
                    line: line, column: column)
    }

    /// `country-mismatch: triggers — usage country US, user in GB`.
    public var description: String { "\(ruleCode): \(expectation.rawValue) — \(name)" }

    func tagged(_ code: String) -> RuleExample {
        var copy = self
        copy.ruleCode = code
        return copy
    }

    /// Runs the example's rule on its facts; nil when it behaves as expected, else what went wrong.
    public func failure() -> String? {
        guard let rule = RuleCatalog.rule(code: ruleCode) else {
            return "no rule with code \"\(ruleCode)\" in RuleCatalog.all"
        }
        let outcome = rule.assess(facts, context: RuleContext(facts))
        switch (expectation, outcome.isCause) {
        case (.triggers, true), (.doesNotTrigger, false): return nil
        case (.triggers, false):
            return "\(description): expected a finding ≥ \(Diagnoser.causeThreshold), got \(outcome)"
        case (.doesNotTrigger, true):
            return "\(description): expected no finding ≥ \(Diagnoser.causeThreshold), got \(outcome)"
        }
    }
}
