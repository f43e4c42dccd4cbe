/// FuzzArchive: the bundle reader's archive layer (`ArchiveReader` over bytes, through
/// libarchive) walking every entry, reading its data and opening nested archives and `.gz`
/// files as `BundleReader` does, under small limits so that one input costs little.
///
/// Besides "never crash", it checks that every entry name comes out safe to use as a path.
import ArchiveKit
import Foundation
import FuzzSupport

/// Small limits: a fuzzed input is never allowed to inflate for long.
private let limits = ArchiveLimits(maxEntryBytes: 1 << 20, maxTotalBytes: 4 << 20, maxEntries: 2_000,
                                   maxCompressionRatio: 250, ratioCheckAfterBytes: 256 << 10, maxNestingDepth: 3)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let reader = try? ArchiveReader(data: FuzzDriver.data(bytes, size), name: "fuzz", limits: limits) else {
        return 0
    }
    try? walk(reader)
    return 0
}

/// Reads every entry of `reader`, descending into archives inside it.
private func walk(_ reader: ArchiveReader) throws {
    while let entry = try reader.nextEntry() {
        precondition(!entry.path.isEmpty && !entry.path.hasPrefix("/"), "unsafe path \(entry.path)")
        precondition(!entry.path.split(separator: "/").contains(".."), "unsafe path \(entry.path)")
        guard entry.kind == .file, !entry.isEncrypted else {
            precondition((try? reader.readData { _ in }) == nil, "a \(entry.kind) entry gave data")
            continue
        }
        let lower = entry.path.lowercased()
        do {
            if lower.hasSuffix(".zip") || lower.hasSuffix(".tar") {
                try walk(try reader.nestedReader())
            } else if lower.hasSuffix(".gz") {
                let nested = try reader.nestedReader(as: .compressedStream)
                if try nested.nextEntry() != nil { try nested.readData { _ in } }
            } else {
                var total = 0
                try reader.readData { total += $0.count }
                precondition(total <= limits.maxEntryBytes, "read past the entry limit")
            }
        } catch let error as ArchiveError where error.code == .corrupt || error.code == .checksumMismatch
                    || error.code == .nestingTooDeep
                    || error.code == .notAnArchive || error.code == .encrypted || error.code == .entryTooLarge {
            continue  // one bad entry; the walk goes on as BundleReader's does
        }
    }
}

@main
enum FuzzArchiveMain {
    static func main() { FuzzDriver.main(fuzz) }
}
