#if os(Windows)
import Foundation
import ucrt
import WinSDK

/// The Win32 calls the Windows branches share: opening a file by handle with every kind of
/// sharing (a file another process writes, or deletes, stays readable and deletable), a handle's
/// status, and Windows' errors as the C runtime's numbers with Windows' own message. Compiled on
/// Windows only (docs/windows.md).
enum Win32 {
    /// Opens `path` with `access` (`GENERIC_READ`, or `FILE_READ_ATTRIBUTES` for the status
    /// alone). A folder opens too (`FILE_FLAG_BACKUP_SEMANTICS`); without `followingLinks` a
    /// symbolic link or junction is opened itself, not its target.
    static func open(_ path: String, access: DWORD, followingLinks: Bool = true) throws(SystemError) -> HANDLE {
        let flags = DWORD(FILE_FLAG_BACKUP_SEMANTICS) | (followingLinks ? 0 : DWORD(FILE_FLAG_OPEN_REPARSE_POINT))
        let share = DWORD(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        let (handle, error) = withWidePath(path) { CreateFileW($0, access, share, nil, DWORD(OPEN_EXISTING), flags, nil) }
        guard let handle, handle != INVALID_HANDLE_VALUE else { throw SystemError.windows(error) }
        return handle
    }

    /// Calls `body` with `path` in UTF-16, and gives its result with the error it left, read at
    /// once (before anything else, freeing the UTF-16 copy included, can overwrite it).
    static func withWidePath<T>(_ path: String, _ body: (UnsafePointer<WCHAR>) -> T) -> (result: T, error: DWORD) {
        path.withCString(encodedAs: UTF16.self) { name in
            let result = body(name)
            return (result, GetLastError())
        }
    }

    /// What the open `handle` is, its size and modification time.
    static func info(_ handle: HANDLE) throws(SystemError) -> FileSystem.Info {
        var information = BY_HANDLE_FILE_INFORMATION()
        guard GetFileInformationByHandle(handle, &information) else { throw SystemError.windows() }
        let kind: FileSystem.Info.Kind
        switch GetFileType(handle) {
        case DWORD(FILE_TYPE_CHAR): kind = .device
        case DWORD(FILE_TYPE_PIPE): kind = .fifo
        default:
            if information.dwFileAttributes & DWORD(FILE_ATTRIBUTE_REPARSE_POINT) != 0 && isLink(handle) {
                kind = .symbolicLink
            } else if information.dwFileAttributes & DWORD(FILE_ATTRIBUTE_DIRECTORY) != 0 {
                kind = .directory
            } else {
                kind = .regular
            }
        }
        return FileSystem.Info(kind: kind, size: size(information), modified: date(information.ftLastWriteTime))
    }

    /// The file's size, from its two halves.
    static func size(_ information: BY_HANDLE_FILE_INFORMATION) -> Int64 {
        Int64(information.nFileSizeHigh) << 32 | Int64(information.nFileSizeLow)
    }

    /// True when the reparse point open at `handle` is a symbolic link or a junction (mount
    /// point); other reparse points (OneDrive's placeholders, deduplicated files) are files.
    private static func isLink(_ handle: HANDLE) -> Bool {
        var tag = FILE_ATTRIBUTE_TAG_INFO()
        guard GetFileInformationByHandleEx(handle, FileAttributeTagInfo, &tag,
                                           DWORD(MemoryLayout<FILE_ATTRIBUTE_TAG_INFO>.size)) else { return true }
        return tag.ReparseTag == DWORD(IO_REPARSE_TAG_SYMLINK) || tag.ReparseTag == DWORD(IO_REPARSE_TAG_MOUNT_POINT)
    }

    /// A `FILETIME` as a date.
    static func date(_ time: FILETIME) -> Date {
        Date(timeIntervalSince1970: Double(ticksSince1970(time)) / 10_000_000)
    }

    /// A `FILETIME` in nanoseconds since 1970.
    static func nanoseconds(_ time: FILETIME) -> Int64 { ticksSince1970(time) * 100 }

    /// A `FILETIME` (100 ns ticks since 1601) in ticks since 1970.
    private static func ticksSince1970(_ time: FILETIME) -> Int64 {
        (Int64(time.dwHighDateTime) << 32 | Int64(time.dwLowDateTime)) - 116_444_736_000_000_000
    }

    /// The C runtime's `errno` for a Win32 error, as its `_dosmaperr` maps them (so that a
    /// caller's `code == ENOENT` means the same on every system); a full disk is `ENOSPC`.
    static func errorNumber(_ error: DWORD) -> Int32 {
        switch Int32(bitPattern: error) {
        case 2, 3, 15, 18, 53, 67, 123, 161, 206: ENOENT  // not found, bad path, bad name
        case 4: EMFILE
        case 5, 19...36, 65, 82, 108, 1920: EACCES  // denied, sharing or lock violation, locked drive
        case 6, 114, 130: EBADF
        case 8, 1816: ENOMEM
        case 17: EXDEV
        case 39, 112: ENOSPC  // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        case 80, 183: EEXIST
        case 109: EPIPE
        case 145: ENOTEMPTY
        case 267: ENOTDIR
        case 1921: ELOOP  // ERROR_CANT_RESOLVE_FILENAME: too many links
        default: EINVAL
        }
    }

    /// Windows' own message for a Win32 error, in the user's language, or nil.
    static func message(_ error: DWORD) -> String? {
        var buffer = [WCHAR](repeating: 0, count: 512)
        let count = FormatMessageW(DWORD(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS), nil, error, 0,
                                   &buffer, DWORD(buffer.count), nil)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<Int(count)], as: UTF16.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}

extension SystemError {
    /// A Win32 error (by default the last one, when nothing ran since the failed call): the C
    /// runtime's number for it as `code`, Windows' own message with its number.
    static func windows(_ error: DWORD = GetLastError()) -> SystemError {
        let words = Win32.message(error) ?? text(Win32.errorNumber(error))
        return SystemError(code: Win32.errorNumber(error), message: "\(words) (Windows error \(error))")
    }
}
#endif
