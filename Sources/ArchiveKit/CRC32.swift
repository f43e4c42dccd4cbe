internal import CDeflate
internal import CZlib

/// The CRC-32 of a run of bytes, and how many bytes it covers. libdeflate sums it up (with
/// carry-less multiplication: three times zlib's speed here), zlib joins runs.
///
/// Runs can be summed up on different threads and joined in order afterwards (`append`), so a
/// ZIP entry's check can be done wherever there is a free core (`PendingChecksum`).
public struct CRC32: Sendable, Equatable {
    /// The CRC-32 so far.
    public private(set) var value: UInt32 = 0
    /// How many bytes it covers.
    public private(set) var count: Int64 = 0

    /// The CRC-32 of no bytes.
    public init() {}

    /// The CRC-32 of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        update(bytes)
    }

    /// Takes in the next bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        value = libdeflate_crc32(value, base, bytes.count)
        count += Int64(bytes.count)
    }

    /// Takes in the run of bytes that follows: afterwards this is the CRC-32 of both runs.
    /// `next` covers less than 2 GiB (zlib counts it in a `long`, 32 bits on Windows).
    public mutating func append(_ next: CRC32) {
        guard next.count > 0 else { return }
        value = UInt32(truncatingIfNeeded: crc32_combine(.init(value), .init(next.value), .init(next.count)))
        count += next.count
    }
}

/// A ZIP entry's CRC-32, still to be checked by whoever read the entry's bytes
/// (`ArchiveReader.readData(deferringChecksum:_:)`).
public struct PendingChecksum: Sendable {
    /// What the archive's central directory records; nil when it records nothing under the
    /// entry's name (a damaged or forged archive), which no bytes can pass.
    public let expected: UInt32?
    /// The archive's name, for the error.
    public let archive: String
    /// The entry's path, for the error.
    public let entry: String

    /// Throws `.checksumMismatch` unless `computed`, the CRC-32 of every byte read, is the one
    /// recorded.
    public func verify(_ computed: CRC32) throws(ArchiveError) {
        guard let expected else {
            throw ArchiveError(.checksumMismatch, archive: archive, entry: entry,
                               message: "the archive's central directory records no checksum for it; it may be damaged")
        }
        guard computed.value != expected else { return }
        throw Self.mismatch(computed: computed.value, expected: expected, archive: archive, entry: entry)
    }

    /// The error of an entry whose bytes do not match the CRC-32 recorded for them, in
    /// libarchive's words where libarchive checks it.
    static func mismatch(computed: UInt32, expected: UInt32, archive: String, entry: String) -> ArchiveError {
        let text = "ZIP bad CRC: 0x\(String(computed, radix: 16)) should be 0x\(String(expected, radix: 16))"
        return ArchiveError(.checksumMismatch, archive: archive, entry: entry,
                            message: "the data does not match its checksum (\(text)); it may be damaged")
    }
}
