import Foundation
import Testing
import TestSupport

/// One hostile input and what it must give, as `Fixtures/adversarial/cases.json` states it.
struct AdversarialCase: Decodable, Sendable, CustomTestStringConvertible {
    /// What a reader must give: an error code, or a result for which every check holds.
    struct Expectation: Decodable, Sendable {
        /// The error's code (`compressionRatio`, `tooDeep`, `notADatabase`…); nil: no error.
        var error: String?
        /// Each must occur in some observed text (entry names, notes, messages, values…).
        var contains: [String]?
        /// None may occur in any observed text.
        var lacks: [String]?
        /// Observed counts that must be exactly these.
        var counts: [String: Int]?
        /// Observed counts that must be at least these.
        var atLeast: [String: Int]?
    }

    /// A short name, unique in the table.
    let name: String
    /// The input under `Fixtures/adversarial/`, or the name a generated input is written under.
    let file: String
    /// For inputs too big to commit: which generator makes them at test time.
    let generate: String?
    /// The component that reads it: `archive`, `bundle`, `xml`, `events`, `policy`, `checkout`,
    /// `registry`, `log` or `sqlite` (see `CaseRunner`).
    let reader: String
    /// What the component must give.
    let expect: Expectation
    /// Where the file sits in a folder bundle for the `loganalyze` run; `"."` when the file is
    /// itself the bundle.
    let bundlePath: String
    /// `loganalyze`'s exit status on that bundle (0 analysed, 1 unreadable).
    let analyzeExit: Int32
    /// Wall-clock bound, in seconds, for the component and for `loganalyze` (each).
    let seconds: Double
    /// Bound on `loganalyze`'s peak resident memory, in MiB.
    let memoryMB: Int
    /// What the case is and why it is hostile.
    let what: String

    var testDescription: String { name }

    /// The table, read once.
    static let all: [AdversarialCase] = (try? load()) ?? []

    /// Reads `cases.json`.
    static func load() throws -> [AdversarialCase] {
        struct Table: Decodable { let cases: [AdversarialCase] }
        let data = try Data(contentsOf: RepoPaths.fixture("adversarial/cases.json"))
        return try JSONDecoder().decode(Table.self, from: data).cases
    }

    /// The input's path: the committed fixture, or a file generated into `directory`.
    func input(in directory: TemporaryDirectory) throws -> URL {
        guard let generate else { return RepoPaths.fixture("adversarial/\(file)") }
        let url = directory.url.appendingPathComponent((file as NSString).lastPathComponent)
        try GeneratedInput.write(generate, to: url)
        return url
    }
}

/// Inputs too big to commit, made at test time (each in well under a second).
enum GeneratedInput {
    static let names = ["zip-70000-entries", "xml-100000-deep", "jwt-50mb-claim", "log-50mb-line"]

    static func write(_ name: String, to url: URL) throws {
        switch name {
        case "zip-70000-entries": try manyEntriesZip(count: 70_000).write(to: url)
        case "xml-100000-deep":
            let depth = 100_000
            var xml = Data("<?xml version=\"1.0\"?>\n".utf8)
            xml.append(Data(String(repeating: "<a>", count: depth).utf8))
            xml.append(Data(String(repeating: "</a>", count: depth).utf8))
            try xml.write(to: url)
        case "jwt-50mb-claim":
            let policy = #"{"PolicyId":"big","SecurableData":[{"ProductId":1000,"FeatureString":""}]}"#
            let claims = #"{"iss":"http://policyservice.bentley.com","pad":""#
                + String(repeating: "A", count: 50 << 20)
                + #"","http://schemas.bentley.com/ws/2011/03/identity/claims/policy":""#
                + Data(policy.utf8).base64EncodedString() + #""}"#
            let token = base64URL(Data(#"{"alg":"RS256","typ":"JWT"}"#.utf8)) + "." + base64URL(Data(claims.utf8)) + ".c2ln"
            try Data(token.utf8).write(to: url)
        case "log-50mb-line":
            var log = Data("2026-11-20 09:15:22,123 [12] INFO  Bentley.Licensing.Service.PolicyManager - ".utf8)
            log.append(Data(repeating: UInt8(ascii: "y"), count: 50 << 20))
            log.append(Data("\r\n2026-11-20 09:15:23,000 [12] ERROR Bentley.Licensing.Service.PolicyManager - after the long line\r\n".utf8))
            try log.write(to: url)
        default:
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no generator \(name)"])
        }
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A stored ZIP of `count` two-byte entries with a ZIP64 end record, written field by field
    /// (much faster than ZipWriter in a debug build; the case is about the reader).
    static func manyEntriesZip(count: Int) -> Data {
        var body: [UInt8] = []
        var central: [UInt8] = []
        let content = Array("x\n".utf8)
        let crc = 0x46EA_081F  // CRC-32 of "x\n"
        func le(_ value: Int, _ width: Int, _ bytes: inout [UInt8]) {
            for shift in stride(from: 0, to: width * 8, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
        }
        let (time, date) = (0x5000, 0x5B74)  // 2026-11-20 10:00
        for index in 0..<count {
            let name = Array(String(format: "files/%05d.txt", index).utf8)
            let offset = body.count
            for (value, width) in [(0x0403_4B50, 4), (10, 2), (0x800, 2), (0, 2), (time, 2), (date, 2), (crc, 4),
                                   (content.count, 4), (content.count, 4), (name.count, 2), (0, 2)] {
                le(value, width, &body)
            }
            body += name + content
            for (value, width) in [(0x0201_4B50, 4), (0x031E, 2), (10, 2), (0x800, 2), (0, 2), (time, 2), (date, 2),
                                   (crc, 4), (content.count, 4), (content.count, 4), (name.count, 2), (0, 2), (0, 2),
                                   (0, 2), (0, 2), (0, 4), (offset, 4)] {
                le(value, width, &central)
            }
            central += name
        }
        // More than 65,535 entries: the counts live in a ZIP64 end record and its locator.
        var end: [UInt8] = []
        let zip64End = body.count + central.count
        for (value, width) in [(0x0606_4B50, 4), (44, 8), (45, 2), (45, 2), (0, 4), (0, 4), (count, 8), (count, 8),
                               (central.count, 8), (body.count, 8),
                               (0x0706_4B50, 4), (0, 4), (zip64End, 8), (1, 4),
                               (0x0605_4B50, 4), (0, 2), (0, 2), (0xFFFF, 2), (0xFFFF, 2), (central.count, 4),
                               (body.count, 4), (0, 2)] {
            le(value, width, &end)
        }
        return Data(body + central + end)
    }
}
