import Foundation
import LicensingModel
import TestSupport
import Testing
@testable import LicensingParsers

@Suite("Log lines and log files")
struct LogReaderTests {
    static let utc = TimeZone(secondsFromGMT: 0) ?? .current

    static func parse(_ line: String, zone: TimeZone = utc, day: Date? = nil) -> LogEntry? {
        var parser = LogLineParser(timeZone: zone, dayForTimeOnly: day)
        return parser.parse(line, source: SourceRef(file: "f.log", line: 1), component: "Licensing Service")
    }

    @Test("a log4net line: local stamp, thread, level, logger, message")
    func log4net() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let line = "2026-11-20 10:15:22,123 [12] INFO  Bentley.Licensing.Service.PolicyManager - Policy refreshed. PolicyId=1"
        let entry = try #require(Self.parse(line, zone: zone))
        #expect(entry.time == TestData.date("2026-11-20T09:15:22.123Z"))
        #expect(entry.thread == "12")
        #expect(entry.level == "INFO")
        #expect(entry.logger == "Bentley.Licensing.Service.PolicyManager")
        #expect(entry.message == "Policy refreshed. PolicyId=1")
    }

    @Test("ISO-8601 lines carry their own offset, in several layouts", arguments: [
        ("2026-11-20T10:15:22.123+01:00 ERROR [7] Bentley.Connect - Call failed", "ERROR", "7", "Bentley.Connect", "Call failed"),
        ("2026-11-20T10:15:22.123+01:00 [ERROR] Call failed - retrying", "ERROR", nil, nil, "Call failed - retrying"),
        ("[2026-11-20T09:15:22.123Z] warn: Call failed", "WARN", nil, nil, "Call failed"),
        ("2026-11-20T10:15:22.123+0100 | ERROR | Call failed", "ERROR", nil, nil, "Call failed"),
    ])
    func iso(line: String, level: String, thread: String?, logger: String?, message: String) throws {
        let entry = try #require(Self.parse(line))
        #expect(entry.time == TestData.date("2026-11-20T09:15:22.123Z"))
        #expect(entry.level == level)
        #expect(entry.thread == thread)
        #expect(entry.logger == logger)
        #expect(entry.message == message)
    }

    @Test("a time-only line takes the caller's day")
    func timeOnly() throws {
        let entry = try #require(Self.parse("23:59:58.500 DEBUG tick", day: TestData.date("2026-11-20T12:00:00Z")))
        #expect(entry.time == TestData.date("2026-11-20T23:59:58.5Z"))
        #expect(Self.parse("23:59:58 DEBUG tick")?.time == nil)
    }

    @Test("lines without a stamp are not entries", arguments: [
        "   at Bentley.Licensing.Foo()", "", "2026", "System.Net.WebException: 2026-11-20 10:00:00", "12:30 lunch",
        "2026-11-20T10:15:22Zjunk",
    ])
    func notEntries(line: String) {
        #expect(Self.parse(line) == nil)
    }

    @Test("CRLF files fold stack traces into the entry before them")
    func crlfAndFolding() {
        let text = [
            "leading junk",
            "2026-11-20 10:00:00,000 [1] ERROR Svc - Unable to perform policy request",
            "System.Net.WebException: The remote name could not be resolved: 'entitlement-search.bentley.com'",
            "   at System.Net.HttpWebRequest.GetResponse()",
            "",
            "2026-11-20 10:00:01,000 [1] INFO  Svc - next",
        ].joined(separator: "\r\n")
        let entries = LogReader.entries(in: Data(text.utf8), file: "Logs/Licensing Service/Service.log")
        #expect(entries.count == 3)
        #expect(entries[0].time == nil && entries[0].message == "leading junk")
        #expect(entries[1].continuation.count == 2)
        #expect(entries[1].continuation[1] == "   at System.Net.HttpWebRequest.GetResponse()")
        #expect(!entries[1].message.hasSuffix("\r"))
        #expect(entries[1].source == SourceRef(file: "Logs/Licensing Service/Service.log", line: 2))
        #expect(entries[2].message == "next")
        #expect(entries.allSatisfy { $0.component == "Licensing Service" })
        #expect(LogMessageClassifier.classify(entries[1]) == [.policyRequestFailed, .dnsFailure])
    }

    @Test("a line written right after a crash's run of NULs is still an entry of its own")
    func lineAfterNULs() {
        var bytes = Array("2026-11-20 09:00:00,000 [1] INFO  Svc - before the crash\r\n".utf8)
        bytes += [UInt8](repeating: 0, count: 4096)
        bytes += Array("2026-11-20 10:00:00,000 [1] INFO  Svc - LicenseStatus Returned: 110\r\n".utf8)
        bytes += [0, 0] + Array("\r\n2026-11-20 10:00:01,000 [1] INFO  Svc - last\r\n".utf8)
        for keepLine in [nil, { @Sendable in LogMessageClassifier.recognises(bytes: $0) }] as [(@Sendable (UnsafeBufferPointer<UInt8>) -> Bool)?] {
            let entries = LogReader.entries(in: Data(bytes), file: "Logs/Licensing Service/Service.log",
                                            options: .init(keepLine: keepLine))
            let statuses = entries.filter { $0.message == "LicenseStatus Returned: 110" }
            #expect(statuses.count == 1, "\(entries.map(\.message))")
            #expect(statuses.first?.source.line == 2)
            #expect(LogMessageClassifier.classify(statuses.first ?? entries[0]) == [.licenseStatusReturned(110)])
            #expect(entries.last?.message == "last")
            #expect(entries.allSatisfy { $0.continuation.isEmpty }, "the NULs fold into nothing")
        }
    }

    @Test("leading NULs are left out of a line's length limit alike, whether the line comes whole or in pieces")
    func nulsAndLineLimit() {
        // Found by FuzzLog: a line carried over chunks was capped with its NULs, a whole one without.
        // Past the first 4 KB, which the reader takes whole to tell the encoding.
        var bytes = Array(String(repeating: "2026-11-20 09:00:00,000 [1] INFO  Svc - routine\r\n", count: 100).utf8)
        bytes += [UInt8](repeating: 0, count: 40)
        bytes += Array("2026-11-20 10:00:00,000 [1] INFO  Svc - LicenseStatus Returned: 110 and more text\r\n".utf8)
        bytes += Array("2026-11-20 10:00:01,000 [1] INFO  Svc - last\r\n".utf8)
        let options = LogReader.Options(maxLineLength: 64)
        let whole = LogReader.entries(in: Data(bytes), file: "Logs/Licensing Service/Service.log", options: options)
        for size in [1, 7, 32] {
            var reader = LogReader(file: "Logs/Licensing Service/Service.log", options: options)
            var pieces: [LogEntry] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + size, bytes.count)
                bytes[offset..<end].withUnsafeBytes { reader.feed($0) { pieces.append($0) } }
                offset = end
            }
            reader.finish { pieces.append($0) }
            let differ = zip(pieces, whole).first { $0 != $1 }.map { "\($0.0.message) ≠ \($0.1.message)" }
            #expect(pieces.elementsEqual(whole), "fed \(size) bytes at a time: \(differ ?? "\(pieces.count) vs \(whole.count) entries")")
        }
        #expect(whole.count == 102)
        #expect(whole[100].isTruncated, "the line alone is over 64 bytes")
        #expect(whole[100].message.hasPrefix("LicenseStatus Returned"), "the line is there, not the NULs")
        #expect(whole.last?.message == "last")
    }

    @Test("a UTF-16LE log fed in odd-sized chunks reads the same as UTF-8")
    func utf16Chunks() {
        let text = String(repeating: "2026-11-20 10:00:00,000 [1] INFO  Svc - Größe 😀 ok\r\n  at x\r\n2026-11-20 10:00:01,000 [1] INFO  Svc - b\r\n", count: 100)
        let data = TestData.utf16LE(text)
        var reader = LogReader(file: "Logs/CONNECTION Client/cc.log")
        var entries: [LogEntry] = []
        var offset = 0
        while offset < data.count {
            let chunk = data[offset..<min(data.count, offset + 7)]
            Data(chunk).withUnsafeBytes { reader.feed($0) { entries.append($0) } }
            offset += 7
        }
        reader.finish { entries.append($0) }
        #expect(entries.count == 200)
        #expect(entries == LogReader.entries(in: Data(text.utf8), file: "Logs/CONNECTION Client/cc.log"))
        #expect(entries.first?.message == "Größe 😀 ok")
        #expect(entries.first?.component == "CONNECTION Client")
    }

    @Test("time-only logs count back over midnight from the file's modification time")
    func timeOnlyOverMidnight() {
        let text = "23:00:00 INFO a\n23:59:00 INFO b\n00:01:00 INFO c\n08:00:00 INFO d\n"
        let options = LogReader.Options(fileModified: TestData.date("2026-11-21T09:00:00Z"))
        let times = LogReader.entries(in: Data(text.utf8), file: "x.log", options: options).map(\.time)
        #expect(times == ["2026-11-20T23:00:00Z", "2026-11-20T23:59:00Z", "2026-11-21T00:01:00Z", "2026-11-21T08:00:00Z"]
            .map(TestData.date))
    }

    // Measures peak memory with getrusage (peakResidentBytes): Linux (and macOS) only.
    #if !os(Windows)
    @Test("a 50 MB line is truncated without being held in memory")
    func hugeLine() async {
        // In a process of its own (an exit test): the peak memory measured is this read's, not
        // that of the tests running beside it.
        await #expect(processExitsWith: .success) {
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let path = folder.path("huge.log")
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.write(contentsOf: Data("2026-11-20 10:00:00,000 [1] INFO  Svc - ".utf8))
            let block = Data(repeating: 0x41, count: 1 << 20)
            for _ in 0..<50 { try handle.write(contentsOf: block) }
            try handle.write(contentsOf: Data("\n2026-11-20 10:00:01,000 [1] INFO  Svc - after\n".utf8))
            try handle.close()

            let before = peakResidentBytes()
            var entries: [LogEntry] = []
            try LogReader.forEachEntry(inFile: path, file: "huge.log") { entries.append($0) }
            let growth = peakResidentBytes() - before
            #expect(entries.count == 2)
            #expect(entries[0].isTruncated)
            #expect(entries[0].message.utf8.count < 64 * 1024)
            #expect(entries[1].message == "after")
            #expect(entries[1].source.line == 2)
            #expect(growth < 30 << 20, "peak memory grew by \(growth >> 20) MiB")
        }
    }
    #endif

    @Test("the component is the folder under Logs/")
    func components() {
        #expect(LogReader.component(forPath: "Users/jdoe/AppData/Local/Bentley/Logs/License Tool/tool.1.log") == "License Tool")
        #expect(LogReader.component(forPath: #"logs\CONNECTION Client\a.log"#) == "CONNECTION Client")
        #expect(LogReader.component(forPath: "Logs/flat.log") == "Logs")
        #expect(LogReader.component(forPath: "flat.log") == "")
    }
}
