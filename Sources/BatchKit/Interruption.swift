import Dispatch
import Foundation
import Platform

/// Turns SIGINT and SIGTERM into a call on a queue, so the batch can stop between two lines and
/// put what is complete into place instead of dying mid-write.
///
/// While installed, the signals' default action is off; `uninstall()` restores it. Only the
/// first signal counts (a second Ctrl-C while the outputs are being renamed changes nothing).
final class Interruption: @unchecked Sendable {
    // `@unchecked Sendable`: `received` is guarded by `lock`; `watch` is set in `init` and
    // released in `uninstall`, both by the owner.
    private var watch: InterruptWatch?
    private let lock = NSLock()
    private var received: Int32?

    /// Starts watching; `onSignal` runs once, on a private queue, with the signal's number.
    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "loganalyze.batch.signals")
        watch = InterruptWatch([.interrupt, .terminate], queue: queue) { [weak self] signal in
            guard let self, self.record(signal.number) else { return }
            onSignal(signal.number)
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
        watch?.release()
        watch = nil
    }

    private func record(_ number: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard received == nil else { return false }
        received = number
        return true
    }
}
