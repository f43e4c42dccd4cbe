import Foundation
import Reporting
import Testing

@Suite("docs/report.schema.json describes the reports")
struct ReportSchemaTests {
    let validator: SchemaValidator

    init() throws {
        validator = try SchemaValidator(schemaData: Data(contentsOf: ReportFixtures.schemaURL))
    }

    @Test("Every report matches the schema", arguments: ReportFixtures.all.map(\.name))
    func reportsMatch(name: String) throws {
        let report = try #require(ReportFixtures.all.first { $0.name == name }?.report)
        for includeTimeline in [false, true] {
            let json = try ReportFixtures.jsonObject(report, includeTimeline: includeTimeline)
            #expect(validator.problems(json) == [])
        }
    }

    @Test("The schema is draft 2020-12 and covers both forms")
    func header() throws {
        #expect(validator.root["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect((validator.root["oneOf"] as? [Any])?.count == 2)
    }

    /// Breaks a valid report's JSON in one way; the schema must notice.
    @Test("The schema rejects what breaks the contract", arguments: [
        "verdict", "confidence", "cause", "missing key", "collectedAt", "both forms", "schemaVersion", "sha256",
    ])
    func rejects(breakage: String) throws {
        var json = try ReportFixtures.jsonObject(ReportFixtures.trialReport)
        var findings = try #require(json["findings"] as? [[String: Any]])
        var bundle = try #require(json["bundle"] as? [String: Any])
        switch breakage {
        case "verdict": json["verdict"] = "maybe"
        case "confidence": findings[0]["confidence"] = 1.5
        case "cause": findings[0]["cause"] = "Country_Mismatch"
        case "missing key": json.removeValue(forKey: "ruledOut")
        case "collectedAt": bundle["collectedAt"] = "20/11/2026 10:00"
        case "both forms": json["error"] = ["code": "not-an-archive", "message": "x"]
        case "schemaVersion": json["schemaVersion"] = 2
        case "sha256": bundle["sha256"] = "ABC"
        default: Issue.record("unknown breakage \(breakage)")
        }
        json["findings"] = findings
        json["bundle"] = bundle
        #expect(!validator.problems(json).isEmpty)
    }

    @Test("The error form needs its error")
    func failureNeedsError() throws {
        var json = try ReportFixtures.jsonObject(ReportFixtures.failureReport)
        #expect(validator.problems(json) == [])
        json.removeValue(forKey: "error")
        #expect(!validator.problems(json).isEmpty)
    }
}
