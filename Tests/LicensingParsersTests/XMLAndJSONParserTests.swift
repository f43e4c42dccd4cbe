import Foundation
import LicensingModel
import Testing
@testable import LicensingParsers

@Suite("Event exports, XML configs and the CC API answer")
struct XMLAndJSONParserTests {
    static func event(provider: String, id: Int, data: [String], computer: String = "PC-01") -> String {
        """
        <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
        <Provider Name='\(provider)'/><EventID Qualifiers='0'>\(id)</EventID><Level>2</Level>\
        <TimeCreated SystemTime='2026-11-19T08:00:00.123456700Z'/><Channel>Application</Channel>\
        <Computer>\(computer)</Computer><Security/></System><EventData>\
        \(data.map { "<Data>\($0)</Data>" }.joined())</EventData></Event>
        """
    }

    @Test("concatenated <Event> elements with no root read as events")
    func events() throws {
        let text = Self.event(provider: "Application Error", id: 1000, data: ["Bentley.Licensing.Service.exe", "11.0.3.14"])
            + "\r\n" + Self.event(provider: ".NET Runtime", id: 1026, data: ["Application: Bentley.Connect.Client.exe"])
            + "\r\n<Unknown/>\r\n"
        let parsed = try EventExportParser.parse(Data(text.utf8), file: ".system/events/Application.xml")
        #expect(parsed.warnings.isEmpty)
        let events = parsed.value
        #expect(events.count == 2)
        #expect(events[0].provider == "Application Error")
        #expect(events[0].eventId == 1000)
        #expect(events[0].level == 2)
        #expect(events[0].log == "Application")
        #expect(events[0].timeCreated == TestData.date("2026-11-19T08:00:00.1234567Z"))
        #expect(events[0].mentions("bentley.licensing.service.exe"))
        #expect(events[1].mentions("Bentley.Connect.Client.exe"))
        #expect(events[1].source.line == 2)
        let utf16 = try EventExportParser.parse(TestData.utf16LE(text), file: "Application.xml")
        #expect(utf16.value.map(\.eventId) == [1000, 1026])
    }

    @Test("a damaged tail keeps the events before it and says so")
    func damagedTail() throws {
        let text = Self.event(provider: "Service Control Manager", id: 7031, data: ["Bentley Licensing Service"])
            + "\n<Event><System><EventID>70"
        let parsed = try EventExportParser.parse(Data(text.utf8), file: "System.xml", log: "System")
        #expect(parsed.value.map(\.eventId) == [7031])
        #expect(parsed.value.first?.log == "System")
        #expect(parsed.warnings.count == 1)
    }

    @Test("Feature Level Selector defaults, with a product that has none")
    func featureLevels() throws {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <FeatureLevelSelector>
          <Product Id="2545" Name="OpenRoads Designer" DefaultFeature="OPENROADS-STANDARD"/>
          <Product Id="1000" Name="MicroStation" DefaultFeature=""/>
          <Product Id="abc" Name="Broken"/>
        </FeatureLevelSelector>
        """
        let parsed = try FeatureLevelSelectorParser.parse(Data(xml.utf8), file: "FeatureLevelSelector.xml")
        #expect(parsed.value.map(\.productId) == [2545, 1000])
        #expect(parsed.value[0].hasDefault)
        #expect(!parsed.value[1].hasDefault)
        #expect(parsed.value[0].source.line == 3)
        #expect(parsed.warnings.count == 1)
    }

    @Test(".exe.config appSettings and proxy")
    func dotNetConfig() throws {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <appSettings><add key="ServerUrl" value="https://connect.bentley.com"/><add key="LogLevel" value="Debug"/></appSettings>
          <system.net><defaultProxy enabled="true" useDefaultCredentials="true">
            <proxy proxyaddress="http://user:pw@proxy.contoso.com:8080" bypassonlocal="True" usesystemdefault="false"/>
          </defaultProxy></system.net>
        </configuration>
        """
        let config = try DotNetConfigParser.parse(Data(xml.utf8), file: "Bentley.Connect.Client.exe.config")
        #expect(config.appSettings == ["ServerUrl": "https://connect.bentley.com", "LogLevel": "Debug"])
        #expect(config.proxyEnabled == true)
        #expect(config.proxyBypassOnLocal == true)
        #expect(config.proxyUsesSystemDefault == false)
        let info = ClientInfoExtractor.extract(hklm: nil, hkcu: nil, config: config)
        #expect(info.configProxyAddress == "http://user:***@proxy.contoso.com:8080")
        #expect(info.appSettings["LogLevel"] == "Debug")
        #expect(throws: ParseError.self) { try DotNetConfigParser.parse(Data("<configuration>".utf8), file: "x.config") }
    }

    @Test("the CC API answer: status as code or name, GUIDs in any case, unknown fields")
    func connectClient() throws {
        let json = """
        {"IsInstalled": true, "IsRunning": "true", "IsLoggedIn": false, "NewField": {"x": 1},
         "SignedInUser": {"Email": "j.doe@contoso.com", "UserId": "A1B2C3D4-0000-4000-8000-00000000AAAA"},
         "LicenseService": {"IsInstalled": true, "IsRunning": true, "Products": [
           {"ProductId": 1000, "FeatureString": "", "Status": 110},
           {"ProductId": "2545", "FeatureString": "X", "Status": "Trial", "DaysRemaining": 12},
           {"ProductId": 1052, "Status": "Weird"}]}}
        """
        let state = try ConnectClientParser.parse(TestData.utf16LE(json), file: ".system/connect-client.json")
        #expect(state.isInstalled == true)
        #expect(state.isRunning == true)
        #expect(state.isLoggedIn == false)
        #expect(state.signedInEmail == "j.doe@contoso.com")
        #expect(GUIDText.same(state.signedInUserId, "a1b2c3d4-0000-4000-8000-00000000aaaa"))
        let products = try #require(state.licenseService?.products)
        #expect(products.map(\.status) == [.notEntitled, .trial, nil])
        #expect(products[1].productId == 2545)
        #expect(products[1].daysRemaining == 12)
        #expect(products[2].rawStatus == "Weird")
        #expect(throws: ParseError.self) { try ConnectClientParser.parse(Data("[1,2]".utf8), file: "c.json") }
    }
}

@Suite("manifest.json: source outcomes written and read")
struct ManifestOutcomeTests {
    static func manifest(_ sources: [Manifest.SourceOutcome]) -> Manifest {
        Manifest(tool: "logcollect 1.0", collectedAt: "2026-11-20T10:00:00Z", host: "WS-JDOE-01", user: "jdoe",
                 pseudonymized: false, machine: "live machine, system drive C:\\", logsSince: "2026-11-06T10:00:00Z",
                 entries: [], sources: sources)
    }

    @Test("unavailable is written as \"unavailable\" and read back; only missing, failed and timed-out are shortfalls")
    func unavailableRoundTrip() throws {
        let written = Self.manifest([
            .init(name: "client", outcome: .ok, durationMs: 12, entries: 3),
            .init(name: "connect-client", outcome: .unavailable, messages: ["the CONNECTION Client API has no public interface"]),
        ])
        let data = try written.encoded()
        #expect(String(decoding: data, as: UTF8.self).contains(#""outcome" : "unavailable""#))
        let read = try Manifest.decode(from: data)
        #expect(read == written)
        #expect(read.skippedSources.isEmpty)
        let outcomes: [Manifest.SourceOutcome.Outcome] = [.ok, .missing, .failed, .timedOut, .unavailable]
        #expect(outcomes.filter(\.isShortfall) == [.missing, .failed, .timedOut])
    }

    @Test("a source record with an outcome this reader does not know is skipped with a note; the rest is read")
    func unknownOutcome() throws {
        let json = """
            {"formatVersion": 1, "tool": "logcollect 9.0", "collectedAt": "2026-11-20T10:00:00Z", "host": "WS-JDOE-01",
             "entries": [], "sources": [
               {"name": "client", "outcome": "ok", "messages": [], "durationMs": 5, "entries": 2},
               {"name": "policy", "outcome": "deferred", "messages": ["asked later"], "durationMs": 1, "entries": 0},
               {"outcome": "ok"},
               {"name": "logs", "outcome": "timed-out", "messages": ["gave no answer within 600 s; left out"]}]}
            """
        let manifest = try Manifest.decode(from: Data(json.utf8))
        #expect(manifest.collectedAt == "2026-11-20T10:00:00Z")
        #expect(manifest.host == "WS-JDOE-01")
        #expect(manifest.sources == [
            .init(name: "client", outcome: .ok, durationMs: 5, entries: 2),
            .init(name: "logs", outcome: .timedOut, messages: ["gave no answer within 600 s; left out"]),
        ])
        #expect(manifest.skippedSources == [
            #"source "policy": outcome "deferred" is not one this reader knows; skipped"#,
            "a source record without a name; skipped",
        ])
    }
}
