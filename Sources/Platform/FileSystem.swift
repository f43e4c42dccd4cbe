import Foundation
#if os(Windows)
import ucrt
import WinSDK
#endif

/// File status, links, renames: the calls a client root and a bundle writer make.
public enum FileSystem {
    /// What a path names.
    public struct Info: Sendable, Equatable {
        /// The kinds of things a path can name.
        public enum Kind: Sendable, Equatable { case regular, directory, symbolicLink, fifo, socket, device, other }
        /// What it is.
        public let kind: Kind
        /// Its size in bytes.
        public let size: Int64
        /// Its modification time.
        public let modified: Date
    }

    /// The status of `path` (of a link's target when `followingLinks`).
    public static func info(_ path: String, followingLinks: Bool = true) throws(SystemError) -> Info {
        #if os(Windows)
        let handle = try Win32.open(path, access: DWORD(FILE_READ_ATTRIBUTES), followingLinks: followingLinks)
        defer { CloseHandle(handle) }
        return try Win32.info(handle)
        #else
        var status = stat()
        guard (followingLinks ? stat(path, &status) : lstat(path, &status)) == 0 else { throw SystemError.last() }
        let kind: Info.Kind = switch status.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        case S_IFCHR, S_IFBLK: .device
        default: .other
        }
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        return Info(kind: kind, size: Int64(status.st_size),
                    modified: Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9))
        #endif
    }

    /// The status of `path` (of a link itself, unless `followingLinks`), or nil when there is none.
    public static func info(orNilAt path: String, followingLinks: Bool = true) -> Info? {
        try? info(path, followingLinks: followingLinks)
    }

    /// True when something (even a dangling link) is at `path`.
    public static func exists(_ path: String) -> Bool {
        info(orNilAt: path, followingLinks: false) != nil
    }

    /// True when `path` is a folder (following links).
    public static func isDirectory(_ path: String) -> Bool {
        info(orNilAt: path)?.kind == .directory
    }

    /// True when `path` is a symbolic link.
    public static func isSymbolicLink(_ path: String) -> Bool {
        (try? info(path, followingLinks: false))?.kind == .symbolicLink
    }

    /// `path` with every link resolved; nil when a link loops or points nowhere.
    public static func realPath(_ path: String) -> String? {
        #if os(Windows)
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        return FileManager.default.fileExists(atPath: resolved.path) ? resolved.path : nil
        #else
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
        #endif
    }

    /// True when files can be created in the folder `path` (tried, not inferred from
    /// permissions: ACLs, read-only mounts and special file systems say otherwise).
    public static func isWritableFolder(_ path: String) -> Bool {
        let probe = URL(fileURLWithPath: path).appendingPathComponent(".logcollect-probe-\(CurrentProcess.id)-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: probe, contents: nil) else { return false }
        remove(probe)
        return true
    }

    /// Flushes a written file to the disk (before it is renamed into place).
    public static func sync(_ path: String) {
        #if os(Windows)
        if let handle = FileHandle(forUpdatingAtPath: path) { try? handle.synchronize(); try? handle.close() }
        #else
        let descriptor = open(path, O_RDONLY)
        if descriptor >= 0 { fsync(descriptor); Foundation.close(descriptor) }
        #endif
    }

    /// Renames `source` to `destination`, replacing it (atomically on one volume).
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        #if os(Windows)
        let (done, error) = source.withCString(encodedAs: UTF16.self) { from in
            Win32.withWidePath(destination) { to in
                MoveFileExW(from, to, DWORD(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
            }
        }
        guard done else { throw SystemError.windows(error) }
        #else
        guard Foundation.rename(source, destination) == 0 else { throw SystemError.last() }
        #endif
    }

    /// Removes a file if it is there; never throws (cleaning up after a failure).
    public static func remove(_ path: String) {
        #if os(Windows)
        // A file open elsewhere with delete sharing (the bundle writer's partial file) goes
        // when its last handle is closed.
        _ = path.withCString(encodedAs: UTF16.self) { DeleteFileW($0) }
        #else
        unlink(path)
        #endif
    }

    /// Creates a new file for writing and gives its C-runtime descriptor (for a C library that
    /// writes to one, such as libarchive); anything already at `path`, a link planted there
    /// included, makes this throw instead of being written through. The caller closes it with
    /// `close(descriptor:)`.
    public static func createNew(_ path: String) throws(SystemError) -> Int32 {
        #if os(Windows)
        // Shared for deleting, so that an interrupted collection can remove its partial file
        // while the writer still holds it (Windows deletes no file opened without it); not
        // inherited by children (no security attributes).
        let (handle, error) = Win32.withWidePath(path) { name in
            CreateFileW(name, DWORD(GENERIC_WRITE), DWORD(FILE_SHARE_READ | FILE_SHARE_DELETE), nil, DWORD(CREATE_NEW),
                        DWORD(FILE_ATTRIBUTE_NORMAL), nil)
        }
        guard let handle, handle != INVALID_HANDLE_VALUE else { throw SystemError.windows(error) }
        let descriptor = _open_osfhandle(Int(bitPattern: handle), _O_WRONLY | _O_BINARY)
        guard descriptor >= 0 else {
            let error = SystemError.last()
            CloseHandle(handle)
            throw error
        }
        return descriptor
        #else
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemError.last() }
        return descriptor
        #endif
    }

    /// Closes a descriptor `createNew` gave; its failure (a full disk on a network file system
    /// can show only here) is an error.
    public static func close(descriptor: Int32) throws(SystemError) {
        #if os(Windows)
        guard _close(descriptor) == 0 else { throw SystemError.last() }
        #else
        guard Foundation.close(descriptor) == 0 else { throw SystemError.last() }
        #endif
    }

    /// Cuts a file to `size` bytes (a command's output past its bound).
    public static func truncate(_ path: String, to size: Int64) {
        #if os(Windows)
        if let handle = FileHandle(forUpdatingAtPath: path) { try? handle.truncate(atOffset: UInt64(size)); try? handle.close() }
        #else
        _ = Foundation.truncate(path, off_t(size))
        #endif
    }
}

/// A file opened for reading at any offset, without blocking in `open` (a FIFO would wait for
/// a writer there); reads block. Closed when released.
public final class ReadOnlyFile {
    #if os(Windows)
    let handle: HANDLE  // internal: FileLocks.swift reads its status
    private let openedPath: String
    #else
    let descriptor: Int32  // internal: byte-range locks (FileLocks.swift) use it too
    #endif

    /// Opens `path`; throws with the system's reason. With `waitingForWriter`, opening a FIFO
    /// waits for a writer (a shard piped in); without, it does not (a FIFO met while collecting).
    public init(path: String, waitingForWriter: Bool = false) throws(SystemError) {
        #if os(Windows)
        // Shared for reading, writing and deleting: a file the client is writing stays
        // readable, and this reader never stops it from replacing or removing the file.
        handle = try Win32.open(path, access: DWORD(GENERIC_READ))
        openedPath = path
        #else
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | (waitingForWriter ? 0 : O_NONBLOCK))
        guard descriptor >= 0 else { throw SystemError.last() }
        if !waitingForWriter { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK) }
        self.descriptor = descriptor
        #endif
    }

    #if os(Windows)
    /// Takes over a handle opened for reading (`FolderHandle.openFile`).
    init(handle: HANDLE, path: String) {
        self.handle = handle
        openedPath = path
    }
    #else
    /// Takes over a descriptor opened for reading (`FolderHandle.openFile`).
    init(descriptor: Int32) { self.descriptor = descriptor }
    #endif

    deinit {
        #if os(Windows)
        CloseHandle(handle)
        #else
        close(descriptor)
        #endif
    }

    /// A path that names this very open file (`/proc/self/fd/N`), for a library that only
    /// opens paths: opening it opens the file this descriptor holds, whatever was renamed or
    /// linked since. Valid while this object lives.
    public var descriptorPath: String {
        #if os(Windows)
        openedPath  // opened by path there (docs/windows.md)
        #elseif canImport(Darwin)
        "/dev/fd/\(descriptor)"
        #else
        "/proc/self/fd/\(descriptor)"
        #endif
    }

    /// Reads the whole file from its start, refusing one larger than `limit` bytes.
    public func readAll(limit: Int) throws(SystemError) -> Data {
        var data = Data()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while true {
            let count = try read(into: buffer, at: offset)
            if count == 0 { return data }
            offset += Int64(count)
            guard offset <= Int64(limit) else {
                throw SystemError(code: EFBIG, message: "larger than \(limit >> 20) MB; not read")
            }
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Reads from where the last read ended to the end of the file (pipes too), handing each
    /// chunk of up to `chunkSize` bytes to `body`; the chunk is valid only during the call.
    /// Throws `SystemError` when a read fails, and whatever `body` throws.
    public func forEachChunk(size chunkSize: Int = 1 << 16, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        // One buffer for the whole file, reused: it stays in cache (a fresh 1 MiB buffer per
        // read cost a page fault per 4 KiB, more than hashing the bytes).
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try read(into: buffer)
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemError) -> Int {
        #if os(Windows)
        // As pread: where the next sequential read starts stays where it was.
        var position = LARGE_INTEGER()
        guard SetFilePointerEx(handle, LARGE_INTEGER(), &position, DWORD(FILE_CURRENT)) else { throw SystemError.windows() }
        defer { _ = SetFilePointerEx(handle, position, nil, DWORD(FILE_BEGIN)) }
        var target = LARGE_INTEGER()
        target.QuadPart = offset
        guard SetFilePointerEx(handle, target, nil, DWORD(FILE_BEGIN)) else { throw SystemError.windows() }
        return try read(into: buffer)
        #else
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw SystemError.last() }
        }
        #endif
    }

    /// Reads up to `buffer.count` bytes from where the last read ended (pipes too); 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        #if os(Windows)
        var count: DWORD = 0
        guard ReadFile(handle, buffer.baseAddress, DWORD(min(buffer.count, 1 << 30)), &count, nil) else {
            let error = GetLastError()
            // The end of a pipe whose writer closed it, or of a file: no more bytes.
            if error == DWORD(ERROR_BROKEN_PIPE) || error == DWORD(ERROR_HANDLE_EOF) { return 0 }
            throw SystemError.windows(error)
        }
        return Int(count)
        #else
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw SystemError.last() }
        }
        #endif
    }
}

/// A file created (or emptied) for writing, closed when released: each `write` hands over all
/// its bytes (a short write is continued), `sync` flushes them to the disk. A C-runtime
/// descriptor on every system, so that a failure's `errno` (a full disk: `isOutOfSpace`) is real.
public final class WritableFile {
    private var descriptor: Int32

    /// Creates or empties `path` (mode 0644 on POSIX systems); throws with the system's reason.
    public init(path: String) throws(SystemError) {
        #if os(Windows)
        var descriptor: Int32 = -1
        let code = path.withCString(encodedAs: UTF16.self) { name in
            _wsopen_s(&descriptor, name, _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY | _O_NOINHERIT, _SH_DENYNO,
                      _S_IREAD | _S_IWRITE)
        }
        guard code == 0 else { throw SystemError(code: code, message: SystemError.text(code)) }
        self.descriptor = descriptor
        #else
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemError.last() }
        #endif
    }

    deinit { close() }

    /// Writes every byte of `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let start = bytes.baseAddress.map { $0 + offset }
            #if os(Windows)
            let written = Int(_write(descriptor, start, UInt32(min(bytes.count - offset, 1 << 30))))
            #else
            let written = Foundation.write(descriptor, start, bytes.count - offset)
            #endif
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw SystemError.last() }
            offset += written
        }
    }

    /// Flushes to the disk; a file that cannot be synced (some special files) is not an error.
    public func sync() throws(SystemError) {
        #if os(Windows)
        guard _commit(descriptor) == 0 || errno == EBADF else { throw SystemError.last() }
        #else
        guard fsync(descriptor) == 0 || errno == EINVAL else { throw SystemError.last() }
        #endif
    }

    /// Closes the file (again: nothing).
    public func close() {
        if descriptor >= 0 { try? FileSystem.close(descriptor: descriptor) }
        descriptor = -1
    }
}
