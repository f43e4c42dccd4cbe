import Foundation

/// A bounded queue of chunks (of bytes, or bytes with what was found in them) from one producer
/// thread to one consumer, so that reading (inflating) a stream and working on its bytes run on
/// two cores with bounded memory.
///
/// `@unchecked Sendable`: every field is guarded by `condition`.
public final class ChunkPipe<Chunk>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Chunks in flight from `head` on; a taken chunk's slot is emptied at once, so that the
    /// consumer holds the only reference to it (and may recycle its storage).
    private var chunks: [Chunk?] = []
    private var head = 0
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    /// The most chunks in flight.
    public let capacity: Int

    /// A pipe holding at most `capacity` chunks in flight.
    public init(capacity: Int = 8) { self.capacity = capacity }

    /// Chunks put and not yet taken: a producer that sees the consumer fall behind may do some
    /// of its work before handing chunks over.
    public var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return chunks.count - head
    }

    /// Hands a chunk over, waiting while the queue is full; false when the consumer gave up.
    public func put(_ chunk: Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count - head >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// No more chunks; `error` is what stopped the producer, if anything did.
    public func finish(error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, nil at the end; throws the producer's error.
    public func take() throws -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while head == chunks.count && !finished { condition.wait() }
        if head < chunks.count {
            let chunk = chunks[head].take()
            head += 1
            if head > 64 { chunks.removeFirst(head); head = 0 }
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }

    /// The consumer gives up: a waiting or later `put` returns false.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
