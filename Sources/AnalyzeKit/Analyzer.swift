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
        /// The client as the analysis saw it (registry exports and config first, else
        /// logcollect's `system-info.json`): what a batch line says of its version and country.
        public let client: ClientInfo?
    }

    /// How many threads one analysis uses.
    public enum Threads: Sendable {
        /// Logs are parsed, and the bundle hashed, on threads of their own while the calling
        /// thread inflates: one bundle is analysed on two cores.
        case several
        /// Everything on the calling thread: for a batch, whose `--jobs N` is the number of
        /// cores it keeps busy (handing bytes between threads would also cost CPU).
        case one
    }

    /// Reads the bundle at `path` (ZIP, tar, tar.gz or folder) and diagnoses it as of its own
    /// collection time. Throws `BundleError` only when the bundle cannot be read at all;
    /// problems with single files become notes in the report.
    ///
    /// The bundle's SHA-256 is `sha256` when the caller already knows it; otherwise it is
    /// computed while the bundle is read (on a thread of its own with `.several`).
    /// `timeline: false` leaves the diagnosis and the report without a timeline (a batch line
    /// has none): building it costs a summary per log observation.
    public static func analyze(path: String, versions: VersionTable = .default, limits: ArchiveLimits = .default,
                               sha256 knownHash: String? = nil, threads: Threads = .several,
                               timeline: Bool = true) throws -> Outcome {
        let hash = knownHash.map(BackgroundHash.init(known:)) ?? BackgroundHash(path: path, threaded: threads == .several)
        let collector = FactsCollector(threads: threads)
        var problems: [String] = []
        defer { _ = hash.value }  // never leave the hashing thread reading a file the caller may delete
        try BundleReader(path: path, limits: limits).walk({ collector.add($0) }, problem: { problems.append($0) })
        var facts = collector.finish(versions: versions)
        facts.readProblems = problems + facts.readProblems
        let diagnosis = Diagnoser.diagnose(facts, timeline: timeline)
        let report = Report(diagnosis: diagnosis, bundlePath: path, sha256: hash.value,
                            notes: facts.readProblems, unrecognized: collector.unrecognized,
                            tool: "loganalyze \(AnalyzeVersion.current)")
        return Outcome(report: report, diagnosis: diagnosis, client: facts.client)
    }

    /// SHA-256 of a file in lowercase hex; nil for a folder.
    public static func sha256(ofFile path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BundleError(.unreadable, path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var hasher = SHA256()
        // 64 KiB: read into a buffer that stays in cache (a fresh 1 MiB one cost a page fault per
        // 4 KiB, more than the hashing itself for a batch of small bundles).
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 { throw BundleError(.unreadable, path, String(cString: strerror(errno))) }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// A file's SHA-256, computed on a thread of its own; `value` waits for it (nil when the
    /// path is a folder or cannot be read: the report then has no hash, as before).
    private final class BackgroundHash: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: String?
        private var finished = false

        init(known: String) {
            result = known
            finished = true
        }

        init(path: String, threaded: Bool) {
            guard threaded else {
                result = try? Analyzer.sha256(ofFile: path)
                finished = true
                return
            }
            Thread { [self] in
                result = try? Analyzer.sha256(ofFile: path)
                done.signal()
            }.start()
        }

        /// The hash, once computed (`@unchecked Sendable`: `result` is written before the
        /// signal and read only after the wait).
        var value: String? {
            if !finished {
                done.wait()
                finished = true
            }
            return result
        }
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
