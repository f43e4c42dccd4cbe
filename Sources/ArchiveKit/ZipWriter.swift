import Foundation
import Platform
internal import CArchive

/// Writes a deflated ZIP: UTF-8 names, real modification times, ZIP64 when an entry or the
/// archive needs it, contents streamed in chunks.
///
/// It writes exactly to the path it is given; callers that must never leave a half-written
/// file write to a temporary name and rename after `finish()`. Not `Sendable`: one task writes.
public final class ZipWriter {
    /// The path being written.
    public let path: String
    private var handle: OpaquePointer?
    private var entryNames: Set<String> = []
    /// The file, when this writer opened it itself (`exclusive`); libarchive does not close it.
    private var descriptor: Int32 = -1

    /// Creates (or truncates) the ZIP at `path`.
    ///
    /// - Parameters:
    ///   - compressionLevel: zlib's 1 (fast) … 9 (small); 6 is zip's default.
    ///   - exclusive: create a new file only (`O_EXCL | O_NOFOLLOW`): anything already at `path`,
    ///     a link planted there included, makes this throw instead of being written through.
    public init(path: String, compressionLevel: Int = 6, exclusive: Bool = false) throws {
        ArchiveLibrary.initialize()
        self.path = path
        guard let handle = archive_write_new() else {
            throw ArchiveError(.io, archive: path, message: "libarchive could not allocate a writer")
        }
        self.handle = handle
        archive_write_set_format_zip(handle)
        // Each option is checked: an unknown one would silently give another ZIP than intended.
        for option in ["zip:compression=deflate", "zip:hdrcharset=UTF-8",
                       "zip:compression-level=\(max(1, min(9, compressionLevel)))"] {
            if archive_write_set_options(handle, option) < ARCHIVE_WARN {
                let error = ArchiveError(.io, handle: handle, archive: path, fallback: "option \(option) refused")
                archive_write_free(handle)
                self.handle = nil
                throw error
            }
        }
        let opened: Int32
        if exclusive {
            do {
                descriptor = try FileSystem.createNew(path)
            } catch {
                archive_write_free(handle)
                self.handle = nil
                throw ArchiveError(.io, archive: path, message: error.message)
            }
            opened = archive_write_open_fd(handle, descriptor)
        } else {
            #if os(Windows)
            opened = path.withCString(encodedAs: UTF16.self) { archive_write_open_filename_w(handle, $0) }
            #else
            opened = archive_write_open_filename(handle, path)
            #endif
        }
        if opened != ARCHIVE_OK {
            let error = ArchiveError(.io, handle: handle, archive: path, fallback: "cannot create the file")
            archive_write_free(handle)
            self.handle = nil
            closeDescriptor()
            throw error
        }
    }

    deinit {
        if let handle { archive_write_free(handle) }
        closeDescriptor()
    }

    private func closeDescriptor() {
        if descriptor >= 0 { try? FileSystem.close(descriptor: descriptor) }
        descriptor = -1
    }

    /// Adds an entry whose data `produce` streams through the `write` function it is given.
    ///
    /// - Parameters:
    ///   - name: the path inside the ZIP (`/`-separated, relative); must be unique.
    ///   - size: the exact byte count when known (ZIP64 is then used only when needed); nil
    ///     when not known in advance (ZIP64 fields are then written, as for any large entry).
    ///   - modified: the modification time to record.
    public func addEntry(named name: String, size: Int64?, modified: Date,
                         produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let handle = try openHandle()
        guard !name.isEmpty, !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
            throw ArchiveError(.io, archive: path, entry: name, message: "entry names must be relative paths")
        }
        guard entryNames.insert(name).inserted else {
            throw ArchiveError(.io, archive: path, entry: name, message: "an entry with this name was already written")
        }
        guard let entry = archive_entry_new() else {
            throw ArchiveError(.io, archive: path, entry: name, message: "libarchive could not allocate an entry")
        }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_filetype(entry, CArchive_AE_IFREG())
        archive_entry_set_perm(entry, 0o644)
        let seconds = modified.timeIntervalSince1970.rounded(.down)
        archive_entry_set_mtime(entry, time_t(seconds), CLong(((modified.timeIntervalSince1970 - seconds) * 1e9)))
        if let size { archive_entry_set_size(entry, size) }
        guard archive_write_header(handle, entry) >= ARCHIVE_WARN else {
            throw ArchiveError(.io, handle: handle, archive: path, entry: name, fallback: "cannot write the entry header")
        }
        var written: Int64 = 0
        try produce { chunk in
            guard let base = chunk.baseAddress, chunk.count > 0 else { return }
            if let size, written + Int64(chunk.count) > size {
                throw ArchiveError(.io, archive: path, entry: name,
                                   message: "more data than the \(size) bytes announced")
            }
            let count = archive_write_data(handle, base, chunk.count)
            guard count == chunk.count else {
                throw ArchiveError(.io, handle: handle, archive: path, entry: name, fallback: "write failed (disk full?)")
            }
            written += Int64(count)
        }
        if let size, written != size {
            throw ArchiveError(.io, archive: path, entry: name,
                               message: "wrote \(written) bytes but announced \(size)")
        }
        guard archive_write_finish_entry(handle) >= ARCHIVE_WARN else {
            throw ArchiveError(.io, handle: handle, archive: path, entry: name, fallback: "cannot finish the entry")
        }
    }

    /// Adds an entry holding `data`.
    public func addEntry(named name: String, data: Data, modified: Date) throws {
        try addEntry(named: name, size: Int64(data.count), modified: modified) { write in
            try data.withUnsafeBytes { try write($0) }
        }
    }

    /// Writes the central directory and closes the file; throws if anything failed on the way.
    ///
    /// `archive_write_free` would swallow a failed close (a full disk at the last block), so
    /// the close is checked here. The writer cannot be used afterwards.
    public func finish() throws {
        let handle = try openHandle()
        defer {
            archive_write_free(handle)
            self.handle = nil
        }
        guard archive_write_close(handle) == ARCHIVE_OK else {
            closeDescriptor()
            throw ArchiveError(.io, handle: handle, archive: path, fallback: "cannot complete the ZIP (disk full?)")
        }
        // Our own descriptor: its close can fail too (a full disk on a network file system).
        if descriptor >= 0 {
            defer { descriptor = -1 }
            do { try FileSystem.close(descriptor: descriptor) } catch {
                throw ArchiveError(.io, archive: path, message: error.message)
            }
        }
    }

    private func openHandle() throws -> OpaquePointer {
        guard let handle else {
            throw ArchiveError(.io, archive: path, message: "the ZIP writer was already finished")
        }
        return handle
    }
}
