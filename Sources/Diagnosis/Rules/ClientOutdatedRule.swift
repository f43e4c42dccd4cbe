import Foundation
import LicensingModel

/// `client-outdated`: the CONNECTION Client is older than supported.
public struct ClientOutdatedRule: DiagnosisRule {
    public static let code = "client-outdated"
    public static let title = "CONNECTION Client is older than supported"
    public static let why = """
        When at all possible, you should be running the latest version of CONNECTION Client. A CC \
        older than the oldest supported version for the operating system may fail to obtain or \
        refresh the policy. A supported version that is merely not the latest is only a note.
        """
    public static let fix = """
        Update CONNECTION Client to the newest version, using the download link at the top of \
        https://store.bentley.com/en/products.
        """
    public static let evidenceDescription = """
        The installed CC version (registry DisplayVersion) against the versions table (latest; oldest \
        supported on Windows 8.1 and later; the 10.x line on Windows 7), for the machine's OS.
        """
    public static let needs: Set<MissingItem> = [.clientVersion]
    public static let scope = RuleScope.machine
    public static let explains = [NotEntitledRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard let version = facts.client?.ccVersion else {
            return .notApplicable("the CC version is not in the bundle")
        }
        let table = facts.versions
        let windows7 = facts.isWindows7
        let versionEvidence = facts.clientEvidence("ccVersion", "CONNECTION Client \(version)")
        switch table.assess(version, windows7: windows7 ?? false) {
        case .unsupportedOnOS:
            return .ruledOut("CC \(version) on Windows 7 does not run at all: that is client-os-unsupported")
        case .latest:
            return .ruledOut("CC \(version) is the latest (\(table.latest))")
        case .supported:
            let latest = windows7 == true ? table.windows7Maximum : table.latest
            if version >= latest { return .ruledOut("CC \(version) is the latest that runs on Windows 7") }
            return .finding(confidence: Weight.supporting,
                            title: "CC \(version) is supported but not the latest (\(latest)): updating is advised",
                            evidence: [versionEvidence], productIds: [])
        case .outdated:
            let minimum = windows7 == true ? table.windows7Maximum : table.minimumSupported
            var found = EvidenceSet()
            found.add(windows7 == nil ? Weight.strong : Weight.decisive,
                      "\(version) is older than \(minimum), the oldest supported"
                      + (windows7 == nil ? " (OS unknown: judged as Windows 8.1 or later)" : ""),
                      [versionEvidence])
            return found.finding("Outdated CONNECTION Client")
        }
    }

    public static let examples: [RuleExample] = [
        .triggers("CC 10.00.19.31 on Windows 10", FactsBuilder.healthy.cc("10.00.19.31")),
        .triggers("CC 10.00.12.02 on Windows 7, older than 10.00.19.31", FactsBuilder.healthy.cc("10.00.12.02", os: "6.1")),
        .triggers("CC 10.00.19.31 with the OS unknown", FactsBuilder.healthy.cc("10.00.19.31").with {
            $0.client?.osCurrentVersion = nil
            $0.client?.osProductName = nil
        }),
        .doesNotTrigger("the latest CC", FactsBuilder.healthy),
        .doesNotTrigger("near miss: CC 11.00.03.14 is supported but not the latest (a note)",
                        FactsBuilder.healthy.cc("11.00.03.14")),
        .doesNotTrigger("CC 10.00.19.31 on Windows 7: the last that runs there", FactsBuilder.healthy.cc("10.00.19.31", os: "6.1")),
        .doesNotTrigger("no CC version in the bundle", FactsBuilder.healthy.cc(nil)),
    ]
}
