import Foundation
import LicensingModel

/// `checkout-wrong-machine`: a checked-out license belongs to another machine.
public struct CheckoutWrongMachineRule: DiagnosisRule {
    public static let code = "checkout-wrong-machine"
    public static let title = "A checked-out license belongs to another machine"
    public static let why = """
        A checked-out license is valid only on the machine it was checked out on (the policy's \
        RequestData.MachineName). Imported elsewhere it fails with "Device ID does not match \
        provided policy device id" and does not license the product.
        """
    public static let fix = "Check the license out on this machine (Bentley Licensing Tool), then import that file."
    public static let evidenceDescription = """
        A `.belic` / Checkout row whose MachineName differs from this computer's name (compared \
        case-insensitively); "Device ID does not match provided policy device id" in the logs.
        """
    public static let needs: Set<MissingItem> = []
    public static let scope = RuleScope.product
    public static let explains = [OfflineExpiredRule.code, PolicyStaleRule.code]

    public init() {}

    public func evaluate(_ facts: Facts, context: RuleContext) -> RuleOutcome {
        let mismatchLines = facts.observations { $0 == .deviceIdMismatch }
        guard !facts.checkouts.isEmpty || !mismatchLines.isEmpty else {
            return facts.hasLicensingData || facts.hasLogs
                ? .ruledOut("no checked-out license in the bundle and no device-id mismatch in the logs")
                : .notApplicable("no licensing store, policy, checkout or logs in the bundle")
        }
        let atRisk = Set(context.productsAtRisk.compactMap(\.productId))
        let computer = facts.client?.computerName
        var found = EvidenceSet()
        var same: [String] = []
        if let computer {
            for checkout in facts.checkouts {
                guard let machine = checkout.machineName else { continue }
                guard Normalized.machine(machine) != Normalized.machine(computer) else {
                    same.append("\(machine) = \(computer)")
                    continue
                }
                let ids = checkout.policy.securables.map(\.productId)
                found.add(atRisk.isDisjoint(with: ids) ? Weight.supporting : Weight.strong,
                          "checked out on \(machine), this is \(computer)",
                          [Evidence(checkout.source, "MachineName \(machine)"), facts.clientEvidence("computerName", "ComputerName \(computer)")],
                          products: ids)
            }
        }
        if !mismatchLines.isEmpty {
            found.add(Weight.strong, "the import was refused: device id does not match", mismatchLines.suffix(1).map(\.evidence))
        }
        guard found.isEmpty else { return found.finding("Checkout for another machine") }
        if computer == nil { return .notApplicable("this computer's name is not in the bundle") }
        return .ruledOut("the checkout is for this machine: " + same.joined(separator: ", "))
    }

    public static let examples: [RuleExample] = [
        .triggers("a MicroStation checkout made on WS-0077",
                  FactsBuilder.healthy.checkout(1000, machine: "WS-0077", expiresIn: .days(30))
                      .offline(since: .days(10)).policyAge(.days(11)).status(1000, .expired)),
        .triggers("the log says the device id does not match",
                  FactsBuilder.healthy.status(1000, .notEntitled)
                      .log(.deviceIdMismatch, "Device ID does not match provided policy device id", ago: .minutes(2))),
        .doesNotTrigger("near miss: the same machine name in another case",
                        FactsBuilder.healthy.checkout(1000, machine: "ws-0142", expiresIn: .days(30)).status(1000, .ok)),
        .doesNotTrigger("another machine's checkout, but the product is licensed online",
                        FactsBuilder.healthy.checkout(1000, machine: "WS-0077", expiresIn: .days(30))),
        .doesNotTrigger("no checkouts", FactsBuilder.healthy),
    ]
}
