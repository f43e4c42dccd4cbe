import Diagnosis
import Foundation
import LicensingModel
import Reporting
import TestSupport

/// Hand-built diagnoses: what the rules would conclude for a few typical bundles.
enum ReportFixtures {
    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    static let longExcerpt = "2026-11-20 09:15:22,301 WARN  [PolicyRefresh] Entitlement for ProductId=1000 "
        + "FeatureString='' was not found in the cached policy; UsageCountryISO=US while Geo\\Name=GB, "
        + "falling back to trial mode until the next successful policy refresh"

    /// MicroStation in trial: two causes (given lowest first, to check the sort) and missing items.
    static var trial: Conclusion {
        Conclusion(
            verdict: .trial,
            products: [
                ProductSummary(productId: 1000, name: "MicroStation", featureString: "", status: "NotEntitled",
                               statusSource: "product-status dump"),
                ProductSummary(productId: 2000, name: "OpenRoads Designer", featureString: "ORD-STD", status: "Ok",
                               statusSource: "CC API"),
            ],
            findings: [
                Finding(cause: "not-entitled", confidence: 0.604, title: "MicroStation (1000) is not in the policy",
                        fix: "The administrator adds the product to the account.",
                        evidence: [Evidence(file: "licensing/policy.json", excerpt: "no SecurableData for 1000")],
                        productIds: [1000]),
                Finding(cause: "country-mismatch", confidence: 0.9249,
                        title: "Usage country US ≠ location GB",
                        fix: "The administrator corrects the user's Usage Country in the IMS profile, or assigns "
                            + "a license of GB.",
                        evidence: [
                            Evidence(file: "licensing/policy.json", line: 41, excerpt: "\"UsageCountryISO\": \"US\""),
                            Evidence(file: "logs/Bentley.Licensing.Service/LicensingService.2026-11-20.log",
                                     line: 1289, excerpt: longExcerpt),
                        ],
                        productIds: [1000]),
            ],
            ruledOut: [RuledOut(cause: "not-signed-in", why: "CC is signed in as j.doe@example.com")],
            missing: [.logs, .email],
            timeline: [
                TimelineEvent(time: date("2026-11-20T09:15:22Z"), kind: "log", summary: "Policy refresh failed",
                              source: SourceRef(file: "logs/Licensing.log", line: 12)),
                TimelineEvent(time: date("2026-11-19T08:00:00Z"), kind: "policy", summary: "Policy created",
                              source: SourceRef(file: "licensing/policy.json")),
                TimelineEvent(time: date("2026-11-20T10:00:00Z"), kind: "collection", summary: "Bundle collected",
                              source: nil),
            ],
            collectedAt: date("2026-11-20T10:00:00Z"),
            collectedAtSource: .manifest,
            notChecked: [RuledOut(cause: "client-outdated", why: "the bundle has no CONNECTION Client version")])
    }

    /// Licensed while offline; nothing missing.
    static var licensed: Conclusion {
        Conclusion(
            verdict: .licensed,
            products: [ProductSummary(productId: 1000, name: "MicroStation", featureString: "", status: "Offline",
                                      statusSource: "CC API")],
            findings: [],
            ruledOut: [RuledOut(cause: "offline-expired", why: "offline since 2026-11-18, 2 of 7 days used")],
            missing: [],
            timeline: [],
            collectedAt: date("2026-11-20T10:00:00Z"),
            collectedAtSource: .systemInfo)
    }

    /// A bundle that cannot tell: no products, no collection time, everything missing.
    static var unknown: Conclusion {
        Conclusion(verdict: .unknown, products: [], findings: [], ruledOut: [],
                  missing: Array(MissingItem.allCases.reversed()), timeline: [], collectedAt: nil,
                  collectedAtSource: .unknown)
    }

    static let sha256 = String(repeating: "ab", count: 32)

    static var trialReport: Report {
        Report(diagnosis: trial, bundlePath: "/cases/4711/bundle.zip", sha256: sha256,
               notes: ["logs/broken.log: not UTF-8 or UTF-16, skipped"], unrecognized: ["misc/readme.txt"])
    }

    static var licensedReport: Report {
        Report(diagnosis: licensed, bundlePath: "/cases/4712/bundle.zip", sha256: sha256)
    }

    static var unknownReport: Report {
        Report(diagnosis: unknown, bundlePath: "/cases/4713")
    }

    static var failureReport: Report {
        Report.failure(path: "/cases/4714/broken.zip", code: "not-an-archive",
                       message: "/cases/4714/broken.zip is not a ZIP, tar.gz or folder: collect it again")
    }

    /// A trial report whose bundle text is hostile: markup, a script, URLs, terminal escapes.
    static var hostileReport: Report {
        var diagnosis = trial
        diagnosis.products[0].name = "Micro|Station `x` <b>"
        diagnosis.findings[1].evidence = [
            Evidence(file: "logs/<img src=x>.log", line: 3,
                     excerpt: "<script>alert('x')</script> see https://evil.example/a.js \u{1B}[31mred\u{1B}[0m | `tick`"),
        ]
        diagnosis.timeline.append(TimelineEvent(time: date("2026-11-20T09:30:00Z"), kind: "log",
                                                summary: "<script src=\"http://evil.example/b.js\"></script>\nsecond line",
                                                source: nil))
        return Report(diagnosis: diagnosis, bundlePath: "/cases/\"quoted\"/<bundle>.zip")
    }

    static var all: [(name: String, report: Report)] {
        [("trial", trialReport), ("licensed", licensedReport), ("unknown", unknownReport),
         ("failure", failureReport), ("hostile", hostileReport)]
    }

    /// The report's one-line JSON as `JSONSerialization` reads it.
    static func jsonObject(_ report: Report, includeTimeline: Bool = false) throws -> [String: Any] {
        let data = try report.jsonData(includeTimeline: includeTimeline)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The text without ANSI escape sequences.
    static func strippingANSI(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }

    static var schemaURL: URL { RepoPaths.root.appendingPathComponent("docs/report.schema.json") }
}
