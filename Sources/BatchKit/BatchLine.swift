import Diagnosis
import Foundation
import Reporting

/// The client details a batch line adds to the report (`"client": {…}`), for the summary's
/// charts by CONNECTION Client version and by country. CAUSES.md allows added fields.
public struct ClientSummary: Codable, Sendable, Equatable {
    /// The installed CONNECTION Client version, e.g. `11.00.03.14`.
    public var ccVersion: String?
    /// The country the user is in (`Geo\Name`), e.g. `GB`.
    public var country: String?

    /// Client details; either may be unknown.
    public init(ccVersion: String? = nil, country: String? = nil) {
        self.ccVersion = ccVersion
        self.country = country
    }

    enum CodingKeys: String, CodingKey { case ccVersion, country }

    /// Writes unknown values as `null`, as the report does.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ccVersion, forKey: .ccVersion)
        try container.encode(country, forKey: .country)
    }
}

/// One line of batch output: the report's JSON (the contract, unchanged) plus `client`.
public enum BatchLine {
    /// The line for a report, ending with `\n`; keys sorted, as `Report.jsonData` writes them.
    public static func encode(_ report: Report, client: ClientSummary?) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(Line(report: report, client: report.isFailure ? nil : client))
            data.append(0x0A)
            return data
        } catch {
            // Cannot happen for a report's values; the contract still wants a line.
            return Data((report.jsonString() + "\n").utf8)
        }
    }

    /// The report of a line (the timeline is never in a batch line).
    public static func report(from line: Data) throws -> Report {
        try Report.decode(from: line)
    }

    /// The same line for a bundle found at another path (its content unchanged).
    static func moved(_ line: Data, to path: String) throws -> Data {
        var report = try report(from: line)
        report.bundle.path = path
        return encode(report, client: try LineFields(line: line).client)
    }

    /// Encodes the report's own keys, then `client` into the same JSON object.
    private struct Line: Encodable {
        let report: Report
        let client: ClientSummary?

        enum CodingKeys: String, CodingKey { case client }

        func encode(to encoder: Encoder) throws {
            try report.encode(to: encoder)
            if let client {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(client, forKey: .client)
            }
        }
    }
}

/// What the summary, the CSV and the index need of one line, decoded without the rest.
public struct LineFields: Sendable, Equatable {
    /// `bundle.path`.
    public var path: String
    /// `bundle.sha256`.
    public var sha256: String?
    /// `bundle.collectedAt`, as written (`2026-11-20T10:00:00Z`).
    public var collectedAt: String?
    /// `verdict`; nil on an error line.
    public var verdict: String?
    /// The first finding at `Diagnoser.causeThreshold` or more: the top cause.
    public var topCause: String?
    /// Its confidence.
    public var confidence: Double?
    /// The added `client` details.
    public var client: ClientSummary?
    /// `error.code` and `error.message` of a bundle that could not be read.
    public var errorCode: String?
    public var errorMessage: String?
    /// `damaged`: the bundle was analysed, but not all of it could be read.
    public var damaged = false

    /// Whether the line is the error form.
    public var isError: Bool { errorCode != nil }
}

extension LineFields {
    /// Decodes the fields of one JSON line.
    public init(line: Data) throws {
        let shape = try JSONDecoder().decode(Shape.self, from: line)
        path = shape.bundle.path
        sha256 = shape.bundle.sha256
        collectedAt = shape.bundle.collectedAt
        verdict = shape.verdict
        let top = shape.findings?.first { $0.confidence >= Diagnoser.causeThreshold }
        topCause = top?.cause
        confidence = top?.confidence
        client = shape.client
        errorCode = shape.error?.code
        errorMessage = shape.error?.message
        damaged = shape.damaged ?? false
    }

    private struct Shape: Decodable {
        struct Bundle: Decodable {
            let path: String
            let sha256: String?
            let collectedAt: String?
        }
        struct Finding: Decodable {
            let cause: String
            let confidence: Double
        }
        struct Failure: Decodable {
            let code: String
            let message: String
        }
        let bundle: Bundle
        let verdict: String?
        let findings: [Finding]?
        let client: ClientSummary?
        let error: Failure?
        let damaged: Bool?
    }
}
