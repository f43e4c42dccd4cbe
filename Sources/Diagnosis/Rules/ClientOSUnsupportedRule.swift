import Foundation
import LicensingModel

/// `client-os-unsupported`: CC 11.x on Windows 7.
public struct ClientOSUnsupportedRule: DiagnosisRule {
    public static let code = "client-os-unsupported"
    public static let title = "CONNECTION Client 11.x does not work on Windows 7"
    public static let why = """
        Windows 7 users will find that CONNECTION Client versions 11.x will not work: the client and \
        the Licensing Service fail on that operating system, so no policy is obtained.
        """
    public static let fix = """
        Downgrade to CONNECTION Client 10.00.19.31. The long term solution is to upgrade to an \
        operating system that Microsoft (and therefore Bentley) supports.
        """
    public static let evidenceDescription = """
        OS CurrentVersion 6.1 (Windows 7) with a CC whose major version is above the versions table's \
        Windows 7 line (≥ 11); Licensing Service crashes (events 1000/1026/7031/7034) support it.
        """
    public static let needs: Set<MissingItem> = [.clientVersion]
    public static let scope = RuleScope.machine
    public static let explains = [ServiceNotRunningRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let version = facts.client?.ccVersion else {
            return .notApplicable("the CC version is not in the bundle")
        }
        guard let windows7 = facts.isWindows7 else {
            return .notApplicable("the OS version is not in the bundle")
        }
        let table = facts.versions
        guard windows7 else {
            return .ruledOut("not Windows 7 (CurrentVersion \(facts.client?.osCurrentVersion ?? "?"))")
        }
        guard table.assess(version, windows7: true) == .unsupportedOnOS else {
            return .ruledOut("CC \(version) is of the \(table.windows7MaxMajor).x line, which runs on Windows 7")
        }
        var found = EvidenceSet()
        found.add(Weight.decisive, "CC \(version) on Windows 7 (6.1); \(table.windows7Maximum) is the last that works there",
                  [facts.clientEvidence("osCurrentVersion", "CurrentVersion \"6.1\""),
                   facts.clientEvidence("ccVersion", "CONNECTION Client \(version)")])
        let crashes = facts.licensingServiceCrashes
        if !crashes.isEmpty {
            found.add(Weight.supporting, "the Licensing Service crashed \(crashes.count)×", crashes.prefix(2).map(\.evidence))
        }
        return found.finding("Unsupported OS")
    }

    public static let examples: [RuleExample] = [
        .triggers("CC 11.00.03.14 on Windows 7", FactsBuilder.healthy.cc("11.00.03.14", os: "6.1")),
        .triggers("CC 23 on Windows 7 known only by its product name", FactsBuilder.healthy.with {
            $0.client?.osCurrentVersion = nil
            $0.client?.osProductName = "Windows 7 Professional"
        }),
        .doesNotTrigger("near miss: CC 10.00.19.31 on Windows 7", FactsBuilder.healthy.cc("10.00.19.31", os: "6.1")),
        .doesNotTrigger("CC 11 on Windows 10 (CurrentVersion 6.3)", FactsBuilder.healthy.cc("11.00.03.14")),
        .doesNotTrigger("OS unknown", FactsBuilder.healthy.cc("11.00.03.14").with {
            $0.client?.osCurrentVersion = nil
            $0.client?.osProductName = nil
        }),
    ]
}
