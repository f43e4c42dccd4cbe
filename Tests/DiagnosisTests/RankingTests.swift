import Diagnosis
import Foundation
import LicensingModel
import Testing

/// The combination stories of CAUSES.md: the cause that explains the others comes first.
@Suite("Ranking")
struct RankingTests {
    private func causes(_ builder: FactsBuilder) -> [String] {
        Diagnoser.diagnose(builder.facts).findings.filter { $0.confidence >= Diagnoser.causeThreshold }.map(\.cause)
    }

    private func isAbove(_ first: String, _ second: String, in causes: [String]) -> Bool {
        guard let a = causes.firstIndex(of: first), let b = causes.firstIndex(of: second) else { return false }
        return a < b
    }

    @Test("a signed-out CC with an expired offline policy: offline-expired above not-signed-in")
    func signedOutAndOfflineExpired() {
        let story = FactsBuilder.healthy.signedIn(false).offline(since: .days(10)).policyAge(.days(11))
            .status(1000, .expired)
            .log(.authenticationRequired, "authHandlerProvider is null, EntilementPolicyService GetPolicy requires authentication",
                 ago: .days(9))
        let found = causes(story)
        #expect(isAbove("offline-expired", "not-signed-in", in: found), "\(found)")
        #expect(found.first == "offline-expired")
    }

    @Test("a product absent because of a country mismatch: country-mismatch above not-entitled")
    func countryExplainsAbsence() {
        let story = FactsBuilder.healthy.usageCountry("US").notEntitled(1000)
            .log(.licenseStatusReturned(110), "LicenseStatus Returned: 110", ago: .minutes(5))
        let found = causes(story)
        #expect(found.first == "country-mismatch", "\(found)")
        #expect(isAbove("country-mismatch", "not-entitled", in: found))
    }

    @Test("Windows 7, CC 11 and a crashing service: client-os-unsupported first")
    func windows7() {
        let story = FactsBuilder.healthy.cc("11.00.03.14", os: "6.1")
            .processes(["System", "explorer.exe"])
            .event("System", "Service Control Manager", 7031, data: ["Bentley Licensing Service"], ago: .hours(2))
            .event("Application", "Application Error", 1000, data: ["Bentley.Licensing.Service.exe"], ago: .hours(1))
        let diagnosis = Diagnoser.diagnose(story.facts)
        let found = diagnosis.findings.filter { $0.confidence >= Diagnoser.causeThreshold }.map(\.cause)
        #expect(found.first == "client-os-unsupported", "\(found)")
        #expect(isAbove("client-os-unsupported", "service-not-running", in: found))
        #expect(!found.contains("client-outdated"))
        #expect(diagnosis.verdict == .trial)
    }

    @Test("an explained finding is capped just below its explainer, and findings stay sorted")
    func cappingKeepsOrder() {
        let findings = [
            Finding(cause: "not-entitled", confidence: 0.94, title: "", fix: "", evidence: []),
            Finding(cause: "network-blocked", confidence: 0.6, title: "", fix: "", evidence: []),
            Finding(cause: "policy-stale", confidence: 0.8, title: "", fix: "", evidence: []),
            Finding(cause: "client-outdated", confidence: 0.3, title: "", fix: "", evidence: []),
        ]
        let ranked = Ranking.rank(findings)
        #expect(ranked.map(\.cause) == ["network-blocked", "policy-stale", "not-entitled", "client-outdated"])
        #expect(ranked.map(\.confidence) == [0.6, 0.59, 0.58, 0.3])
    }

    @Test("a note explains nothing, and nothing is listed only because another cause is")
    func notesDoNotExplain() {
        let findings = [
            Finding(cause: "not-entitled", confidence: 0.9, title: "", fix: "", evidence: []),
            Finding(cause: "client-outdated", confidence: 0.3, title: "", fix: "", evidence: []),
        ]
        let ranked = Ranking.rank(findings)
        #expect(ranked.map(\.confidence) == [0.9, 0.3])
        #expect(Ranking.rank([findings[0]]).map(\.cause) == ["not-entitled"])
    }

    @Test("every diagnosis lists its findings by confidence, highest first", arguments: RuleCatalog.all.flatMap(\.examples))
    func sorted(_ example: RuleExample) {
        let confidences = Diagnoser.diagnose(example.facts).findings.map(\.confidence)
        #expect(confidences == confidences.sorted(by: >), "\(example)")
        #expect(confidences.allSatisfy { (0...1).contains($0) })
    }

    @Test("the explains relations name real cause codes and have no cycle")
    func relationsAreSound() {
        let codes = Set(RuleCatalog.all.map(\.code))
        for (explainer, explained) in Ranking.explains {
            #expect(codes.contains(explainer))
            #expect(explained.allSatisfy(codes.contains))
            #expect(!Ranking.explainers(of: explainer).contains { explained.contains($0) })
        }
    }
}
