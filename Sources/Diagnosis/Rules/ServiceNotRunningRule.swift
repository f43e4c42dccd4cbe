import Foundation
import LicensingModel

/// `service-not-running`: the Licensing Service is not running or keeps crashing.
public struct ServiceNotRunningRule: DiagnosisRule {
    public static let code = "service-not-running"
    public static let title = "The Bentley Licensing Service is not running"
    public static let why = """
        Every license decision is made by the Bentley Licensing Service. When it is stopped or keeps \
        crashing, no product can be licensed and every application starts in trial mode.
        """
    public static let fix = """
        Restart the Bentley Licensing Service (services.msc) or the machine; if it keeps stopping, \
        repair or reinstall CONNECTION Client.
        """
    public static let evidenceDescription = """
        A process list without Bentley.Licensing.Service.exe; the CC API's LicenseService IsRunning \
        false; Application events 1000/1026 and System events 7031/7034 naming the service. A \
        missing process list is not evidence.
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.machine
    static let executable = "Bentley.Licensing.Service.exe"

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let processes = facts.processes
        let apiRunning = facts.connectClient?.licenseService?.isRunning
        let crashes = facts.licensingServiceCrashes
        guard processes != nil || apiRunning != nil || !crashes.isEmpty else {
            return .notApplicable("no process list, no CC API answer and no crash events")
        }
        var found = EvidenceSet()
        let running = processes?.first { $0.imageName.caseInsensitiveCompare(Self.executable) == .orderedSame }
        if let processes, running == nil {
            let source = facts.processListSource ?? processes.first?.source ?? SourceRef(file: "tasklist.csv")
            found.add(apiRunning == true ? Weight.supporting : Weight.strong,
                      "\(Self.executable) is not among \(processes.count) running processes",
                      [Evidence(file: source.file, excerpt: "no \(Self.executable) in the process list")])
        }
        if apiRunning == false {
            found.add(Weight.strong, "the CC API says the Licensing Service is not running",
                      [facts.ccEvidence("LicenseService.IsRunning: false")])
        }
        if !crashes.isEmpty {
            let weight = crashes.count >= 3 ? Weight.notable : crashes.count == 2 ? Weight.moderate : Weight.supporting
            found.add(weight, "it crashed or stopped \(crashes.count)× (events \(Set(crashes.map(\.eventId)).sorted().map(String.init).joined(separator: ", ")))",
                      crashes.suffix(2).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Licensing Service down") }
        if let running { return .ruledOut("\(Self.executable) is running" + (running.pid.map { " (PID \($0))" } ?? "")) }
        return .ruledOut("the CC API says the Licensing Service is running")
    }

    public static let examples: [RuleExample] = [
        .triggers("the process list lacks the service, the CC API says it is not running",
                  FactsBuilder.healthy.licensingService(running: false)),
        .triggers("an empty process list (no CC API answer), and the SCM says it terminated twice",
                  FactsBuilder.healthy.signedIn(nil).processes([])
                      .event("System", "Service Control Manager", 7031, data: ["Bentley Licensing Service", "1"], ago: .hours(3))
                      .event("System", "Service Control Manager", 7034, data: ["Bentley Licensing Service", "2"], ago: .hours(1))),
        .triggers("running now, but crashing over and over",
                  FactsBuilder.healthy
                      .event("Application", "Application Error", 1000, data: ["Bentley.Licensing.Service.exe"], ago: .hours(6))
                      .event("Application", ".NET Runtime", 1026, data: ["Application: Bentley.Licensing.Service.exe"], ago: .hours(4))
                      .event("System", "Service Control Manager", 7031, data: ["Bentley Licensing Service"], ago: .hours(2))),
        .doesNotTrigger("near miss: the service is running (name in lower case)",
                        FactsBuilder.healthy.processes(["bentley.licensing.service.exe"])),
        .doesNotTrigger("no process list, no CC API answer: cannot tell", FactsBuilder.healthy.processes(nil).signedIn(nil)),
        .doesNotTrigger("a crash of CONNECTION Client, not the service",
                        FactsBuilder.healthy.event("Application", "Application Error", 1000, data: ["Bentley.Connect.Client.exe"], ago: .hours(1))),
    ]
}
