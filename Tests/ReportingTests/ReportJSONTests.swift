import Diagnosis
import Foundation
import LicensingModel
import Reporting
import Testing

@Suite("The JSON contract of one report")
struct ReportJSONTests {
    @Test("A trial report has the contract's keys and values")
    func trialContract() throws {
        let json = try ReportFixtures.jsonObject(ReportFixtures.trialReport)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["verdict"] as? String == "trial")
        let bundle = try #require(json["bundle"] as? [String: Any])
        #expect(bundle["path"] as? String == "/cases/4711/bundle.zip")
        #expect(bundle["sha256"] as? String == ReportFixtures.sha256)
        #expect(bundle["collectedAt"] as? String == "2026-11-20T10:00:00Z")

        let products = try #require(json["products"] as? [[String: Any]])
        #expect(products.count == 2)
        #expect(products[0]["productId"] as? Int == 1000)
        #expect(products[0]["name"] as? String == "MicroStation")
        #expect(products[0]["featureString"] as? String == "")
        #expect(products[0]["status"] as? String == "NotEntitled")

        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.map { $0["cause"] as? String } == ["country-mismatch", "not-entitled"])
        #expect(findings.map { $0["confidence"] as? Double } == [0.92, 0.6])
        #expect(findings[0]["title"] as? String == "Usage country US ≠ location GB")
        #expect((findings[0]["fix"] as? String)?.hasPrefix("The administrator corrects") == true)
        let evidence = try #require(findings[0]["evidence"] as? [[String: Any]])
        #expect(evidence[0]["file"] as? String == "licensing/policy.json")
        #expect(evidence[0]["line"] as? Int == 41)
        #expect(evidence[0]["excerpt"] as? String == "\"UsageCountryISO\": \"US\"")
        let lineless = try #require((findings[1]["evidence"] as? [[String: Any]])?.first)
        #expect(lineless["line"] is NSNull)

        #expect((json["ruledOut"] as? [[String: String]]) == [["cause": "not-signed-in",
                                                              "why": "CC is signed in as j.doe@example.com"]])
        #expect(json["missing"] as? [String] == ["email", "logs"])
        #expect((json["notChecked"] as? [[String: String]])?.first?["cause"] == "client-outdated")
        #expect(json["collectedAtSource"] as? String == "manifest")
        #expect(json["tool"] as? String == "loganalyze \(SuiteVersion.current)")
        #expect(json["notes"] as? [String] == ["logs/broken.log: not UTF-8 or UTF-16, skipped"])
        #expect(json["unrecognized"] as? [String] == ["misc/readme.txt"])
        #expect(json["timeline"] == nil, "the timeline is left out unless asked for")
        #expect(json["error"] == nil)
    }

    @Test("Confidences are written with at most two decimals")
    func confidenceText() throws {
        let text = ReportFixtures.trialReport.jsonString()
        #expect(text.contains("\"confidence\":0.92"))
        #expect(text.contains("\"confidence\":0.6"))
        #expect(!text.contains("0.9249"))
    }

    @Test("One line, sorted keys, slashes unescaped")
    func oneLine() throws {
        let text = ReportFixtures.trialReport.jsonString()
        #expect(!text.contains("\n"))
        #expect(text.hasPrefix("{\"bundle\":{\"collectedAt\":"))
        #expect(text.contains("\"path\":\"/cases/4711/bundle.zip\""))
        #expect(!text.contains("\\/"))
        let pretty = ReportFixtures.trialReport.jsonString(pretty: true)
        #expect(pretty.split(separator: "\n").count > 20)
    }

    @Test("Unknown values are null, not left out")
    func unknownIsNull() throws {
        let json = try ReportFixtures.jsonObject(ReportFixtures.unknownReport)
        let bundle = try #require(json["bundle"] as? [String: Any])
        #expect(bundle["sha256"] is NSNull)
        #expect(bundle["collectedAt"] is NSNull)
        #expect(json["verdict"] as? String == "unknown")
        #expect(json["collectedAtSource"] as? String == "unknown")
        #expect(json["missing"] as? [String] == ["email", "client-version", "entitlements", "product-status",
                                                 "logs", "policy"])
        #expect((json["findings"] as? [Any])?.isEmpty == true)
        #expect((json["products"] as? [Any])?.isEmpty == true)
    }

    @Test("A licensed report keeps its product's offline status")
    func licensed() throws {
        let json = try ReportFixtures.jsonObject(ReportFixtures.licensedReport)
        #expect(json["verdict"] as? String == "licensed")
        #expect((json["products"] as? [[String: Any]])?.first?["status"] as? String == "Offline")
        #expect((json["ruledOut"] as? [[String: Any]])?.count == 1)
        #expect(json["missing"] as? [String] == [])
    }

    @Test("The error form holds the bundle and the error, nothing else")
    func failureForm() throws {
        let json = try ReportFixtures.jsonObject(ReportFixtures.failureReport)
        #expect(Set(json.keys) == ["schemaVersion", "bundle", "error"])
        #expect(json["schemaVersion"] as? Int == 1)
        let bundle = try #require(json["bundle"] as? [String: Any])
        #expect(bundle["path"] as? String == "/cases/4714/broken.zip")
        #expect(bundle["sha256"] is NSNull)
        #expect(bundle["collectedAt"] is NSNull)
        #expect((json["error"] as? [String: String])?["code"] == "not-an-archive")
        #expect((json["error"] as? [String: String])?["message"]?.contains("collect it again") == true)
        #expect(ReportFixtures.failureReport.isFailure)
    }

    @Test("The timeline is written on request, oldest first, in UTC")
    func timelineOnRequest() throws {
        let json = try ReportFixtures.jsonObject(ReportFixtures.trialReport, includeTimeline: true)
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["time"] as? String }
                == ["2026-11-19T08:00:00Z", "2026-11-20T09:15:22Z", "2026-11-20T10:00:00Z"])
        #expect(timeline[1]["file"] as? String == "logs/Licensing.log")
        #expect(timeline[1]["line"] as? Int == 12)
        #expect(timeline[2]["file"] is NSNull)
    }

    @Test("A report reads back as it was written", arguments: ReportFixtures.all.map(\.name))
    func roundTrip(name: String) throws {
        let report = try #require(ReportFixtures.all.first { $0.name == name }?.report)
        let decoded = try Report.decode(from: report.jsonData(includeTimeline: true))
        #expect(decoded == report)
    }

    @Test("Formats are named on the command line", arguments: [
        ("text", ReportFormat.text), ("JSON", .json), ("markdown", .markdown), ("md", .markdown), ("html", .html),
    ])
    func formatArgument(argument: String, format: ReportFormat) {
        #expect(ReportFormat(argument: argument) == format)
    }

    @Test("An unknown format is refused")
    func unknownFormat() {
        #expect(ReportFormat(argument: "pdf") == nil)
        #expect(ReportFormat(argument: "") == nil)
    }
}

@Suite("Products and statuses as people say them")
struct ProductWordsTests {
    @Test("the built-in product table decodes and names the fixtures' products")
    func productTable() throws {
        let table = try ProductNames(json: Data(ProductNames.defaultJSON.utf8))
        #expect(table == ProductNames.default)
        #expect(table.name(of: 1000) == "MicroStation" && table.name(of: 2900) == "OpenRoads Designer")
        #expect(throws: (any Error).self) { try ProductNames(json: Data(#"{"MicroStation": "1000"}"#.utf8)) }
    }

    @Test("a product without a name in the bundle is named from the table; an unknown one by its ID")
    func displayName() {
        #expect(Report.Product(productId: 1000, name: nil, featureString: "", status: "NotEntitled").displayName == "MicroStation (1000)")
        #expect(Report.Product(productId: 1000, name: "MicroStation CONNECT", featureString: "", status: "Ok").displayName
                == "MicroStation CONNECT (1000)")
        #expect(Report.Product(productId: 4242, name: nil, featureString: "", status: "Ok").displayName == "product 4242")
    }

    @Test("statuses with their code", arguments: [("NotEntitled", "Not entitled (110)"), ("Ok", "OK (101)"),
                                                 ("AccessDenied", "Access denied (106)"), ("Offline", "Offline (102)"),
                                                 ("Whatever", "Whatever")])
    func spoken(status: String, words: String) {
        #expect(Report.Product(productId: 1000, name: nil, featureString: "", status: status).spokenStatus == words)
    }
}
