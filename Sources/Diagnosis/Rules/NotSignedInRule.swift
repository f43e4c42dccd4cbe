import Foundation
import LicensingModel

/// `not-signed-in`: the user is not signed in to CC, so the policy cannot be refreshed.
public struct NotSignedInRule: DiagnosisRule {
    public static let code = "not-signed-in"
    public static let title = "The user is not signed in to CONNECTION Client"
    public static let why = """
        If you can't log into CONNECTION Client, you can't refresh your policy. The stored policy \
        keeps working for up to 7 days offline, with a checked-out license, or where the \
        administrator allows offline use; after that the products fall to trial.
        """
    public static let fix = """
        Sign in to CONNECTION Client, then refresh the policy in the Bentley Licensing Tool \
        (Tools → Refresh Policy).
        """
    public static let evidenceDescription = """
        The CC API's IsLoggedIn false; since the last successful refresh: HTTP 401 (the sign-in token \
        was refused), "GetPolicy requires authentication", "Click here to sign in" while CC itself is \
        signed out; fetch failures with no successful refresh at all.
        """
    public static let needs: Set<MissingItem> = [.logs]
    public static let scope = RuleScope.machine

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let signedIn = facts.ccSignedIn
        guard signedIn != nil || facts.hasLogs else {
            return .notApplicable("no CC API answer and no logs")
        }
        if signedIn == true {
            return .ruledOut("the CC API says signed in" + (facts.connectClient?.signedInEmail.map { " as \($0)" } ?? ""))
        }
        var found = EvidenceSet()
        if signedIn == false {
            found.add(Weight.strong, "the CC API says IsLoggedIn false", [facts.ccEvidence("IsLoggedIn: false")])
        }
        let refused = facts.currentObservations { $0 == .http(status: 401) }
        if !refused.isEmpty {
            found.add(Weight.moderate, "HTTP 401 ×\(refused.count) since the last refresh", refused.suffix(2).map(\.evidence))
        }
        let authentication = facts.currentObservations { $0 == .authenticationRequired }
        if !authentication.isEmpty {
            found.add(Weight.moderate, "GetPolicy requires authentication", authentication.suffix(1).map(\.evidence))
        }
        let signedOut = facts.currentObservations { $0 == .signedOut }
        if !signedOut.isEmpty {
            found.add(Weight.supporting, "the Licensing Tool asks to sign in", signedOut.suffix(1).map(\.evidence))
        }
        let failures = facts.observations { $0 == .policyFetchFailedUsingDB || $0 == .policyRequestFailed }
        if facts.lastRefresh == nil, !failures.isEmpty, !found.isEmpty {
            found.add(Weight.supporting, "no successful policy refresh in the logs", failures.suffix(1).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Signed out") }
        return .ruledOut("no sign-in failure in the logs since the last refresh")
    }

    public static let examples: [RuleExample] = [
        .triggers("the CC API says signed out, MicroStation expired offline",
                  FactsBuilder.healthy.signedIn(false).offline(since: .days(9)).status(1000, .expired)),
        .triggers("no CC API answer; 401 and requires authentication after the last refresh",
                  FactsBuilder.healthy.signedIn(nil).status(1000, .expired)
                      .log(.http(status: 401), "Response status code 401 (Unauthorized)", ago: .minutes(30))
                      .log(.authenticationRequired, "authHandlerProvider is null, EntilementPolicyService GetPolicy requires authentication", ago: .minutes(29))),
        .doesNotTrigger("signed in", FactsBuilder.healthy),
        .doesNotTrigger("near miss: an old 401 followed by a successful refresh",
                        FactsBuilder.healthy.signedIn(nil).status(1000, .expired)
                            .log(.http(status: 401), "Response status code 401", ago: .days(3))),
        .triggers("signed out; MicroStation still runs offline, not for long",
                  FactsBuilder.healthy.signedIn(false).offline(since: .days(3)).status(1000, .offline)),
        .doesNotTrigger("near miss: signed out in the logs long ago, signed in and refreshed since",
                        FactsBuilder.healthy.signedIn(nil)
                            .log(.signedOut, "Click here to sign in to CONNECTION Client and see entitlements", ago: .days(2))
                            .log(.authenticationRequired, "GetPolicy requires authentication", ago: .days(2))),
    ]
}
