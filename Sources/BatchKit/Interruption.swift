import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a call on a queue, so the batch can stop between two lines and
/// put what is complete into place instead of dying mid-write.
///
/// While installed, the signals' default action is off; `uninstall()` restores it. Only the
/// first signal counts (a second Ctrl-C while the outputs are being renamed changes nothing).
final class Interruption: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32?

    /// Starts watching; `onSignal` runs once, on a private queue, with the signal's number.
    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "loganalyze.batch.signals")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self, self.record(number) else { return }
                onSignal(number)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal received, if any.
    var signalReceived: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Stops watching and restores the default actions.
    func uninstall() {
        for source in sources { source.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    private func record(_ number: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard received == nil else { return false }
        received = number
        return true
    }
}
