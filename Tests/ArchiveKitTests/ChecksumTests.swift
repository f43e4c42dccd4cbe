import Foundation
import Testing
import TestSupport
@testable import ArchiveKit

@Suite("CRC-32: entries checked off the inflating thread")
struct ChecksumTests {
    private func crc(_ bytes: [UInt8]) -> CRC32 { bytes.withUnsafeBytes { CRC32($0) } }

    @Test("zlib's CRC-32: the check value, and runs summed apart then joined give the whole's")
    func runsJoin() {
        #expect(crc(Array("123456789".utf8)).value == 0xCBF4_3926)
        #expect(crc([]).value == 0 && crc([]).count == 0)
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let whole = crc(bytes)
        for cuts in [[0], [1], [65_536, 65_536, 200_001], [299_999], [300_000], [7, 1_000, 150_000, 299_000]] {
            var joined = CRC32()
            var start = 0
            for cut in cuts + [bytes.count] {
                joined.append(crc(Array(bytes[start..<cut])))
                start = cut
            }
            #expect(joined == whole, "cut at \(cuts)")
        }
    }

    @Test("a plain ZIP's central directory gives each entry's CRC-32; anything unusual is left to libarchive")
    func directory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("plain.zip")
        let writer = try ZipWriter(path: path)
        let body = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        try writer.addEntry(named: "logs/a.log", data: body, modified: Date(timeIntervalSince1970: 1_795_600_000))
        try writer.addEntry(named: "policy.json", data: Data("{}".utf8), modified: Date(timeIntervalSince1970: 1_795_600_000))
        try writer.finish()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        func directory(_ data: Data) -> ZipDirectory? {
            let bytes = [UInt8](data)
            return ZipDirectory(size: Int64(bytes.count), maxEntries: 100) { offset, count in
                Int(offset) + count <= bytes.count ? Array(bytes[Int(offset)..<(Int(offset) + count)]) : nil
            }
        }
        let plain = try #require(directory(data))
        #expect(plain.checksum(of: "logs/a.log") == body.withUnsafeBytes { CRC32($0) }.value)
        #expect(plain.checksum(of: "policy.json") == crc(Array("{}".utf8)).value)
        #expect(plain.checksum(of: "missing.txt") == nil)
        // Data before the archive (a self-extractor's stub) or after it, a cut-off end, too many
        // entries for the limit: not the plain case.
        #expect(directory(Data("MZ stub".utf8) + data) == nil)
        #expect(directory(data + Data([0])) == nil)
        #expect(directory(data.dropLast(5)) == nil)
        #expect(ZipDirectory(size: Int64(data.count), maxEntries: 1) { offset, count in
            Array(data[Int(offset)..<(Int(offset) + count)])
        } == nil)
        for hostile in ["duplicate-names", "overlapping", "non-utf8-names"] {
            let bytes = try Data(contentsOf: RepoPaths.fixture("adversarial/archives/\(hostile).zip"))
            #expect(directory(bytes) == nil, "\(hostile)")
        }
        // ZIP64 end records are read.
        let zip64 = try Data(contentsOf: RepoPaths.fixture("adversarial/archives/zip64-lying-sizes.zip"))
        _ = directory(zip64)  // must not trap, whatever it decides
    }

    @Test("a ZIP's entries are checked by the reader, or by the caller who deferred it; a wrong CRC-32 is the same error every way")
    func deferred() throws {
        let path = RepoPaths.fixture("adversarial/archives/wrong-crc.zip").path
        let streaming = ArchiveLimits(maxWholeEntryBytes: 0)
        let inline = try ArchiveReader(path: path, limits: streaming)
        _ = try inline.nextEntry()
        let error = try #require(throws: ArchiveError.self) { try inline.readData { _ in } }
        // Inflated whole (a small entry, by default), the reader checks it before returning.
        let whole = try ArchiveReader(path: path)
        _ = try whole.nextEntry()
        #expect(!whole.leavesChecksumToCaller, "inflated whole: nothing for the caller to sum")
        var handedOver = 0
        let wholeError = try #require(throws: ArchiveError.self) {
            try whole.readDataDeferringChecksum { handedOver += $0.count }
        }
        #expect(wholeError.message == error.message && handedOver > 0)
        let reader = try ArchiveReader(path: path, limits: streaming)
        _ = try #require(try reader.nextEntry())
        #expect(reader.leavesChecksumToCaller)
        var sum = CRC32()
        let pending = try #require(try reader.readDataDeferringChecksum { sum.update($0) })
        let deferredError = try #require(throws: ArchiveError.self) { try pending.verify(sum) }
        #expect(deferredError.code == .checksumMismatch)
        #expect(deferredError.message == error.message && deferredError.entry == error.entry)
        #expect(error.message.contains("ZIP bad CRC: 0x"), "\(error.message)")
        _ = try #require(try reader.nextEntry())
        var next = CRC32()
        let good = try #require(try reader.readDataDeferringChecksum { next.update($0) })
        try good.verify(next)
        #expect(throws: ArchiveError.self) { try good.verify(CRC32()) }
        // Where libarchive checks (an archive that is not the plain case), nothing is left over.
        let duplicate = try ArchiveReader(path: RepoPaths.fixture("adversarial/archives/duplicate-names.zip").path, limits: streaming)
        var read = 0
        while let entry = try duplicate.nextEntry() {
            guard entry.kind == .file else { continue }
            #expect(!duplicate.leavesChecksumToCaller)
            #expect(try duplicate.readDataDeferringChecksum { _ in } == nil)
            read += 1
        }
        #expect(read > 1)
    }

    // Runs /bin/gzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a .gz inside a ZIP whose CRC-32 is wrong: the error comes once its bytes are all pulled")
    func nested() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let plain = dir.path("a.log")
        try Data(repeating: 0x61, count: 100_000).write(to: URL(fileURLWithPath: plain))
        let gzip = try runTool("/bin/gzip", ["-k", "-n", plain])
        #expect(gzip.status == 0)
        let outer = dir.path("outer.zip")
        let writer = try ZipWriter(path: outer)
        try writer.addEntry(named: "a.log.gz", data: try Data(contentsOf: URL(fileURLWithPath: plain + ".gz")),
                            modified: Date(timeIntervalSince1970: 1_795_600_000))
        try writer.finish()
        let damaged = dir.path("damaged.zip")
        try #require(zipWithWrongChecksum(try Data(contentsOf: URL(fileURLWithPath: outer)), entry: "a.log.gz"))
            .write(to: URL(fileURLWithPath: damaged))
        for (path, isDamaged) in [(outer, false), (damaged, true)] {
            let reader = try ArchiveReader(path: path)
            _ = try reader.nextEntry()
            var total = 0
            do {  // the gzip layer reads ahead: a small stream is pulled whole by its header
                let nested = try reader.nestedReader(as: .compressedStream)
                _ = try nested.nextEntry()
                try nested.readData { total += $0.count }
                #expect(!isDamaged && total == 100_000, "\(path): \(total) bytes")
            } catch let error as ArchiveError {
                #expect(isDamaged && error.code == .checksumMismatch && error.entry == "a.log.gz", "\(path): \(error)")
            }
        }
    }
    #endif

    @Test("inflated whole or streamed, every entry of every archive reads the same bytes", arguments: [
        "archives/python-zipfile.zip", "archives/infozip.zip", "archives/bsdtar.zip", "adversarial/archives/zip64-lying-sizes.zip",
        "adversarial/archives/overlapping-quoted.zip", "adversarial/archives/unsafe-names.zip",
    ])
    func wholeOrStreamed(fixture: String) throws {
        /// Each file's bytes, or the code of the error reading it; and the error that stopped the walk.
        func read(_ limits: ArchiveLimits) throws -> [String: String] {
            let reader = try ArchiveReader(path: RepoPaths.fixture(fixture).path, limits: limits)
            var files: [String: String] = [:]
            do {
                while let entry = try reader.nextEntry() {
                    guard entry.kind == .file else { continue }
                    do {
                        files[entry.path] = try reader.readData(upTo: 1 << 20).base64EncodedString()
                    } catch let error as ArchiveError where error.code != .compressionRatio {
                        files[entry.path] = "error: \(error.code)"
                    }
                }
            } catch let error as ArchiveError {
                files["(walk stopped)"] = "\(error.code)"
            }
            return files
        }
        let whole = try read(.default)
        #expect(!whole.isEmpty)
        #expect(whole == (try read(ArchiveLimits(maxWholeEntryBytes: 0))))
    }
}
