/// Bounds on what reading an untrusted archive may cost.
///
/// The defaults fit support bundles: logs of a few GB at most, compressing 5–50× as text does.
/// Every limit is checked while data streams, so a bomb is stopped after at most
/// `ratioCheckAfterBytes` of output, never after it has been fully inflated.
public struct ArchiveLimits: Sendable, Equatable {
    /// Most bytes one entry may decompress to.
    public var maxEntryBytes: Int64
    /// Most bytes all entries together (nested archives included) may decompress to.
    public var maxTotalBytes: Int64
    /// Most entries an archive (and each nested one) may hold.
    public var maxEntries: Int
    /// Highest ratio of decompressed to compressed bytes accepted for an archive.
    public var maxCompressionRatio: Double
    /// Decompressed bytes after which the ratio is enforced (small entries may compress well).
    public var ratioCheckAfterBytes: Int64
    /// How many archives deep nesting may go (a ZIP in the bundle is depth 1).
    public var maxNestingDepth: Int
    /// The largest ZIP entry inflated whole, in memory, rather than streamed (twice as fast:
    /// `ArchiveReader`); 0 streams every entry. Memory for it: this much, and its compressed size.
    public var maxWholeEntryBytes: Int64

    /// Creates limits; the defaults suit support bundles.
    public init(maxEntryBytes: Int64 = 8 << 30, maxTotalBytes: Int64 = 32 << 30,
                maxEntries: Int = 100_000, maxCompressionRatio: Double = 250,
                ratioCheckAfterBytes: Int64 = 64 << 20, maxNestingDepth: Int = 3, maxWholeEntryBytes: Int64 = 8 << 20) {
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioCheckAfterBytes = ratioCheckAfterBytes
        self.maxNestingDepth = maxNestingDepth
        self.maxWholeEntryBytes = maxWholeEntryBytes
    }

    /// The defaults.
    public static let `default` = ArchiveLimits()
}
