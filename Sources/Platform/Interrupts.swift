import Foundation
#if os(Windows)
import WinSDK
#endif

/// The ways a process is asked to stop.
public enum InterruptSignal: Int32, Sendable, CaseIterable {
    /// Ctrl-C (SIGINT).
    case interrupt = 2
    /// A kill, or the console closing on Windows (SIGTERM).
    case terminate = 15
    /// The terminal hanging up (SIGHUP; never on Windows).
    case hangUp = 1

    /// The signal's number (what an exit status 128 + N names).
    public var number: Int32 { rawValue }
}

/// Calls a handler when the process is asked to stop: SIGINT, SIGTERM or SIGHUP on POSIX
/// systems (their default action is suspended meanwhile), Ctrl-C, Ctrl-Break (as `interrupt`)
/// or the console closing (as `terminate`) on Windows. `release()` restores the defaults.
public final class InterruptWatch: @unchecked Sendable {
    // `@unchecked Sendable`: `sources` is written in `init` and `release` only, by the owner.
    #if os(Windows)
    /// The watch's handler, given the signal and whether to wait until it has run.
    nonisolated(unsafe) fileprivate static var handler: (@Sendable (InterruptSignal, _ wait: Bool) -> Bool)?
    #else
    private var sources: [DispatchSourceSignal] = []
    private var numbers: [Int32] = []
    #endif

    /// Starts watching `signals`; `handler` runs on `queue` with the signal received.
    public init(_ signals: [InterruptSignal] = InterruptSignal.allCases, queue: DispatchQueue = .global(),
                _ handler: @escaping @Sendable (InterruptSignal) -> Void) {
        #if os(Windows)
        let watched = Set(signals)
        Self.handler = { signal, wait in
            guard watched.contains(signal) else { return false }
            let done = DispatchSemaphore(value: 0)
            queue.async { handler(signal); done.signal() }
            // Windows ends the process as soon as a console-closing handler returns (and at
            // the latest 5 s after the event): the cleanup runs before, not after.
            if wait { _ = done.wait(timeout: .now() + 4) }
            return true
        }
        SetConsoleCtrlHandler(consoleControl, true)
        #else
        for signal in signals {
            Foundation.signal(signal.number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal.number, queue: queue)
            source.setEventHandler { handler(signal) }
            source.resume()
            sources.append(source)
            numbers.append(signal.number)
        }
        #endif
    }

    /// Stops watching and restores the default actions.
    public func release() {
        #if os(Windows)
        // The same function, to remove it: `(nil, false)` would only restore Ctrl-C for this
        // process and leave the handler in place, swallowing every later Ctrl-C.
        SetConsoleCtrlHandler(consoleControl, false)
        Self.handler = nil
        #else
        for source in sources { source.cancel() }
        sources = []
        for number in numbers { signal(number, SIG_DFL) }
        #endif
    }
}

#if os(Windows)
/// The console control handler: one C function, so that `release()` can remove what `init`
/// added. Ctrl-C and Ctrl-Break are `interrupt`, the console closing, logoff and shutdown
/// `terminate` (waited for: see `init`); with no watch, or one not watching that signal, it
/// declines, and the next handler (the default: exit) runs.
private func consoleControl(_ event: DWORD) -> WindowsBool {
    guard let handler = InterruptWatch.handler else { return false }
    let isInterrupt = event == DWORD(CTRL_C_EVENT) || event == DWORD(CTRL_BREAK_EVENT)
    return WindowsBool(handler(isInterrupt ? .interrupt : .terminate, !isInterrupt))
}
#endif
