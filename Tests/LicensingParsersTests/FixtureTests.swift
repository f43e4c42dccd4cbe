import Foundation
import LicensingModel
import TestSupport
import Testing
@testable import LicensingParsers

/// Every synthetic client root of `Fixtures/clients/` reads without errors or warnings.
@Suite("Fixture client roots")
struct FixtureTests {
    static let roots: [URL] = {
        let folder = RepoPaths.fixture("clients")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }.filter { $0.hasDirectoryPath || isDirectory($0) }
    }()

    static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }

    static func files(in root: URL) -> [(url: URL, relative: String)] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }.sorted().map { (root.appendingPathComponent($0), $0) }
    }

    @Test("each root's files parse cleanly", arguments: roots)
    func root(_ root: URL) throws {
        var problems: [String] = []
        var parsedKinds: Set<String> = []
        for (url, relative) in Self.files(in: root) {
            let name = url.lastPathComponent.lowercased()
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            do {
                switch true {
                case name.hasSuffix(".reg"):
                    let parsed = try RegistryExportParser.parse(data, file: relative)
                    problems += parsed.warnings.map(\.description)
                    parsedKinds.insert("registry")
                case name == "tasklist.csv":
                    if try TasklistParser.parse(data, file: relative).isEmpty { problems.append("\(relative): no processes") }
                    parsedKinds.insert("tasklist")
                case name.hasPrefix("licusagelog") && name.hasSuffix(".csv"):
                    problems += try UsageLogParser.parse(data, file: relative).warnings.map(\.description)
                case relative.contains(".system/events/"):
                    problems += try EventExportParser.parse(data, file: relative).warnings.map(\.description)
                    parsedKinds.insert("events")
                case name == "connect-client.json":
                    _ = try ConnectClientParser.parse(data, file: relative)
                    parsedKinds.insert("connect-client")
                case name == "featurelevelselector.xml":
                    problems += try FeatureLevelSelectorParser.parse(data, file: relative).warnings.map(\.description)
                case name.hasSuffix(".exe.config"):
                    _ = try DotNetConfigParser.parse(data, file: relative)
                case name.hasSuffix(".belic"):
                    let checkout = try PolicyDecoder.checkout(from: data, file: relative)
                    problems += checkout.policy.notes.map { "\(relative): \($0)" }
                case name.hasSuffix(".log"):
                    let entries = LogReader.entries(in: data, file: relative)
                    if entries.isEmpty { problems.append("\(relative): no entries") }
                    problems += entries.filter { $0.time == nil }.map { "\(relative):\($0.source.line ?? 0): no stamp" }
                    parsedKinds.insert("logs")
                default:
                    break
                }
            } catch {
                problems.append("\(error)")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(parsedKinds.isSuperset(of: ["registry", "tasklist", "events", "logs"]), "\(parsedKinds)")
    }
}

/// What analysis keys on is visible in the fixtures that plant it.
@Suite("Fixture evidence", .enabled(if: FileManager.default.fileExists(atPath: RepoPaths.fixture("clients/healthy").path)))
struct FixtureEvidenceTests {
    static func root(_ name: String) -> URL { RepoPaths.fixture("clients/\(name)") }

    static func signals(in name: String) -> [LogSignal] {
        var signals: [LogSignal] = []
        for (url, relative) in FixtureTests.files(in: root(name)) where relative.hasSuffix(".log") {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            for entry in LogReader.entries(in: data, file: relative) {
                signals += LogMessageClassifier.classify(entry).filter { !signals.contains($0) }
            }
        }
        return signals
    }

    static func info(_ name: String) throws -> ClientInfo {
        let registry = root(name).appendingPathComponent(".system/registry")
        let hklm = try RegistryExportParser.parse(Data(contentsOf: registry.appendingPathComponent("HKLM.reg")),
                                                  file: ".system/registry/HKLM.reg").value
        let hkcu = try RegistryExportParser.parse(Data(contentsOf: registry.appendingPathComponent("HKCU.reg")),
                                                  file: ".system/registry/HKCU.reg").value
        return ClientInfoExtractor.extract(hklm: hklm, hkcu: hkcu)
    }

    @Test("not signed in: 401, authentication required, 'Click here to sign in'")
    func notSignedIn() {
        let signals = Self.signals(in: "not-signed-in")
        #expect(signals.contains(.http(status: 401)))
        #expect(signals.contains(.authenticationRequired))
        #expect(signals.contains(.signedOut))
    }

    @Test("network blocked: 407, TLS, DNS and timeouts to the Bentley endpoints")
    func networkBlocked() {
        let signals = Self.signals(in: "network-blocked")
        #expect(signals.contains(.http(status: 407)))
        #expect(signals.contains(.tlsError))
        #expect(signals.contains(.dnsFailure))
        #expect(signals.contains(.timeout(host: "connect-ulastm.bentley.com")))
    }

    @Test("country mismatch: usage in IE from a machine in GB")
    func countryMismatch() throws {
        let signals = Self.signals(in: "country-mismatch")
        #expect(signals.contains { if case .usageRecord(country: "IE", _, productId: 1000) = $0 { true } else { false } })
        #expect(try Self.info("country-mismatch").geoCountry == "GB")
    }

    @Test("CC 11 on Windows 7, and the service crashing")
    func windows7() throws {
        let info = try Self.info("client-os-unsupported")
        #expect(info.isWindows7)
        #expect(info.ccVersion == ClientVersion("11.00.03.14"))
        #expect(VersionTable.default.assess(try #require(info.ccVersion), windows7: info.isWindows7) == .unsupportedOnOS)
        let events = Self.root("client-os-unsupported").appendingPathComponent(".system/events")
        let application = try EventExportParser.parse(Data(contentsOf: events.appendingPathComponent("Application.xml")),
                                                      file: "Application.xml", log: "Application").value
        #expect(application.contains { [1000, 1026].contains($0.eventId) && $0.mentions("Bentley.Licensing.Service.exe") })
        let system = try EventExportParser.parse(Data(contentsOf: events.appendingPathComponent("System.xml")),
                                                 file: "System.xml", log: "System").value
        #expect(system.contains { [7031, 7034].contains($0.eventId) })
    }

    @Test("a checkout made on another machine names that machine")
    func wrongMachine() throws {
        let url = Self.root("checkout-wrong-machine")
            .appendingPathComponent("Users/jdoe/Downloads/7D3C2A91-5B1E-4F08-A6C2-9E41D0B7F352_LAPTOP-JDOE-02.belic")
        let checkout = try PolicyDecoder.checkout(from: Data(contentsOf: url), file: "x.belic")
        #expect(checkout.machineName == "LAPTOP-JDOE-02")
        #expect(checkout.certificatePresent)
        #expect(!checkout.isValid(onMachine: try Self.info("checkout-wrong-machine").computerName,
                                  at: TestData.date("2026-11-20T10:00:00Z")))
    }
}
