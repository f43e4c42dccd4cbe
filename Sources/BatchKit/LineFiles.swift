import Foundation

/// An output file written aside as `PATH.partial` and renamed into place by `commit()`.
///
/// Each `append` is one `write(2)` of whole lines (looping only if the kernel takes fewer
/// bytes, which a regular file on a local disk does not do short of a full disk), so a
/// process killed at any moment leaves only whole lines in the `.partial` file.
final class LineFileWriter {
    /// The final path.
    let path: String
    /// Where the lines go until `commit()`.
    let partialPath: String
    private var descriptor: Int32
    private(set) var bytesWritten = 0

    /// Creates (or truncates) `PATH.partial`; throws `BatchError` naming the file when it
    /// cannot, so a batch fails before analysing anything.
    init(path: String) throws {
        self.path = path
        partialPath = path + ".partial"
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw BatchError("cannot write \(path): it is a folder")
        }
        descriptor = open(partialPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            // The user named `path`; the `.partial` beside it is ours, and its folder is theirs.
            throw BatchError("cannot write \(path): \(BundleDiscovery.text(errno))")
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends whole lines in one write.
    func append(_ data: Data) throws {
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw BatchError("cannot write \(partialPath): \(BundleDiscovery.text(errno))") }
                offset += written
            }
        }
        bytesWritten += data.count
    }

    /// Flushes to disk, closes and renames `PATH.partial` to `PATH`.
    func commit() throws {
        guard descriptor >= 0 else { return }
        let synced = fsync(descriptor) == 0 || errno == EINVAL  // some special files cannot sync
        close(descriptor)
        descriptor = -1
        guard synced else { throw BatchError("cannot write \(partialPath): \(BundleDiscovery.text(errno))") }
        guard rename(partialPath, path) == 0 else {
            throw BatchError("cannot rename \(partialPath) to \(path): \(BundleDiscovery.text(errno))")
        }
    }

    /// Closes and deletes `PATH.partial` (nothing was produced).
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(partialPath)
    }
}

/// Reads a JSON Lines file line by line in bounded memory (one buffer and the current line).
final class LineReader {
    /// The file's path, for messages.
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private static let chunk = 1 << 16

    /// Opens `path`; throws `BatchError` naming it when it cannot.
    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BatchError("cannot read \(path): \(BundleDiscovery.text(errno))") }
    }

    deinit { close(descriptor) }

    /// The next line with its `\n` (added if the file's last line lacks one); nil at the end.
    /// Blank lines are skipped.
    func next() throws -> Data? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = Data(buffer[start...newline])
                start = newline + 1
                if line.count > 1 { return line }
                continue
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                defer { buffer.removeAll(); start = 0 }
                return Data(buffer[start...]) + [0x0A]
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            try fill()
        }
    }

    private func fill() throws {
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.chunk))
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress.map { $0 + old }, Self.chunk) }
        buffer.removeSubrange((old + max(count, 0))...)
        if count < 0 {
            if errno == EINTR { return }
            throw BatchError("cannot read \(path): \(BundleDiscovery.text(errno))")
        }
        if count == 0 { atEnd = true }
    }
}
