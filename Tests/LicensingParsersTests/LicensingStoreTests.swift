import Foundation
import LicensingModel
import LicensingParsers
import Testing
import TestSupport

/// The one licensing-store reader on the stores of `Fixtures/stores/` (what each checks is in
/// its `stores.json`) and on the client roots' stores of every client version.
@Suite("Licensing store reader")
struct LicensingStoreTests {
    struct Expectation: Decodable {
        struct Policy: Decodable { let policyId: String; let products: [Int] }
        let checks: String
        let policy: Policy?
    }

    static let expectations: [String: Expectation] = {
        let url = RepoPaths.fixture("stores/stores.json")
        return (try? JSONDecoder().decode([String: Expectation].self, from: Data(contentsOf: url))) ?? [:]
    }()

    static func read(_ name: String) throws -> LicensingStore {
        let url = RepoPaths.fixture("stores/\(name)")
        return try LicensingStore(data: Data(contentsOf: url), file: "licensing/\(url.lastPathComponent)")
    }

    @Test("every bad store reads without an error, and gives the policy stores.json names",
          arguments: ["keyword-table.db", "missing-tables.db", "numbers-for-text.db", "policy-cut-jwt.db", "wide-2000-columns.db"])
    func badStore(_ name: String) throws {
        let expected = Self.expectations[name]
        #expect(expected != nil || name == "wide-2000-columns.db", "stores.json describes \(name)")
        let store = try Self.read(name)
        if let policy = expected?.policy {
            #expect(store.currentPolicy?.policyId == policy.policyId, "\(expected?.checks ?? "")")
            #expect(Set(store.currentPolicy?.securables.map(\.productId) ?? []) == Set(policy.products))
        }
    }

    @Test("SQL keywords as table names are read, and listed as tables nobody knows")
    func keywordTables() throws {
        let store = try Self.read("keyword-table.db")
        #expect(Set(store.unknownTables).isSuperset(of: ["Order", "Select", "group"]), "\(store.unknownTables)")
        #expect(store.problems.isEmpty, "\(store.problems)")
    }

    @Test("a store with only its Policy table: the policy, no checkouts, no grace, no problem")
    func missingTables() throws {
        let store = try Self.read("missing-tables.db")
        #expect(store.policies.count == 1)
        #expect(store.checkouts.isEmpty && store.offlineGraceStart == nil && store.usage.isEmpty)
        #expect(store.problems.isEmpty, "\(store.problems)")
    }

    @Test("numbers where text belongs read as text; a PolicyFile that is a number is a row that does not decode")
    func numbersForText() throws {
        let store = try Self.read("numbers-for-text.db")
        #expect(store.policyRows.contains { $0.policyId == "42" })
        #expect(store.undecodable.count == 1, "\(store.undecodable)")
        #expect(store.problems.count == 2 && store.problems.allSatisfy { $0.contains("does not decode") },
                "the Policy row and the Checkout row whose PolicyFile is a number: \(store.problems)")
    }

    @Test("a PolicyFile cut half-way through its JWT: no policy, the row named with its reason")
    func cutJWT() throws {
        let store = try Self.read("policy-cut-jwt.db")
        #expect(store.policies.isEmpty)
        let bad = try #require(store.undecodable.first)
        #expect(bad.source.row?.hasPrefix("Policy PolicyId=") == true, "\(bad.source)")
        #expect(bad.source.line == nil, "a database row has no line number")
    }

    @Test("a 2,000-column Usage: the known columns read by name, the rest listed, memory bounded")
    func wideTable() throws {
        let store = try Self.read("wide-2000-columns.db")
        #expect(!store.usage.isEmpty)
        #expect(store.usage.allSatisfy { $0.productId != nil })
        #expect(store.unknownColumns.count >= 1_900, "\(store.unknownColumns.count)")
    }

    @Test("both file names, both Usage layouts, Feature rows, ProjectId: every client version's store reads",
          arguments: ["trial-entitlement", "access-key-invalid", "usage-unsent", "store-corrupted", "healthy"])
    func clientVersions(_ root: String) throws {
        let folder = ClientFixtures.root(root).appendingPathComponent("Users/jdoe/AppData/Local/Bentley/Licensing")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { LicensingStore.fileNames.contains($0) }
        #expect(files.count == 1, "\(files)")
        let store = try LicensingStore(data: Data(contentsOf: folder.appendingPathComponent(files[0])), file: files[0])
        #expect(store.problems.isEmpty, "\(store.problems)")
        #expect(store.unknownTables.isEmpty && store.unknownColumns.isEmpty,
                "\(store.unknownTables) \(store.unknownColumns)")
        if root != "store-corrupted" {
            #expect(store.currentPolicy != nil)
            #expect(store.usage.contains { $0.usageCountryISO == "GB" && $0.startTimeUTC != nil },
                    "usage rows give country and time under either layout's names")
        }
        if root == "usage-unsent" {
            #expect(store.usage.contains { $0.source.row?.hasPrefix("Feature") == true }, "Feature rows are usage too")
        }
        if root == "trial-entitlement" {
            #expect(store.policyRows.first?.projectId != nil)
        }
    }
}
