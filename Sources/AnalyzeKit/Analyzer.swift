import ArchiveKit
import Crypto
import Diagnosis
import Foundation
import LicensingModel
import Platform
import Reporting
import Signatures

/// Analyses one bundle: the one call behind `loganalyze BUNDLE`.
public enum Analyzer {
    /// What one analysis gives.
    public struct Outcome: Sendable {
        /// The report (the JSON contract of CAUSES.md).
        public let report: Report
        /// The diagnosis behind it (with the timeline).
        public let diagnosis: Conclusion
        /// The client as the analysis saw it (registry exports and config first, else
        /// logcollect's `system-info.json`): what a batch line says of its version and country.
        public let client: ClientInfo?
        /// The machine's licensing state, for `loganalyze compare`.
        public let machine: MachineState
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
    /// has none): building it costs a summary per log observation. `signatures` are matched
    /// on every log line (docs/signatures.md): the built-in ones unless the caller loaded more.
    public static func analyze(path: String, versions: VersionTable = .default, limits: ArchiveLimits = .default,
                               sha256 knownHash: String? = nil, threads: Threads = .several,
                               timeline: Bool = true, signatures: SignatureSet = .builtIn) throws -> Outcome {
        let hash = knownHash.map(BackgroundHash.init(known:)) ?? BackgroundHash(path: path, threaded: threads == .several)
        let collector = FactsCollector(threads: threads, signatures: signatures)
        var problems: [String] = []
        defer { _ = hash.value }  // never leave the hashing thread reading a file the caller may delete
        var files = 0
        var emptyFiles = 0
        let damage = try BundleReader(path: path, limits: limits).walk({ file in
            files += 1
            if file.size == 0 { emptyFiles += 1 }
            collector.add(file)
        }, problem: { problems.append($0) })
        if damage.isEmpty, collector.unrecognized.count + emptyFiles == files,
           !collector.unrecognized.contains(where: namedLikeClientFile) {
            throw notABundle(path: path, files: files, unrecognized: collector.unrecognized)
        }
        var facts = collector.finish(versions: versions)
        facts.readProblems = problems + facts.readProblems
        let (diagnosis, knownIssues) = SignatureVerdict.apply(collector.signatureHits, signatures: signatures,
                                                              to: Diagnoser.diagnose(facts, timeline: timeline))
        var report = Report(diagnosis: diagnosis, bundlePath: path, sha256: hash.value,
                            notes: facts.readProblems, unrecognized: collector.unrecognized,
                            tool: "loganalyze \(SuiteVersion.current)")
        report.knownIssues = knownIssues.map(Report.KnownIssue.init)
        (report.bundle.host, report.bundle.user, report.bundle.caseNumber)
            = (collector.identity.host, collector.identity.user, collector.identity.caseNumber)
        if !damage.isEmpty { report.markDamaged(damage) }
        return Outcome(report: report, diagnosis: diagnosis, client: facts.client, machine: MachineState(facts: facts))
    }

    /// Whether a file is named as a client's licensing file is (`LicensingStore.db`,
    /// `policy.json`, `entitlements.xml`, a `.reg` export…): one whose content was not
    /// recognised is a damaged file of a bundle, not a sign that the whole is no bundle.
    static func namedLikeClientFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent.lowercased()
        let names: Set = ["licensingstore.db", "policy.json", "policy.jwt", "entitlements.xml", "productstatus.xml",
                          "product-status.xml", "featurelevelselector.xml", "manifest.json", "system-info.json",
                          "connect-client.json", "application.xml", "system.xml", "tasklist.csv"]
        return names.contains(name) || name.hasSuffix(".reg") || name.hasSuffix(".belic")
    }

    /// The error of a folder or archive in which nothing of a client or a collector was
    /// recognised: analysing it would only list every cause as "not checked".
    static func notABundle(path: String, files: Int, unrecognized: [String]) -> BundleError {
        guard files > 0 else { return BundleError(.notABundle, path, "not a support bundle: it holds no files") }
        let some = unrecognized.prefix(3).joined(separator: ", ") + (unrecognized.count > 3 ? ", …" : "")
        let count = files == 1 ? "its one file is not" : "none of its \(files) files is"
        return BundleError(.notABundle, path, "not a support bundle: \(count) a licensing file, log or collector output"
                                              + (some.isEmpty ? " (empty files)" : " (\(some))"))
    }

    /// SHA-256 of a file in lowercase hex; nil for a folder.
    public static func sha256(ofFile path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        var hasher = SHA256()
        do {
            // 64 KiB: a buffer that stays in cache (`forEachChunk`).
            try ReadOnlyFile(path: path, waitingForWriter: true).forEachChunk(size: 64 * 1024) {
                hasher.update(bufferPointer: $0)
            }
        } catch let error as SystemError {
            throw BundleError(.unreadable, path, error.message)
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

extension Report {
    /// The highest confidence a finding of a damaged bundle may have when it rests on what
    /// was not read whole: below the 0.5 at which a finding is a cause.
    static let damagedConfidenceCap = 0.49

    /// Marks the report as of a damaged bundle: the damage is listed, and a finding whose
    /// evidence comes from a file not read whole is capped below 0.5 — as is every finding
    /// when the archive itself is cut short or corrupt (not when a bomb was stopped), since
    /// files lost with its end, of which nothing is known, may contradict any of them.
    mutating func markDamaged(_ items: [BundleDamage]) {
        damage = items.map(\.summary)
        let stopped = items.contains { $0.stoppedWalk && ($0.kind == .truncated || $0.kind == .corrupt) }
        let partial = Set(items.compactMap(\.file))
        for index in findings.indices {
            let rests = stopped || findings[index].evidence.isEmpty
                || findings[index].evidence.contains { evidence in
                    partial.contains { evidence.file == $0 || evidence.file.hasPrefix($0 + " ") }
                }
            if rests { findings[index].confidence = min(findings[index].confidence, Self.damagedConfidenceCap) }
        }
        findings = findings.enumerated()
            .sorted { ($0.element.confidence, $1.offset) > ($1.element.confidence, $0.offset) }
            .map(\.element)
    }
}

extension Report.KnownIssue {
    /// The report's form of a matched `note:` signature (its evidence as it is: log lines, no row).
    init(_ note: SignatureNote) {
        self.init(id: note.id, signature: note.signature, title: note.title, fix: note.fix, kb: note.kb, count: note.count,
                  evidence: note.evidence)
    }
}

/// Writes a file aside and renames it into place, so it is never seen half-written.
public enum AtomicFile {
    /// Writes `data` to `path` through a temporary file in the same folder.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(CurrentProcess.id)")
        do {
            try data.write(to: temporary)
            do { try FileSystem.rename(temporary.path, to: url.path) } catch {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            FileSystem.remove(temporary.path)
            throw error
        }
    }
}
