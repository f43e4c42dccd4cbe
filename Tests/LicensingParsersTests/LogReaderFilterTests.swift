import Foundation
import LicensingModel
import LicensingParsers
import Testing

@Suite("LogReader with a line filter")
struct LogReaderFilterTests {
    let log = """
        2026-11-20 09:00:00,000 [1] INFO  A - heartbeat 1
        2026-11-20 09:00:01,000 [1] ERROR A - Unable to perform policy request
        2026-11-20 09:00:02,000 [1] INFO  A - heartbeat 2
        System.Net.WebException: The remote name could not be resolved: 'entitlement-search.bentley.com'
           at System.Net.HttpWebRequest.GetResponse()
        2026-11-20 09:00:03,000 [1] INFO  A - heartbeat 3
        2026-11-20 09:59:59,000 [1] INFO  A - last heartbeat

        """

    @Test("skips lines that say nothing, keeps stack traces of skipped lines, and the last stamp")
    func filtered() throws {
        let options = LogReader.Options(keepLine: { LogMessageClassifier.recognises(bytes: $0) })
        let entries = LogReader.entries(in: Data(log.utf8), file: "logs/x.log", options: options)
        #expect(entries.map(\.message) == ["Unable to perform policy request", "heartbeat 2", "last heartbeat"])
        #expect(entries[1].continuation.count == 2)
        #expect(entries[1].source.line == 3)
        #expect(LogMessageClassifier.classify(entries[1]).contains(.dnsFailure))
        #expect(entries.last?.time == LicensingDate.parse("2026-11-20T09:59:59Z"))
        let all = LogReader.entries(in: Data(log.utf8), file: "logs/x.log")
        #expect(all.count == 5)
    }
}

@Suite("LogReader with lines decided ahead")
struct LogReaderDecisionTests {
    /// A log with what the reader must get right: CRLF and LF, stack traces after skipped and
    /// kept lines, a line longer than the limit, blank lines, and known messages among noise.
    static let log: [UInt8] = {
        var text = ""
        for index in 0..<400 {
            let stamp = String(format: "2026-11-20 09:%02d:%02d,%03d [7] ", index / 60 % 60, index % 60, index % 1000)
            switch index % 9 {
            case 0: text += stamp + "INFO  A - Policy refreshed. PolicyId=\(index)\r\n"
            case 1: text += stamp + "DEBUG A - heartbeat \(index)\n   at Frame.One()\r\n   at Frame.Two()\n"
            case 2: text += stamp + "ERROR A - The remote server returned an error: (401) Unauthorized.\n"
            case 3: text += stamp + "INFO  A - " + String(repeating: "long ", count: 40) + "timed out\n"
            case 4: text += "\n" + stamp + "INFO  A - nothing to say\n"
            default: text += stamp + "INFO  A - Cache hit for key \(index)\n"
            }
        }
        return Array(text.utf8)
    }()

    static func options() -> LogReader.Options {
        LogReader.Options(maxLineLength: 120, keepLine: { LogMessageClassifier.recognises(bytes: $0) })
    }

    static func read(chunkSize: Int, decideAhead: Bool) -> [LogEntry] {
        var reader = LogReader(file: "logs/x.log", options: options())
        var entries: [LogEntry] = []
        var start = 0
        while start < log.count {
            let chunk = Array(log[start..<min(log.count, start + chunkSize)])
            chunk.withUnsafeBufferPointer { bytes in
                let decisions = decideAhead ? LogReader.decide(bytes, options: options()) : nil
                reader.feed(UnsafeRawBufferPointer(bytes), decisions: decisions) { entries.append($0) }
            }
            start += chunkSize
        }
        reader.finish { entries.append($0) }
        return entries
    }

    @Test("decisions made ahead give the same entries as asking line by line, for any chunking",
          arguments: [97, 1000, 4096, 5000, 65_536])
    func sameEntries(chunkSize: Int) {
        let plain = Self.read(chunkSize: chunkSize, decideAhead: false)
        let decided = Self.read(chunkSize: chunkSize, decideAhead: true)
        #expect(plain.count > 100)
        #expect(decided == plain)
        #expect(plain.contains { $0.message.hasPrefix("heartbeat") && $0.continuation.count == 2 })
        #expect(!plain.contains { $0.message.hasPrefix("Cache hit") })
    }

    @Test("a chunk's decisions cover its whole lines only, and keep what keepLine keeps")
    func covered() throws {
        let text = Array("partial tail\n2026-11-20 09:00:00 INFO A - heartbeat\n2026-11-20 09:00:01 INFO A - Policy refreshed\nnext line sta".utf8)
        let decisions = try #require(text.withUnsafeBufferPointer { LogReader.decide($0, options: Self.options()) })
        #expect(decisions.covered == 13..<(text.count - 13))
        #expect(decisions.kept == [52])
    }
}
