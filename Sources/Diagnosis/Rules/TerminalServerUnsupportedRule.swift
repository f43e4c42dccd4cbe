import Foundation
import LicensingModel

/// `terminal-server-unsupported`: CONNECTION Client is too old for a terminal server.
public struct TerminalServerUnsupportedRule: DiagnosisRule {
    public static let code = "terminal-server-unsupported"
    public static let title = "CONNECTION Client is too old for a terminal server"
    public static let why = """
        On a terminal server (Remote Desktop Services or Citrix) several users run Bentley \
        applications in their own sessions. CONNECTION Client before 11.00.01.109 does not license \
        remote sessions correctly, so their products fall to trial.
        """
    public static let fix = """
        Update CONNECTION Client on the server to 11.00.01.109 or later (the latest is best), then \
        have each user sign in and refresh the policy.
        """
    public static let evidenceDescription = """
        The CC version below the versions table's terminal-server minimum (11.00.01.109) while the \
        machine serves remote sessions: tasklist sessions RDP-Tcp#N or ICA-CGP#N, Citrix wfshell.exe, \
        several users' Bentley processes, HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server \
        TSAppCompat = 1.
        """
    public static let needs: Set<MissingItem> = [.clientVersion]
    public static let scope = RuleScope.machine
    public static let explains = [ClientOutdatedRule.code, ToolLoginMismatchRule.code]

    public init() {}

    /// What shows the machine serves remote sessions: a few words and where.
    static func terminalServerSigns(_ facts: Facts) -> [(reason: String, evidence: [Evidence])] {
        var signs: [(String, [Evidence])] = []
        let processes = facts.processes ?? []
        let remote = processes.filter { process in
            guard let session = process.sessionName?.uppercased() else { return false }
            return session.hasPrefix("RDP-TCP#") || session.hasPrefix("ICA-CGP#")
        }
        if !remote.isEmpty {
            let sessions = Set(remote.compactMap(\.sessionName)).sorted()
            signs.append(("remote sessions \(sessions.prefix(3).joined(separator: ", "))",
                          remote.prefix(2).map { Evidence($0.source, "\($0.imageName) in session \($0.sessionName ?? "")") }))
        }
        if let citrix = processes.first(where: { $0.imageName.lowercased() == "wfshell.exe" }) {
            signs.append(("Citrix wfshell.exe runs", [Evidence(citrix.source, citrix.imageName)]))
        }
        // People, not the service accounts the Licensing Service runs under.
        let bentley = processes.filter { process in
            guard process.imageName.lowercased().hasPrefix("bentley."), let user = process.user?.lowercased() else { return false }
            return !(user.hasPrefix("nt authority\\") || ["system", "n/a", "local service", "network service"].contains(user))
        }
        let users = Set(bentley.compactMap { $0.user?.lowercased() })
        if users.count >= 2 {
            var shown: [String] = []
            let perUser = bentley.filter { process in
                guard let user = process.user?.lowercased(), !shown.contains(user) else { return false }
                shown.append(user)
                return true
            }
            signs.append(("\(users.count) users run Bentley processes",
                          perUser.prefix(2).map { Evidence($0.source, "\($0.imageName) of \($0.user ?? "")") }))
        }
        if facts.client?.terminalServerAppCompat == true {
            signs.append(("TSAppCompat = 1", [facts.clientEvidence("terminalServerAppCompat", "Terminal Server TSAppCompat = 1")]))
        }
        return signs
    }

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        guard facts.processes != nil || facts.client != nil else { return .notApplicable("no process list and no registry") }
        let signs = Self.terminalServerSigns(facts)
        guard !signs.isEmpty else { return .ruledOut("not a terminal server: no remote sessions, no TSAppCompat") }
        guard let version = facts.client?.ccVersion else {
            return .notApplicable("a terminal server, but the CC version is unknown")
        }
        guard let minimum = facts.versions.terminalServerMinimum else {
            return .notApplicable("the versions table names no terminal-server minimum")
        }
        guard version < minimum else {
            return .ruledOut("a terminal server with CC \(version), at or above \(minimum)")
        }
        var found = EvidenceSet()
        found.add(Weight.strong, "CC \(version) < \(minimum) on a terminal server",
                  [facts.clientEvidence("ccVersion", "CONNECTION Client \(version)")],
                  products: context.productsAtRisk.compactMap(\.productId))
        for sign in signs { found.add(Weight.supporting, sign.reason, sign.evidence) }
        return found.finding("Terminal server")
    }

    public static let examples: [RuleExample] = [
        .triggers("CC 11.00.00.36 on a terminal server with two RDP sessions",
                  FactsBuilder.healthy.cc("11.00.00.36").terminalServer().notEntitled(1000)),
        .triggers("CC 11.00.01.64 under Citrix (ICA sessions, wfshell.exe)",
                  FactsBuilder.healthy.cc("11.00.01.64").terminalServer(sessions: ["ICA-CGP#2", "ICA-CGP#5"], appCompat: false)
                      .with { $0.processes?.append(ProcessEntry(imageName: "wfshell.exe", source: SourceRef(file: "system/tasklist.csv", line: 40))) }),
        .doesNotTrigger("near miss: a terminal server with the latest CC",
                        FactsBuilder.healthy.terminalServer()),
        .doesNotTrigger("near miss: CC 11.00.00.36 on a desktop (console session only)",
                        FactsBuilder.healthy.cc("11.00.00.36")),
    ]
}
