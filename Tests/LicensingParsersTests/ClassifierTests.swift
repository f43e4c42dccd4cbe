import Foundation
import LicensingModel
import Testing
@testable import LicensingParsers

@Suite("Known log messages")
struct ClassifierTests {
    @Test("each message of CLIENT-MODEL §9 is recognised, in any case", arguments: [
        ("Call to entitlements failed, getting policy from DB", LogSignal.policyFetchFailedUsingDB),
        ("authHandlerProvider is null, EntilementPolicyService GetPolicy requires authentication", .authenticationRequired),
        ("Policy token object is null. No policy obtained from entitlements or cached", .noPolicyObtained),
        ("LicenseStatus Returned: 110", .licenseStatusReturned(110)),
        ("licensestatus returned NotEntitled", .licenseStatusReturned(110)),
        ("Checkout found returning LicenseStatus OK", .checkoutFoundOK),
        ("Device ID does not match provided policy device id", .deviceIdMismatch),
        ("Product is evaluation, but is expired", .evaluationExpired),
        ("Database file is invalid or corrupted", .databaseCorrupt),
        ("UNABLE TO PERFORM POLICY REQUEST", .policyRequestFailed),
        ("RecordUsage - UsageLogEntry data: {productId:1000,country:GB,usageType:Production}",
         .usageRecord(country: "GB", usageType: "Production", productId: 1000)),
        (#"RecordUsage - UsageLogEntry data: {"ProductId": "2545", "Country": "US"}"#,
         .usageRecord(country: "US", usageType: nil, productId: 2545)),
        ("Policy refreshed. PolicyId=abc ExpiresOn=2026-11-27", .policyRefreshed),
        ("The remote server returned an error: (401) Unauthorized.", .http(status: 401)),
        ("Response status code does not indicate success: 403 (Forbidden).", .http(status: 403)),
        ("HTTP 407 from proxy", .http(status: 407)),
        ("Proxy Authentication Required", .http(status: 407)),
        ("The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.", .tlsError),
        ("The remote name could not be resolved: 'connect-ulastm.bentley.com'", .dnsFailure),
        ("The operation has timed out calling https://entitlement-search.bentley.com/v1/x",
         .timeout(host: "entitlement-search.bentley.com")),
        ("Request to connect-ulastm.bentley.com timed out", .timeout(host: "connect-ulastm.bentley.com")),
        ("Unable to connect to the remote server", .connectionFailed),
        ("Click here to sign in to CONNECTION Client and see entitlements", .signedOut),
        ("User is not signed in", .notSignedIn),
        ("ClientImpl::GetProductStatus: Valid License. You are in trial mode.", .trialMode),
        ("AccessKeyClientImpl::GetPolicy: AccessKey missing from portal(deleted), expired, or revoked", .accessKeyInvalid),
        ("ValidateAccessKey - Call to AccessKey service failed", .accessKeyInvalid),
        ("UlasProvider::PostUsageLogs ERROR: 212 logs failed to post.", .logsFailedToPost(count: 212)),
        ("logs failed to post", .logsFailedToPost(count: nil)),
        ("GET https://connect-agreement.bentley.com/api/v1/agreements/status failed", .agreementRequired),
        ("LicensingDb::OpenDb: Database file is invalid or corrupted, attempting to delete file and re-create as a Database",
         .databaseCorrupt),
        ("GET https://qa-connect-ulastm.bentley.com/licensing/v2/policy 200", .nonProductionEndpoint(host: "qa-connect-ulastm.bentley.com")),
        ("calling https://PERF-entitlement-search.bentley.com/v1", .nonProductionEndpoint(host: "perf-entitlement-search.bentley.com")),
    ])
    func known(message: String, signal: LogSignal) {
        #expect(LogMessageClassifier.classify(message).contains(signal))
    }

    @Test("ordinary messages give no signal", arguments: [
        "Starting Bentley Licensing Service version 11.0.3.14",
        "Loaded 12 products in 401 ms",
        "Product 1000 version 10.17.0.401 started",
        "Timeout set to 30 seconds",
        "Mapped drive from https://dev-portal.example.com and \\\\qa-fs01.example.local",
        "Opening https://qa-wiki.example.org/licensing in the browser",
        "",
    ])
    func ordinary(message: String) {
        #expect(LogMessageClassifier.classify(message).isEmpty)
    }

    @Test("a license status is not also an HTTP status; an HTTP word outside the phrase still counts", arguments: [
        ("LicenseStatus Returned: 110", [LogSignal.licenseStatusReturned(110)]),
        ("Checkout found returning LicenseStatus OK 101", [.checkoutFoundOK]),
        ("LicenseStatus Returned: 110 after HTTP 503", [.licenseStatusReturned(110), .http(status: 503)]),
    ])
    func licenseStatusIsNotHTTP(message: String, signals: [LogSignal]) {
        #expect(LogMessageClassifier.classify(message) == signals)
    }

    @Test("every trigger is at least four bytes long, so the 4-byte prefilter sees it whole")
    func triggersLongEnough() {
        for trigger in LogMessageClassifier.triggers { #expect(trigger.utf8.count >= 4, "\(trigger)") }
    }

    @Test("a phrase is found at every offset and with any text after it (the prefilter reads 8 bytes at a time)")
    func everyAlignment() {
        let phrases: [(String, LogSignal)] = [
            ("Policy refreshed", .policyRefreshed), ("timed out", .timeout(host: nil)),
            ("Unable to connect to the remote server", .connectionFailed), ("not signed in", .notSignedIn),
            ("ssl/tls", .tlsError),
        ]
        for (phrase, signal) in phrases {
            for padding in 0..<12 {
                for tail in ["", ".", " at 10:00", "!!"] {
                    let line = String(repeating: "x", count: padding) + " " + phrase.uppercased() + tail
                    #expect(LogMessageClassifier.classify(line) == [signal], "\(line)")
                    #expect(LogMessageClassifier.classify(String(line.dropFirst(padding + 1))) == [signal])
                }
            }
        }
    }

    /// Random lines of triggers in any case, with filler, numbers and values around them.
    private struct RandomLines {
        private struct SplitMix: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }
        private var random = SplitMix(state: 2026)
        let triggers = LogMessageClassifier.triggers.map { Array($0.utf8) }
        private let filler = Array("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789-:/.,()[]\t\r\u{1}".utf8)
        private let values = [" 401 ", ": 110", " 200 OK", "(403) ", " NotEntitled", " {country:GB,usageType:Production}",
                              " = 1234", " 99 ", " -> 500", ": "].map { Array($0.utf8) }

        mutating func next() -> [UInt8] {
            var line: [UInt8] = []
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                for _ in 0..<Int.random(in: 0...9, using: &random) { line.append(filler.randomElement(using: &random)!) }
                let trigger = triggers.randomElement(using: &random)!
                line += trigger.map { Bool.random(using: &random) ? ($0 &- 0x61 < 26 ? $0 & 0xDF : $0) : $0 }
                if Bool.random(using: &random) { line += values.randomElement(using: &random)! }
            }
            for _ in 0..<Int.random(in: 0...3, using: &random) { line.append(filler.randomElement(using: &random)!) }
            return line
        }
    }

    @Test("the prefilter reports every place a trigger stands, in random lines of any case and alignment")
    func prefilterMissesNothing() {
        var lines = RandomLines()
        var missed: [String] = []
        for _ in 0..<3000 {
            let line = lines.next()
            var reported = Set<[Int]>()
            line.withUnsafeBufferPointer { bytes in
                LogPrefilter.forEachCandidate(in: bytes) { reported.insert([$0, $1]) }
                for position in 0..<bytes.count {
                    for (index, trigger) in lines.triggers.enumerated()
                    where ByteSearch.matches(trigger, in: bytes, at: position, caseInsensitive: true)
                        && !reported.contains([position, index]) {
                        missed.append("\(String(decoding: trigger, as: UTF8.self)) at \(position) in \(String(decoding: bytes, as: UTF8.self))")
                    }
                }
            }
        }
        #expect(missed.count == 0, "\(missed.prefix(5))")
    }

    @Test("the prefilter finds every trigger at the very start and the very end of a line, at every alignment")
    func prefilterAtTheEdges() {
        // The short triggers are the ones a sampled window may miss there (LogPrefilter's doc).
        let triggers = LogMessageClassifier.triggers.map { Array($0.utf8) }
        var missed: [String] = []
        for (index, trigger) in triggers.enumerated() {
            for padding in 0..<6 {
                let before = Array(repeating: UInt8(ascii: "x"), count: padding)
                for (line, position) in [(before + trigger, padding), (trigger + before, 0)] {
                    var found = false
                    line.withUnsafeBufferPointer { bytes in
                        LogPrefilter.forEachCandidate(in: bytes) { if $0 == position && $1 == index { found = true } }
                    }
                    if !found { missed.append("\(String(decoding: line, as: UTF8.self)) (\(line.count) bytes)") }
                }
            }
        }
        #expect(missed.isEmpty, "\(missed.prefix(5))")
    }

    @Test("whether a line says anything is what its full classification says, in random lines")
    func recognisesAgreesWithClassify() {
        var lines = RandomLines()
        var (said, silent) = (0, 0)
        var disagreements: [String] = []
        for _ in 0..<5000 {
            let line = lines.next()
            line.withUnsafeBufferPointer { bytes in
                let signals = LogMessageClassifier.classify(bytes: bytes)
                if signals.isEmpty { silent += 1 } else { said += 1 }
                if LogMessageClassifier.recognises(bytes: bytes) == signals.isEmpty {
                    disagreements.append("\(String(decoding: bytes, as: UTF8.self)) → \(signals)")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        // Both answers occur often, or the comparison would prove little.
        #expect(said > 1000 && silent > 1000, "\(said) lines with signals, \(silent) without")
        for text in ["LicenseStatus Returned:", "LicenseStatus Returned: 110", "GET /api -> 200 OK in 3 ms",
                     "http took 2000 ms", "Heartbeat 123"] {
            var message = text
            let same = message.withUTF8 { LogMessageClassifier.recognises(bytes: $0) == !LogMessageClassifier.classify(bytes: $0).isEmpty }
            #expect(same, "\(text)")
        }
    }

    @Test("signals have stable codes")
    func codes() {
        #expect(LogSignal.licenseStatusReturned(110).code == "license-status-returned")
        #expect(LogSignal.http(status: 401).code == "http")
    }
}
