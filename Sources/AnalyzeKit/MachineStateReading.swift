import Diagnosis
import Foundation
import LicensingModel
import Reporting

extension MachineState {
    /// The state a bundle's facts show: the newest policy (the one the client uses), CC's own
    /// answer about sign-in, the store's offline grace and every checkout, newest expiry first.
    init(facts: Facts) {
        let checkouts = facts.checkouts.map { checkout in
            CheckoutState(productIds: Array(Set(checkout.policy.securables.map(\.productId))).sorted(),
                          machineName: checkout.machineName, expiresOn: checkout.expiresOn)
        }
        self.init(
            ccVersion: facts.client?.ccVersion?.description,
            policy: facts.currentPolicy.map { PolicyState(id: $0.policyId, createdOn: $0.createdOn, expiresOn: $0.expiresOn) },
            signedIn: facts.connectClient?.isLoggedIn,
            offlineGraceStart: facts.offlineGraceStart,
            checkouts: Array(Set(checkouts)).sorted { ($0.expiresOn ?? .distantPast, $0.summary) > ($1.expiresOn ?? .distantPast, $1.summary) })
    }
}
