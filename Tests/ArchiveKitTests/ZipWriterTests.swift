import Foundation
import Testing
import TestSupport
@testable import ArchiveKit

@Suite("ZipWriter")
struct ZipWriterTests {
    // Runs /usr/bin/unzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("what it writes passes unzip -t and reads back byte for byte, names and times intact")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("bundle.zip")
        let modified = Date(timeIntervalSince1970: 1_795_600_000)  // 2026-11-24
        var expected: [String: Data] = [:]
        let writer = try ZipWriter(path: path)
        for (name, text) in [("manifest.json", "{}"), ("logs/Licensing Service/Zürich.log", "ü\r\nline\n"),
                             ("registry/HKLM.reg", String(repeating: "key=value\n", count: 5000))] {
            expected[name] = Data(text.utf8)
            try writer.addEntry(named: name, data: Data(text.utf8), modified: modified)
        }
        try writer.addEntry(named: "unknown-size.log", size: nil, modified: modified) { write in
            for i in 0..<100 { try Data("line \(i)\n".utf8).withUnsafeBytes { try write($0) } }
        }
        expected["unknown-size.log"] = Data((0..<100).map { "line \($0)\n" }.joined().utf8)
        try writer.finish()

        let unzip = try runTool("/usr/bin/unzip", ["-t", path])
        #expect(unzip.status == 0, "unzip -t: \(unzip.output)")
        #expect(unzip.output.contains("No errors detected"))

        let reader = try ArchiveReader(path: path)
        var seen: [String: Data] = [:]
        while let entry = try reader.nextEntry() {
            #expect(entry.modified.map { abs($0.timeIntervalSince(modified)) < 2 } == true)
            seen[entry.path] = try reader.readData(upTo: 1 << 20)
        }
        #expect(seen == expected)
    }
    #endif

    @Test("unsafe or duplicate names are refused; finish twice is an error")
    func refusesBadNames() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try ZipWriter(path: dir.path("x.zip"))
        #expect(throws: ArchiveError.self) { try writer.addEntry(named: "../x", data: Data(), modified: .now) }
        #expect(throws: ArchiveError.self) { try writer.addEntry(named: "/etc/x", data: Data(), modified: .now) }
        try writer.addEntry(named: "a", data: Data("1".utf8), modified: .now)
        #expect(throws: ArchiveError.self) { try writer.addEntry(named: "a", data: Data(), modified: .now) }
        try writer.finish()
        #expect(throws: ArchiveError.self) { try writer.finish() }
    }

    @Test("announcing a size and writing another is an error")
    func sizeMismatch() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writer = try ZipWriter(path: dir.path("x.zip"))
        let error = try #require(throws: ArchiveError.self) {
            try writer.addEntry(named: "short", size: 10, modified: .now) { write in
                try Data("abc".utf8).withUnsafeBytes { try write($0) }
            }
        }
        #expect(error.message.contains("announced"))
    }

    @Test("a folder that cannot be written gives an io error")
    func unwritable() throws {
        let error = try #require(throws: ArchiveError.self) { try ZipWriter(path: "/proc/nope/bundle.zip") }
        #expect(error.code == .io)
    }

    // Measures peak memory with getrusage (peakResidentBytes): Linux (and macOS) only.
    #if !os(Windows)
    @Test("a 1 GB entry streams through writer and reader with flat memory")
    func largeEntryFlatMemory() async {
        // In a process of its own (an exit test), so that the peak resident memory measured is
        // this streaming's, not that of the tests running beside it in the test process.
        await #expect(processExitsWith: .success) {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let path = dir.path("big.zip")
            let chunk = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) % 64 + 32 })
            // What the process holds before (the test library's own, which varies with the run).
            let before = peakResidentBytes()
            let chunks = 1024
            let writer = try ZipWriter(path: path, compressionLevel: 1)
            try writer.addEntry(named: "logs/huge.log", size: Int64(chunk.count * chunks), modified: .now) { write in
                for _ in 0..<chunks { try chunk.withUnsafeBytes { try write($0) } }
            }
            try writer.finish()

            let reader = try ArchiveReader(path: path)
            let entry = try #require(try reader.nextEntry())
            #expect(entry.declaredSize == Int64(chunk.count * chunks))
            var total: Int64 = 0
            var checksum: UInt64 = 0
            try reader.readData { bytes in
                total += Int64(bytes.count)
                for byte in bytes.prefix(64) { checksum = checksum &* 31 &+ UInt64(byte) }
            }
            #expect(total == Int64(chunk.count * chunks))
            #expect(checksum != 0)
            // Far below the 1 GB that went through: a few buffers.
            let growth = peakResidentBytes() - before
            #expect(growth < 64 << 20, "peak memory grew by \(growth >> 20) MiB")
        }
    }
    #endif

    // Runs /usr/bin/unzip: Linux (and macOS) only.
    #if !os(Windows)
    @Test("ZIP64: an entry of unknown size carries the ZIP64 extra field; 70,000 entries get a ZIP64 end record")
    func zip64() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // An entry whose size is not known in advance may pass 4 GiB: its local header must
        // announce ZIP64 sizes (extra field 0x0001), or a large log would be cut.
        let single = dir.path("unknown.zip")
        let writer = try ZipWriter(path: single)
        try writer.addEntry(named: "logs/growing.log", size: nil, modified: .now) { write in
            try Data("line\n".utf8).withUnsafeBytes { try write($0) }
        }
        try writer.finish()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: single)))
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let nameLength = Int(bytes[26]) | Int(bytes[27]) << 8
        let extraLength = Int(bytes[28]) | Int(bytes[29]) << 8
        var extraIDs: [Int] = []
        var offset = 30 + nameLength
        while offset + 4 <= 30 + nameLength + extraLength {
            extraIDs.append(Int(bytes[offset]) | Int(bytes[offset + 1]) << 8)
            offset += 4 + (Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8)
        }
        #expect(extraIDs.contains(0x0001), "extra fields \(extraIDs)")

        // More than 65,535 entries do not fit the classic end record: ZIP64's must follow.
        let many = dir.path("many.zip")
        let crowded = try ZipWriter(path: many, compressionLevel: 1)
        let count = 70_000
        for index in 0..<count {
            try crowded.addEntry(named: "e/\(index)", data: Data(), modified: Date(timeIntervalSince1970: 1_795_600_000))
        }
        try crowded.finish()
        let archive = try Data(contentsOf: URL(fileURLWithPath: many))
        #expect(archive.range(of: Data([0x50, 0x4B, 0x06, 0x06])) != nil, "no ZIP64 end of central directory record")
        let unzip = try runTool("/usr/bin/unzip", ["-tq", many])
        #expect(unzip.status == 0, "unzip -t: \(unzip.output.suffix(300))")
        let reader = try ArchiveReader(path: many, limits: .init(maxEntries: 100_000))
        var read = 0
        while try reader.nextEntry() != nil { read += 1 }
        #expect(read == count)
    }
    #endif
}
