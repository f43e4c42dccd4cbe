import Diagnosis
import Foundation
import Reporting

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

extension LineFields {
    /// Decodes the fields of one JSON line.
    public init(line: Data) throws {
        let shape = try JSONDecoder().decode(Shape.self, from: line)
        let top = shape.findings?.first { $0.confidence >= Diagnoser.causeThreshold }
        self.init(path: shape.bundle.path, sha256: shape.bundle.sha256, collectedAt: shape.bundle.collectedAt,
                  verdict: shape.verdict, topCause: top?.cause, confidence: top?.confidence, client: shape.client,
                  errorCode: shape.error?.code, errorMessage: shape.error?.message, damaged: shape.damaged ?? false)
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
