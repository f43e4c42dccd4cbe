import Foundation
#if os(Windows)
import ucrt
import WinSDK
#endif

/// Advisory byte-range locks on an open file, and the open file's own status: what a reader
/// needs to copy a database another process may be writing, with the locks that process's
/// library honours (SQLite's, for the licensing store: `StoreSnapshot`).
///
/// On Linux the locks belong to the open file (`F_OFD_SETLK`), so that closing another
/// descriptor of the same file elsewhere in this process does not drop them (a POSIX record
/// lock would be dropped then); they conflict with other processes' POSIX record locks, which
/// is what SQLite takes. Elsewhere on POSIX systems they are record locks (`F_SETLK`). Windows
/// has no such locks here: `canLockRanges` is false and callers read another way.
extension ReadOnlyFile {
    /// The status of the open file itself (not of a path that may name another file by now).
    public struct Status: Sendable, Equatable {
        /// Its size in bytes.
        public let size: Int64
        /// Its modification time, in nanoseconds since 1970.
        public let modifiedNanoseconds: Int64
    }

    /// Whether this platform has the byte-range locks below.
    public static var canLockRanges: Bool {
        #if os(Windows)
        false
        #else
        true
        #endif
    }

    /// Takes a shared (read) lock on `length` bytes at `offset` without waiting; false when
    /// another process holds a write lock on any of them.
    public func tryShareLock(offset: Int64, length: Int64) throws(SystemError) -> Bool {
        #if os(Windows)
        return false
        #else
        var lock = Self.lock(F_RDLCK, offset: offset, length: length)
        while fcntl(descriptor, Self.setLock, &lock) != 0 {
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EACCES { return false }
            throw SystemError.last()
        }
        return true
        #endif
    }

    /// Releases a lock taken on exactly these bytes.
    public func unlock(offset: Int64, length: Int64) {
        #if !os(Windows)
        var lock = Self.lock(F_UNLCK, offset: offset, length: length)
        _ = fcntl(descriptor, Self.setLock, &lock)
        #endif
    }

    /// Whether another process holds a write lock on any of these bytes (a lock of this
    /// process's own does not count).
    public func isWriteLocked(offset: Int64, length: Int64) -> Bool {
        #if os(Windows)
        return false
        #else
        var lock = Self.lock(F_WRLCK, offset: offset, length: length)
        guard fcntl(descriptor, Self.getLock, &lock) == 0 else { return false }
        return Int32(lock.l_type) == F_WRLCK
        #endif
    }

    /// The open file's size and modification time (`fstat`).
    public func status() throws(SystemError) -> Status {
        #if os(Windows)
        var information = BY_HANDLE_FILE_INFORMATION()
        guard GetFileInformationByHandle(handle, &information) else { throw SystemError.windows() }
        return Status(size: Win32.size(information), modifiedNanoseconds: Win32.nanoseconds(information.ftLastWriteTime))
        #else
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SystemError.last() }
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        return Status(size: Int64(status.st_size), modifiedNanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
        #endif
    }

    #if !os(Windows)
    #if os(Linux)
    // <fcntl.h> defines these only under _GNU_SOURCE, which Swift's Glibc module does not set.
    private static let setLock: Int32 = 37  // F_OFD_SETLK
    private static let getLock: Int32 = 36  // F_OFD_GETLK
    #else
    private static let setLock = F_SETLK
    private static let getLock = F_GETLK
    #endif

    private static func lock(_ type: Int32, offset: Int64, length: Int64) -> flock {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(offset)
        lock.l_len = off_t(length)
        lock.l_pid = 0  // required by open-file-description locks
        return lock
    }
    #endif
}
