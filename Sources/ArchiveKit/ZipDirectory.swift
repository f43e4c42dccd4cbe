import Foundation

/// What the central directory of a ZIP records of each entry: its CRC-32, and where and how
/// its data is stored.
///
/// With it an `ArchiveReader` checks its entries itself instead of libarchive, so that a caller
/// may do the check on another core (`PendingChecksum`), and inflates a small entry whole
/// (`ArchiveReader.inflateWhole`). It is read only for the plain case —
/// one disk, the directory where the end record says, ASCII names, no two entries with the same
/// name or the same local header — where libarchive's entries are exactly the directory's and
/// a name finds its CRC-32. Anything else (and any doubt) gives nil, and libarchive checks as
/// before. The input is untrusted: every offset and length is checked against the file's size
/// before it is read.
struct ZipDirectory {
    /// One entry's central record.
    struct Record: Equatable {
        var crc32: UInt32
        /// 0 stored, 8 deflated, …
        var method: UInt16
        /// The general-purpose flags (bit 0: encrypted).
        var flags: UInt16
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    /// The records by entry name (`key`).
    private let records: [String: Record]

    /// The record of the entry libarchive names `pathname`.
    func record(of pathname: String) -> Record? {
        records[Self.key(pathname)]
    }

    /// The CRC-32 recorded for the entry libarchive names `pathname`.
    func checksum(of pathname: String) -> UInt32? {
        record(of: pathname)?.crc32
    }

    /// A name as libarchive gives it: backslashes read as slashes.
    private static func key(_ name: String) -> String {
        name.contains("\\") ? name.replacingOccurrences(of: "\\", with: "/") : name
    }

    /// The largest directory read (100,000 entries with 300-byte names fit); a larger one is
    /// left to libarchive.
    static let maxDirectoryBytes: UInt64 = 64 << 20

    /// Reads `count` bytes at `offset`; nil when they cannot all be read.
    typealias Read = (_ offset: Int64, _ count: Int) -> [UInt8]?

    /// The directory of a ZIP of `size` bytes; nil when it is not the plain case.
    init?(size: Int64, maxEntries: Int, read: Read) {
        guard size >= 22 else { return nil }
        let tailCount = Int(min(size, 22 + 0xFFFF))
        guard let tail = read(size - Int64(tailCount), tailCount) else { return nil }
        // The end record: the last one whose comment runs exactly to the end of the file.
        var endAt: Int?
        var index = tail.count - 22
        while index >= 0 {
            if Self.u32(tail, index) == 0x0605_4B50, index + 22 + Int(Self.u16(tail, index + 20)) == tail.count {
                endAt = index
                break
            }
            index -= 1
        }
        guard let end = endAt else { return nil }
        let endOffset = size - Int64(tail.count - end)
        guard Self.u16(tail, end + 4) == 0, Self.u16(tail, end + 6) == 0 else { return nil }  // one disk
        var entries = UInt64(Self.u16(tail, end + 10))
        var directorySize = UInt64(Self.u32(tail, end + 12))
        var directoryOffset = UInt64(Self.u32(tail, end + 16))
        var directoryEnd = endOffset
        if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the end record names the ZIP64 end record.
            guard end >= 20, Self.u32(tail, end - 20) == 0x0706_4B50 else { return nil }
            let recordOffset = Self.u64(tail, end - 12)
            guard endOffset >= 20 + 56, recordOffset <= UInt64(endOffset - 20 - 56),
                  let record = read(Int64(recordOffset), 56), Self.u32(record, 0) == 0x0606_4B50,
                  Self.u32(record, 16) == 0, Self.u32(record, 20) == 0 else { return nil }
            entries = Self.u64(record, 32)
            directorySize = Self.u64(record, 40)
            directoryOffset = Self.u64(record, 48)
            directoryEnd = Int64(recordOffset)
        }
        guard entries <= UInt64(maxEntries), directorySize >= entries * 46, directorySize <= Self.maxDirectoryBytes,
              directoryOffset <= UInt64(directoryEnd), directorySize <= UInt64(directoryEnd) - directoryOffset,
              let directory = read(Int64(directoryOffset), Int(directorySize)) else { return nil }
        var records: [String: Record] = [:]
        var offsets = Set<UInt64>()
        var at = 0
        for _ in 0..<entries {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4B50 else { return nil }
            let nameLength = Int(Self.u16(directory, at + 28))
            let extraLength = Int(Self.u16(directory, at + 30))
            let commentLength = Int(Self.u16(directory, at + 32))
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { return nil }
            let nameBytes = directory[(at + 46)..<(at + 46 + nameLength)]
            guard !nameBytes.contains(where: { $0 >= 0x80 || $0 == 0 }) else { return nil }
            let name = Self.key(String(decoding: nameBytes, as: UTF8.self))
            var record = Record(crc32: Self.u32(directory, at + 16), method: Self.u16(directory, at + 10),
                                flags: Self.u16(directory, at + 8),
                                compressedSize: UInt64(Self.u32(directory, at + 20)),
                                uncompressedSize: UInt64(Self.u32(directory, at + 24)),
                                localHeaderOffset: UInt64(Self.u32(directory, at + 42)))
            if record.compressedSize == 0xFFFF_FFFF || record.uncompressedSize == 0xFFFF_FFFF
                || record.localHeaderOffset == 0xFFFF_FFFF {
                let extras = (at + 46 + nameLength)..<(at + 46 + nameLength + extraLength)
                guard Self.readZip64(directory, extras: extras, into: &record) else { return nil }
            }
            guard records.updateValue(record, forKey: name) == nil,
                  offsets.insert(record.localHeaderOffset).inserted else { return nil }
            at = next
        }
        self.records = records
    }

    /// Reads the values a central record holds as 0xFFFFFFFF from its ZIP64 extra field
    /// (0x0001), where they are present, 8 bytes each, in the order uncompressed size,
    /// compressed size, offset. False when the field is missing or too short.
    private static func readZip64(_ bytes: [UInt8], extras: Range<Int>, into record: inout Record) -> Bool {
        var at = extras.lowerBound
        while at + 4 <= extras.upperBound {
            let id = u16(bytes, at)
            let length = Int(u16(bytes, at + 2))
            guard at + 4 + length <= extras.upperBound else { return false }
            if id == 0x0001 {
                var field = at + 4
                let fieldEnd = field + length
                for path in [\Record.uncompressedSize, \Record.compressedSize, \Record.localHeaderOffset]
                where record[keyPath: path] == 0xFFFF_FFFF {
                    guard field + 8 <= fieldEnd else { return false }
                    record[keyPath: path] = u64(bytes, field)
                    field += 8
                }
                return true
            }
            at += 4 + length
        }
        return false
    }

    /// Where the data of `record` begins: after its local header (its signature checked) and
    /// the name and extra field that header says follow it; nil when no local header is there.
    static func dataOffset(of record: Record, read: Read) -> Int64? {
        let start = Int64(record.localHeaderOffset)
        guard let header = read(start, 30), u32(header, 0) == 0x0403_4B50 else { return nil }
        return start + 30 + Int64(u16(header, 26)) + Int64(u16(header, 28))
    }

    private static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(u16(bytes, at)) | UInt32(u16(bytes, at + 2)) << 16
    }

    private static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(u32(bytes, at)) | UInt64(u32(bytes, at + 4)) << 32
    }
}
