import Diagnosis
import Foundation
import LicensingModel
import Testing

@Suite("Verdict and missing items")
struct VerdictTests {
    @Test("a healthy machine is licensed, with no cause")
    func healthy() {
        let diagnosis = Diagnoser.diagnose(FactsBuilder.healthy.facts)
        #expect(diagnosis.verdict == .licensed)
        #expect(diagnosis.findings.allSatisfy { $0.confidence < Diagnoser.causeThreshold }, "\(diagnosis.findings)")
        #expect(diagnosis.missing.isEmpty)
        #expect(diagnosis.products.map(\.status) == ["Ok"])
        #expect(diagnosis.ruledOut.contains { $0.cause == "country-mismatch" && $0.why == "country matches: GB = GB" })
    }

    @Test("empty facts: unknown, every item missing, no cause")
    func empty() {
        let diagnosis = Diagnoser.diagnose(Facts())
        #expect(diagnosis.verdict == .unknown)
        #expect(diagnosis.missing == MissingItem.allCases)
        #expect(diagnosis.findings.isEmpty)
        #expect(!diagnosis.notChecked.isEmpty)
    }

    @Test("a product not licensed makes the verdict trial")
    func trial() {
        let diagnosis = Diagnoser.diagnose(FactsBuilder.healthy.notEntitled(1000).facts)
        #expect(diagnosis.verdict == .trial)
        #expect(diagnosis.products.first?.status == "NotEntitled")
    }

    @Test("a stopped service makes the verdict trial even while statuses say Ok")
    func serviceDown() {
        let diagnosis = Diagnoser.diagnose(FactsBuilder.healthy.licensingService(running: false).facts)
        #expect(diagnosis.verdict == .trial)
        #expect(diagnosis.findings.first?.cause == "service-not-running")
    }

    @Test("a missing process list is not a stopped service")
    func missingProcessList() {
        let diagnosis = Diagnoser.diagnose(FactsBuilder.healthy.processes(nil).signedIn(nil).facts)
        #expect(diagnosis.verdict == .licensed)
        #expect(diagnosis.notChecked.contains { $0.cause == "service-not-running" })
    }

    @Test("without a status dump the status is decided from the policy")
    func decided() {
        let diagnosis = Diagnoser.diagnose(FactsBuilder.healthy.status(1000, nil).facts)
        #expect(diagnosis.products.first?.statusSource == "decided from the policy")
        #expect(diagnosis.verdict == .licensed)
        #expect(diagnosis.missing == [.productStatus])
    }

    @Test("a missing item the rule needs lowers its confidence")
    func missingLowers() throws {
        let story = FactsBuilder.healthy.usageCountry("US").notEntitled(1000)
        let full = Diagnoser.diagnose(story.facts).findings.first { $0.cause == "not-entitled" }
        let lacking = Diagnoser.diagnose(story.missing(.entitlements).facts).findings.first { $0.cause == "not-entitled" }
        #expect(try #require(lacking).confidence < (try #require(full)).confidence)
    }

    @Test("the timeline is merged, sorted and ends with the collection")
    func timeline() {
        let facts = FactsBuilder.healthy.offline(since: .days(2)).checkout(1000, expiresIn: .days(-1))
            .event("System", "Service Control Manager", 7031, data: ["Bentley Licensing Service"], ago: .hours(3)).facts
        let events = Timeline.build(facts)
        #expect(events.map(\.time) == events.map(\.time).sorted())
        #expect(Set(events.map(\.kind)) == ["log", "event", "policy", "offline", "checkout", "usage", "collection"])
        #expect(events.contains { $0.kind == "collection" && $0.time == FactsBuilder.now })
    }
}
