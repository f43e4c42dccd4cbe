import Foundation

/// Hands out work by index to several threads and gives the results back in index order, with
/// at most `window` results done but not yet taken: a fast worker waits rather than run ahead,
/// so memory stays bounded however many bundles there are and however unequal they are.
///
/// All state is behind one condition lock (hence `@unchecked Sendable`).
final class OrderedPipeline<Output>: @unchecked Sendable {
    /// How many items there are.
    let count: Int
    private let window: Int
    private let condition = NSCondition()
    private var nextToClaim = 0
    private var nextToTake = 0
    private var done: [Int: Output] = [:]
    private var cancelled = false

    /// A pipeline over `count` items keeping at most `window` (≥ 1) finished ones waiting.
    init(count: Int, window: Int) {
        self.count = count
        self.window = max(1, window)
    }

    /// The next item to work on; blocks while it is a full window ahead of the taker. Nil when
    /// every item is handed out or the pipeline is cancelled.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextToClaim < count && nextToClaim >= nextToTake + window { condition.wait() }
        guard !cancelled, nextToClaim < count else { return nil }
        defer { nextToClaim += 1 }
        return nextToClaim
    }

    /// Hands in the result of item `index`.
    func deliver(_ index: Int, _ output: Output) {
        condition.lock()
        done[index] = output
        condition.broadcast()
        condition.unlock()
    }

    /// The next result in index order; blocks until it is done. Nil after the last one, or once
    /// cancelled (results not yet taken are dropped).
    func take() -> Output? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextToTake < count && done[nextToTake] == nil { condition.wait() }
        guard !cancelled, nextToTake < count, let output = done.removeValue(forKey: nextToTake) else { return nil }
        nextToTake += 1
        condition.broadcast()
        return output
    }

    /// Stops handing out work and wakes every waiting thread.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `cancel()` was called.
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
