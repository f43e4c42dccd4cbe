import Foundation
import LicensingModel
import Testing

@Suite("The client's decision procedure")
struct DecisionProcedureTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let day: TimeInterval = 86_400

    /// A policy for product 1000 at feature `feature` with one ACL of `kind` and qualifiers.
    static func policy(feature: String = "", kind: AccessKind = .allowed, usageType: String = "Production",
                       allowOffline: String = "TRUE", aclExpires: Date? = nil,
                       expires: Date = now + 5 * day) -> Policy {
        Policy(
            expiresOn: expires,
            acls: [ACL(securableId: "S1", accessKind: kind, expiresOn: aclExpires,
                       qualifierOverrides: [Qualifier(name: "UsageType", value: usageType)])],
            securables: [Securable(securableId: "s1", productId: 1000, featureString: feature)],
            defaultQualifiers: [Qualifier(name: "AllowOfflineUsage", value: allowOffline),
                                Qualifier(name: "OfflineDuration", value: "7")],
            source: SourceRef(file: "policy.json"))
    }

    static func checkout(machine: String, expires: Date) -> Checkout {
        Checkout(policy: policy(expires: expires), machineName: machine, userId: nil, expiresOn: expires,
                 certificatePresent: true, source: SourceRef(file: "x.belic"))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let policy: Policy?
        var checkouts: [Checkout] = []
        var online = true
        var graceStart: Date?
        var feature = ""
        let expected: LicenseStatus
        var days: Int?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "valid checkout wins", policy: nil,
             checkouts: [checkout(machine: "PC-01", expires: now + 30 * day)], expected: .ok, days: 30),
        Case(name: "another machine's checkout does not count", policy: nil,
             checkouts: [checkout(machine: "PC-99", expires: now + 30 * day)], expected: .error),
        Case(name: "expired checkout does not count", policy: nil,
             checkouts: [checkout(machine: "PC-01", expires: now - day)], expected: .error),
        Case(name: "no policy", policy: nil, expected: .error),
        Case(name: "policy expired", policy: policy(expires: now - 1), expected: .expired),
        Case(name: "feature string differs", policy: policy(feature: "ADV"), expected: .notEntitled),
        Case(name: "denied ACL", policy: policy(kind: .denied), expected: .accessDenied),
        Case(name: "trial expired ACL", policy: policy(kind: .trialExpired), expected: .expired),
        Case(name: "evaluation past its end", policy: policy(usageType: "Evaluation", aclExpires: now - day),
             expected: .expired),
        Case(name: "usage type trial", policy: policy(usageType: "Trial"), expected: .trial),
        Case(name: "offline not allowed", policy: policy(allowOffline: "FALSE"), online: false,
             expected: .disabledByPolicy),
        Case(name: "offline within grace", policy: policy(), online: false, graceStart: now - 2 * day,
             expected: .offline, days: 5),
        Case(name: "offline beyond grace", policy: policy(), online: false, graceStart: now - 10 * day,
             expected: .expired),
        Case(name: "entitled and online", policy: policy(), expected: .ok),
        // CLIENT-MODEL §12, from the public client.
        Case(name: "Maybe counts as Allowed", policy: policy(kind: .maybe), expected: .ok),
        Case(name: "a current trial runs as a trial (109)", policy: policy(usageType: "Trial", aclExpires: now + 20 * day),
             expected: .trial, days: 20),
        Case(name: "a trial past its ACL's end is expired (105), not a trial", policy: policy(usageType: "Trial", aclExpires: now - day),
             expected: .expired),
        Case(name: "days left are truncated: half a day left is none", policy: policy(), online: false,
             graceStart: now - 6.5 * day, expected: .expired),
        Case(name: "six and a half grace days left count as six", policy: policy(), online: false,
             graceStart: now - 0.5 * day, expected: .offline, days: 6),
        Case(name: "an invalid policy (empty UserData.UserId) is DisabledByPolicy (108)",
             policy: { var p = policy(); p.userData = UserData(userId: "", organizationId: "o"); return p }(),
             expected: .disabledByPolicy),
        Case(name: "an invalid policy (empty RequestData.UserId) is DisabledByPolicy (108)",
             policy: { var p = policy(); p.requestData = RequestData(machineName: "PC-01", userId: ""); return p }(),
             expected: .disabledByPolicy),
        Case(name: "an access-key policy's all-zero UserId is valid",
             policy: { var p = policy()
                       p.requestData = RequestData(machineName: "PC-01", userId: "00000000-0000-0000-0000-000000000000", accessKeyPresent: true)
                       p.userData = UserData(userId: "00000000-0000-0000-0000-000000000000", organizationId: "0b6e5c3a-8f41-4d2e-9a7c-31e5d0c8f2a9")
                       return p }(),
             expected: .ok),
    ]

    @Test("each status the client can give", arguments: cases)
    func status(_ example: Case) {
        let result = DecisionProcedure.status(
            product: 1000, featureString: example.feature, policy: example.policy, checkouts: example.checkouts,
            machineName: "PC-01", online: example.online, offlineGraceStart: example.graceStart, now: Self.now)
        #expect(result.status == example.expected, "\(result.reason)")
        if let days = example.days { #expect(result.daysRemaining == days) }
        #expect(!result.reason.isEmpty)
    }
}
