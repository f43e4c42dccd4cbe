import Foundation
import LicensingModel
import Testing
@testable import LicensingParsers

@Suite("CSV: tasklist and usage logs")
struct CSVTests {
    static let tasklist = #"""
    "Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"
    "System Idle Process","0","Services","0","8 K","Unknown","NT AUTHORITY\SYSTEM","100:00:00","N/A"
    "Bentley.Licensing.Service.exe","4242","Services","0","41,220 K","Unknown","NT AUTHORITY\SYSTEM","0:00:05","N/A"
    "Bentley.Connect.Client.exe","5150","Console","1","120,004 K","Running","CONTOSO\jdoe","0:01:10","CONNECTION Client, ""signed in"""
    """#

    @Test("tasklist CSV with quoted commas and doubled quotes, as UTF-16LE")
    func tasklistUTF16() throws {
        let text = Self.tasklist.replacingOccurrences(of: "\n", with: "\r\n")
        let processes = try TasklistParser.parse(TestData.utf16LE(text), file: ".system/tasklist.csv")
        #expect(processes.count == 3)
        let service = try #require(processes.first { $0.imageName == "Bentley.Licensing.Service.exe" })
        #expect(service.pid == 4242)
        #expect(service.sessionName == "Services")
        #expect(service.windowTitle == nil)
        #expect(service.source == SourceRef(file: ".system/tasklist.csv", line: 3))
        let client = try #require(processes.last)
        #expect(client.user == #"CONTOSO\jdoe"#)
        #expect(client.windowTitle == #"CONNECTION Client, "signed in""#)
    }

    @Test("a quoted field may hold a line break; line numbers follow the records")
    func embeddedNewline() {
        let rows = CSVReader(text: "a,\"b\nc\",d\r\ne,f,g").rows
        #expect(rows.map(\.fields) == [["a", "b\nc", "d"], ["e", "f", "g"]])
        #expect(rows.map(\.line) == [1, 3])
    }

    @Test("usage log columns are read by header name, extra columns ignored")
    func usageLog() throws {
        let header = (["Extra"] + UsageRecord.columns.reversed()).joined(separator: ",")
        var values: [String: String] = [
            "ProductId": "1000", "UsageCountryISO": "US", "UsageType": "Trial", "FeatureString": "",
            "StartTimeUTC": "2026-11-19T08:00:00.1234567Z", "ProductVersion": "1000200030004", "MachineName": "PC-01",
        ]
        values["Extra"] = "ignored"
        let row = (["Extra"] + UsageRecord.columns.reversed()).map { values[$0] ?? "" }.joined(separator: ",")
        let parsed = try UsageLogParser.parse(Data((header + "\n" + row + "\n").utf8), file: "LicUsageLog.x.csv")
        let record = try #require(parsed.value.first)
        #expect(parsed.warnings.isEmpty)
        #expect(record.productId == 1000)
        #expect(record.usageCountryISO == "US")
        #expect(record.usageType == "Trial")
        #expect(record.startTimeUTC == TestData.date("2026-11-19T08:00:00.1234567Z"))
        #expect(record.productVersion.flatMap(ClientVersion.init)?.parts == [1, 2, 3, 4])
        #expect(record.source.line == 2)
    }

    @Test("a CSV without usage columns is not a usage log")
    func notUsageLog() {
        #expect(throws: ParseError.self) {
            try UsageLogParser.parse(Data("a,b\n1,2\n".utf8), file: "LicUsageLog.x.csv")
        }
    }
}
