/// Platform: the one place that calls the operating system directly.
///
/// Everything POSIX-only that CollectKit, BatchKit and the commands need — file status,
/// links, descriptors, renames, signals, terminals, child processes, code pages — is here,
/// each with a `#if os(Windows)` branch, so that a Windows build has one module to look at
/// (`docs/windows.md`). It depends on Foundation alone; callers get Swift values and errors,
/// never a descriptor or a C struct. Reading a file is here once (`ReadOnlyFile`, its errors a
/// `SystemError`), and so is the one hand-off of chunks between two threads (`ChunkPipe`) that
/// the collector and the analyser share.
import Foundation
#if os(Windows)
import ucrt
import WinSDK
#endif

/// A failed system call, with the system's own words.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    /// The error number (`errno`, or `GetLastError()` on Windows).
    public let code: Int32
    /// The system's message for it.
    public let message: String

    /// The error the last failed call left (`errno`).
    public static func last() -> SystemError {
        let code = errno
        return SystemError(code: code, message: text(code))
    }

    /// The system's message for an error number.
    public static func text(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Whether it means the disk, the quota or the file-size limit is exhausted.
    public var isOutOfSpace: Bool {
        #if os(Windows)
        // The C runtime's numbers, and Windows' own: ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL.
        code == ENOSPC || code == EFBIG || code == 112 || code == 39
        #else
        code == ENOSPC || code == EDQUOT || code == EFBIG
        #endif
    }

    public var description: String { message }
}

/// Facts about this process.
public enum CurrentProcess {
    /// This process's id (in partial file names).
    public static var id: Int {
        #if os(Windows)
        Int(GetCurrentProcessId())
        #else
        Int(getpid())
        #endif
    }

    /// True when standard error is a terminal (progress is shown then).
    public static var standardErrorIsTerminal: Bool {
        #if os(Windows)
        _isatty(2) != 0
        #else
        isatty(STDERR_FILENO) == 1
        #endif
    }

    /// True when this process is the only one in its console: Windows made the console for it
    /// (started from Explorer, by a double-click) and closes it, with everything printed,
    /// the moment this process ends. Never elsewhere.
    public static var isAloneInItsConsole: Bool {
        #if os(Windows)
        var processes: [DWORD] = [0, 0]
        return GetConsoleProcessList(&processes, DWORD(processes.count)) == 1
        #else
        false
        #endif
    }

    /// True when standard output is a terminal.
    public static var standardOutputIsTerminal: Bool {
        #if os(Windows)
        _isatty(1) != 0
        #else
        isatty(STDOUT_FILENO) == 1
        #endif
    }

    /// True when standard output is a terminal that shows ANSI escape sequences (colour is used
    /// then). On Windows, a console whose virtual-terminal processing is on, or could be switched
    /// on now (the classic console shows the escapes as text otherwise); `NUL`, a character
    /// device but no console, is not one.
    public static var standardOutputShowsEscapes: Bool {
        #if os(Windows)
        standardOutputIsTerminal && consoleShowsEscapes(STD_OUTPUT_HANDLE)
        #else
        standardOutputIsTerminal
        #endif
    }

    /// True when standard error is a terminal that shows ANSI escape sequences (a progress line
    /// redrawn in place); on Windows as `standardOutputShowsEscapes`.
    public static var standardErrorShowsEscapes: Bool {
        #if os(Windows)
        standardErrorIsTerminal && consoleShowsEscapes(STD_ERROR_HANDLE)
        #else
        standardErrorIsTerminal
        #endif
    }

    #if os(Windows)
    /// Switches virtual-terminal processing on for the console behind `stream`
    /// (`STD_OUTPUT_HANDLE`, `STD_ERROR_HANDLE`); false when it is no console or cannot.
    private static func consoleShowsEscapes(_ stream: DWORD) -> Bool {
        guard let console = GetStdHandle(stream), console != INVALID_HANDLE_VALUE else { return false }
        var mode: DWORD = 0
        guard GetConsoleMode(console, &mode) else { return false }
        let escapes = DWORD(ENABLE_VIRTUAL_TERMINAL_PROCESSING)
        return mode & escapes != 0 || SetConsoleMode(console, mode | escapes)
    }
    #endif
}

/// The user's own folders.
public enum UserFolders {
    /// The Desktop of the user running this, to put a file where they will see it: on Windows
    /// the shell's Desktop folder (`SHGetKnownFolderPath`, through Foundation), which OneDrive's
    /// folder backup moves to `%USERPROFILE%\OneDrive\Desktop`, when it is there; else
    /// `profile`'s `Desktop` (the folder the user profile `profile` starts with).
    public static func desktop(profile: String) -> URL {
        #if os(Windows)
        if let shell = FileManager.default.urls(for: .desktopDirectory, in: .userDomainMask).first,
           FileSystem.isDirectory(shell.path) {
            return shell
        }
        #endif
        return URL(fileURLWithPath: profile).appendingPathComponent("Desktop")
    }
}
