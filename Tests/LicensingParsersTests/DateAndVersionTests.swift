import Foundation
import LicensingModel
import Testing
@testable import LicensingParsers

@Suite("Dates and versions")
struct DateAndVersionTests {
    @Test("the three policy date formats read as the same instants the service meant", arguments: [
        ("2019-11-13T16:09:45.8755003Z", 1_573_661_385.8755003),
        ("2020-11-13T05:59:59.535+00:00", 1_605_247_199.535),
        ("2022-04-26T00:00:00", 1_650_931_200.0),
        ("2026-11-20T10:15:22.123+01:00", 1_795_166_122.123),
        ("2026-11-20T10:15:22-0500", 1_795_187_722.0),
        ("\"2022-04-26\"", 1_650_931_200.0),
        ("/Date(1605247199535)/", 1_605_247_199.535),
    ])
    func policyDates(text: String, epoch: Double) throws {
        let date = try #require(LicensingDate.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.0005)
    }

    @Test("text that is not a date is rejected, not misread", arguments: [
        "", "2026-13-01T00:00:00Z", "2026-11-20T25:00:00Z", "20261120", "2026-11-20T10:15:22Zjunk", "yesterday",
    ])
    func notDates(text: String) {
        #expect(LicensingDate.parse(text) == nil)
    }

    @Test("a log4net stamp is the machine's local time")
    func log4netLocalTime() throws {
        let london = try #require(TimeZone(identifier: "Europe/London"))
        let summer = try #require(LicensingDate.parseLog4net("2026-07-20 10:15:22,123", timeZone: london))
        #expect(summer == TestData.date("2026-07-20T09:15:22.123Z"))
        let winter = try #require(LicensingDate.parseLog4net("2026-11-20 10:15:22,123", timeZone: london))
        #expect(winter == TestData.date("2026-11-20T10:15:22.123Z"))
    }

    @Test("formatting writes ISO-8601 UTC")
    func formatting() {
        #expect(LicensingDate.format(TestData.date("2026-11-20T10:00:00Z")) == "2026-11-20T10:00:00Z")
        #expect(LicensingDate.format(TestData.date("1969-12-31T23:59:59.250Z")) == "1969-12-31T23:59:59.250Z")
    }

    @Test("CC versions compare numerically and read the packed store form")
    func versions() throws {
        let packed = try #require(ClientVersion("1000200030004"))
        #expect(packed.parts == [1, 2, 3, 4])
        #expect(try #require(ClientVersion("23000000010010")).parts == [23, 0, 1, 10])
        let old = try #require(ClientVersion("10.00.19.31"))
        let new = try #require(ClientVersion("11.00.03.14"))
        #expect(old < new)
        #expect(try #require(ClientVersion("9.2")) < old)
        #expect(new.description == "11.00.03.14")
        #expect(try #require(ClientVersion("11.0.3.14")) == new)
        #expect(ClientVersion("eleven") == nil)
        #expect(ClientVersion("1.2.3.4.5") == nil)
    }

    @Test("the built-in versions table decodes and judges CC on Windows 7 and later")
    func versionTable() throws {
        let table = VersionTable.default
        #expect(table.latest == ClientVersion(23, 0, 1, 10))
        let cc11 = try #require(ClientVersion("11.00.03.14"))
        #expect(table.assess(cc11, windows7: true) == .unsupportedOnOS)
        #expect(table.assess(cc11, windows7: false) == .supported)
        #expect(table.assess(try #require(ClientVersion("10.00.19.31")), windows7: true) == .supported)
        #expect(table.assess(try #require(ClientVersion("10.00.12.00")), windows7: false) == .outdated)
        #expect(table.assess(try #require(ClientVersion("23.00.01.10")), windows7: false) == .latest)
        let custom = try VersionTable(json: Data(#"{"latest":"24.0.0.1","minimumSupported":"12.0","windows7Maximum":"10.00.19.31","windows7MaxMajor":10}"#.utf8))
        #expect(custom.minimumSupported == ClientVersion(12))
        #expect(custom.selfRenewingTokenSince == nil)
    }

    @Test("status codes and names both read")
    func statusNames() {
        #expect(LicenseStatus(code: 110) == .notEntitled)
        #expect(LicenseStatus(name: "NotEntitled") == .notEntitled)
        #expect(LicenseStatus(name: "disabledbypolicy") == .disabledByPolicy)
        #expect(LicenseStatus.trial.name == "Trial")
        #expect(LicenseStatus(code: 103) == nil)
        #expect(AccessKind(code: 3) == .denied)
        #expect(AccessKind(code: 9) == .unknown(9))
    }
}
