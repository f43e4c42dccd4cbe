import Diagnosis
import Foundation
import Reporting
import Testing
import TestSupport

/// `docs/comparison.schema.json` describes what `loganalyze compare --format json` prints.
@Suite("docs/comparison.schema.json describes the comparisons")
struct ComparisonSchemaTests {
    let validator: SchemaValidator

    init() throws {
        validator = try SchemaValidator(schemaData: Data(contentsOf: RepoPaths.root.appendingPathComponent("docs/comparison.schema.json")))
    }

    /// A golden report of a fixture root (Fixtures/reports), as a side of a comparison.
    static func side(_ name: String, collectedAt: String, machine: MachineState) throws -> Comparison.Side {
        var report = try Report.decode(from: Data(contentsOf: RepoPaths.fixture("reports/\(name).json")))
        report.bundle = Report.BundleInfo(path: "\(name).zip", sha256: nil, collectedAt: ReportFixtures.date(collectedAt),
                                          host: "WS-JDOE-01", user: "jdoe")
        return Comparison.Side(report: report, machine: machine)
    }

    static let signedOut = MachineState(
        ccVersion: "11.00.03.14",
        policy: .init(id: "p-1", createdOn: ReportFixtures.date("2026-11-10T12:03:00Z"), expiresOn: ReportFixtures.date("2026-11-17T12:03:00Z")),
        signedIn: false, offlineGraceStart: ReportFixtures.date("2026-11-10T16:03:00Z"),
        checkouts: [.init(productIds: [1000], machineName: "WS-JDOE-01", expiresOn: ReportFixtures.date("2026-11-18T09:00:00Z"))])
    static let signedIn = MachineState(
        ccVersion: "11.00.03.14",
        policy: .init(id: "p-2", createdOn: ReportFixtures.date("2026-11-21T09:15:00Z"), expiresOn: ReportFixtures.date("2026-11-28T09:15:00Z")),
        signedIn: true)

    static func comparisons() throws -> [Comparison] {
        let expired = try side("offline-expired", collectedAt: "2026-11-20T10:00:00Z", machine: signedOut)
        let healthy = try side("healthy", collectedAt: "2026-11-21T10:00:00Z", machine: signedIn)
        let twoCauses = try side("two-outdated-and-country", collectedAt: "2026-11-20T10:00:00Z", machine: MachineState())
        let country = try side("country-mismatch", collectedAt: "2026-11-21T10:00:00Z", machine: MachineState())
        return [Comparison(old: expired, new: healthy), Comparison(old: healthy, new: expired),
                Comparison(old: twoCauses, new: country, forced: true)]
    }

    @Test("Every comparison of golden reports matches the schema")
    func matches() throws {
        for comparison in try Self.comparisons() {
            let json = try JSONSerialization.jsonObject(with: Data(comparison.jsonString().utf8))
            #expect(validator.problems(json) == [])
        }
    }

    @Test("The JSON says what the engineer reads: resolved causes with their confidence, the changed expiry")
    func content() throws {
        let comparison = try #require(try Self.comparisons().first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(comparison.jsonString().utf8)) as? [String: Any])
        let causes = try #require(json["causes"] as? [String: [[String: Any]]])
        #expect(causes["resolved"]?.map { $0["cause"] as? String } == ["offline-expired", "not-signed-in"])
        #expect(causes["resolved"]?.map { $0["before"] as? Double } == [0.94, 0.9])
        #expect(causes["new"]?.isEmpty == true && causes["persisting"]?.isEmpty == true)
        let machine = try #require(json["machine"] as? [[String: Any]])
        let expiry = try #require(machine.first { $0["field"] as? String == "policy.expiresOn" })
        #expect(expiry["before"] as? String == "2026-11-17T12:03:00Z" && expiry["after"] as? String == "2026-11-28T09:15:00Z")
        #expect(expiry["changed"] as? Bool == true)
        #expect((json["verdict"] as? [String: String]) == ["before": "trial", "after": "licensed"])
    }

    @Test("The schema rejects what breaks it", arguments: ["verdict", "confidence", "missing list", "machine"])
    func rejects(breakage: String) throws {
        let comparison = try #require(try Self.comparisons().first)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(comparison.jsonString().utf8)) as? [String: Any])
        var causes = try #require(json["causes"] as? [String: Any])
        switch breakage {
        case "verdict": json["verdict"] = ["before": "trial", "after": "fixed"]
        case "confidence":
            var resolved = try #require(causes["resolved"] as? [[String: Any]])
            resolved[0]["before"] = 94
            causes["resolved"] = resolved
        case "missing list": causes.removeValue(forKey: "persisting")
        default: json["machine"] = [["field": "ccVersion"]]
        }
        json["causes"] = causes
        #expect(!validator.problems(json).isEmpty)
    }
}
