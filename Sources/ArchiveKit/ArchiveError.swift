/// ArchiveKit: the one module that talks to libarchive.
///
/// `ArchiveReader` streams the entries of a ZIP (store, deflate, ZIP64), tar, tar.gz or 7z
/// archive one by one without extracting anything to disk, under `ArchiveLimits` that make
/// untrusted input (zip bombs, nested bombs, hostile names) fail with a typed `ArchiveError`.
/// `ZipWriter` writes deflated ZIPs with UTF-8 names, real modification times and ZIP64 when
/// needed, streaming file contents in chunks. No libarchive pointer leaves this module.
import Foundation
internal import CArchive

/// A failure reading or writing an archive, in one line a user can act on.
public struct ArchiveError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure it was; stable, for callers that branch on it.
    public enum Code: String, Sendable {
        /// The bytes are not an archive format libarchive reads.
        case notAnArchive
        /// The archive ends early or an entry's data cannot be decoded (short read, bad stream).
        case corrupt
        /// An entry's bytes do not match the CRC-32 stored for them (damaged in transfer or on
        /// disk). Thrown at the end of the entry, after its bytes were handed over as they were
        /// read; the next entry can still be read.
        case checksumMismatch
        /// The entry is encrypted; its data cannot be read.
        case encrypted
        /// An entry would decompress to more than `ArchiveLimits.maxEntryBytes`.
        case entryTooLarge
        /// The archive would decompress to more than `ArchiveLimits.maxTotalBytes`.
        case archiveTooLarge
        /// The archive holds more than `ArchiveLimits.maxEntries` entries.
        case tooManyEntries
        /// Data decompresses at a ratio beyond `ArchiveLimits.maxCompressionRatio` (a bomb).
        case compressionRatio
        /// Archives nest deeper than `ArchiveLimits.maxNestingDepth`.
        case nestingTooDeep
        /// The file could not be opened, read or written.
        case io
        /// The entry is not a regular file (a directory, symlink or hard link) and has no data.
        case notARegularFile
    }

    /// What kind of failure it was.
    public let code: Code
    /// The archive (a path, or a nested archive's name inside its parent).
    public let archive: String
    /// The entry being read or written, when there was one.
    public let entry: String?
    /// What went wrong.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, archive: String, entry: String? = nil, message: String) {
        self.code = code
        self.archive = archive
        self.entry = entry
        self.message = message
    }

    /// One line: `archive: entry: message`.
    public var description: String {
        [archive, entry, message].compactMap { $0 }.joined(separator: ": ")
    }
}

extension ArchiveError {
    /// Reads libarchive's last error for a handle; the string may be NULL.
    init(_ code: Code, handle: OpaquePointer, archive: String, entry: String? = nil, fallback: String) {
        let text = archive_error_string(handle).map { String(cString: $0) } ?? fallback
        self.init(code, archive: archive, entry: entry, message: text)
    }
}

/// Process-wide set-up before libarchive converts any name.
enum ArchiveLibrary {
    private static let once: Void = {
        // A Swift program starts in the "C" locale, where libarchive returns nil for
        // non-ASCII names. Switch character handling to UTF-8 unless the user chose a locale.
        let current = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
        if current == "C" || current == "POSIX" {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }()

    static func initialize() { _ = once }
}
