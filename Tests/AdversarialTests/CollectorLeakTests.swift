import ArchiveKit
import CollectKit
import Foundation
import SQLiteKit
import Testing
import TestSupport

// Runs /bin/gzip and /usr/bin/unzip, and deletes files under the collector with unlink/truncate: Linux (and macOS) tests.
#if !os(Windows)

/// The collector against a client machine that holds secrets everywhere, and files that change
/// under it. CollectKitTests checks the secrets the fixtures already plant, one kind per file;
/// here every source holds several at once, in every encoding the machine uses.
@Suite("logcollect: secrets in every source, files that vanish", .serialized)
struct CollectorLeakTests {
    static let profile = "Users/jdoe/AppData/Local/Bentley"
    static let client = "Program Files/Common Files/Bentley Shared/CONNECTION Client"

    @Test("no secret planted in any source reaches the bundle, with or without --redact", arguments: [false, true])
    func secretsInEverySource(redact: Bool) throws {
        let dir = try TemporaryDirectory("leak")
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let secrets = try PlantedSecrets.plant(in: root)
        let output = dir.path("bundle.zip")
        var options = CollectOptions(root: root.path)
        options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
        options.output = output
        options.redact = redact
        _ = try Collector.run(options)
        #expect(FileManager.default.fileExists(atPath: output), "the bundle is written, not refused")
        let files = try BundleFiles.read(output)
        // Every source with a secret was collected: the secrets were removed, not the files.
        for required in ["licensing/LicensingStore.db", "licensing/usage/", "client/config/Bentley.Connect.Client.exe.config",
                         "client/config/LicService/", "system/registry/HKCU.reg", "client/connect-client.json",
                         "system/tasklist.csv", "system/events/Application.xml", "licensing/checkouts/",
                         "logs/Licensing Service/Bentley.Licensing.Service.log", "logs/License Tool/Bentley.Licensing.LicenseTool.log",
                         "logs/CONNECTION Client/Bentley.Connect.Client.2.log"] {
            #expect(files.keys.contains { $0.hasPrefix(required) }, "\(required) is not in the bundle: \(files.keys.sorted())")
        }
        for (path, data) in files {
            for secret in secrets {
                for form in SecretForms.of(secret.value) where data.range(of: form) != nil {
                    Issue.record("\(secret.name) (planted in \(secret.place)) leaked into \(path) (redact: \(redact))")
                }
            }
        }
    }

    @Test("log files that vanish or shrink while they are collected: a valid bundle, every entry listed, cut entries marked")
    func filesVanish() throws {
        let dir = try TemporaryDirectory("vanish")
        defer { dir.remove() }
        let root = try ClientFixtures.copy("healthy", into: dir)
        let folder = root.appendingPathComponent(Self.profile + "/Logs/Licensing Service")
        var originals: [String: Data] = [:]
        for index in 0..<300 {
            let name = String(format: "Bentley.Licensing.Service.extra-%03d.log", index)
            let text = (0..<200).map { "2026-11-20 09:\(String(format: "%02d", $0 % 60)):00,000 [1] INFO  X - file \(index) line \($0)\r\n" }.joined()
            originals[name] = Data(text.utf8)
            try originals[name]?.write(to: folder.appendingPathComponent(name))
        }
        let shrinking = folder.appendingPathComponent("Bentley.Licensing.Service.shrinking.log")
        let line = Data("2026-11-20 09:59:59,000 [1] INFO  X - about to be truncated\r\n".utf8)
        try Data((0..<200_000).flatMap { _ in line }).write(to: shrinking)

        // Deletes the extra logs one by one and truncates the big one while collection runs.
        let names = originals.keys.sorted().shuffled()
        let vandal = Thread {
            for (index, name) in names.enumerated() {
                unlink(folder.appendingPathComponent(name).path)
                if index == 20 { truncate(shrinking.path, 4096) }
                usleep(500)
            }
        }
        vandal.start()
        let output = dir.path("bundle.zip")
        var options = CollectOptions(root: root.path)
        options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
        options.output = output
        _ = try Collector.run(options)
        while !vandal.isFinished { usleep(1000) }

        #expect(try runTool("/usr/bin/unzip", ["-tq", output]).status == 0)
        let files = try BundleFiles.read(output, inflateGzip: false)
        let manifest = try #require(try JSONSerialization.jsonObject(with: files["manifest.json"] ?? Data()) as? [String: Any])
        var listed: [String: [String: Any]] = [:]
        for entry in manifest["entries"] as? [[String: Any]] ?? [] {
            guard let path = entry["path"] as? String else { continue }
            listed[path] = entry
            let data = try #require(files[path], "\(path) is in the manifest but not in the bundle")
            #expect(entry["size"] as? Int == data.count, "\(path): the manifest's size is what was written")
        }
        #expect(Set(files.keys).subtracting(listed.keys) == ["manifest.json"], "the ZIP holds no entry the manifest does not list")
        for (name, original) in originals {
            let path = "logs/Licensing Service/\(name)"
            guard let collected = files[path] else { continue }  // gone before it was opened: left out
            if collected != original {
                // It vanished between opening and reading: what was read is kept, and said so.
                #expect(listed[path]?["truncated"] as? Bool == true, "\(name): cut short but not marked truncated")
                #expect((listed[path]?["note"] as? String)?.contains("reading stopped") == true, "\(name): no note says why")
            }
        }
        let shrunk = "logs/Licensing Service/Bentley.Licensing.Service.shrinking.log"
        if let collected = files[shrunk] {
            #expect(collected.count % line.count == 0 || collected.count == 4096, "whole lines, or what was left")
            if collected.count != 4096 && collected.count != 200_000 * line.count {
                #expect(listed[shrunk]?["truncated"] as? Bool == true, "cut short while read but not marked truncated")
            }
        }
    }
}

/// One secret planted in the client root.
struct PlantedSecret {
    let name: String
    let value: String
    let place: String
}

/// Plants secrets in every source of a client root (a copy of a fixture).
enum PlantedSecrets {
    /// A JWT with a distinctive signature: header and claims are not secret, the signature is.
    static func jwt(claims: String, signature: String) -> String {
        func base64URL(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return base64URL(#"{"alg":"RS256","typ":"JWT"}"#) + "." + base64URL(claims) + "." + signature
    }

    static func plant(in root: URL) throws -> [PlantedSecret] {
        var secrets: [PlantedSecret] = []
        func secret(_ name: String, _ value: String, _ place: String) -> String {
            secrets.append(PlantedSecret(name: name, value: value, place: place))
            return value
        }
        let profile = root.appendingPathComponent(CollectorLeakTests.profile)
        let client = root.appendingPathComponent(CollectorLeakTests.client)
        let stamp = "2026-11-20 09:40:00,000"

        // Logs: a bearer JWT, OAuth tokens in a URL, a SAML assertion over several lines.
        let bearer = jwt(claims: #"{"sub":"jdoe","aud":"licensing"}"#, signature: secret("bearer signature", "SigBearerLeakCanary9f8e7d6c5b4a", "service log"))
        let serviceLog = """
            \(stamp) [7] DEBUG Bentley.Licensing.Service.Http - Authorization: Bearer \(bearer)\r
            \(stamp) [7] DEBUG Bentley.Licensing.Service.Http - GET https://connect-ulastm.bentley.com/v2/policy?access_token=\(secret("access token", "AtLeakCanary0a1b2c3d4e5f", "service log"))&refresh_token=\(secret("refresh token", "RtLeakCanary6a7b8c9d0e1f", "service log"))\r
            \(stamp) [7] DEBUG Bentley.Licensing.Service.Ims - Token response: <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1">\r
              <saml:Subject><saml:NameID>\(secret("SAML subject", "SamlSubjectLeakCanary42", "service log"))</saml:NameID></saml:Subject>\r
              <ds:SignatureValue>\(secret("SAML signature", "SamlSignatureLeakCanaryQUJDREVG", "service log"))</ds:SignatureValue>\r
            </saml:Assertion>\r
            \(stamp) [7] INFO  Bentley.Licensing.Service.PolicyManager - Policy refreshed.\r

            """
        try append(serviceLog, to: profile.appendingPathComponent("Logs/Licensing Service/Bentley.Licensing.Service.log"))
        try append("\(stamp) [3] INFO  Bentley.Licensing.LicenseTool - proxy login password=\(secret("tool log password", "PwToolLogLeakCanary77", "UTF-16 License Tool log"))\r\n",
                   to: profile.appendingPathComponent("Logs/License Tool/Bentley.Licensing.LicenseTool.log"))
        let rotated = profile.appendingPathComponent("Logs/CONNECTION Client/Bentley.Connect.Client.2.log")
        let ccToken = jwt(claims: #"{"sub":"jdoe"}"#, signature: secret("rotated log signature", "SigRotatedLeakCanary31415926", ".log.gz"))
        try Data("\(stamp) [1] INFO  Bentley.Connect.Client - Authorization: Bearer \(ccToken)\r\n".utf8).write(to: rotated)
        #expect(try runTool("/bin/gzip", ["-n", rotated.path]).status == 0)

        // Configs: a signed JWT in appSettings, proxy passwords (URL and key/value forms).
        let config = client.appendingPathComponent("Bentley.Connect.Client.exe.config")
        var text = try String(contentsOf: config, encoding: .utf8)
        let cached = jwt(claims: #"{"sub":"jdoe","scope":"licensing"}"#, signature: secret("config JWT signature", "SigConfigLeakCanary27182818", ".exe.config"))
        text = text.replacingOccurrences(of: "<appSettings>", with: "<appSettings>\n    <add key=\"CachedIdToken\" value=\"\(cached)\"/>")
        text = text.replacingOccurrences(of: "S3cr3tP%40ss", with: secret("config proxy password", "CfgProxyLeakCanary5150", ".exe.config"))
        try Data(text.utf8).write(to: config)
        let serviceConfig = client.appendingPathComponent("LicService/Bentley.Licensing.Service.exe.config")
        var service = try String(contentsOf: serviceConfig, encoding: .utf8)
        service = service.replacingOccurrences(of: "<appSettings>", with: """
            <appSettings>
                <add key="ProxyUrl" value="http://svc-lic:\(secret("service config proxy password", "SvcProxyLeakCanary8086", "service .exe.config"))@proxy.example.com:3128"/>
            """)
        try Data(service.utf8).write(to: serviceConfig)

        // The registry (UTF-16LE): a proxy URL with a password.
        let hkcu = root.appendingPathComponent(".system/registry/HKCU.reg")
        let reg = TextDecoding16.string(try Data(contentsOf: hkcu))
            .replacingOccurrences(of: "S3cr3tP%40ss", with: secret("registry proxy password", "RegProxyLeakCanary6502", "HKCU.reg"))
        try TextDecoding16.utf16LEWithBOM(reg).write(to: hkcu)

        // The store: an access key in the Policy table and inside the policy, signatures on the JWTs.
        let accessKey = secret("store access key", "AkStoreLeakCanary0123456789abcdef", "LicensingStore.db Policy.AccessKey")
        let policyJSON = """
            {"PolicyId":"leak-test","PolicyCreatedOn":"2026-11-20T08:00:00Z","PolicyExpiresOn":"2026-11-27T08:00:00Z",
             "RequestData":{"MachineName":"WS-JDOE-01","AccessKey":"\(accessKey)","UserId":"7d3c2a91-5b1e-4f08-a6c2-9e41d0b7f352"},
             "MachineSignature":"\(secret("machine signature", "MachineSigLeakCanaryZXCVBNM", "policy MachineSignature"))",
             "SecurableData":[{"SecurableId":"s1","ProductId":1000,"ProductName":"MicroStation","FeatureString":""}],
             "ACLs":[{"PrincipalId":"p","SecurableId":"s1","AccessKind":1,"ExpiresOn":"2026-12-20T00:00:00Z"}]}
            """
        let claims = #"{"iss":"http://policyservice.bentley.com","http://schemas.bentley.com/ws/2011/03/identity/claims/policy":""#
            + Data(policyJSON.utf8).base64EncodedString() + #""}"#
        let storePolicy = jwt(claims: claims, signature: secret("store JWT signature", "SigStoreLeakCanary14142135", "LicensingStore.db PolicyFile"))
        let checkoutPolicy = jwt(claims: claims, signature: secret("checkout row signature", "SigCheckoutRowLeakCanary1732", "LicensingStore.db Checkout"))
        let store = try SQLiteDatabase(path: profile.appendingPathComponent("Licensing/LicensingStore.db").path, writable: true)
        try store.execute("INSERT INTO Policy VALUES ('leak-test', '7d3c2a91-5b1e-4f08-a6c2-9e41d0b7f352', ?, '2026-11-27T08:00:00Z', '2026-11-20T08:00:00Z', ?)",
                          [.text(accessKey), .text(storePolicy)])
        try store.execute("INSERT INTO Checkout VALUES ('leak-checkout', 1000, '', '2026-12-20T00:00:00Z', '2026-11-20T08:00:00Z', ?)",
                          [.text(checkoutPolicy)])

        // A usage log whose newer client version writes the access key in a column of its own.
        let usageFolder = profile.appendingPathComponent("Licensing")
        let usage = try #require(try FileManager.default.contentsOfDirectory(atPath: usageFolder.path).first { $0.hasPrefix("LicUsageLog") })
        let usageURL = usageFolder.appendingPathComponent(usage)
        let csvKey = secret("usage CSV access key", "AkCsvLeakCanary9876543210fedcba", "LicUsageLog CSV")
        let rows = try String(contentsOf: usageURL, encoding: .utf8).components(separatedBy: "\n").filter { !$0.isEmpty }
        let widened = rows.enumerated().map { index, row in
            let clean = row.hasSuffix("\r") ? String(row.dropLast()) : row
            return clean + (index == 0 ? ",AccessKey" : ",\"\(csvKey)\"") + "\r\n"
        }.joined()
        try Data((widened + "\"AccessKey=\(csvKey)\"\r\n").utf8).write(to: usageURL)

        // A checked-out license in Downloads: its JWT signature.
        let belic = jwt(claims: claims, signature: secret("belic signature", "SigBelicLeakCanary16180339", ".belic"))
        let downloads = root.appendingPathComponent("Users/jdoe/Downloads")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        try Data("\(belic)\n\"\(Data("certificate".utf8).base64EncodedString())\"\n".utf8)
            .write(to: downloads.appendingPathComponent("7D3C2A91-5B1E-4F08-A6C2-9E41D0B7F352_WS-JDOE-01.belic"))

        // The CC API answer, the process list and the event log.
        let answer = root.appendingPathComponent(".system/connect-client.json")
        let ccJWT = jwt(claims: #"{"sub":"jdoe"}"#, signature: secret("CC API token signature", "SigConnectApiLeakCanary6626", "connect-client.json"))
        let json = try String(contentsOf: answer, encoding: .utf8)
            .replacingOccurrences(of: "\"HasUserAcceptedEULA\"", with: "\"AccessToken\": \"\(ccJWT)\",\n  \"HasUserAcceptedEULA\"")
        try Data(json.utf8).write(to: answer)
        try append("\"Bentley.Connect.Client.exe\",\"4242\",\"Console\",\"1\",\"80,000 K\",\"Running\",\"EXAMPLE\\jdoe\",\"0:00:05\",\"Signing in: access_token=\(secret("window title token", "AtWindowLeakCanary55aa66bb", "tasklist.csv"))\"\r\n",
                   to: root.appendingPathComponent(".system/tasklist.csv"))
        try append("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name=\".NET Runtime\"/><EventID>1026</EventID><Level>2</Level><TimeCreated SystemTime=\"2026-11-20T09:41:00.000Z\"/><Computer>WS-JDOE-01</Computer></System><EventData><Data>Application: Bentley.Licensing.Service.exe Authorization: Bearer \(jwt(claims: "{}", signature: secret("event signature", "SigEventLeakCanary4669201", "Application.xml")))</Data></EventData></Event>\n",
                   to: root.appendingPathComponent(".system/events/Application.xml"))
        return secrets
    }

    /// Appends text in the file's own encoding (UTF-16LE when it has that BOM).
    static func append(_ text: String, to url: URL) throws {
        let existing = try Data(contentsOf: url)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        if existing.starts(with: [0xFF, 0xFE]) {
            handle.write(TextDecoding16.utf16LEWithBOM(text).dropFirst(2))
        } else {
            handle.write(Data(text.utf8))
        }
    }
}

/// UTF-16LE with a BOM, as `reg export` and the License Tool write it.
enum TextDecoding16 {
    static func string(_ data: Data) -> String {
        let body = data.starts(with: [0xFF, 0xFE]) ? data.dropFirst(2) : data[...]
        let units = stride(from: body.startIndex, to: body.endIndex - 1, by: 2).map { UInt16(body[$0]) | UInt16(body[$0 + 1]) << 8 }
        return String(decoding: units, as: UTF16.self)
    }

    static func utf16LEWithBOM(_ text: String) -> Data {
        var data = Data([0xFF, 0xFE])
        for unit in text.utf16 { data.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        return data
    }
}

/// Every way a secret's bytes may show in a bundle: as UTF-8 (any case), UTF-16LE, or inside
/// base64 / base64url text at any of the three alignments (a key inside a JWT's claims).
enum SecretForms {
    static func of(_ secret: String) -> [Data] {
        var forms = [Data(secret.utf8), Data(secret.lowercased().utf8), TextDecoding16.utf16LEWithBOM(secret).dropFirst(2)]
        for shift in 0..<3 {
            let encoded = (Data(repeating: 0x41, count: shift) + Data(secret.utf8)).base64EncodedString()
            // Characters that mix in bytes before or after the secret differ by context: drop them.
            let core = encoded.dropFirst((shift * 4 + 2) / 3 + 1).dropLast(4)
            guard core.count >= 8 else { continue }
            forms.append(Data(core.utf8))
            forms.append(Data(core.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").utf8))
        }
        return forms
    }
}

/// Every file of a bundle; `.gz` entries inflated so that what is inside them is searched too.
enum BundleFiles {
    static func read(_ path: String, inflateGzip: Bool = true) throws -> [String: Data] {
        let reader = try ArchiveReader(path: path)
        var files: [String: Data] = [:]
        while let entry = try reader.nextEntry() {
            guard entry.kind == .file else { continue }
            if inflateGzip && entry.path.lowercased().hasSuffix(".gz") {
                let nested = try reader.nestedReader(as: .compressedStream)
                if try nested.nextEntry() != nil { files[entry.path] = try nested.readData(upTo: 256 << 20) }
            } else {
                files[entry.path] = try reader.readData(upTo: 256 << 20)
            }
        }
        return files
    }
}
#endif
