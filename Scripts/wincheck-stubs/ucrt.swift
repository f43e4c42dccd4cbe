// Stand-in for Swift for Windows' `ucrt` module (the Universal C Runtime: <io.h>, <fcntl.h>,
// <share.h>, <sys/stat.h>, <errno.h>, ...), for `Scripts/wincheck` only.
//
// Each declaration has the Swift signature that Swift for Windows' Clang importer gives
// Microsoft's C declaration: `int` is Int32, `unsigned int` UInt32, `intptr_t` Int, `wchar_t`
// UInt16, an unannotated pointer parameter `T!`, an integer-literal macro a get-only Int32 var.
// It is compiled into a scratch folder on each run and used for a type check on Linux; it is
// never linked and no body ever runs (every body is `fatalError()`).
//
// What is NOT declared here on purpose: what the C runtime has under the same name as Glibc,
// which `import Foundation` already brings in on Linux (`errno`, `EINTR`, `ENOENT`, `EACCES`,
// `EBADF`, `ENOSPC`, `EFBIG`, `EINVAL`, `strerror`, `setlocale`, `intptr_t`, ...). Declaring them
// again would make every use ambiguous. On Windows `ucrt` provides them; here Glibc does.
// The few of those whose type differs between the two (`wchar_t` UInt16 in ucrt, `time_t` Int64,
// `off_t` Int32, and the standard library's `CLong`, `CWideChar`, ...) are in
// windows-c-types.swift, which the script compiles into the checked module itself, where they
// shadow Glibc's. The prototypes below spell those types out (UInt16 for `wchar_t`, Int64 for
// `__int64`).
//
// A name that only Glibc has (`EDQUOT`, `fsync`, `getpid`, `O_NOFOLLOW`, ...) still resolves
// here; `Scripts/wincheck` lists every Glibc declaration the checked code refers to and fails
// on one that is not in its list of names ucrt also has (UCRT_ALSO_HAS).

// MARK: - corecrt.h

/// `typedef int errno_t;`
public typealias errno_t = Int32

// MARK: - io.h (low-level I/O on C-runtime descriptors)

/// `errno_t _wsopen_s(int *_FileHandle, wchar_t const *_FileName, int _OpenFlag, int _ShareFlag, int _PermissionFlag);`
@discardableResult
public func _wsopen_s(_ _FileHandle: UnsafeMutablePointer<Int32>!, _ _FileName: UnsafePointer<UInt16>!,
                      _ _OpenFlag: Int32, _ _ShareFlag: Int32, _ _PermissionFlag: Int32) -> errno_t { fatalError() }

// (`_wopen` is variadic in C; Swift imports no variadic C function, so it is absent on Windows
// too: `_wsopen_s` is the one to call.)

/// `int _write(int _FileHandle, void const *_Buf, unsigned int _MaxCharCount);`
@discardableResult
public func _write(_ _FileHandle: Int32, _ _Buf: UnsafeRawPointer!, _ _MaxCharCount: UInt32) -> Int32 { fatalError() }

/// `int _read(int _FileHandle, void *_DstBuf, unsigned int _MaxCharCount);`
@discardableResult
public func _read(_ _FileHandle: Int32, _ _DstBuf: UnsafeMutableRawPointer!, _ _MaxCharCount: UInt32) -> Int32 { fatalError() }

/// `int _commit(int _FileHandle);`
@discardableResult
public func _commit(_ _FileHandle: Int32) -> Int32 { fatalError() }

/// `int _close(int _FileHandle);`
@discardableResult
public func _close(_ _FileHandle: Int32) -> Int32 { fatalError() }

/// `int _isatty(int _FileHandle);`
@discardableResult
public func _isatty(_ _FileHandle: Int32) -> Int32 { fatalError() }

/// `int _dup(int _FileHandle);`
@discardableResult
public func _dup(_ _FileHandle: Int32) -> Int32 { fatalError() }

/// `__int64 _lseeki64(int _FileHandle, __int64 _Offset, int _Origin);`
@discardableResult
public func _lseeki64(_ _FileHandle: Int32, _ _Offset: Int64, _ _Origin: Int32) -> Int64 { fatalError() }

/// `errno_t _chsize_s(int _FileHandle, __int64 _Size);`
@discardableResult
public func _chsize_s(_ _FileHandle: Int32, _ _Size: Int64) -> errno_t { fatalError() }

/// `intptr_t _get_osfhandle(int _FileHandle);`
@discardableResult
public func _get_osfhandle(_ _FileHandle: Int32) -> Int { fatalError() }

/// `int _open_osfhandle(intptr_t _OSFileHandle, int _Flags);`
@discardableResult
public func _open_osfhandle(_ _OSFileHandle: Int, _ _Flags: Int32) -> Int32 { fatalError() }

/// `int _wunlink(wchar_t const *_FileName);`
@discardableResult
public func _wunlink(_ _FileName: UnsafePointer<UInt16>!) -> Int32 { fatalError() }

// MARK: - process.h

/// `int _getpid(void);`
@discardableResult
public func _getpid() -> Int32 { fatalError() }

// MARK: - fcntl.h (open flags: plain integer literals, so Int32)

public var _O_RDONLY: Int32 { 0x0000 }
public var _O_WRONLY: Int32 { 0x0001 }
public var _O_RDWR: Int32 { 0x0002 }
public var _O_APPEND: Int32 { 0x0008 }
public var _O_CREAT: Int32 { 0x0100 }
public var _O_TRUNC: Int32 { 0x0200 }
public var _O_EXCL: Int32 { 0x0400 }
public var _O_TEXT: Int32 { 0x4000 }
public var _O_BINARY: Int32 { 0x8000 }
public var _O_NOINHERIT: Int32 { 0x0080 }
public var _O_TEMPORARY: Int32 { 0x0040 }
public var _O_SHORT_LIVED: Int32 { 0x1000 }
public var _O_SEQUENTIAL: Int32 { 0x0020 }
public var _O_RANDOM: Int32 { 0x0010 }

// MARK: - share.h (sharing modes for _wsopen_s: Int32)

public var _SH_DENYRW: Int32 { 0x10 }
public var _SH_DENYWR: Int32 { 0x20 }
public var _SH_DENYRD: Int32 { 0x30 }
public var _SH_DENYNO: Int32 { 0x40 }

// MARK: - sys/stat.h (permission and file-type bits: Int32; the underscore-less S_I* are Glibc's here)

public var _S_IFMT: Int32 { 0xF000 }
public var _S_IFDIR: Int32 { 0x4000 }
public var _S_IFCHR: Int32 { 0x2000 }
public var _S_IFIFO: Int32 { 0x1000 }
public var _S_IFREG: Int32 { 0x8000 }
public var _S_IREAD: Int32 { 0x0100 }
public var _S_IWRITE: Int32 { 0x0080 }
public var _S_IEXEC: Int32 { 0x0040 }
