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
        let options = LogReader.Options(keepLine: { !LogMessageClassifier.classify(bytes: $0).isEmpty })
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
