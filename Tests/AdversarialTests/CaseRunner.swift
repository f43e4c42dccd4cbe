import AnalyzeKit
import ArchiveKit
import Foundation
import LicensingModel
import LicensingParsers
import SQLiteKit
import XMLKit

/// What a component gave for one input: its error (if any), the texts it produced and counts.
struct Observation: CustomStringConvertible {
    /// The error's code, e.g. `compressionRatio`; nil when the component returned a result.
    var error: String?
    /// The error's message, for failure reports.
    var errorMessage: String?
    /// Everything observable as text: entry names, notes, warnings, messages, values.
    var texts: [String] = []
    /// Named counts: `entries`, `unsafeNames`, `notes`, `securables`…
    var counts: [String: Int] = [:]

    mutating func count(_ name: String, _ amount: Int = 1) { counts[name, default: 0] += amount }

    var description: String {
        let shown = texts.prefix(12).map { $0.count > 120 ? String($0.prefix(120)) + "…" : $0 }
        return "error: \(error ?? "none") \(errorMessage ?? ""); counts: \(counts.sorted { $0.key < $1.key }); texts: \(shown)"
    }
}

/// The errors of the components under test: each has a code and a message.
protocol CodedError: Error {
    var codeName: String { get }
    var message: String { get }
}

extension ArchiveError: CodedError { var codeName: String { code.rawValue } }
extension BundleError: CodedError { var codeName: String { code.rawValue } }
extension XMLError: CodedError { var codeName: String { code.rawValue } }
extension ParseError: CodedError { var codeName: String { code.rawValue } }
extension SQLiteError: CodedError { var codeName: String { code.rawValue } }

/// Runs one input through the real component a case names.
enum CaseRunner {
    /// What `body` observed, with the error that ended it (its code, or its description when
    /// it is not one of the components' own errors).
    static func observe(_ body: (inout Observation) throws -> Void) -> Observation {
        var observation = Observation()
        do {
            try body(&observation)
        } catch let error as any CodedError {
            observation.error = error.codeName
            observation.errorMessage = error.message
        } catch {
            observation.error = "\(error)"
        }
        return observation
    }

    static func run(_ reader: String, on url: URL) throws -> Observation {
        switch reader {
        case "archive": return archive(url)
        case "bundle": return bundle(url)
        case "xml": return xml(url)
        case "events": return events(url)
        case "policy", "checkout": return policy(url, checkout: reader == "checkout")
        case "registry": return registry(url)
        case "log": return log(url)
        case "sqlite": return sqlite(url)
        default: throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "no reader \(reader)"])
        }
    }

    // MARK: - Archives

    /// `ArchiveReader` with its default limits, walking as `BundleReader` does: every entry,
    /// every regular file's data, nested `.zip`/`.tar`/`.gz` opened in turn. Errors that end one
    /// entry (encrypted, a link, too deep, a bad checksum) are counted and the walk goes on; any other ends it.
    static func archive(_ url: URL) -> Observation {
        observe { observation in
            try walk(try ArchiveReader(path: url.path), into: &observation)
        }
    }

    private static func walk(_ reader: ArchiveReader, into observation: inout Observation) throws {
        while let entry = try reader.nextEntry() {
            observation.count("entries")
            observation.count(String(describing: entry.kind))
            observation.texts.append(entry.path)
            if entry.originalPath != entry.path { observation.texts.append(entry.originalPath) }
            if entry.pathWasUnsafe { observation.count("unsafeNames") }
            if !isSafe(entry.path) { observation.count("unsafeAfterSanitizing") }
            if let target = entry.linkTarget { observation.texts.append("link → \(target)") }
            let lower = entry.path.lowercased()
            do {
                if lower.hasSuffix(".zip") || lower.hasSuffix(".tar") || lower.hasSuffix(".tgz") {
                    try walk(try reader.nestedReader(), into: &observation)
                } else if lower.hasSuffix(".gz") {
                    let nested = try reader.nestedReader(as: .compressedStream)
                    if try nested.nextEntry() != nil { try read(nested, into: &observation) }
                } else {
                    try read(reader, into: &observation)
                }
            } catch let error as ArchiveError
                        where [.encrypted, .notARegularFile, .nestingTooDeep, .checksumMismatch].contains(error.code) {
                observation.count(error.code.rawValue)
            }
        }
    }

    /// Reads the current entry; keeps the text of small ones (to check what they hold).
    private static func read(_ reader: ArchiveReader, into observation: inout Observation) throws {
        var kept = Data()
        var total = 0
        defer {  // what was handed over counts, also when the entry then fails
            observation.count("bytes", total)
            observation.texts.append(String(decoding: kept, as: UTF8.self))
        }
        try reader.readData { chunk in
            total += chunk.count
            if kept.count < 64 << 10 { kept.append(contentsOf: chunk.prefix(64 << 10 - kept.count)) }
        }
    }

    /// A relative path with no `..` and no empty parts.
    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.contains("\\") && !path.contains("\0")
            && !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0.isEmpty }
    }

    // MARK: - Bundles

    /// `Analyzer.analyze(path:)`, the call behind `loganalyze`.
    static func bundle(_ url: URL) -> Observation {
        observe { observation in
            let report = try Analyzer.analyze(path: url.path).report
            observation.texts = report.notes + report.unrecognized.map { "unrecognized: \($0)" }
            observation.counts = ["notes": report.notes.count, "unrecognized": report.unrecognized.count,
                                  "findings": report.findings.count]
            observation.texts.append("verdict: \(report.verdict.rawValue)")
        }
    }

    // MARK: - XML

    /// `XMLPullReader` with its default options, every event.
    static func xml(_ url: URL) -> Observation {
        observe { observation in
            let reader = try XMLPullReader(path: url.path)
            while let event = try reader.next() {
                switch event {
                case .start(let name, let attributes, _, _, _):
                    observation.count("elements")
                    observation.texts.append(name)
                    observation.texts += attributes.values
                case .text(let text):
                    observation.count("textBytes", text.utf8.count)
                    observation.texts.append(text)
                case .end: break
                }
            }
        }
    }

    /// `EventExportParser` over the file (streamed).
    static func events(_ url: URL) -> Observation {
        observe { observation in
            let parsed = try EventExportParser.parse(path: url.path, file: url.lastPathComponent)
            observation.counts = ["events": parsed.value.count, "warnings": parsed.warnings.count]
            observation.texts = parsed.warnings.map(\.message) + parsed.value.flatMap { [$0.computer ?? ""] + $0.data }
        }
    }

    // MARK: - Policies

    /// `PolicyDecoder.policy(from:file:)` or `.checkout(from:file:)`.
    static func policy(_ url: URL, checkout: Bool) -> Observation {
        observe { observation in
            let data = try Data(contentsOf: url)
            let policy = checkout ? try PolicyDecoder.checkout(from: data, file: url.lastPathComponent).policy
                                  : try PolicyDecoder.policy(from: data, file: url.lastPathComponent)
            observation.counts = ["securables": policy.securables.count, "acls": policy.acls.count,
                                  "notes": policy.notes.count]
            observation.texts = policy.notes + [policy.policyId ?? "no PolicyId"]
        }
    }

    // MARK: - Registry exports

    /// `RegistryExportParser.parse`.
    static func registry(_ url: URL) -> Observation {
        observe { observation in
            let parsed = try RegistryExportParser.parse(try Data(contentsOf: url), file: url.lastPathComponent)
            observation.counts = ["keys": parsed.value.keys.count, "warnings": parsed.warnings.count,
                                  "values": parsed.value.keys.reduce(0) { $0 + $1.values.count }]
            for key in parsed.value.keys {
                observation.texts.append(key.path)
                observation.texts += key.values.map { "\($0.name)=\($0.text ?? "\($0.data)")" }
            }
            observation.texts += parsed.warnings.map(\.description)
        }
    }

    // MARK: - Logs

    /// `LogReader` over the file in 1 MiB chunks, as analysis reads a log.
    static func log(_ url: URL) -> Observation {
        observe { observation in
            try LogReader.forEachEntry(inFile: url.path, file: "Logs/Licensing Service/\(url.lastPathComponent)") { entry in
                observation.count("entries")
                if entry.isTruncated { observation.count("truncated") }
                if entry.time != nil { observation.count("stamped") }
                observation.count("messageBytes", entry.message.utf8.count)
                observation.texts.append(entry.message.count > 256 ? String(entry.message.prefix(256)) : entry.message)
            }
        }
    }

    // MARK: - SQLite

    /// `SQLiteDatabase(path:)`, then its tables and the `Policy` rows.
    static func sqlite(_ url: URL) -> Observation {
        observe { observation in
            let database = try SQLiteDatabase(path: url.path)
            let tables = try database.tableNames()
            observation.texts = tables
            observation.counts["tables"] = tables.count
            observation.counts["rows"] = try database.rows("SELECT * FROM Policy").count
        }
    }
}
