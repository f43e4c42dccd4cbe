import Foundation
import LicensingModel

/// `tool-login-mismatch`: the Licensing Tool / service does not recognise the CC login.
public struct ToolLoginMismatchRule: DiagnosisRule {
    public static let code = "tool-login-mismatch"
    public static let title = "The Licensing Tool does not recognise the CONNECTION Client login"
    public static let why = """
        The Bentley License Tool must recognise that you are logged in: below "File | Tools | Help" \
        your login ID should appear. If it states "Click here to sign in to CONNECTION Client and see \
        entitlements" while CC is signed in, or the stored policy belongs to another user, the service \
        does not get the CC login and cannot refresh the policy.
        """
    public static let fix = """
        Restart CONNECTION Client and the Bentley Licensing Tool, sign in again, then Tools → Refresh Policy.
        """
    public static let evidenceDescription = """
        The CC API says signed in, and: the stored policy's user differs from the signed-in user \
        (GUIDs compared case-insensitively); "Click here to sign in", "GetPolicy requires \
        authentication" or HTTP 401 since the last successful refresh.
        """
    public static let needs: Set<MissingItem> = [.logs]
    public static let scope = RuleScope.machine
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let signedIn = facts.ccSignedIn else { return .notApplicable("no CC API answer in the bundle") }
        guard signedIn else { return .ruledOut("CC itself is signed out: that is not-signed-in") }
        var found = EvidenceSet()
        var agreement: String?
        let ccUser = facts.connectClient?.signedInUserId
        if let policy = facts.currentPolicy, policy.isAccessKeyPolicy {
            // A server-mode policy belongs to no user: its all-zero UserId is no other login.
            agreement = "an access-key (server-mode) policy, which belongs to no user"
        } else if let ccUser, let policy = facts.currentPolicy, let policyUser = policy.policyUserId {
            if GUIDText.same(ccUser, policyUser) {
                agreement = "the policy's user is the signed-in user (\(GUIDText.normalized(ccUser)))"
            } else {
                found.add(Weight.strong, "the stored policy is for user \(policyUser), CC is signed in as \(ccUser)",
                          [policy.evidence("UserId \(policyUser)"), facts.ccEvidence("SignedInUser.UserId \(ccUser)")])
            }
        }
        let signedOut = facts.currentObservations { $0 == .signedOut }
        if !signedOut.isEmpty {
            found.add(Weight.strong, "the Licensing Tool says \"Click here to sign in\" while CC is signed in",
                      signedOut.suffix(1).map(\.evidence) + [facts.ccEvidence("IsLoggedIn: true")])
        }
        let refused = facts.currentObservations { $0 == .authenticationRequired || $0 == .http(status: 401) }
        if !refused.isEmpty {
            found.add(Weight.supporting, "the service's sign-in is refused (\(refused.count)× since the last refresh)",
                      refused.suffix(1).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Login not recognised") }
        return .ruledOut(agreement ?? "CC is signed in and the service reports no sign-in problem")
    }

    public static let examples: [RuleExample] = [
        .triggers("\"Click here to sign in\" while CC is signed in",
                  FactsBuilder.healthy.status(1000, .notEntitled)
                      .log(.signedOut, "Click here to sign in to CONNECTION Client and see entitlements", ago: .minutes(5),
                           component: "License Tool")),
        .triggers("the stored policy belongs to another user",
                  FactsBuilder.healthy.signedIn(true, userId: "A1B2C3D4-0000-4000-8000-00000000BEEF")
                      .status(1000, .notEntitled)),
        .doesNotTrigger("near miss: the same user GUID in upper case",
                        FactsBuilder.healthy.signedIn(true, userId: FactsBuilder.userId.uppercased()).status(1000, .notEntitled)),
        .doesNotTrigger("CC is signed out (that is not-signed-in)",
                        FactsBuilder.healthy.signedIn(false).status(1000, .notEntitled)
                            .log(.signedOut, "Click here to sign in to CONNECTION Client", ago: .minutes(5))),
        .doesNotTrigger("no CC API answer", FactsBuilder.healthy.signedIn(nil)),
        .doesNotTrigger("near miss: an access-key policy's all-zero user is no other login",
                        FactsBuilder.healthy.accessKeyPolicy().notEntitled(1000)),
    ]
}
