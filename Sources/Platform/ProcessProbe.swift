import Foundation
#if os(Windows)
import WinSDK
#endif

/// Whether another process is still there (a stale file's writer).
public enum ProcessProbe {
    /// True when a process with this id exists (it may belong to another user); false when
    /// none does. A reused id answers true: callers also look at the file's age.
    public static func isRunning(_ id: Int) -> Bool {
        guard id > 0, id <= Int(Int32.max) else { return false }
        #if os(Windows)
        guard let handle = OpenProcess(DWORD(SYNCHRONIZE), false, DWORD(id)) else {
            return GetLastError() == DWORD(ERROR_ACCESS_DENIED)
        }
        defer { CloseHandle(handle) }
        // Not GetExitCodeProcess: a process that exited with 259 would read as STILL_ACTIVE.
        return WaitForSingleObject(handle, 0) == DWORD(WAIT_TIMEOUT)
        #else
        return kill(pid_t(id), 0) == 0 || errno == EPERM
        #endif
    }

    /// Makes a write past `RLIMIT_FSIZE` fail with `EFBIG` instead of killing the process
    /// (`SIGXFSZ`), so that a file-size limit is reported like a full disk.
    public static func reportFileSizeLimitAsError() {
        #if !os(Windows)
        signal(SIGXFSZ, SIG_IGN)
        #endif
    }
}
