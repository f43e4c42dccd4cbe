import ArchiveKit
import CollectKit
import Foundation
import Testing
import TestSupport
import XMLKit

@Suite("logcollect: a complete bundle")
struct CollectorTests {
    // Checks each entry's SHA-256 with /usr/bin/sha256sum: Linux only.
    #if !os(Windows)
    @Test("a healthy client gives a complete bundle whose manifest lists every entry with its checksum")
    func healthyBundle() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("bundle.zip")
        var collect = options(root: ClientFixtures.root("healthy"), output: output)
        collect.caseNumber = "CS-1234"
        collect.label = "trial mode after update"
        let summary = try Collector.run(collect)
        #expect(summary.complete)
        let files = try bundleContents(output)
        let manifest = try manifest(output)
        #expect(manifest.collectedAt == ClientFixtures.now)
        #expect(manifest.caseNumber == "CS-1234")
        #expect(manifest.host == "WS-JDOE-01")
        #expect(manifest.user == "jdoe")
        #expect(manifest.timeZone == "GMT Standard Time")
        #expect(Set(manifest.entries.map(\.path)).union(["manifest.json"]) == Set(files.keys))
        for entry in manifest.entries {
            let data = try #require(files[entry.path])
            #expect(Int64(data.count) == entry.size, "\(entry.path)")
            #expect(sha256Hex(data) == entry.sha256, "\(entry.path)")
        }
        for required in ["client/system-info.json", "licensing/LicensingStore.db", "licensing/entitlements.xml",
                         "licensing/product-status.xml", "system/registry/HKLM.reg", "system/tasklist.csv",
                         "client/connect-client.json"] {
            #expect(files[required] != nil, "\(required) is missing")
        }
        #expect(files.keys.contains { $0.hasPrefix("logs/Licensing Service/") })
        #expect(manifest.sources.allSatisfy { $0.outcome == .ok }, "\(manifest.sources.filter { $0.outcome != .ok })")
    }
    #endif

    @Test("every manifest entry names its source, and each source counts its own entries",
          arguments: ["healthy", "checkout-expired", "checkout-wrong-machine"])
    func manifestSourcesAgree(fixture: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("bundle.zip")
        _ = try Collector.run(options(root: ClientFixtures.root(fixture), output: output))
        let manifest = try manifest(output)
        let names = Set(manifest.sources.map(\.name))
        for entry in manifest.entries {
            #expect(names.contains(entry.source), "\(entry.path) names \(entry.source), not a source")
        }
        for source in manifest.sources {
            #expect(source.entries == manifest.entries.filter { $0.source == source.name }.count, "\(source.name)")
        }
        if fixture != "healthy" {
            #expect(manifest.source("checkouts")?.entries == 1, "the fixture's .belic")
        }
    }

    @Test("the Licensing Tool dumps validate against the XSDs in docs/schemas", arguments: ["healthy", "not-entitled", "checkout-expired", "no-policy"])
    func dumpsValidate(fixture: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("bundle.zip")
        _ = try Collector.run(options(root: ClientFixtures.root(fixture), output: output))
        let files = try bundleContents(output)
        for (entry, schema) in [("licensing/entitlements.xml", "entitlements.xsd"), ("licensing/product-status.xml", "product-status.xsd")] {
            guard let document = files[entry] else {
                #expect(fixture == "no-policy", "\(entry) missing in \(fixture)")
                continue
            }
            let validator = try XMLSchemaValidator(schema: Data(contentsOf: RepoPaths.root.appendingPathComponent("docs/schemas/\(schema)")))
            try validator.validate(document, name: entry)
        }
    }

    @Test("the product status dump gives the status the client would: NotEntitled for an absent product")
    func productStatusIsDecided() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("bundle.zip")
        _ = try Collector.run(options(root: ClientFixtures.root("not-entitled"), output: output))
        let dump = try #require(try bundleContents(output)["licensing/product-status.xml"])
        let root = try #require(try XMLPullReader(data: dump).readElement())
        #expect(root.children("Product").contains { $0["status"] == "NotEntitled" && $0["statusCode"] == "110" })
    }

    @Test("no planted secret reaches a bundle, with or without --redact", arguments: ClientFixtures.names)
    func noSecretsLeak(fixture: String) throws {
        let secrets = ClientFixtures.secrets(fixture)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for redact in [false, true] {
            let output = dir.path("bundle-\(redact).zip")
            var collect = options(root: ClientFixtures.root(fixture), output: output)
            collect.redact = redact
            _ = try Collector.run(collect)
            for (path, data) in try bundleContents(output) {
                for secret in secrets {
                    #expect(!contains(data, secret), "\(secret) leaked into \(path) (redact: \(redact))")
                }
                if redact {
                    for identity in ["jane.doe@example.com", "WS-JDOE-01"] {
                        #expect(!contains(data, identity), "\(identity) left in \(path) with --redact")
                    }
                }
            }
        }
    }

    @Test("--redact gives the same pseudonym in every file")
    func pseudonymsAreConsistent() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("bundle.zip")
        var collect = options(root: ClientFixtures.root("healthy"), output: output)
        collect.redact = true
        collect.redactKey = "fixed-key"
        _ = try Collector.run(collect)
        let manifest = try manifest(output)
        let host = try #require(manifest.host)
        #expect(host.hasPrefix("HOST-"))
        let files = try bundleContents(output)
        let withHost = files.filter { contains($0.value, host) }.map(\.key)
        #expect(withHost.contains("system/registry/HKLM.reg"))
        #expect(withHost.contains("client/system-info.json"))
        #expect(manifest.pseudonymized)
    }

    @Test("an existing output is not replaced without --force, and is with it")
    func force() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("bundle.zip")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: output))
        #expect(throws: CollectError.self) { try Collector.run(options(root: ClientFixtures.root("healthy"), output: output)) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data("precious".utf8))
        var forced = options(root: ClientFixtures.root("healthy"), output: output)
        forced.force = true
        _ = try Collector.run(forced)
        #expect(try bundleContents(output)["manifest.json"] != nil)
    }

    // Runs the built logcollect by its Linux name: Linux (and macOS) only.
    #if !os(Windows)
    @Test("the default name is BentleySupport_<MACHINE>_<yyyyMMdd_HHmmss>.zip")
    func defaultName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try runTool(BuiltProducts.path("logcollect"),
                                 ["--root", ClientFixtures.root("healthy").path, "--now", ClientFixtures.now],
                                 currentDirectory: dir.url)
        #expect(result.status == 0, "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: dir.path("BentleySupport_WS-JDOE-01_20261120_100000.zip")))
    }
    #endif
}

func contains(_ data: Data, _ text: String) -> Bool {
    data.range(of: Data(text.utf8)) != nil || data.range(of: Data(text.lowercased().utf8)) != nil
}

// /usr/bin/sha256sum, for the Linux-only healthyBundle test.
#if !os(Windows)
func sha256Hex(_ data: Data) -> String {
    let result = try? runToolWithInput("/usr/bin/sha256sum", [], input: data)
    return String(result?.split(separator: " ").first ?? "")
}

func runToolWithInput(_ tool: String, _ arguments: [String], input: Data) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self)
}
#endif
