// Compiled INTO each module that `Scripts/wincheck` checks (it is not a module of its own; the
// lower-case name says so): the C type names whose Swift type on Windows differs from Linux's.
// Windows is LLP64 (`long` is 32 bits) and its C runtime is ucrt, not Glibc. A module's own
// declarations shadow the ones it imports (the standard library's, Glibc's), so in the checked
// code `CLong(x)`, `time_t(x)` or `UnsafePointer<wchar_t>` mean what they mean on Windows, and
// the C headers `Scripts/wincheck` rewrites for the ArchiveKit, XMLKit and SQLiteKit checks
// (libarchive, zlib, libdeflate, libxml2, sqlite3.h) use the same widths.
// Never linked; only for the type check.

/// `long`: 32 bits on Windows (Int on 64-bit Linux).
public typealias CLong = Int32
/// `unsigned long`: 32 bits on Windows.
public typealias CUnsignedLong = UInt32
/// `wchar_t`: a UTF-16 unit on Windows (a 32-bit Unicode.Scalar on Linux).
public typealias CWideChar = UInt16
/// `long double` is `double` in Microsoft's C.
public typealias CLongDouble = Double
/// ucrt's `wchar_t`: `unsigned short` (Glibc's is Int32).
public typealias wchar_t = UInt16
/// ucrt's `time_t`: `__time64_t`, Int64 (Glibc's is Int).
public typealias time_t = Int64
/// ucrt's `off_t`: `_off_t`, a `long`, so Int32 (Glibc's is Int64).
public typealias off_t = Int32
