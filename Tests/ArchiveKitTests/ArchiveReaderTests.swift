import Foundation
import Testing
import TestSupport
@testable import ArchiveKit

/// Reads every entry of an archive into a path → contents map (files only).
func readAll(_ reader: ArchiveReader) throws -> [String: Data] {
    var files: [String: Data] = [:]
    while let entry = try reader.nextEntry() {
        if entry.kind == .file { files[entry.path] = try reader.readData(upTo: 1 << 20) }
    }
    return files
}

func archive(_ name: String) -> String { RepoPaths.fixture("archives/\(name)").path }

@Suite("ArchiveReader: archives written by other tools")
struct ForeignArchiveTests {
    @Test("reads the same tree from every tool's archive", arguments: [
        "python-zipfile.zip", "infozip.zip", "bsdtar.zip", "bundle.tar", "bundle.tar.gz", "bundle.7z",
    ])
    func readsTree(file: String) throws {
        let files = try readAll(try ArchiveReader(path: archive(file)))
        #expect(String(decoding: try #require(files["policy.json"]), as: UTF8.self)
                == "{\"PolicyId\":\"5c1f\",\"PolicyVersion\":\"1.0\"}\n")
        #expect(files["Übersicht.txt"].map { String(decoding: $0, as: UTF8.self) } == "Grüße aus Zürich\n")
        #expect(files["logs/Licensing Service/LicensingService.log"]?.count == 96)
        let reg = try #require(files["registry/HKLM.reg"])
        #expect(reg.prefix(2) == Data([0xFF, 0xFE]))
    }

    @Test("an entry written with ZIP64 records reads back")
    func zip64() throws {
        let files = try readAll(try ArchiveReader(path: archive("python-zipfile.zip")))
        #expect(files["zip64/forced.txt"]?.count == 3200)
    }

    @Test("modification times come from the archive, not 1980")
    func modificationTimes() throws {
        let reader = try ArchiveReader(path: archive("bsdtar.zip"))
        var seen = 0
        while let entry = try reader.nextEntry() {
            let year = Calendar(identifier: .gregorian).component(.year, from: try #require(entry.modified))
            #expect(year == 2026)
            seen += 1
        }
        #expect(seen > 3)
    }

    @Test("CP437 names and backslash separators from Windows tools come out as UTF-8 paths")
    func windowsNames() throws {
        let files = try readAll(try ArchiveReader(path: archive("windows-cp437.zip")))
        #expect(Set(files.keys) == ["Logs/Licensing Service/Zürich.log", "Résumé.txt"])
    }

    @Test("archives inside archives stream through nested readers")
    func nested() throws {
        let outer = try ArchiveReader(path: archive("nested.zip"))
        #expect(try outer.nextEntry()?.path == "middle.zip")
        let middle = try outer.nestedReader()
        #expect(try middle.nextEntry()?.path == "inner.tar.gz")
        let inner = try middle.nestedReader()
        let files = try readAll(inner)
        #expect(files["policy.json"] != nil)
        #expect(inner.depth == 2)
    }

    // Runs gzip through /usr/bin/env: Linux (and macOS) only.
    #if !os(Windows)
    @Test("a bare .gz reads as one compressed stream")
    func compressedStream() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let log = dir.path("name.3.log")
        try Data("line one\nline two\n".utf8).write(to: URL(fileURLWithPath: log))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-n", log]
        try gzip.run()
        gzip.waitUntilExit()
        let reader = try ArchiveReader(path: log + ".gz", format: .compressedStream)
        #expect(try reader.nextEntry() != nil)
        #expect(String(decoding: try reader.readData(upTo: 1024), as: UTF8.self) == "line one\nline two\n")
    }
    #endif
}

@Suite("ArchiveReader: hostile input")
struct HostileArchiveTests {
    @Test("a zip bomb stops at the compression-ratio limit, early")
    func bomb() throws {
        let reader = try ArchiveReader(path: archive("bomb.zip"))
        _ = try reader.nextEntry()
        var seen: Int64 = 0
        let error = try #require(throws: ArchiveError.self) {
            try reader.readData { seen += Int64($0.count) }
        }
        #expect(error.code == .compressionRatio)
        #expect(seen <= ArchiveLimits.default.ratioCheckAfterBytes + (1 << 20))
        #expect(error.description.contains("logs/huge.log"))
    }

    @Test("per-entry and total size limits are typed errors")
    func sizeLimits() throws {
        let entryLimited = try ArchiveReader(path: archive("bomb.zip"), limits: .init(maxEntryBytes: 1 << 20))
        _ = try entryLimited.nextEntry()
        #expect(throws: ArchiveError(.entryTooLarge, archive: archive("bomb.zip"), entry: "logs/huge.log",
                                     message: "decompresses to more than 1048576 bytes")) {
            try entryLimited.readData { _ in }
        }
        let totalLimited = try ArchiveReader(path: archive("bomb.zip"), limits: .init(maxTotalBytes: 1 << 20))
        _ = try totalLimited.nextEntry()
        let error = try #require(throws: ArchiveError.self) { try totalLimited.readData { _ in } }
        #expect(error.code == .archiveTooLarge)
    }

    @Test("names that climb out or are absolute become safe relative paths, flagged")
    func traversal() throws {
        let reader = try ArchiveReader(path: archive("traversal.zip"))
        var entries: [ArchiveEntry] = []
        while let entry = try reader.nextEntry() { entries.append(entry) }
        #expect(entries.map(\.path) == ["x", "etc/x", "y", "fine.txt"])
        #expect(entries.map(\.pathWasUnsafe) == [true, true, true, false])
        #expect(entries[0].originalPath == "../x")
    }

    @Test("a name with a drive letter (C:\\…, c:/…) is absolute: made relative and flagged; other names are not")
    func driveLetters() {
        #expect(EntryName.sanitize(#"C:\Windows\Temp\x.log"#) == ("Windows/Temp/x.log", true))
        #expect(EntryName.sanitize("c:/x") == ("x", true))
        #expect(EntryName.sanitize("z:") == ("", true))
        #expect(EntryName.sanitize("logs/C:x.log") == ("logs/C:x.log", false))
        #expect(EntryName.sanitize("1:/x").wasUnsafe == false)
        #expect(EntryName.sanitize("é:/x").wasUnsafe == false)
        #expect(EntryName.sanitize("C").wasUnsafe == false)
    }

    @Test("a symlink entry is reported, never followed, and the next entry still reads")
    func symlink() throws {
        let reader = try ArchiveReader(path: archive("symlink.zip"))
        let link = try #require(try reader.nextEntry())
        #expect(link.kind == .symlink)
        #expect(link.linkTarget == "/etc/passwd")
        let error = try #require(throws: ArchiveError.self) { try reader.readData { _ in } }
        #expect(error.code == .notARegularFile)
        #expect(try reader.nextEntry()?.path == "after.txt")
        #expect(String(decoding: try reader.readData(upTo: 100), as: UTF8.self) == "after the link\n")
    }

    @Test("an encrypted entry gives a typed error")
    func encrypted() throws {
        let reader = try ArchiveReader(path: archive("encrypted.zip"))
        let entry = try #require(try reader.nextEntry())
        #expect(entry.isEncrypted)
        let error = try #require(throws: ArchiveError.self) { try reader.readData { _ in } }
        #expect(error.code == .encrypted)
    }

    @Test("a truncated archive gives a corrupt error, not a hang")
    func truncated() throws {
        let reader = try ArchiveReader(path: archive("truncated.zip"))
        let error = try #require(throws: ArchiveError.self) {
            while let entry = try reader.nextEntry() {
                if entry.kind == .file { try reader.readData { _ in } }
            }
        }
        #expect(error.code == .corrupt)
    }

    @Test("a file that is not an archive says so")
    func notAnArchive() throws {
        let error = try #require(throws: ArchiveError.self) { try ArchiveReader(path: archive("not-an-archive.zip")) }
        #expect(error.code == .notAnArchive)
        let missing = try #require(throws: ArchiveError.self) { try ArchiveReader(path: "/nonexistent/bundle.zip") }
        #expect(missing.code == .io)
    }

    @Test("an entry whose CRC-32 is wrong is handed over, then reported; the next entry reads")
    func wrongChecksum() throws {
        let reader = try ArchiveReader(path: RepoPaths.fixture("adversarial/archives/wrong-crc.zip").path)
        _ = try #require(try reader.nextEntry())
        var data = Data()
        let error = try #require(throws: ArchiveError.self) { try reader.readData { data.append(contentsOf: $0) } }
        #expect(error.code == .checksumMismatch)
        #expect(error.description.contains("checksum"), "\(error)")
        #expect(String(decoding: data, as: UTF8.self).contains("the CRC of this entry is wrong"))
        let next = try #require(try reader.nextEntry())
        #expect(String(decoding: try reader.readData(upTo: 1 << 20), as: UTF8.self).contains("an entry after the bad one"),
                "\(next.path)")
    }

    @Test("nesting and entry-count limits are typed errors")
    func nestingAndCount() throws {
        let outer = try ArchiveReader(path: archive("nested.zip"), limits: .init(maxNestingDepth: 1))
        _ = try outer.nextEntry()
        let middle = try outer.nestedReader()
        _ = try middle.nextEntry()
        let tooDeep = try #require(throws: ArchiveError.self) { try middle.nestedReader() }
        #expect(tooDeep.code == .nestingTooDeep)

        let counted = try ArchiveReader(path: archive("bundle.tar"), limits: .init(maxEntries: 2))
        let error = try #require(throws: ArchiveError.self) { while try counted.nextEntry() != nil {} }
        #expect(error.code == .tooManyEntries)
    }
}
