import Diagnosis
import Foundation
import LicensingModel
import Testing

@Suite("Confidence")
struct ConfidenceTests {
    private func confidence(_ code: String, _ builder: FactsBuilder) throws -> Double {
        let rule = try #require(RuleCatalog.rule(code: code))
        return rule.assess(builder.facts, context: RuleContext(builder.facts)).confidence ?? 0
    }

    @Test("independent pieces of evidence raise confidence, never past the ceiling")
    func combining() throws {
        let mismatch = FactsBuilder.healthy.usageCountry("US").notEntitled(1000)
        let one = try confidence("country-mismatch", mismatch.with { $0.usageRecords = [] })
        let two = try confidence("country-mismatch", mismatch)
        let three = try confidence("country-mismatch", mismatch.policy { $0.userData?.ultimateCountryId = "GB" })
        #expect(one >= Diagnoser.causeThreshold)
        #expect(one < two && two < three)
        #expect(three <= Confidence.ceiling)
        #expect(Confidence.combine([0.7, 0.5]) == 0.85)
        #expect(Confidence.combine([]) == 0)
    }

    @Test("the same fact from two files is one piece of evidence")
    func duplicatesAreNotIndependent() throws {
        let once = FactsBuilder.healthy.offline(since: .days(20)).policyAge(.days(21)).status(1000, .expired)
            .checkout(1000, expiresIn: .days(-2))
        let twice = once.checkout(1000, expiresIn: .days(-2))
        #expect(try confidence("checkout-expired", once) == (try confidence("checkout-expired", twice)))
    }

    @Test("missing data never triggers a cause by itself", arguments: RuleCatalog.all.map(\.code))
    func missingDataAlone(_ code: String) throws {
        for builder in [FactsBuilder.empty, FactsBuilder.empty.missing(.email, .clientVersion, .entitlements, .productStatus, .logs, .policy),
                        FactsBuilder.healthy.processes(nil).signedIn(nil).noLogs().policyNotInBundle().cc(nil)
                            .with { $0.productStatuses = []; $0.events = []; $0.usageRecords = [] }] {
            #expect(try confidence(code, builder) < Diagnoser.causeThreshold)
        }
    }

    @Test("no policy at all, no product named: the verdict is still trial")
    func noPolicyVerdict() {
        let diagnosis = Diagnoser.diagnose(FactsBuilder.empty.noPolicy()
            .log(.noPolicyObtained, "Policy token object is null. No policy obtained from entitlements or cached", ago: .minutes(3)).facts)
        #expect(diagnosis.verdict == .trial)
        #expect(diagnosis.findings.first?.cause == "no-policy")
    }

    @Test("the collection time, not the clock: the same facts judged later give another answer")
    func judgedAtCollection() {
        let facts = FactsBuilder.healthy.policyAge(.days(6)).status(1000, nil).facts
        var later = facts
        later.collectedAt = FactsBuilder.now.addingTimeInterval(3 * 86_400)
        #expect(Diagnoser.diagnose(facts).verdict == .licensed)
        #expect(Diagnoser.diagnose(later).verdict == .trial)
        #expect(Diagnoser.diagnose(later).findings.first?.cause == "offline-expired")
    }
}
