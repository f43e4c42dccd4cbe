import Foundation

/// One share of a batch's inputs: `K/N` takes the bundles whose path hashes to `K` modulo `N`.
///
/// `K` counts from 0, as Kubernetes' `JOB_COMPLETION_INDEX` and a Slurm `--array=0-(N-1)` do.
/// The hash (FNV-1a, 64 bits, of the path's UTF-8 bytes) depends on the path alone, so each
/// shard can find its share without knowing the others' inputs; every shard must see the same
/// paths spelled the same way (the same mount point), which a shared volume gives.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// This share's number, `0..<count`.
    public let index: Int
    /// How many shares there are.
    public let count: Int

    /// A share; nil unless `0 <= index < count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (e.g. `0/4`); nil when it is not that.
    public init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether the bundle at `path` belongs to this share.
    public func contains(_ path: String) -> Bool {
        Int(Self.stableHash(path) % UInt64(count)) == index
    }

    /// FNV-1a (64 bits) of the UTF-8 bytes: stable across runs, machines and Swift versions,
    /// unlike `Hasher`, which is seeded per process.
    public static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
