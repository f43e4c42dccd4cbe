import Foundation
import LicensingModel
import LicensingParsers
import SQLiteKit

/// What the licensing store says, read from a private copy: policies, checkouts, offline
/// grace and the products used. Shared by the sources that decide product statuses.
struct LicensingState {
    var policies: [Policy] = []
    var checkouts: [Checkout] = []
    var offlineGraceStart: Date?
    var usedProducts: [(productId: Int, featureString: String)] = []
    var problems: [String] = []

    /// The newest policy (by `PolicyCreatedOn`).
    var currentPolicy: Policy? {
        policies.max { ($0.createdOn ?? .distantPast) < ($1.createdOn ?? .distantPast) }
    }

    /// Backs the live store up into `scratch` and reads it.
    static func load(store: MachineFile, scratch: URL, copyName: String) throws -> LicensingState {
        let copy = scratch.appendingPathComponent(copyName)
        try SQLiteDatabase(path: store.url.path).backup(to: copy.path)
        let database = try SQLiteDatabase(path: copy.path)
        let tables = Set(try database.tableNames().map { $0.lowercased() })
        var state = LicensingState()
        if tables.contains("policy") {
            for row in try database.rows("SELECT rowid AS rid, PolicyFile FROM Policy") {
                guard let text = row["PolicyFile"]?.text, !text.isEmpty else { continue }
                do { state.policies.append(try PolicyDecoder.policy(from: Data(text.utf8), file: "Policy row \(row["rid"]?.text ?? "?")")) }
                catch { state.problems.append("\(error)") }
            }
        }
        if tables.contains("checkout") {
            for row in try database.rows("SELECT rowid AS rid, PolicyFile FROM Checkout") {
                guard let text = row["PolicyFile"]?.text, !text.isEmpty else { continue }
                do { state.checkouts.append(try PolicyDecoder.checkout(from: Data(text.utf8), file: "Checkout row \(row["rid"]?.text ?? "?")")) }
                catch { state.problems.append("\(error)") }
            }
        }
        if tables.contains("offlinegrace") {
            state.offlineGraceStart = try database.rows("SELECT OfflineGracePeriodStart FROM OfflineGrace")
                .compactMap { $0.values.first?.text.flatMap(LicensingDate.parse) }.min()
        }
        if tables.contains("usage") {
            for row in try database.rows("SELECT DISTINCT ProductId, FeatureString FROM Usage") {
                if let id = row["ProductId"]?.integer {
                    state.usedProducts.append((Int(id), row["FeatureString"]?.text ?? ""))
                }
            }
        }
        return state
    }
}
