import Foundation
import Platform

/// An output file written aside as `PATH.partial` and put in place by `commit()` (or by
/// `finish()` then `place()`, so several outputs are all on disk before any replaces its own).
///
/// Each `append` is one `write(2)` of whole lines (looping only if the kernel takes fewer
/// bytes, which a regular file on a local disk does not do short of a full disk), so a
/// process killed at any moment leaves only whole lines in the `.partial` file. Until
/// `place()`, an earlier file at `PATH` is left as it was; a `.partial` left by a killed run
/// is emptied when the next run opens it, and deleted by `discard()`.
final class LineFileWriter {
    /// The final path.
    let path: String
    /// Where the lines go until `commit()`.
    let partialPath: String
    private var file: WritableFile?
    /// Whether `PATH.partial` exists and is ours to delete.
    private var aside = true
    /// Whether `finish()` flushes to the disk (not for the many small report pages).
    private let syncing: Bool
    private(set) var bytesWritten = 0

    /// Creates (or truncates) `PATH.partial`; throws `BatchError` naming the file when it
    /// cannot, so a batch fails before analysing anything.
    init(path: String, syncing: Bool = true) throws {
        self.path = path
        self.syncing = syncing
        partialPath = path + ".partial"
        if FileSystem.isDirectory(path) {
            throw BatchError("cannot write \(path): it is a folder")
        }
        do { file = try WritableFile(path: partialPath) } catch {
            // The user named `path`; the `.partial` beside it is ours, and its folder is theirs.
            throw BatchError.cannotWrite(path, error)
        }
    }

    /// Appends whole lines in one write.
    func append(_ data: Data) throws {
        guard let file else { return }
        let failure: SystemError? = data.withUnsafeBytes { bytes in
            do throws(SystemError) { try file.write(bytes) } catch { return error }
            return nil
        }
        if let failure { throw BatchError.cannotWrite(path, failure) }
        bytesWritten += data.count
    }

    /// Flushes `PATH.partial` to disk and closes it: a full disk shows here at the latest.
    func finish() throws {
        guard let file else { return }
        self.file = nil
        defer { file.close() }
        guard syncing else { return }
        do { try file.sync() } catch { throw BatchError.cannotWrite(path, error) }
    }

    /// Renames the finished `PATH.partial` to `PATH`.
    func place() throws {
        guard aside else { return }
        try finish()
        do { try FileSystem.rename(partialPath, to: path) } catch {
            throw BatchError("cannot rename \(partialPath) to \(path): \(error.message)")
        }
        aside = false
    }

    /// Flushes, closes and renames `PATH.partial` to `PATH`.
    func commit() throws {
        try finish()
        try place()
    }

    /// Closes and deletes `PATH.partial` (nothing was produced, or not all of it).
    func discard() {
        file?.close()
        file = nil
        guard aside else { return }
        aside = false
        FileSystem.remove(partialPath)
    }
}

extension BatchError {
    /// "cannot write PATH: REASON", and for a full disk or a file-size limit what it means for
    /// the user's files (nothing was put in place).
    static func cannotWrite(_ path: String, _ error: SystemError) -> BatchError {
        BatchError("cannot write \(path): \(error.message)" + (error.isOutOfSpace ? outOfSpaceHint : ""))
    }

    /// What a user reads after a full disk: what to do, and that no output was half-replaced.
    static let outOfSpaceHint = "; no output was replaced: free some space and run the batch again"
}

/// Reads a JSON Lines file line by line in bounded memory (one buffer and the current line).
final class LineReader {
    /// The file's path, for messages.
    let path: String
    private let file: ReadOnlyFile
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private static let chunk = 1 << 16

    /// Opens `path`; throws `BatchError` naming it when it cannot.
    init(path: String) throws {
        self.path = path
        do { file = try ReadOnlyFile(path: path, waitingForWriter: true) } catch {
            throw BatchError("cannot read \(path): \(error.message)")
        }
    }

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
        let result: Result<Int, SystemError> = buffer.withUnsafeMutableBytes { bytes in
            do throws(SystemError) { return .success(try file.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[old...]))) } catch {
                return .failure(error)
            }
        }
        guard case .success(let count) = result else {
            buffer.removeSubrange(old...)
            if case .failure(let error) = result { throw BatchError("cannot read \(path): \(error.message)") }
            return
        }
        buffer.removeSubrange((old + count)...)
        if count == 0 { atEnd = true }
    }
}
