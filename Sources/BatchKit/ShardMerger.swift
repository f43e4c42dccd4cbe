import Foundation
import Reporting

/// `loganalyze merge`: combines the JSON Lines of several shards into what one batch over all
/// their bundles writes — the same lines, byte for byte, in the same order — and the same CSV
/// and summary.
///
/// Each shard is sorted by path (a batch writes it so), so a k-way merge reads one line of each
/// at a time: memory does not grow with the shards' length. A path in two shards is written
/// once (the first shard's line), with a message.
public enum ShardMerger {
    /// Merges `shards` into `outputs`. Throws `BatchError` when a shard cannot be read or is
    /// not a batch's output (nothing is written then).
    public static func merge(_ shards: [String], outputs: BatchOutputs,
                             log: @escaping MessageSink = standardErrorSink) throws -> BatchResult {
        let readers = try shards.map(LineReader.init)
        let sink = try ResultSink(outputs)
        do {
            var heads = try readers.map { try head(of: $0) }
            var last: String?
            var duplicates = 0
            while let (slot, head) = heads.enumerated().compactMap({ offset, head in head.map { (offset, $0) } })
                .min(by: { PathOrder.less($0.1.path, $1.1.path) }) {
                if head.path == last {
                    duplicates += 1
                } else {
                    try sink.add(head.line)
                    last = head.path
                }
                let next = try Self.head(of: readers[slot])
                if let next, PathOrder.less(next.path, head.path) {
                    throw BatchError("\(readers[slot].path) is not sorted by path (\(next.path) after \(head.path)); "
                                     + "merge takes the outputs of `loganalyze batch --shard`")
                }
                heads[slot] = next
            }
            try sink.commit()
            if duplicates > 0 { log("loganalyze: \(duplicates) bundle\(duplicates == 1 ? " was" : "s were") in more than one shard; written once") }
        } catch {
            sink.discard()
            throw error
        }
        log(sink.summary.text(title: "loganalyze merge"))
        let summary = sink.summary
        return BatchResult(status: summary.errors.isEmpty ? .allAnalysed : .someErrors, summary: summary, analysed: 0,
                           reused: summary.total)
    }

    private struct Head {
        let path: String
        let line: Data
    }

    private static func head(of reader: LineReader) throws -> Head? {
        guard let line = try reader.next() else { return nil }
        do {
            return Head(path: try LineFields(line: line).path, line: line)
        } catch {
            throw BatchError("\(reader.path): not a batch output (a line is not a report: \(error))")
        }
    }
}
