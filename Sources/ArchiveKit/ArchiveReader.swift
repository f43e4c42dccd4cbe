import Foundation
internal import CArchive
internal import CDeflate
import Platform

/// Streams the entries of an archive one by one, never extracting to disk.
///
/// Call `nextEntry()`, then optionally `readData(_:)` (or `readData(upTo:)`) for its contents,
/// or `nestedReader(as:)` to read the entry itself as an archive. Everything is checked against
/// `ArchiveLimits` while it streams. A reader is used by one task at a time; it is not `Sendable`.
/// While a nested reader is in use its parent must not move to another entry.
public final class ArchiveReader {
    /// How the input is to be understood.
    public enum Format: Sendable {
        /// A ZIP, tar (optionally compressed), 7z, RAR, CAB, cpio or ISO archive.
        case archive
        /// A single compressed stream such as a `.gz` file: one entry named `data`.
        case compressedStream
    }

    /// The archive's name in errors (its path, or `parent!entry` when nested).
    public let name: String
    /// How many archives this one is nested in (0 for a file on disk).
    public let depth: Int
    /// The limits this reader enforces.
    public let limits: ArchiveLimits

    private let handle: OpaquePointer
    private let budget: ArchiveBudget
    private var ownedMemory: UnsafeMutableRawBufferPointer?
    private var nestedSource: NestedSource?
    private var entryCount = 0
    private var current: ArchiveEntry?
    private var currentBytes: Int64 = 0
    /// The archive-wide limit passed, once one was (`refuse`).
    private var refusal: ArchiveError?
    private var producedBytes: Int64 = 0
    /// The entries' CRC-32s when this reader checks them rather than libarchive (a ZIP read
    /// from the top, `ZipDirectory`); nil when libarchive checks.
    private var directory: ZipDirectory?
    /// Reads the archive's own bytes, with `directory`: a small entry is inflated whole from
    /// them (`inflateWhole`).
    private var readArchive: ZipDirectory.Read?
    /// The current entry's record when it is inflated whole.
    private var whole: ZipDirectory.Record?
    /// How far into the archive the entries inflated whole reach (libarchive's own count of
    /// what it consumed passes them only later; the compression ratio check takes the larger).
    private var wholeConsumed: Int64 = 0
    private var decompressor: OpaquePointer?
    private var wholeBuffer: [UInt8] = []
    /// What the current entry's bytes are to be checked against, with `directory`.
    private var pending: PendingChecksum?
    /// The current entry's bytes so far, when a nested reader pulls them (`pull`).
    private var pulledCRC = CRC32()

    /// Opens an archive file.
    public convenience init(path: String, format: Format = .archive, limits: ArchiveLimits = .default) throws {
        let directory = format == .archive ? Self.directory(ofFile: path, limits: limits) : nil
        try self.init(name: path, format: format, limits: limits, depth: 0, budget: ArchiveBudget(),
                      directory: directory) { handle in
            #if os(Windows)
            // The wide variant: the narrow one reads the path in the ANSI code page.
            path.withCString(encodedAs: UTF16.self) { archive_read_open_filename_w(handle, $0, 128 * 1024) }
            #else
            archive_read_open_filename(handle, path, 128 * 1024)
            #endif
        }
    }

    /// Opens an archive held in memory; the reader keeps its own copy of the bytes.
    public convenience init(data: Data, name: String, format: Format = .archive,
                            limits: ArchiveLimits = .default) throws {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
        _ = data.copyBytes(to: memory.bindMemory(to: UInt8.self))
        let read: ZipDirectory.Read = { offset, count in
            let start = Int(offset)
            return start + count <= data.count ? Array(UnsafeRawBufferPointer(rebasing: memory[start..<(start + count)])) : nil
        }
        let directory = format == .archive
            ? ZipDirectory(size: Int64(data.count), maxEntries: limits.maxEntries, read: read).map { ($0, read) }
            : nil
        do {
            try self.init(name: name, format: format, limits: limits, depth: 0, budget: ArchiveBudget(),
                          directory: directory) { handle in
                archive_read_open_memory(handle, memory.baseAddress, data.count)
            }
        } catch {
            memory.deallocate()
            throw error
        }
        ownedMemory = memory
    }

    private init(name: String, format: Format, limits: ArchiveLimits, depth: Int, budget: ArchiveBudget,
                 directory: (ZipDirectory, ZipDirectory.Read)? = nil, source: NestedSource? = nil,
                 open: (OpaquePointer) -> Int32) throws {
        ArchiveLibrary.initialize()
        guard let handle = archive_read_new() else {
            throw ArchiveError(.io, archive: name, message: "libarchive could not allocate a reader")
        }
        self.name = name
        self.depth = depth
        self.limits = limits
        self.budget = budget
        self.handle = handle
        self.nestedSource = source
        archive_read_support_filter_all(handle)
        switch format {
        case .archive:
            archive_read_support_format_zip(handle)
            archive_read_support_format_tar(handle)
            archive_read_support_format_gnutar(handle)
            archive_read_support_format_7zip(handle)
            archive_read_support_format_rar(handle)
            archive_read_support_format_rar5(handle)
            archive_read_support_format_cab(handle)
            archive_read_support_format_cpio(handle)
            archive_read_support_format_iso9660(handle)
        case .compressedStream:
            archive_read_support_format_raw(handle)
        }
        // With the directory's CRC-32s, this reader checks them (a caller may do it on another
        // core: `readDataDeferringChecksum`), and libarchive is told not to.
        let ignoring = directory != nil && archive_read_set_format_option(handle, "zip", "ignorecrc32", "1") == ARCHIVE_OK
        self.directory = ignoring ? directory?.0 : nil
        self.readArchive = ignoring ? directory?.1 : nil
        let status = open(handle)
        if status < ARCHIVE_WARN {
            throw Self.openError(handle: handle, name: name, source: source)  // deinit frees the handle
        }
    }

    /// The central directory of the ZIP at `path`, when it is the plain case (`ZipDirectory`),
    /// and how to read the file's bytes.
    private static func directory(ofFile path: String, limits: ArchiveLimits) -> (ZipDirectory, ZipDirectory.Read)? {
        guard let file = try? ReadOnlyFile(path: path), let size = try? FileSystem.info(path).size else { return nil }
        let read: ZipDirectory.Read = { offset, count in
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let read = bytes.withUnsafeMutableBytes { buffer in
                    try? file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
                }
                guard let read, read > 0 else { return nil }
                done += read
            }
            return bytes
        }
        return ZipDirectory(size: size, maxEntries: limits.maxEntries, read: read).map { ($0, read) }
    }

    deinit {
        if let decompressor { libdeflate_free_decompressor(decompressor) }
        archive_read_free(handle)
        ownedMemory?.deallocate()
    }

    private static func openError(handle: OpaquePointer, name: String, source: NestedSource?) -> ArchiveError {
        if let error = source?.error { return error }
        let text = archive_error_string(handle).map { String(cString: $0) } ?? "cannot be read"
        if text.localizedCaseInsensitiveContains("unrecognized archive format")
            || text.localizedCaseInsensitiveContains("empty") {
            return ArchiveError(.notAnArchive, archive: name, message: "not an archive (\(text))")
        }
        if archive_errno(handle) == ENOENT || archive_errno(handle) == EACCES || archive_errno(handle) == EISDIR {
            return ArchiveError(.io, archive: name, message: text)
        }
        return ArchiveError(.corrupt, archive: name, message: text)
    }

    /// The next entry's header, or nil after the last one.
    public func nextEntry() throws -> ArchiveEntry? {
        if let refusal { throw refusal }
        var entryPointer: OpaquePointer?
        let status = archive_read_next_header(handle, &entryPointer)
        if let error = nestedSource?.error { throw error }
        if status == ARCHIVE_EOF { current = nil; return nil }
        guard status >= ARCHIVE_WARN, let entryPointer else {
            throw ArchiveError(.corrupt, handle: handle, archive: name, fallback: "damaged archive")
        }
        entryCount += 1
        if entryCount > limits.maxEntries {
            throw ArchiveError(.tooManyEntries, archive: name,
                               message: "more than \(limits.maxEntries) entries; refusing to read further")
        }
        let entry = Self.makeEntry(entryPointer, index: entryCount)
        current = entry
        currentBytes = 0
        pulledCRC = CRC32()
        whole = nil
        if directory != nil, archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK != ARCHIVE_FORMAT_ZIP {
            (directory, readArchive) = (nil, nil)  // read as another format after all: its own checks hold
        }
        if let directory {
            let record = archive_entry_pathname(entryPointer).flatMap { directory.record(of: String(cString: $0)) }
            pending = PendingChecksum(expected: record?.crc32, archive: name, entry: entry.path)
            let wholeLimit = UInt64(max(min(limits.maxWholeEntryBytes, limits.maxEntryBytes), 0))
            if let record, record.method == 8, record.flags & 1 == 0, !entry.isEncrypted, wholeLimit > 0,
               record.uncompressedSize <= wholeLimit, record.compressedSize <= 2 * wholeLimit {
                whole = record
            }
        }
        return entry
    }

    private static func makeEntry(_ pointer: OpaquePointer, index: Int) -> ArchiveEntry {
        let stored: String
        if let raw = archive_entry_pathname(pointer) {
            stored = EntryName.decode(Array(UnsafeBufferPointer(start: raw, count: strlen(raw)).map { UInt8(bitPattern: $0) }))
        } else if let utf8 = archive_entry_pathname_utf8(pointer) {
            stored = String(cString: utf8)
        } else {
            stored = "unnamed-entry-\(index)"
        }
        let (path, unsafe) = EntryName.sanitize(stored)
        let type = UInt32(archive_entry_filetype(pointer)) & CArchive_AE_IFMT()  // unsigned short on Windows
        let hardlink = archive_entry_hardlink(pointer).map { String(cString: $0) }
        let symlink = archive_entry_symlink(pointer).map { String(cString: $0) }
        let kind: ArchiveEntry.Kind
        if hardlink != nil {
            kind = .hardlink
        } else if type == CArchive_AE_IFREG() {
            kind = .file
        } else if type == CArchive_AE_IFDIR() {
            kind = .directory
        } else if type == CArchive_AE_IFLNK() {
            kind = .symlink
        } else {
            kind = .other
        }
        let modified = archive_entry_mtime_is_set(pointer) != 0
            ? Date(timeIntervalSince1970: Double(archive_entry_mtime(pointer))
                   + Double(archive_entry_mtime_nsec(pointer)) / 1e9)
            : nil
        return ArchiveEntry(
            path: path.isEmpty ? "unnamed-entry-\(index)" : path, originalPath: stored, pathWasUnsafe: unsafe,
            kind: kind,
            declaredSize: archive_entry_size_is_set(pointer) != 0 ? archive_entry_size(pointer) : nil,
            modified: modified,
            isEncrypted: archive_entry_is_encrypted(pointer) != 0,
            linkTarget: hardlink ?? symlink)
    }

    /// Streams the current entry's data to `body` in chunks; the buffer is valid only inside it.
    ///
    /// Throws `.encrypted` for encrypted entries, `.notARegularFile` for links and folders, a
    /// limit error as soon as a limit is crossed, and `.checksumMismatch` after the last chunk
    /// when the bytes are not those the archive recorded.
    public func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard directory != nil, whole == nil else { return try stream(body) }
        var crc = CRC32()
        let pending = try readDataDeferringChecksum { chunk in
            crc.update(chunk)
            try body(chunk)
        }
        try pending?.verify(crc)
    }

    /// True when `readDataDeferringChecksum` leaves the current entry's CRC-32 to the caller;
    /// false when there is nothing for the caller to check (libarchive checks, this reader
    /// checks an entry it inflates whole, or the format has no CRC-32), so it need not sum.
    public var leavesChecksumToCaller: Bool { whole == nil && pending != nil }

    /// Streams the current entry's data like `readData`, but leaves the check of its CRC-32 to
    /// the caller, who computes it over every chunk (on any thread) and calls `verify`; nil when
    /// there is nothing left to check (libarchive checked, or the format has no CRC-32).
    public func readDataDeferringChecksum(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> PendingChecksum? {
        try stream(body)
        return whole == nil ? pending : nil
    }

    private func stream(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let entry = try currentFile()
        guard let whole else { return try stream(entry, body) }
        if try inflateWhole(whole, entry: entry, body) { return }
        // The data is not what the directory says (a size that lies, damage): libarchive reads
        // it as it always did, and the CRC-32 is checked here.
        var crc = CRC32()
        try stream(entry) { chunk in
            crc.update(chunk)
            try body(chunk)
        }
        try pending?.verify(crc)
    }

    /// Streams the current entry through libarchive.
    private func stream(_ entry: ArchiveEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        var written: Int64 = 0
        while true {
            let status = archive_read_data_block(handle, &buffer, &size, &offset)
            if let error = nestedSource?.error { throw error }
            if status == ARCHIVE_EOF { return }
            if status < ARCHIVE_WARN { throw dataError(entry) }
            if offset > written {  // a sparse hole: zeros
                try emitZeros(count: offset - written, entry: entry, body)
                written = offset
            }
            if size > 0, let buffer {
                try account(Int64(size), entry: entry)
                try body(UnsafeRawBufferPointer(start: buffer, count: size))
                written += Int64(size)
            }
            // libarchive only warns when an entry's CRC-32 does not match: say so.
            if status == ARCHIVE_WARN { throw dataError(entry, warning: true) }
        }
    }

    /// Inflates a small deflated entry of the ZIP (`ArchiveLimits.maxWholeEntryBytes`; libdeflate
    /// is twice zlib's speed here) in one call, from the archive's bytes, hands
    /// it over in 64 KB chunks, then checks its CRC-32. libdeflate writes no more than the
    /// recorded size, and the limits are checked before anything is handed over. False, with
    /// nothing handed over, when the data is not exactly what the directory records (the
    /// caller then streams it through libarchive, which says what is wrong in its own words).
    private func inflateWhole(_ record: ZipDirectory.Record, entry: ArchiveEntry,
                              _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard let readArchive, let dataStart = ZipDirectory.dataOffset(of: record, read: readArchive),
              let input = readArchive(dataStart, Int(record.compressedSize)) else { return false }
        let size = Int(record.uncompressedSize)
        if decompressor == nil { decompressor = libdeflate_alloc_decompressor() }
        if wholeBuffer.count < size { wholeBuffer = [UInt8](unsafeUninitializedCapacity: size) { $1 = size } }
        let result = input.withUnsafeBytes { source in
            wholeBuffer.withUnsafeMutableBytes { target in
                libdeflate_deflate_decompress(decompressor, source.baseAddress, source.count, target.baseAddress, size, nil)
            }
        }
        guard result == LIBDEFLATE_SUCCESS else { return false }
        wholeConsumed = max(wholeConsumed, dataStart + Int64(record.compressedSize))
        try account(Int64(size), entry: entry)
        let crc = try wholeBuffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < size {
                let count = min(64 << 10, size - offset)
                try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
                offset += count
            }
            return CRC32(UnsafeRawBufferPointer(rebasing: bytes[0..<size]))
        }
        if crc.value != record.crc32 {
            throw PendingChecksum.mismatch(computed: crc.value, expected: record.crc32, archive: name, entry: entry.path)
        }
        return true
    }

    /// Reads the current entry whole; throws `.entryTooLarge` if it holds more than `maxBytes`.
    public func readData(upTo maxBytes: Int) throws -> Data {
        var data = Data()
        let entry = try currentFile()
        if let declared = entry.declaredSize, declared > 0, declared <= maxBytes { data.reserveCapacity(Int(declared)) }
        try readData { chunk in
            if data.count + chunk.count > maxBytes {
                throw ArchiveError(.entryTooLarge, archive: name, entry: entry.path,
                                   message: "larger than the \(maxBytes)-byte limit for this kind of file")
            }
            data.append(contentsOf: chunk)
        }
        return data
    }

    /// Opens the current entry itself as an archive (or, with `.compressedStream`, as a `.gz`).
    ///
    /// The nested reader streams from this one: nothing is buffered whole, and everything it
    /// decompresses counts against the same total limit.
    public func nestedReader(as format: Format = .archive) throws -> ArchiveReader {
        let entry = try currentFile()
        guard depth + 1 <= limits.maxNestingDepth else {
            throw ArchiveError(.nestingTooDeep, archive: name, entry: entry.path,
                               message: "archives nested more than \(limits.maxNestingDepth) deep")
        }
        let source = NestedSource(parent: self, entry: entry)
        let context = Unmanaged.passUnretained(source).toOpaque()
        return try ArchiveReader(name: "\(name)!\(entry.path)", format: format, limits: limits,
                                 depth: depth + 1, budget: budget, source: source) { handle in
            archive_read_open(handle, context, nil, nestedRead, nil)
        }
    }

    /// Pulls decompressed bytes of the current entry into `buffer` for a nested reader.
    fileprivate func pull(into buffer: UnsafeMutableRawPointer, capacity: Int, entry: ArchiveEntry) throws -> Int {
        let count = Int(archive_read_data(handle, buffer, capacity))  // la_ssize_t: Int64 on Windows
        if count < 0 { throw dataError(entry, warning: count == ARCHIVE_WARN) }
        try account(Int64(count), entry: entry)
        if let pending {
            if count > 0 {
                pulledCRC.update(UnsafeRawBufferPointer(start: buffer, count: count))
            } else {
                try pending.verify(pulledCRC)
            }
        }
        return count
    }

    private func currentFile() throws -> ArchiveEntry {
        guard let entry = current else {
            throw ArchiveError(.io, archive: name, message: "no current entry; call nextEntry() first")
        }
        if entry.isEncrypted {
            throw ArchiveError(.encrypted, archive: name, entry: entry.path,
                               message: "the entry is encrypted and cannot be read; send it unencrypted")
        }
        guard entry.kind == .file else {
            throw ArchiveError(.notARegularFile, archive: name, entry: entry.path,
                               message: "a \(entry.kind) entry has no data to read (links are never followed)")
        }
        return entry
    }

    /// The error libarchive reported reading an entry's data; a warning there is a failed
    /// integrity check (its zip reader's only data warning is "ZIP bad CRC").
    private func dataError(_ entry: ArchiveEntry, warning: Bool = false) -> ArchiveError {
        let text = archive_error_string(handle).map { String(cString: $0) } ?? "damaged data"
        if warning {
            return ArchiveError(.checksumMismatch, archive: name, entry: entry.path,
                                message: "the data does not match its checksum (\(text)); it may be damaged")
        }
        let encrypted = text.localizedCaseInsensitiveContains("encrypt")
        return ArchiveError(encrypted ? .encrypted : .corrupt, archive: name, entry: entry.path, message: text)
    }

    private func emitZeros(count: Int64, entry: ArchiveEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let zeros = [UInt8](repeating: 0, count: 64 * 1024)
        var left = count
        while left > 0 {
            let chunk = Int(min(left, Int64(zeros.count)))
            try account(Int64(chunk), entry: entry)
            try zeros.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<chunk])) }
            left -= Int64(chunk)
        }
    }

    private func account(_ count: Int64, entry: ArchiveEntry) throws {
        currentBytes += count
        producedBytes += count
        budget.total += count
        if currentBytes > limits.maxEntryBytes {
            throw ArchiveError(.entryTooLarge, archive: name, entry: entry.path,
                               message: "decompresses to more than \(limits.maxEntryBytes) bytes")
        }
        if budget.total > limits.maxTotalBytes {
            throw refuse(ArchiveError(.archiveTooLarge, archive: name, entry: entry.path,
                                      message: "the archive decompresses to more than \(limits.maxTotalBytes) bytes"))
        }
        if producedBytes > limits.ratioCheckAfterBytes {
            let consumed = max(archive_filter_bytes(handle, -1), wholeConsumed, 1)
            let ratio = Double(producedBytes) / Double(consumed)
            if ratio > limits.maxCompressionRatio {
                throw refuse(ArchiveError(.compressionRatio, archive: name, entry: entry.path,
                                          message: "decompresses \(Int(ratio))× its size (limit \(Int(limits.maxCompressionRatio))×): a zip bomb?"))
            }
        }
    }

    /// Remembers a limit the whole archive passed: every later `nextEntry()` throws it too,
    /// so a caller that goes on after one entry's error stops at the next (one error, not one
    /// per remaining entry).
    private func refuse(_ error: ArchiveError) -> ArchiveError {
        refusal = error
        return error
    }
}

/// Decompressed bytes shared by a reader and the readers nested in it.
final class ArchiveBudget {
    var total: Int64 = 0
}

/// Feeds a nested reader from its parent's current entry.
final class NestedSource {
    let parent: ArchiveReader
    let entry: ArchiveEntry
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    var error: ArchiveError?

    init(parent: ArchiveReader, entry: ArchiveEntry) {
        self.parent = parent
        self.entry = entry
    }

    deinit { buffer.deallocate() }

    func read(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        do {
            let count = try parent.pull(into: buffer, capacity: 64 * 1024, entry: entry)
            out.pointee = UnsafeRawPointer(buffer)
            return count
        } catch let failure as ArchiveError {
            error = failure
            return -1
        } catch {
            return -1
        }
    }
}

private let nestedRead: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t = { _, context, out in
    guard let context, let out else { return -1 }
    return la_ssize_t(Unmanaged<NestedSource>.fromOpaque(context).takeUnretainedValue().read(out))
}
