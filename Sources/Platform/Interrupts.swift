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
/// or the console closing (as `terminate`) on Windows. `release()` restores the defaults once
/// no other watch watches that signal. Several watches may be alive at once; each gets the signal.
public final class InterruptWatch: @unchecked Sendable {
    // `@unchecked Sendable`: the instance's properties are written in `init` and `release` only,
    // by the owner; the registry below is guarded by `registryLock`.
    private let signals: [InterruptSignal]
    private var released = false
    #if os(Windows)
    private let handler: @Sendable (InterruptSignal) -> Void
    private let queue: DispatchQueue
    #else
    private var sources: [DispatchSourceSignal] = []
    #endif

    /// The watches alive: on Windows the one console handler hands each event to those watching
    /// it; on POSIX systems a signal's default action comes back when none of them watches it.
    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var alive: [ObjectIdentifier: InterruptWatch] = [:]

    /// Starts watching `signals`; `handler` runs on `queue` with the signal received.
    public init(_ signals: [InterruptSignal] = InterruptSignal.allCases, queue: DispatchQueue = .global(),
                _ handler: @escaping @Sendable (InterruptSignal) -> Void) {
        self.signals = signals
        #if os(Windows)
        self.handler = handler
        self.queue = queue
        let first = Self.registryLock.withLock {
            defer { Self.alive[ObjectIdentifier(self)] = self }
            return Self.alive.isEmpty
        }
        if first { SetConsoleCtrlHandler(consoleControl, true) }
        #else
        Self.registryLock.withLock { Self.alive[ObjectIdentifier(self)] = self }
        for signal in signals {
            Foundation.signal(signal.number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal.number, queue: queue)
            source.setEventHandler { handler(signal) }
            source.resume()
            sources.append(source)
        }
        #endif
    }

    /// Stops watching, and restores the default action of each signal no other watch watches.
    public func release() {
        guard !released else { return }
        released = true
        let others = Self.registryLock.withLock {
            Self.alive[ObjectIdentifier(self)] = nil
            return Array(Self.alive.values)
        }
        #if os(Windows)
        // The same function, to remove it: `(nil, false)` would only restore Ctrl-C for this
        // process and leave the handler in place, swallowing every later Ctrl-C.
        if others.isEmpty { SetConsoleCtrlHandler(consoleControl, false) }
        #else
        for source in sources { source.cancel() }
        sources = []
        let stillWatched = Set(others.flatMap(\.signals))
        for signal in signals where !stillWatched.contains(signal) { Foundation.signal(signal.number, SIG_DFL) }
        #endif
    }

    #if os(Windows)
    /// Hands `signal` to every watch watching it, each on its queue; false when none does.
    /// With `wait`, returns when they have all run, or after 4 s: Windows ends the process as
    /// soon as a console-closing handler returns (and at the latest 5 s after the event), so the
    /// cleanup runs before, not after.
    fileprivate static func deliver(_ signal: InterruptSignal, wait: Bool) -> Bool {
        let watching = registryLock.withLock { alive.values.filter { $0.signals.contains(signal) } }
        guard !watching.isEmpty else { return false }
        let group = DispatchGroup()
        for watch in watching { watch.queue.async(group: group) { watch.handler(signal) } }
        if wait { _ = group.wait(timeout: .now() + 4) }
        return true
    }
    #endif
}

#if os(Windows)
/// The console control handler: one C function for every watch, so that `release()` can
/// remove what `init` added. Ctrl-C and Ctrl-Break are `interrupt`, the console closing, logoff
/// and shutdown `terminate` (waited for: see `deliver`); with no watch watching that signal it
/// declines, and the next handler (the default: exit) runs.
private func consoleControl(_ event: DWORD) -> WindowsBool {
    let isInterrupt = event == DWORD(CTRL_C_EVENT) || event == DWORD(CTRL_BREAK_EVENT)
    return WindowsBool(InterruptWatch.deliver(isInterrupt ? .interrupt : .terminate, wait: !isInterrupt))
}
#endif
