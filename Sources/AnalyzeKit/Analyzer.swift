import ArchiveKit
import Crypto
import Diagnosis
import Foundation
import LicensingModel
import Reporting

/// Analyses one bundle: the one call behind `loganalyze BUNDLE`.
public enum Analyzer {
    /// What one analysis gives.
    public struct Outcome: Sendable {
        /// The report (the JSON contract of CAUSES.md).
        public let report: Report
        /// The diagnosis behind it (with the timeline).
        public let diagnosis: Diagnosis
    }

    /// Reads the bundle at `path` (ZIP, tar, tar.gz or folder) and diagnoses it as of its own
    /// collection time. Throws `BundleError` only when the bundle cannot be read at all;
    /// problems with single files become notes in the report.
    public static func analyze(path: String, versions: VersionTable = .default,
                               limits: ArchiveLimits = .default) throws -> Outcome {
        let collector = FactsCollector()
        var problems: [String] = []
        try BundleReader(path: path, limits: limits).walk({ collector.add($0) }, problem: { problems.append($0) })
        var facts = collector.finish(versions: versions)
        facts.readProblems = problems + facts.readProblems
        let diagnosis = Diagnoser.diagnose(facts)
        let report = Report(diagnosis: diagnosis, bundlePath: path, sha256: try? sha256(ofFile: path),
                            notes: facts.readProblems, unrecognized: collector.unrecognized,
                            tool: "loganalyze \(AnalyzeVersion.current)")
        return Outcome(report: report, diagnosis: diagnosis)
    }

    /// SHA-256 of a file in lowercase hex; nil for a folder.
    public static func sha256(ofFile path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BundleError(.unreadable, path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 { throw BundleError(.unreadable, path, String(cString: strerror(errno))) }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Loads a versions table from a JSON file (`--versions FILE`).
    public static func versions(fromFile path: String) throws -> VersionTable {
        try VersionTable(json: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// The analyser's version, in every report.
public enum AnalyzeVersion {
    public static let current = "0.1.0"
}

/// Writes a file aside and renames it into place, so it is never seen half-written.
public enum AtomicFile {
    /// Writes `data` to `path` through a temporary file in the same folder.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }
}
