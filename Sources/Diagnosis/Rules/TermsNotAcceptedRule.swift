import Foundation
import LicensingModel

/// `terms-not-accepted`: the user has not accepted Bentley's terms of service at sign-in.
public struct TermsNotAcceptedRule: DiagnosisRule {
    public static let code = "terms-not-accepted"
    public static let title = "The user has not accepted the terms of service"
    public static let why = """
        Signing in to CONNECTION Client completes only once the user accepts Bentley's terms of \
        service. Until then the user is not signed in for licensing, the policy cannot be \
        refreshed, and the products fall to trial.
        """
    public static let fix = """
        Open CONNECTION Client, sign in and accept the terms of service (connect-agreement.bentley.com \
        must be reachable through the proxy and firewall), then Tools → Refresh Policy.
        """
    public static let evidenceDescription = """
        The CC API's HasUserAcceptedEULA false; agreement errors or failed calls to \
        connect-agreement.bentley.com in the logs.
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.machine
    public static let explains = [NotSignedInRule.code, ToolLoginMismatchRule.code, NoPolicyRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let accepted = facts.connectClient?.hasUserAcceptedEULA
        guard accepted != nil || facts.hasLogs else { return .notApplicable("no CC API answer and no logs") }
        var found = EvidenceSet()
        if accepted == false {
            found.add(Weight.decisive, "the CC API says HasUserAcceptedEULA false", [facts.ccEvidence("HasUserAcceptedEULA: false")])
        }
        let agreement = facts.currentObservations { $0 == .agreementRequired }
        if !agreement.isEmpty, accepted != true {
            found.add(Weight.moderate, "the terms-of-service agreement fails (×\(agreement.count))", agreement.suffix(2).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Terms not accepted") }
        if accepted == true { return .ruledOut("the CC API says the terms were accepted") }
        return .ruledOut("no agreement error in the logs")
    }

    public static let examples: [RuleExample] = [
        .triggers("the CC API says the terms were not accepted, CC signed out",
                  FactsBuilder.healthy.signedIn(false).acceptedTerms(false).offline(since: .days(2)).status(1000, .offline)),
        .triggers("calls to connect-agreement.bentley.com fail at sign-in",
                  FactsBuilder.healthy.signedIn(nil).notEntitled(1000)
                      .log(.agreementRequired, "POST https://connect-agreement.bentley.com/v1/agreements failed: 502", ago: .minutes(20))),
        .doesNotTrigger("near miss: the terms were accepted although an old agreement call failed",
                        FactsBuilder.healthy.acceptedTerms(true)
                            .log(.agreementRequired, "connect-agreement.bentley.com: timeout", ago: .minutes(30))),
        .doesNotTrigger("near miss: signed out, but the terms are not the reason",
                        FactsBuilder.healthy.signedIn(false).offline(since: .days(1)).status(1000, .offline)),
    ]
}
