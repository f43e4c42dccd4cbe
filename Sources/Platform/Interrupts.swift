import Foundation
#if os(Windows)
import WinSDK
#endif

/// Calls a handler when the process is asked to stop: SIGINT, SIGTERM or SIGHUP on POSIX
/// systems (their default action is suspended meanwhile), Ctrl-C, Ctrl-Break or the console
/// closing on Windows. `release()` restores the defaults.
public final class InterruptWatch: @unchecked Sendable {
    // `@unchecked Sendable`: `sources` is written in `init` and `release` only, by the owner.
    #if os(Windows)
    nonisolated(unsafe) private static var handler: (@Sendable () -> Void)?
    #else
    private var sources: [DispatchSourceSignal] = []
    private static let signals = [SIGINT, SIGTERM, SIGHUP]
    #endif

    /// Starts watching; `handler` runs on a background thread.
    public init(_ handler: @escaping @Sendable () -> Void) {
        #if os(Windows)
        Self.handler = handler
        SetConsoleCtrlHandler({ _ in
            InterruptWatch.handler?()
            return true
        }, true)
        #else
        for number in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
        #endif
    }

    /// Stops watching and restores the default actions.
    public func release() {
        #if os(Windows)
        SetConsoleCtrlHandler(nil, false)
        Self.handler = nil
        #else
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
        #endif
    }
}
