// Stand-in for Swift for Windows' `WinSDK` module (Microsoft's Windows SDK headers, imported by
// the Swift compiler, plus the small Swift overlay swiftlang/swift keeps in
// stdlib/public/Windows/WinSDK.swift), for `Scripts/wincheck` only.
//
// Each declaration has the Swift signature that Swift for Windows gives Microsoft's documented
// C declaration. It is compiled into a scratch folder on each run and used for a type check on
// Linux; it is never linked and no body ever runs (every body is `fatalError()`). Only what
// this project uses, or is about to use, is here: add a declaration, from Microsoft's
// prototype, when the check says a name is missing — never loosen one to make code pass.
//
// How the importer maps Microsoft's declarations (the rules every entry below follows):
// - Types: `DWORD`/`ULONG`/`UINT` UInt32 (`long` is 32 bits on Windows), `WORD` UInt16, `BYTE`
//   UInt8, `LONG`/`INT` Int32, `LONGLONG` Int64, `WCHAR` UInt16 (wchar_t), `CHAR` CChar,
//   `HANDLE` (void *) UnsafeMutableRawPointer, `LPVOID` UnsafeMutableRawPointer, `LPCWSTR`
//   UnsafePointer<WCHAR>, `LPWSTR` UnsafeMutablePointer<WCHAR>, `LPxxx` of a struct
//   UnsafeMutablePointer<struct>.
// - The SDK headers carry no nullability annotations, so every pointer (and function-pointer)
//   parameter, result and struct field is implicitly unwrapped: `T!`. (A `T!` parameter accepts
//   what a `T?` one does; a `T!` result can be bound with `guard let`.)
// - `BOOL` (int): a function's `BOOL` result is Swift `Bool`, a `BOOL` parameter takes `Bool`;
//   everywhere else — struct fields, function-pointer types such as `PHANDLER_ROUTINE`,
//   pointers (`LPBOOL`) — it stays the overlay's `WindowsBool`.
// - `typedef struct _X { ... } X, *PX, *LPX;` imports as `struct _X` with `init()` (all zero)
//   and a memberwise init labelled with every field; `X` is a typealias. Same for unions.
// - `typedef enum _X { A, B } X;` (no Swift attributes) imports as `struct _X: RawRepresentable,
//   Equatable` with `rawValue: Int32` (MSVC's enums are `int`), each enumerator a global var.
// - A macro that is a plain integer literal imports as a get-only global var whose type is the
//   literal's C type on Windows: a literal that fits `int` is Int32 (so callers write
//   `DWORD(FILE_SHARE_READ)`); a hex literal that does not fit `int` (0x80000000 and up) is
//   `unsigned int`, UInt32; an `L` suffix makes it `long`, still 32 bits, so `5L` is Int32 and
//   `0x80000000L` `unsigned long`, UInt32. Macros with casts, such as `((DWORD)-1)`, are not
//   imported at all; the overlay declares the few that matter (`INVALID_HANDLE_VALUE`,
//   `INFINITE`, `WAIT_OBJECT_0`, ...), typed as it types them.
// - Imported C functions never warn when their result is unused (`@discardableResult` here).
//
// Deliberately absent: `UUID` (rpcdce.h's typedef of `GUID`). The real WinSDK has it, and on
// Windows it competes with Foundation's `UUID`; how that resolves there depends on which modules
// re-export which, which a stand-in cannot reproduce (docs/windows.md: write `Foundation.UUID`
// in a type position).

@_exported import ucrt

// MARK: - minwindef.h / winnt.h / basetsd.h: basic types

public typealias BYTE = UInt8
public typealias WORD = UInt16
public typealias DWORD = UInt32
public typealias UINT = UInt32
public typealias ULONG = UInt32
public typealias LONG = Int32
public typealias INT = Int32
public typealias LONGLONG = Int64
public typealias ULONGLONG = UInt64
public typealias CHAR = CChar
public typealias WCHAR = UInt16
/// `typedef int BOOL;` — imported as the overlay's `WindowsBool` where it is not bridged to `Bool`.
public typealias BOOL = WindowsBool
public typealias ULONG_PTR = UInt64
public typealias DWORD_PTR = ULONG_PTR
public typealias LONG_PTR = Int64

public typealias HANDLE = UnsafeMutableRawPointer
public typealias PHANDLE = UnsafeMutablePointer<HANDLE?>
public typealias LPHANDLE = UnsafeMutablePointer<HANDLE?>
public typealias LPVOID = UnsafeMutableRawPointer
public typealias PVOID = UnsafeMutableRawPointer
public typealias LPCVOID = UnsafeRawPointer
public typealias LPDWORD = UnsafeMutablePointer<DWORD>
public typealias PDWORD = UnsafeMutablePointer<DWORD>
public typealias LPBYTE = UnsafeMutablePointer<BYTE>
public typealias LPBOOL = UnsafeMutablePointer<WindowsBool>
public typealias LPSTR = UnsafeMutablePointer<CHAR>
public typealias LPCSTR = UnsafePointer<CHAR>
public typealias LPCCH = UnsafePointer<CHAR>
public typealias LPWSTR = UnsafeMutablePointer<WCHAR>
public typealias LPCWSTR = UnsafePointer<WCHAR>
public typealias LPCWCH = UnsafePointer<WCHAR>

// MARK: - WinSDK.swift (the Swift overlay): WindowsBool, as swiftlang/swift declares it

/// The `BOOL` type declared in WinDefs.h and used throughout WinSDK (a typedef for `int`).
@frozen
public struct WindowsBool: ExpressibleByBooleanLiteral {
    @usableFromInline
    var _value: Int32

    /// The value of `self`, expressed as a `Bool`.
    public var boolValue: Bool { _value != 0 }

    public init(booleanLiteral value: Bool) { self.init(value) }

    /// Create an instance initialized to `value`.
    public init(_ value: Bool) { _value = value ? 1 : 0 }
}

extension WindowsBool: CustomReflectable {
    public var customMirror: Mirror { Mirror(reflecting: boolValue) }
}

extension WindowsBool: CustomStringConvertible {
    public var description: String { boolValue.description }
}

extension WindowsBool: Equatable {
    public static func == (lhs: WindowsBool, rhs: WindowsBool) -> Bool { lhs.boolValue == rhs.boolValue }
}

// MARK: - WinSDK.swift (the Swift overlay): the cast macros it declares, with its types

public var HANDLE_FLAG_INHERIT: DWORD { 0x00000001 }
public var STARTF_USESTDHANDLES: DWORD { 0x00000100 }
public var INFINITE: DWORD { DWORD(bitPattern: -1) }
public var WAIT_OBJECT_0: DWORD { 0 }
public var STD_INPUT_HANDLE: DWORD { DWORD(bitPattern: -10) }
public var STD_OUTPUT_HANDLE: DWORD { DWORD(bitPattern: -11) }
public var STD_ERROR_HANDLE: DWORD { DWORD(bitPattern: -12) }
public var INVALID_HANDLE_VALUE: HANDLE { HANDLE(bitPattern: -1)! }
public var INVALID_FILE_ATTRIBUTES: DWORD { DWORD(bitPattern: -1) }

// MARK: - minwindef.h: FILETIME (with the overlay's conveniences)

/// `typedef struct _FILETIME { DWORD dwLowDateTime; DWORD dwHighDateTime; } FILETIME;`
public struct _FILETIME {
    public var dwLowDateTime: DWORD
    public var dwHighDateTime: DWORD
    public init() { dwLowDateTime = 0; dwHighDateTime = 0 }
    public init(dwLowDateTime: DWORD, dwHighDateTime: DWORD) {
        self.dwLowDateTime = dwLowDateTime
        self.dwHighDateTime = dwHighDateTime
    }
}
public typealias FILETIME = _FILETIME
public typealias PFILETIME = UnsafeMutablePointer<_FILETIME>
public typealias LPFILETIME = UnsafeMutablePointer<_FILETIME>

extension _FILETIME {
    /// The overlay's `time_t` view (`time_t` is ucrt's 64-bit `__time64_t` on Windows; spelled
    /// Int64 here because Glibc's `time_t` is Int).
    public var time_t: Int64 { fatalError() }
    public init(from time: Int64) { fatalError() }
}

// MARK: - winnt.h: LARGE_INTEGER

/// `typedef union _LARGE_INTEGER { struct { DWORD LowPart; LONG HighPart; }; struct { ... } u;
/// LONGLONG QuadPart; } LARGE_INTEGER;` — a union; the anonymous struct's fields are reachable
/// directly. (The named member `u` is not modelled.)
public struct _LARGE_INTEGER {
    public var QuadPart: LONGLONG
    public init() { QuadPart = 0 }
    public init(QuadPart: LONGLONG) { self.QuadPart = QuadPart }
    public var LowPart: DWORD {
        get { DWORD(truncatingIfNeeded: QuadPart) }
        set { QuadPart = (QuadPart & ~0xFFFF_FFFF) | LONGLONG(newValue) }
    }
    public var HighPart: LONG {
        get { LONG(truncatingIfNeeded: QuadPart >> 32) }
        set { QuadPart = (LONGLONG(newValue) << 32) | (QuadPart & 0xFFFF_FFFF) }
    }
}
public typealias LARGE_INTEGER = _LARGE_INTEGER
public typealias PLARGE_INTEGER = UnsafeMutablePointer<_LARGE_INTEGER>

// MARK: - winnt.h: access rights, sharing, attributes, reparse tags

// Access rights. `GENERIC_READ` is `(0x80000000L)`: too big for `long`, so `unsigned long`,
// UInt32 — it passes as a DWORD as it is. The others fit `long`: Int32, written `DWORD(...)`.
public var GENERIC_READ: UInt32 { 0x8000_0000 }
public var GENERIC_WRITE: Int32 { 0x4000_0000 }
public var GENERIC_EXECUTE: Int32 { 0x2000_0000 }
public var GENERIC_ALL: Int32 { 0x1000_0000 }
public var DELETE: Int32 { 0x0001_0000 }
public var SYNCHRONIZE: Int32 { 0x0010_0000 }
public var FILE_READ_ATTRIBUTES: Int32 { 0x0080 }
public var FILE_WRITE_ATTRIBUTES: Int32 { 0x0100 }
public var PROCESS_TERMINATE: Int32 { 0x0001 }
public var PROCESS_QUERY_INFORMATION: Int32 { 0x0400 }
public var PROCESS_QUERY_LIMITED_INFORMATION: Int32 { 0x1000 }

// Sharing modes (plain hex literals that fit `int`: Int32).
public var FILE_SHARE_READ: Int32 { 0x0000_0001 }
public var FILE_SHARE_WRITE: Int32 { 0x0000_0002 }
public var FILE_SHARE_DELETE: Int32 { 0x0000_0004 }

// File attributes (Int32).
public var FILE_ATTRIBUTE_READONLY: Int32 { 0x0000_0001 }
public var FILE_ATTRIBUTE_HIDDEN: Int32 { 0x0000_0002 }
public var FILE_ATTRIBUTE_SYSTEM: Int32 { 0x0000_0004 }
public var FILE_ATTRIBUTE_DIRECTORY: Int32 { 0x0000_0010 }
public var FILE_ATTRIBUTE_ARCHIVE: Int32 { 0x0000_0020 }
public var FILE_ATTRIBUTE_DEVICE: Int32 { 0x0000_0040 }
public var FILE_ATTRIBUTE_NORMAL: Int32 { 0x0000_0080 }
public var FILE_ATTRIBUTE_TEMPORARY: Int32 { 0x0000_0100 }
public var FILE_ATTRIBUTE_REPARSE_POINT: Int32 { 0x0000_0400 }

// Reparse tags: `(0xA0000003L)`, `(0xA000000CL)` do not fit `long`: `unsigned long`, UInt32 —
// the type of `FILE_ATTRIBUTE_TAG_INFO.ReparseTag`, so they compare with it as they are.
public var IO_REPARSE_TAG_MOUNT_POINT: UInt32 { 0xA000_0003 }
public var IO_REPARSE_TAG_SYMLINK: UInt32 { 0xA000_000C }

// MARK: - winerror.h (all `NNNL`: `long`, Int32; compare as `DWORD(ERROR_...)` with GetLastError())

public var ERROR_SUCCESS: Int32 { 0 }
public var ERROR_FILE_NOT_FOUND: Int32 { 2 }
public var ERROR_PATH_NOT_FOUND: Int32 { 3 }
public var ERROR_ACCESS_DENIED: Int32 { 5 }
public var ERROR_INVALID_HANDLE: Int32 { 6 }
public var ERROR_NOT_READY: Int32 { 21 }
public var ERROR_SHARING_VIOLATION: Int32 { 32 }
public var ERROR_LOCK_VIOLATION: Int32 { 33 }
public var ERROR_HANDLE_EOF: Int32 { 38 }
public var ERROR_HANDLE_DISK_FULL: Int32 { 39 }
public var ERROR_BAD_NETPATH: Int32 { 53 }
public var ERROR_FILE_EXISTS: Int32 { 80 }
public var ERROR_INVALID_PARAMETER: Int32 { 87 }
public var ERROR_BROKEN_PIPE: Int32 { 109 }
public var ERROR_DISK_FULL: Int32 { 112 }
public var ERROR_INSUFFICIENT_BUFFER: Int32 { 122 }
public var ERROR_INVALID_NAME: Int32 { 123 }
public var ERROR_ALREADY_EXISTS: Int32 { 183 }
public var ERROR_MORE_DATA: Int32 { 234 }
public var ERROR_DIRECTORY: Int32 { 267 }
public var ERROR_CANT_ACCESS_FILE: Int32 { 1920 }
public var ERROR_CANT_RESOLVE_FILENAME: Int32 { 1921 }
/// `#define WAIT_TIMEOUT 258L` (winerror.h): Int32, compared as `DWORD(WAIT_TIMEOUT)`.
public var WAIT_TIMEOUT: Int32 { 258 }

// MARK: - errhandlingapi.h

@discardableResult
public func GetLastError() -> DWORD { fatalError() }
public func SetLastError(_ dwErrCode: DWORD) { fatalError() }

// MARK: - handleapi.h

@discardableResult
public func CloseHandle(_ hObject: HANDLE!) -> Bool { fatalError() }
@discardableResult
public func SetHandleInformation(_ hObject: HANDLE!, _ dwMask: DWORD, _ dwFlags: DWORD) -> Bool { fatalError() }

// MARK: - minwinbase.h: SECURITY_ATTRIBUTES, GET_FILEEX_INFO_LEVELS, FILE_INFO_BY_HANDLE_CLASS

/// `typedef struct _SECURITY_ATTRIBUTES { DWORD nLength; LPVOID lpSecurityDescriptor; BOOL bInheritHandle; } ...;`
public struct _SECURITY_ATTRIBUTES {
    public var nLength: DWORD
    public var lpSecurityDescriptor: LPVOID!
    public var bInheritHandle: WindowsBool
    public init() { nLength = 0; lpSecurityDescriptor = nil; bInheritHandle = false }
    public init(nLength: DWORD, lpSecurityDescriptor: LPVOID!, bInheritHandle: WindowsBool) {
        self.nLength = nLength
        self.lpSecurityDescriptor = lpSecurityDescriptor
        self.bInheritHandle = bInheritHandle
    }
}
public typealias SECURITY_ATTRIBUTES = _SECURITY_ATTRIBUTES
public typealias PSECURITY_ATTRIBUTES = UnsafeMutablePointer<_SECURITY_ATTRIBUTES>
public typealias LPSECURITY_ATTRIBUTES = UnsafeMutablePointer<_SECURITY_ATTRIBUTES>

/// `typedef enum _GET_FILEEX_INFO_LEVELS { GetFileExInfoStandard, GetFileExMaxInfoLevel } GET_FILEEX_INFO_LEVELS;`
public struct _GET_FILEEX_INFO_LEVELS: Equatable, RawRepresentable {
    public var rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
    public init(rawValue: Int32) { self.rawValue = rawValue }
}
public typealias GET_FILEEX_INFO_LEVELS = _GET_FILEEX_INFO_LEVELS
public var GetFileExInfoStandard: _GET_FILEEX_INFO_LEVELS { _GET_FILEEX_INFO_LEVELS(0) }
public var GetFileExMaxInfoLevel: _GET_FILEEX_INFO_LEVELS { _GET_FILEEX_INFO_LEVELS(1) }

/// `typedef enum _FILE_INFO_BY_HANDLE_CLASS { FileBasicInfo, ... } FILE_INFO_BY_HANDLE_CLASS;`
/// (the enumerators up to the ones used; their values are their positions in the C enum).
public struct _FILE_INFO_BY_HANDLE_CLASS: Equatable, RawRepresentable {
    public var rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
    public init(rawValue: Int32) { self.rawValue = rawValue }
}
public typealias FILE_INFO_BY_HANDLE_CLASS = _FILE_INFO_BY_HANDLE_CLASS
public var FileBasicInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(0) }
public var FileStandardInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(1) }
public var FileNameInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(2) }
public var FileRenameInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(3) }
public var FileDispositionInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(4) }
public var FileAllocationInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(5) }
public var FileEndOfFileInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(6) }
public var FileStreamInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(7) }
public var FileCompressionInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(8) }
public var FileAttributeTagInfo: _FILE_INFO_BY_HANDLE_CLASS { _FILE_INFO_BY_HANDLE_CLASS(9) }

/// `typedef struct _OVERLAPPED { ULONG_PTR Internal; ULONG_PTR InternalHigh; union { struct { DWORD Offset;
/// DWORD OffsetHigh; }; PVOID Pointer; }; HANDLE hEvent; } OVERLAPPED, *LPOVERLAPPED;` — the anonymous
/// union's `Offset`/`OffsetHigh` are reachable directly, as on Windows; `Pointer` shares their bytes
/// there and is not modelled. (Only `nil` is passed for one today.)
public struct _OVERLAPPED {
    public var Internal: ULONG_PTR
    public var InternalHigh: ULONG_PTR
    public var Offset: DWORD
    public var OffsetHigh: DWORD
    public var hEvent: HANDLE!
    public init() { Internal = 0; InternalHigh = 0; Offset = 0; OffsetHigh = 0; hEvent = nil }
}
public typealias OVERLAPPED = _OVERLAPPED
public typealias LPOVERLAPPED = UnsafeMutablePointer<_OVERLAPPED>

// MARK: - fileapi.h

// Creation dispositions (Int32).
public var CREATE_NEW: Int32 { 1 }
public var CREATE_ALWAYS: Int32 { 2 }
public var OPEN_EXISTING: Int32 { 3 }
public var OPEN_ALWAYS: Int32 { 4 }
public var TRUNCATE_EXISTING: Int32 { 5 }

// File types (GetFileType's answers; Int32).
public var FILE_TYPE_UNKNOWN: Int32 { 0x0000 }
public var FILE_TYPE_DISK: Int32 { 0x0001 }
public var FILE_TYPE_CHAR: Int32 { 0x0002 }
public var FILE_TYPE_PIPE: Int32 { 0x0003 }
public var FILE_TYPE_REMOTE: Int32 { 0x8000 }

/// `typedef struct _BY_HANDLE_FILE_INFORMATION { ... } BY_HANDLE_FILE_INFORMATION, *LPBY_HANDLE_FILE_INFORMATION;`
public struct _BY_HANDLE_FILE_INFORMATION {
    public var dwFileAttributes: DWORD
    public var ftCreationTime: FILETIME
    public var ftLastAccessTime: FILETIME
    public var ftLastWriteTime: FILETIME
    public var dwVolumeSerialNumber: DWORD
    public var nFileSizeHigh: DWORD
    public var nFileSizeLow: DWORD
    public var nNumberOfLinks: DWORD
    public var nFileIndexHigh: DWORD
    public var nFileIndexLow: DWORD
    public init() {
        dwFileAttributes = 0; ftCreationTime = FILETIME(); ftLastAccessTime = FILETIME(); ftLastWriteTime = FILETIME()
        dwVolumeSerialNumber = 0; nFileSizeHigh = 0; nFileSizeLow = 0; nNumberOfLinks = 0; nFileIndexHigh = 0; nFileIndexLow = 0
    }
    public init(dwFileAttributes: DWORD, ftCreationTime: FILETIME, ftLastAccessTime: FILETIME, ftLastWriteTime: FILETIME,
                dwVolumeSerialNumber: DWORD, nFileSizeHigh: DWORD, nFileSizeLow: DWORD, nNumberOfLinks: DWORD,
                nFileIndexHigh: DWORD, nFileIndexLow: DWORD) {
        self.dwFileAttributes = dwFileAttributes
        self.ftCreationTime = ftCreationTime
        self.ftLastAccessTime = ftLastAccessTime
        self.ftLastWriteTime = ftLastWriteTime
        self.dwVolumeSerialNumber = dwVolumeSerialNumber
        self.nFileSizeHigh = nFileSizeHigh
        self.nFileSizeLow = nFileSizeLow
        self.nNumberOfLinks = nNumberOfLinks
        self.nFileIndexHigh = nFileIndexHigh
        self.nFileIndexLow = nFileIndexLow
    }
}
public typealias BY_HANDLE_FILE_INFORMATION = _BY_HANDLE_FILE_INFORMATION
public typealias PBY_HANDLE_FILE_INFORMATION = UnsafeMutablePointer<_BY_HANDLE_FILE_INFORMATION>
public typealias LPBY_HANDLE_FILE_INFORMATION = UnsafeMutablePointer<_BY_HANDLE_FILE_INFORMATION>

/// `typedef struct _WIN32_FILE_ATTRIBUTE_DATA { ... } WIN32_FILE_ATTRIBUTE_DATA, *LPWIN32_FILE_ATTRIBUTE_DATA;`
public struct _WIN32_FILE_ATTRIBUTE_DATA {
    public var dwFileAttributes: DWORD
    public var ftCreationTime: FILETIME
    public var ftLastAccessTime: FILETIME
    public var ftLastWriteTime: FILETIME
    public var nFileSizeHigh: DWORD
    public var nFileSizeLow: DWORD
    public init() {
        dwFileAttributes = 0; ftCreationTime = FILETIME(); ftLastAccessTime = FILETIME(); ftLastWriteTime = FILETIME()
        nFileSizeHigh = 0; nFileSizeLow = 0
    }
    public init(dwFileAttributes: DWORD, ftCreationTime: FILETIME, ftLastAccessTime: FILETIME, ftLastWriteTime: FILETIME,
                nFileSizeHigh: DWORD, nFileSizeLow: DWORD) {
        self.dwFileAttributes = dwFileAttributes
        self.ftCreationTime = ftCreationTime
        self.ftLastAccessTime = ftLastAccessTime
        self.ftLastWriteTime = ftLastWriteTime
        self.nFileSizeHigh = nFileSizeHigh
        self.nFileSizeLow = nFileSizeLow
    }
}
public typealias WIN32_FILE_ATTRIBUTE_DATA = _WIN32_FILE_ATTRIBUTE_DATA
public typealias LPWIN32_FILE_ATTRIBUTE_DATA = UnsafeMutablePointer<_WIN32_FILE_ATTRIBUTE_DATA>

/// `HANDLE CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
/// LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
/// DWORD dwFlagsAndAttributes, HANDLE hTemplateFile);` — fails with INVALID_HANDLE_VALUE, not nil.
@discardableResult
public func CreateFileW(_ lpFileName: LPCWSTR!, _ dwDesiredAccess: DWORD, _ dwShareMode: DWORD,
                        _ lpSecurityAttributes: LPSECURITY_ATTRIBUTES!, _ dwCreationDisposition: DWORD,
                        _ dwFlagsAndAttributes: DWORD, _ hTemplateFile: HANDLE!) -> HANDLE! { fatalError() }

/// `BOOL DeleteFileW(LPCWSTR lpFileName);`
@discardableResult
public func DeleteFileW(_ lpFileName: LPCWSTR!) -> Bool { fatalError() }

/// `DWORD GetFileAttributesW(LPCWSTR lpFileName);` — INVALID_FILE_ATTRIBUTES on failure.
@discardableResult
public func GetFileAttributesW(_ lpFileName: LPCWSTR!) -> DWORD { fatalError() }

/// `BOOL GetFileAttributesExW(LPCWSTR lpFileName, GET_FILEEX_INFO_LEVELS fInfoLevelId, LPVOID lpFileInformation);`
@discardableResult
public func GetFileAttributesExW(_ lpFileName: LPCWSTR!, _ fInfoLevelId: GET_FILEEX_INFO_LEVELS,
                                 _ lpFileInformation: LPVOID!) -> Bool { fatalError() }

/// `BOOL GetFileInformationByHandle(HANDLE hFile, LPBY_HANDLE_FILE_INFORMATION lpFileInformation);`
@discardableResult
public func GetFileInformationByHandle(_ hFile: HANDLE!, _ lpFileInformation: LPBY_HANDLE_FILE_INFORMATION!) -> Bool {
    fatalError()
}

/// `DWORD GetFileType(HANDLE hFile);`
@discardableResult
public func GetFileType(_ hFile: HANDLE!) -> DWORD { fatalError() }

/// `BOOL GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize);`
@discardableResult
public func GetFileSizeEx(_ hFile: HANDLE!, _ lpFileSize: PLARGE_INTEGER!) -> Bool { fatalError() }

/// `BOOL ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPDWORD lpNumberOfBytesRead,
/// LPOVERLAPPED lpOverlapped);`
@discardableResult
public func ReadFile(_ hFile: HANDLE!, _ lpBuffer: LPVOID!, _ nNumberOfBytesToRead: DWORD,
                     _ lpNumberOfBytesRead: LPDWORD!, _ lpOverlapped: LPOVERLAPPED!) -> Bool { fatalError() }

/// `BOOL WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite, LPDWORD lpNumberOfBytesWritten,
/// LPOVERLAPPED lpOverlapped);`
@discardableResult
public func WriteFile(_ hFile: HANDLE!, _ lpBuffer: LPCVOID!, _ nNumberOfBytesToWrite: DWORD,
                      _ lpNumberOfBytesWritten: LPDWORD!, _ lpOverlapped: LPOVERLAPPED!) -> Bool { fatalError() }

/// `BOOL SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove, PLARGE_INTEGER lpNewFilePointer,
/// DWORD dwMoveMethod);` — the distance by value.
@discardableResult
public func SetFilePointerEx(_ hFile: HANDLE!, _ liDistanceToMove: LARGE_INTEGER, _ lpNewFilePointer: PLARGE_INTEGER!,
                             _ dwMoveMethod: DWORD) -> Bool { fatalError() }

/// `BOOL FlushFileBuffers(HANDLE hFile);`
@discardableResult
public func FlushFileBuffers(_ hFile: HANDLE!) -> Bool { fatalError() }

/// `DWORD GetFinalPathNameByHandleW(HANDLE hFile, LPWSTR lpszFilePath, DWORD cchFilePath, DWORD dwFlags);`
@discardableResult
public func GetFinalPathNameByHandleW(_ hFile: HANDLE!, _ lpszFilePath: LPWSTR!, _ cchFilePath: DWORD,
                                      _ dwFlags: DWORD) -> DWORD { fatalError() }

// MARK: - winbase.h

// CreateFileW flags. `FILE_FLAG_WRITE_THROUGH` is `0x80000000`, too big for `int`: UInt32.
public var FILE_FLAG_WRITE_THROUGH: UInt32 { 0x8000_0000 }
public var FILE_FLAG_OVERLAPPED: Int32 { 0x4000_0000 }
public var FILE_FLAG_DELETE_ON_CLOSE: Int32 { 0x0400_0000 }
public var FILE_FLAG_BACKUP_SEMANTICS: Int32 { 0x0200_0000 }
public var FILE_FLAG_OPEN_REPARSE_POINT: Int32 { 0x0020_0000 }

// SetFilePointerEx move methods (`#define FILE_BEGIN 0` ...: Int32).
public var FILE_BEGIN: Int32 { 0 }
public var FILE_CURRENT: Int32 { 1 }
public var FILE_END: Int32 { 2 }

// FormatMessageW flags (Int32).
public var FORMAT_MESSAGE_ALLOCATE_BUFFER: Int32 { 0x0000_0100 }
public var FORMAT_MESSAGE_IGNORE_INSERTS: Int32 { 0x0000_0200 }
public var FORMAT_MESSAGE_FROM_SYSTEM: Int32 { 0x0000_1000 }

/// `DWORD FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
/// LPWSTR lpBuffer, DWORD nSize, va_list *Arguments);` — `va_list` (`char *` on Windows) is
/// mapped to `CVaListPointer`, so `Arguments` is a pointer to one.
@discardableResult
public func FormatMessageW(_ dwFlags: DWORD, _ lpSource: LPCVOID!, _ dwMessageId: DWORD, _ dwLanguageId: DWORD,
                           _ lpBuffer: LPWSTR!, _ nSize: DWORD,
                           _ Arguments: UnsafeMutablePointer<CVaListPointer>!) -> DWORD { fatalError() }

// MoveFileExW flags (Int32).
public var MOVEFILE_REPLACE_EXISTING: Int32 { 0x0000_0001 }
public var MOVEFILE_COPY_ALLOWED: Int32 { 0x0000_0002 }
public var MOVEFILE_WRITE_THROUGH: Int32 { 0x0000_0008 }

// CreateProcessW creation flags (Int32).
public var CREATE_NEW_PROCESS_GROUP: Int32 { 0x0000_0200 }
public var CREATE_UNICODE_ENVIRONMENT: Int32 { 0x0000_0400 }
public var CREATE_NO_WINDOW: Int32 { 0x0800_0000 }

/// `BOOL MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags);`
@discardableResult
public func MoveFileExW(_ lpExistingFileName: LPCWSTR!, _ lpNewFileName: LPCWSTR!, _ dwFlags: DWORD) -> Bool {
    fatalError()
}

/// `typedef struct _FILE_ATTRIBUTE_TAG_INFO { DWORD FileAttributes; DWORD ReparseTag; } FILE_ATTRIBUTE_TAG_INFO;`
public struct _FILE_ATTRIBUTE_TAG_INFO {
    public var FileAttributes: DWORD
    public var ReparseTag: DWORD
    public init() { FileAttributes = 0; ReparseTag = 0 }
    public init(FileAttributes: DWORD, ReparseTag: DWORD) {
        self.FileAttributes = FileAttributes
        self.ReparseTag = ReparseTag
    }
}
public typealias FILE_ATTRIBUTE_TAG_INFO = _FILE_ATTRIBUTE_TAG_INFO
public typealias PFILE_ATTRIBUTE_TAG_INFO = UnsafeMutablePointer<_FILE_ATTRIBUTE_TAG_INFO>

/// `BOOL GetFileInformationByHandleEx(HANDLE hFile, FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
/// LPVOID lpFileInformation, DWORD dwBufferSize);`
@discardableResult
public func GetFileInformationByHandleEx(_ hFile: HANDLE!, _ FileInformationClass: FILE_INFO_BY_HANDLE_CLASS,
                                         _ lpFileInformation: LPVOID!, _ dwBufferSize: DWORD) -> Bool { fatalError() }

// MARK: - processthreadsapi.h

/// `typedef struct _STARTUPINFOW { ... } STARTUPINFOW, *LPSTARTUPINFOW;`
public struct _STARTUPINFOW {
    public var cb: DWORD
    public var lpReserved: LPWSTR!
    public var lpDesktop: LPWSTR!
    public var lpTitle: LPWSTR!
    public var dwX: DWORD
    public var dwY: DWORD
    public var dwXSize: DWORD
    public var dwYSize: DWORD
    public var dwXCountChars: DWORD
    public var dwYCountChars: DWORD
    public var dwFillAttribute: DWORD
    public var dwFlags: DWORD
    public var wShowWindow: WORD
    public var cbReserved2: WORD
    public var lpReserved2: LPBYTE!
    public var hStdInput: HANDLE!
    public var hStdOutput: HANDLE!
    public var hStdError: HANDLE!
    public init() {
        cb = 0; lpReserved = nil; lpDesktop = nil; lpTitle = nil; dwX = 0; dwY = 0; dwXSize = 0; dwYSize = 0
        dwXCountChars = 0; dwYCountChars = 0; dwFillAttribute = 0; dwFlags = 0; wShowWindow = 0; cbReserved2 = 0
        lpReserved2 = nil; hStdInput = nil; hStdOutput = nil; hStdError = nil
    }
    public init(cb: DWORD, lpReserved: LPWSTR!, lpDesktop: LPWSTR!, lpTitle: LPWSTR!, dwX: DWORD, dwY: DWORD,
                dwXSize: DWORD, dwYSize: DWORD, dwXCountChars: DWORD, dwYCountChars: DWORD, dwFillAttribute: DWORD,
                dwFlags: DWORD, wShowWindow: WORD, cbReserved2: WORD, lpReserved2: LPBYTE!, hStdInput: HANDLE!,
                hStdOutput: HANDLE!, hStdError: HANDLE!) {
        self.cb = cb; self.lpReserved = lpReserved; self.lpDesktop = lpDesktop; self.lpTitle = lpTitle
        self.dwX = dwX; self.dwY = dwY; self.dwXSize = dwXSize; self.dwYSize = dwYSize
        self.dwXCountChars = dwXCountChars; self.dwYCountChars = dwYCountChars; self.dwFillAttribute = dwFillAttribute
        self.dwFlags = dwFlags; self.wShowWindow = wShowWindow; self.cbReserved2 = cbReserved2
        self.lpReserved2 = lpReserved2; self.hStdInput = hStdInput; self.hStdOutput = hStdOutput; self.hStdError = hStdError
    }
}
public typealias STARTUPINFOW = _STARTUPINFOW
public typealias LPSTARTUPINFOW = UnsafeMutablePointer<_STARTUPINFOW>

/// `typedef struct _PROCESS_INFORMATION { HANDLE hProcess; HANDLE hThread; DWORD dwProcessId; DWORD dwThreadId; } ...;`
public struct _PROCESS_INFORMATION {
    public var hProcess: HANDLE!
    public var hThread: HANDLE!
    public var dwProcessId: DWORD
    public var dwThreadId: DWORD
    public init() { hProcess = nil; hThread = nil; dwProcessId = 0; dwThreadId = 0 }
    public init(hProcess: HANDLE!, hThread: HANDLE!, dwProcessId: DWORD, dwThreadId: DWORD) {
        self.hProcess = hProcess
        self.hThread = hThread
        self.dwProcessId = dwProcessId
        self.dwThreadId = dwThreadId
    }
}
public typealias PROCESS_INFORMATION = _PROCESS_INFORMATION
public typealias LPPROCESS_INFORMATION = UnsafeMutablePointer<_PROCESS_INFORMATION>

/// `DWORD GetCurrentProcessId(void);`
@discardableResult
public func GetCurrentProcessId() -> DWORD { fatalError() }

/// `HANDLE OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId);` — nil on failure.
@discardableResult
public func OpenProcess(_ dwDesiredAccess: DWORD, _ bInheritHandle: Bool, _ dwProcessId: DWORD) -> HANDLE! { fatalError() }

/// `BOOL TerminateProcess(HANDLE hProcess, UINT uExitCode);`
@discardableResult
public func TerminateProcess(_ hProcess: HANDLE!, _ uExitCode: UINT) -> Bool { fatalError() }

/// `BOOL GetExitCodeProcess(HANDLE hProcess, LPDWORD lpExitCode);`
@discardableResult
public func GetExitCodeProcess(_ hProcess: HANDLE!, _ lpExitCode: LPDWORD!) -> Bool { fatalError() }

/// `BOOL CreateProcessW(LPCWSTR lpApplicationName, LPWSTR lpCommandLine,
/// LPSECURITY_ATTRIBUTES lpProcessAttributes, LPSECURITY_ATTRIBUTES lpThreadAttributes,
/// BOOL bInheritHandles, DWORD dwCreationFlags, LPVOID lpEnvironment, LPCWSTR lpCurrentDirectory,
/// LPSTARTUPINFOW lpStartupInfo, LPPROCESS_INFORMATION lpProcessInformation);`
@discardableResult
public func CreateProcessW(_ lpApplicationName: LPCWSTR!, _ lpCommandLine: LPWSTR!,
                           _ lpProcessAttributes: LPSECURITY_ATTRIBUTES!, _ lpThreadAttributes: LPSECURITY_ATTRIBUTES!,
                           _ bInheritHandles: Bool, _ dwCreationFlags: DWORD, _ lpEnvironment: LPVOID!,
                           _ lpCurrentDirectory: LPCWSTR!, _ lpStartupInfo: LPSTARTUPINFOW!,
                           _ lpProcessInformation: LPPROCESS_INFORMATION!) -> Bool { fatalError() }

// MARK: - synchapi.h

/// `DWORD WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);`
@discardableResult
public func WaitForSingleObject(_ hHandle: HANDLE!, _ dwMilliseconds: DWORD) -> DWORD { fatalError() }

/// `void Sleep(DWORD dwMilliseconds);`
public func Sleep(_ dwMilliseconds: DWORD) { fatalError() }

// MARK: - consoleapi.h / wincon.h

/// `typedef BOOL (WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);` — a function-pointer type, so its
/// `BOOL` stays `WindowsBool`.
public typealias PHANDLER_ROUTINE = @convention(c) (DWORD) -> WindowsBool

/// `BOOL SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);`
@discardableResult
public func SetConsoleCtrlHandler(_ HandlerRoutine: PHANDLER_ROUTINE!, _ Add: Bool) -> Bool { fatalError() }

/// `UINT GetConsoleOutputCP(void);`
@discardableResult
public func GetConsoleOutputCP() -> UINT { fatalError() }

/// `UINT GetConsoleCP(void);`
@discardableResult
public func GetConsoleCP() -> UINT { fatalError() }

/// `HANDLE GetStdHandle(DWORD nStdHandle);` (processenv.h)
@discardableResult
public func GetStdHandle(_ nStdHandle: DWORD) -> HANDLE! { fatalError() }

/// `BOOL GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode);`
@discardableResult
public func GetConsoleMode(_ hConsoleHandle: HANDLE!, _ lpMode: LPDWORD!) -> Bool { fatalError() }

/// `BOOL SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);`
@discardableResult
public func SetConsoleMode(_ hConsoleHandle: HANDLE!, _ dwMode: DWORD) -> Bool { fatalError() }

/// `DWORD GetConsoleProcessList(LPDWORD lpdwProcessList, DWORD dwProcessCount);`
@discardableResult
public func GetConsoleProcessList(_ lpdwProcessList: LPDWORD!, _ dwProcessCount: DWORD) -> DWORD { fatalError() }

/// Console output modes (consoleapi.h, `0x0004`: Int32).
public var ENABLE_VIRTUAL_TERMINAL_PROCESSING: Int32 { 0x0004 }

// Console control events (wincon.h; Int32).
public var CTRL_C_EVENT: Int32 { 0 }
public var CTRL_BREAK_EVENT: Int32 { 1 }
public var CTRL_CLOSE_EVENT: Int32 { 2 }
public var CTRL_LOGOFF_EVENT: Int32 { 5 }
public var CTRL_SHUTDOWN_EVENT: Int32 { 6 }

// MARK: - winnls.h / stringapiset.h

/// `#define CP_ACP 0`, `#define CP_OEMCP 1`, `#define CP_UTF8 65001` (Int32).
public var CP_ACP: Int32 { 0 }
public var CP_OEMCP: Int32 { 1 }
public var CP_UTF8: Int32 { 65001 }

/// `UINT GetOEMCP(void);`
@discardableResult
public func GetOEMCP() -> UINT { fatalError() }

/// `UINT GetACP(void);`
@discardableResult
public func GetACP() -> UINT { fatalError() }

/// `int MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCCH lpMultiByteStr, int cbMultiByte,
/// LPWSTR lpWideCharStr, int cchWideChar);`
@discardableResult
public func MultiByteToWideChar(_ CodePage: UINT, _ dwFlags: DWORD, _ lpMultiByteStr: LPCCH!, _ cbMultiByte: Int32,
                                _ lpWideCharStr: LPWSTR!, _ cchWideChar: Int32) -> Int32 { fatalError() }

/// `int WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWCH lpWideCharStr, int cchWideChar,
/// LPSTR lpMultiByteStr, int cbMultiByte, LPCCH lpDefaultChar, LPBOOL lpUsedDefaultChar);`
@discardableResult
public func WideCharToMultiByte(_ CodePage: UINT, _ dwFlags: DWORD, _ lpWideCharStr: LPCWCH!, _ cchWideChar: Int32,
                                _ lpMultiByteStr: LPSTR!, _ cbMultiByte: Int32, _ lpDefaultChar: LPCCH!,
                                _ lpUsedDefaultChar: LPBOOL!) -> Int32 { fatalError() }
