/// AnalyzeKit: what `loganalyze` does.
///
/// `BundleReader` walks a bundle — a logcollect ZIP, any other ZIP (the CONNECTION Client's
/// own Log Collector output included), a tar or tar.gz, or a folder — entry by entry, opening
/// ZIPs and `.gz` files inside it as it goes, never extracting to disk. `FileKind` recognises
/// each file by name and content; `FactsCollector` turns the recognised ones into `Facts`;
/// `Analyzer` runs the diagnosis and builds the report.
import ArchiveKit
import Foundation
import Platform

/// One file met while walking a bundle.
public struct BundleFile {
    /// Its path inside the bundle (nested archives as `outer.zip/inner/path`).
    public let path: String
    /// Its declared size, when known.
    public let size: Int64?
    /// Its modification time, when known.
    public let modified: Date?
    fileprivate let reader: FileContentReader
    /// Where a read that fails because the bundle is damaged is recorded.
    fileprivate var damageLog: DamageLog?

    /// Streams the file's bytes in chunks.
    public func stream(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try recordingDamage { try reader.stream(body) }
    }

    /// Streams the file's bytes in chunks, leaving the check of their CRC-32 to the caller, who
    /// computes it over every chunk (on any thread) and calls `verify`; nil when there is
    /// nothing left to check.
    public func streamDeferringChecksum(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> DeferredChecksum? {
        let pending = try recordingDamage { try reader.streamDeferringChecksum(body) }
        return pending.map { DeferredChecksum(pending: $0, file: self) }
    }

    /// True when `streamDeferringChecksum` will leave a CRC-32 check to the caller (who then
    /// sums the bytes up); false when its reader checks, or there is nothing to check.
    public var leavesChecksumToCaller: Bool { reader.leavesChecksumToCaller }

    /// Reads the file whole; throws when it is larger than `limit`.
    public func data(limit: Int) throws -> Data { try recordingDamage { try reader.data(limit: limit) } }

    /// The check of a file's CRC-32 that its reader left to the caller.
    public struct DeferredChecksum {
        fileprivate let pending: PendingChecksum
        fileprivate let file: BundleFile

        /// Throws (and records the damage) unless `computed`, over every byte streamed, is the
        /// CRC-32 the bundle recorded.
        public func verify(_ computed: CRC32) throws {
            try file.recordingDamage { try pending.verify(computed) }
        }
    }

    private func recordingDamage<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ArchiveError {
            if let kind = BundleDamage.Kind(error.code, message: error.message) {
                damageLog?.add(BundleDamage(kind: kind, file: path, message: error.message, stoppedWalk: false))
            }
            throw error
        }
    }
}

/// Damage met while reading a bundle: a file that could not be read whole, or a walk that
/// stopped before the end. A report of a damaged bundle says so, and no cause rests on it.
public struct BundleDamage: Sendable, Equatable {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The archive ends before its data does (a download or copy cut short).
        case truncated
        /// An entry is encrypted with a password.
        case encrypted
        /// Reading stopped at a limit that guards against archive bombs.
        case bomb
        /// Archives nested deeper than the limit; the deeper ones were not opened.
        case nested
        /// An entry's data does not match its checksum.
        case checksum
        /// The archive's data cannot be decoded.
        case corrupt

        /// The kind of damage an archive error is; nil for errors that are not damage (a file
        /// larger than its kind's limit, a link).
        init?(_ code: ArchiveError.Code, message: String = "") {
            switch code {
            case .compressionRatio, .archiveTooLarge, .tooManyEntries: self = .bomb
            case .nestingTooDeep: self = .nested
            case .checksumMismatch: self = .checksum
            case .encrypted: self = .encrypted
            case .corrupt: self = message.lowercased().contains("truncated") ? .truncated : .corrupt
            default: return nil
            }
        }
    }

    /// What went wrong.
    public let kind: Kind
    /// The bundle file it concerns, when one.
    public let file: String?
    /// The reader's own words.
    public let message: String
    /// Whether the rest of the bundle after `file` could not be read.
    public let stoppedWalk: Bool

    /// Creates a damage record.
    public init(kind: Kind, file: String?, message: String, stoppedWalk: Bool) {
        self.kind = kind
        self.file = file
        self.message = message
        self.stoppedWalk = stoppedWalk
    }

    /// One line for people: `registry/HKLM.reg was cut short; nothing after it could be read`.
    public var summary: String {
        let what = file.map { "\($0) " } ?? "the bundle "
        let verb = switch kind {
        case .truncated: "was cut short (the archive is truncated)"
        case .encrypted: "is encrypted and could not be read (ask for the bundle without a password)"
        case .bomb: "expands far beyond its size (an archive bomb?); reading it was stopped"
        case .nested: "is an archive nested too deep (an archive bomb?); it was not opened"
        case .checksum: "does not match its checksum (damaged in transfer?)"
        case .corrupt: "is damaged and could not be read whole"
        }
        guard stoppedWalk else { return what + verb }
        return what + verb + (file == nil ? "; the rest could not be read" : "; nothing after it could be read")
    }
}

/// The damage met during one walk; shared with the files it hands out, which record the reads
/// that fail (`@unchecked Sendable` is not claimed: a walk and its files stay on one thread).
final class DamageLog {
    private(set) var items: [BundleDamage] = []

    func add(_ damage: BundleDamage) {
        if let index = items.firstIndex(where: { $0.kind == damage.kind && $0.file == damage.file }) {
            if damage.stoppedWalk && !items[index].stoppedWalk { items[index] = damage }
            return
        }
        items.append(damage)
    }
}

/// How a file's bytes are reached: through an archive reader positioned on it, or on disk.
fileprivate enum FileContentReader {
    case archive(ArchiveReader)
    case disk(URL)

    func stream(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch self {
        case .archive(let reader): try reader.readData(body)
        case .disk(let url):
            do {
                try ReadOnlyFile(path: url.path, waitingForWriter: true).forEachChunk(size: 1 << 20, body)
            } catch let error as SystemError {
                throw BundleError(.unreadable, url.path, error.message)
            }
        }
    }

    var leavesChecksumToCaller: Bool {
        switch self {
        case .archive(let reader): reader.leavesChecksumToCaller
        case .disk: false
        }
    }

    func streamDeferringChecksum(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> PendingChecksum? {
        switch self {
        case .archive(let reader): return try reader.readDataDeferringChecksum(body)
        case .disk:
            try stream(body)
            return nil
        }
    }

    func data(limit: Int) throws -> Data {
        switch self {
        case .archive(let reader): return try reader.readData(upTo: limit)
        case .disk:
            var data = Data()
            try stream { chunk in
                guard data.count + chunk.count <= limit else {
                    throw ArchiveError(.entryTooLarge, archive: "", message: "larger than the \(limit)-byte limit for this kind of file")
                }
                data.append(contentsOf: chunk)
            }
            return data
        }
    }
}

/// Why a bundle could not be read at all.
public struct BundleError: Error, CustomStringConvertible, Sendable {
    /// Stable codes, used in batch error lines.
    public enum Code: String, Sendable {
        case notFound = "not-found", notABundle = "not-a-bundle", unreadable, corrupt, tooLarge = "too-large"
    }
    public let code: Code
    public let path: String
    public let message: String

    public init(_ code: Code, _ path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    /// One line naming the file, without repeating a path the error already names.
    static func line(_ path: String, _ error: any Error) -> String {
        if let archive = error as? ArchiveError { return "\(path): \(archive.message)" }
        let text = "\(error)"
        return text.hasPrefix(path) ? text : "\(path): \(text)"
    }
}

/// Walks every file of a bundle, nested archives and `.gz` files included.
public struct BundleReader {
    /// The bundle: an archive file or a folder.
    public let path: String
    /// Limits for the archive layers.
    public let limits: ArchiveLimits

    public init(path: String, limits: ArchiveLimits = .default) {
        self.path = path
        self.limits = limits
    }

    /// Calls `visit` for every regular file; problems with single entries go to `problem` and
    /// the walk goes on. Throws only when the bundle cannot be opened at all.
    ///
    /// - Returns: The damage met: files that could not be read whole (also when `visit` found
    ///   out while reading them), and where the walk had to stop.
    @discardableResult
    public func walk(_ visit: (BundleFile) throws -> Void, problem: (String) -> Void) throws -> [BundleDamage] {
        let damage = DamageLog()
        try walk(visit, problem: problem, damage: damage)
        return damage.items
    }

    private func walk(_ visit: (BundleFile) throws -> Void, problem: (String) -> Void, damage: DamageLog) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BundleError(.notFound, path, "no such file or folder")
        }
        if isDirectory.boolValue {
            try walkFolder(visit, problem: problem, damage: damage)
            return
        }
        let reader: ArchiveReader
        do {
            reader = try ArchiveReader(path: path, limits: limits)
        } catch let error as ArchiveError {
            switch error.code {
            case .notAnArchive: throw BundleError(.notABundle, path, "not a ZIP, tar or tar.gz bundle, nor a folder")
            case .io: throw BundleError(.unreadable, path, error.message)
            default: throw BundleError(.corrupt, path, error.message)
            }
        }
        var entries = 0
        do {
            try walkArchive(reader, prefix: "", visit, problem: problem, damage: damage, entries: &entries)
        } catch let error as ArchiveError where entries == 0 {
            throw BundleError(.corrupt, path, error.message)
        } catch let error as ArchiveError {
            problem("\(error.entry ?? "bundle"): \(error.message); the rest of the bundle could not be read")
            damage.add(BundleDamage(kind: BundleDamage.Kind(error.code, message: error.message) ?? .corrupt,
                                    file: error.entry, message: error.message, stoppedWalk: true))
        }
    }

    private func walkArchive(_ reader: ArchiveReader, prefix: String, _ visit: (BundleFile) throws -> Void,
                             problem: (String) -> Void, damage: DamageLog, entries: inout Int) throws {
        while let entry = try reader.nextEntry() {
            entries += 1
            let path = prefix + entry.path
            if entry.pathWasUnsafe { problem("\(entry.originalPath): unsafe entry name, read as \(path)") }
            switch entry.kind {
            case .file: break
            case .directory: continue
            default:
                problem("\(path): a \(entry.kind) entry; links are never followed")
                continue
            }
            if entry.isEncrypted {
                problem("\(path): encrypted; cannot be read (ask for the bundle without a password)")
                damage.add(BundleDamage(kind: .encrypted, file: path, message: "encrypted", stoppedWalk: false))
                continue
            }
            let lower = path.lowercased()
            do {
                if lower.hasSuffix(".zip") || lower.hasSuffix(".tar") || lower.hasSuffix(".tgz") || lower.hasSuffix(".tar.gz") {
                    let nested = try reader.nestedReader()
                    try walkArchive(nested, prefix: path + "/", visit, problem: problem, damage: damage, entries: &entries)
                } else if lower.hasSuffix(".gz") {
                    let nested = try reader.nestedReader(as: .compressedStream)
                    guard try nested.nextEntry() != nil else { continue }
                    try visit(BundleFile(path: String(path.dropLast(3)), size: nil, modified: entry.modified,
                                         reader: .archive(nested), damageLog: damage))
                } else {
                    try visit(BundleFile(path: path, size: entry.declaredSize, modified: entry.modified,
                                         reader: .archive(reader), damageLog: damage))
                }
            } catch let error as ArchiveError where [.compressionRatio, .archiveTooLarge, .tooManyEntries].contains(error.code) {
                throw error  // the whole bundle is hostile: stop
            } catch let error as ArchiveError where error.code == .corrupt && error.archive == reader.name {
                throw error  // this archive's own stream is broken: nothing after it can be read
            } catch {
                if let error = error as? ArchiveError, let kind = BundleDamage.Kind(error.code, message: error.message) {
                    damage.add(BundleDamage(kind: kind, file: path, message: error.message, stoppedWalk: false))
                }
                problem(BundleError.line(path, error))
            }
        }
    }

    private func walkFolder(_ visit: (BundleFile) throws -> Void, problem: (String) -> Void, damage: DamageLog) throws {
        let root = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey, .contentModificationDateKey]) else {
            throw BundleError(.unreadable, path, "cannot list the folder")
        }
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey, .contentModificationDateKey])
            let relative = url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.lastPathComponent
            if values?.isSymbolicLink == true { problem("\(relative): a link; never followed"); continue }
            guard values?.isRegularFile == true else { continue }
            let lower = relative.lowercased()
            do {
                if lower.hasSuffix(".zip") || lower.hasSuffix(".tar") || lower.hasSuffix(".tgz") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".gz") {
                    let reader = try ArchiveReader(path: url.path, format: lower.hasSuffix(".gz") && !lower.hasSuffix(".tar.gz") ? .compressedStream : .archive, limits: limits)
                    if lower.hasSuffix(".gz") && !lower.hasSuffix(".tar.gz") {
                        guard try reader.nextEntry() != nil else { continue }
                        try visit(BundleFile(path: String(relative.dropLast(3)), size: nil, modified: values?.contentModificationDate,
                                             reader: .archive(reader), damageLog: damage))
                    } else {
                        var entries = 0
                        try walkArchive(reader, prefix: relative + "/", visit, problem: problem, damage: damage, entries: &entries)
                    }
                } else {
                    try visit(BundleFile(path: relative, size: values?.fileSize.map(Int64.init), modified: values?.contentModificationDate,
                                         reader: .disk(url), damageLog: damage))
                }
            } catch {
                if let error = error as? ArchiveError, let kind = BundleDamage.Kind(error.code, message: error.message) {
                    damage.add(BundleDamage(kind: kind, file: relative, message: error.message, stoppedWalk: false))
                }
                problem(BundleError.line(relative, error))
            }
        }
    }
}
