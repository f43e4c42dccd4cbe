import Foundation
import LicensingModel

/// Recognises the known messages of CLIENT-MODEL §9 by case-insensitive content.
///
/// One pass over the message's bytes (`LogPrefilter`) rules out almost every position with one
/// bit test per two bytes, so classifying costs about as much as reading it.
public enum LogMessageClassifier {
    /// What a phrase means once found.
    private enum Meaning {
        case signal(LogSignal)
        case licenseStatus, usageRecord, timeout, logsFailedToPost, nonProductionHost
    }

    private static let phrases: [(text: String, meaning: Meaning)] = [
        ("call to entitlements failed", .signal(.policyFetchFailedUsingDB)),
        ("requires authentication", .signal(.authenticationRequired)),
        ("authhandlerprovider is null", .signal(.authenticationRequired)),
        ("no policy obtained", .signal(.noPolicyObtained)),
        ("licensestatus returned", .licenseStatus),
        ("checkout found returning licensestatus ok", .signal(.checkoutFoundOK)),
        ("device id does not match", .signal(.deviceIdMismatch)),
        ("evaluation, but is expired", .signal(.evaluationExpired)),
        ("database file is invalid or corrupted", .signal(.databaseCorrupt)),
        ("database disk image is malformed", .signal(.databaseCorrupt)),
        ("unable to perform policy request", .signal(.policyRequestFailed)),
        ("usagelogentry", .usageRecord),
        ("policy refreshed", .signal(.policyRefreshed)),
        ("policy was refreshed", .signal(.policyRefreshed)),
        ("could not establish trust relationship", .signal(.tlsError)),
        ("secure channel", .signal(.tlsError)),
        ("ssl connection", .signal(.tlsError)),
        ("ssl/tls", .signal(.tlsError)),
        ("tls handshake", .signal(.tlsError)),
        ("ssl handshake", .signal(.tlsError)),
        ("remote certificate is invalid", .signal(.tlsError)),
        ("certificate verify failed", .signal(.tlsError)),
        ("certificate chain", .signal(.tlsError)),
        ("certificate validation", .signal(.tlsError)),
        ("authentication failed because the remote party", .signal(.tlsError)),
        ("remote name could not be resolved", .signal(.dnsFailure)),
        ("no such host is known", .signal(.dnsFailure)),
        ("could not resolve host", .signal(.dnsFailure)),
        ("name or service not known", .signal(.dnsFailure)),
        ("name resolution failure", .signal(.dnsFailure)),
        ("timed out", .timeout),
        ("timeoutexception", .timeout),
        ("request timeout", .timeout),
        ("unable to connect to the remote server", .signal(.connectionFailed)),
        ("no connection could be made", .signal(.connectionFailed)),
        ("connection refused", .signal(.connectionFailed)),
        ("network is unreachable", .signal(.connectionFailed)),
        ("forcibly closed by the remote host", .signal(.connectionFailed)),
        ("click here to sign in", .signal(.signedOut)),
        ("not signed in", .signal(.notSignedIn)),
        ("not logged in", .signal(.notSignedIn)),
        ("proxy authentication required", .signal(.http(status: 407))),
        ("unhandled exception", .signal(.unhandledException)),
        ("in trial mode", .signal(.trialMode)),
        ("accesskey missing from portal", .signal(.accessKeyInvalid)),
        ("call to accesskey service failed", .signal(.accessKeyInvalid)),
        ("logs failed to post", .logsFailedToPost),
        ("connect-agreement", .signal(.agreementRequired)),
        ("has not accepted", .signal(.agreementRequired)),
        ("attempting to delete file and re-create", .signal(.databaseCorrupt)),
        ("://qa-", .nonProductionHost),
        ("://dev-", .nonProductionHost),
        ("://perf-", .nonProductionHost),
    ]

    /// Everything a classification can start from: the phrases, and the words around an HTTP
    /// status (`LogFieldScanner`). `LogPrefilter` is built from these; a test checks every
    /// trigger is at least four bytes long.
    static var triggers: [String] { phrases.map(\.text) + LogFieldScanner.httpTriggers }

    /// The phrases' lower-case bytes, by index.
    private static let phraseTexts: [[UInt8]] = phrases.map { Array($0.text.utf8) }
    /// The words that say "an HTTP status may be near" (`LogFieldScanner`), after the phrases:
    /// trigger `i` is a phrase when `i < phrases.count`, else one of these.
    private static let triggerTexts: [[UInt8]] = phraseTexts + LogFieldScanner.httpTriggers.map { Array($0.utf8) }

    /// The signals of an entry: its message and its continuation lines, without repeats.
    public static func classify(_ entry: LogEntry) -> [LogSignal] {
        var signals = classify(entry.message)
        for line in entry.continuation {
            for signal in classify(line) where !signals.contains(signal) { signals.append(signal) }
        }
        return signals
    }

    /// The signals in one message, in order of appearance, without repeats.
    public static func classify(_ message: String) -> [LogSignal] {
        var message = message
        return message.withUTF8 { classify(bytes: $0) }
    }

    /// The signals in one message's raw UTF-8 bytes, in order of appearance, without repeats.
    ///
    /// `LogPrefilter` rules out almost every position with one bit test per two bytes; the few
    /// candidates are compared with their triggers whole, then handled in the order they stand
    /// in the line. HTTP statuses are looked for only near an HTTP word or before a reason.
    public static func classify(bytes: UnsafeBufferPointer<UInt8>) -> [LogSignal] {
        var found: [(position: Int, trigger: Int, region: Range<Int>?)] = []
        scan(bytes, phrase: { found.append(($0, $1, nil)) }, statusRegion: { found.append(($0, $1, $2)) })
        guard !found.isEmpty else { return [] }
        found.sort { ($0.position, $0.trigger) < ($1.position, $1.trigger) }
        var signals: [LogSignal] = []
        func add(_ signal: LogSignal) { if !signals.contains(signal) { signals.append(signal) } }
        for (index, trigger, region) in found where region == nil {
            let end = index + triggerTexts[trigger].count
            switch phrases[trigger].meaning {
            case .signal(let signal): add(signal)
            case .licenseStatus:
                if let code = LogFieldScanner.statusCode(after: end, in: bytes) { add(.licenseStatusReturned(code)) }
            case .usageRecord: add(LogFieldScanner.usageRecord(after: end, in: bytes))
            case .timeout: add(.timeout(host: LogFieldScanner.host(in: bytes)))
            case .logsFailedToPost: add(.logsFailedToPost(count: LogFieldScanner.number(before: index, in: bytes)))
            case .nonProductionHost:
                if let host = LogFieldScanner.bentleyHost(in: bytes, from: index) { add(.nonProductionEndpoint(host: host)) }
            }
        }
        let regions = found.compactMap(\.region)
        if !regions.isEmpty {
            for status in LogFieldScanner.httpStatuses(in: bytes, within: regions) { add(.http(status: status)) }
        }
        return signals
    }

    /// Whether a message says anything `classify(bytes:)` recognises: always the same answer as
    /// `!classify(bytes:).isEmpty`, for less — nothing is collected, sorted or allocated, no
    /// values are read but a license status's. Reading a log keeps a line only when this is
    /// true (most lines say nothing), and classifies the entries it keeps in full.
    public static func recognises(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var says = false
        scan(bytes, phrase: { index, trigger in
            guard !says else { return }
            if case .licenseStatus = phrases[trigger].meaning,
               LogFieldScanner.statusCode(after: index + triggerTexts[trigger].count, in: bytes) == nil {
                return  // "LicenseStatus Returned" with no status after it says nothing
            }
            if case .nonProductionHost = phrases[trigger].meaning, LogFieldScanner.bentleyHost(in: bytes, from: index) == nil {
                return  // a customer's own qa-/dev- host says nothing about Bentley's environment
            }
            says = true
        }, statusRegion: { _, _, region in
            if !says, LogFieldScanner.hasHTTPStatus(in: bytes, within: region) { says = true }
        })
        return says
    }

    /// One pass over a message: `phrase` gets each phrase found whole (position, trigger);
    /// `statusRegion` gets each HTTP word found whole, with where its status may stand — within
    /// 40 bytes after a context word, or just before a reason. An HTTP word inside a phrase
    /// found (the "status" of "LicenseStatus Returned: 110") is not one: its number is the
    /// phrase's. Calls come in the prefilter's order, not the line's.
    @inline(__always)
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, phrase: (Int, Int) -> Void,
                             statusRegion: (Int, Int, Range<Int>) -> Void) {
        LogPrefilter.forEachCandidate(in: bytes) { index, trigger in
            guard ByteSearch.matches(triggerTexts[trigger], in: bytes, at: index, caseInsensitive: true) else { return }
            guard trigger >= phrases.count else { return phrase(index, trigger) }
            let word = trigger - phrases.count
            for (enclosing, offset) in enclosingPhrases[word] where offset <= index
                && ByteSearch.matches(triggerTexts[enclosing], in: bytes, at: index - offset, caseInsensitive: true) {
                return
            }
            let isContext = word < LogFieldScanner.httpContextWordCount
            statusRegion(index, trigger,
                         isContext ? index..<(index + triggerTexts[trigger].count + 44) : max(0, index - 6)..<index)
        }
    }

    /// Per HTTP word, the phrases an occurrence of it can lie inside (starting within the
    /// phrase, agreeing with it where they overlap), with the word's offset in the phrase.
    private static let enclosingPhrases: [[(phrase: Int, offset: Int)]] = LogFieldScanner.httpTriggers.map { word in
        let word = Array(word.utf8)
        return phraseTexts.enumerated().flatMap { index, phrase in
            (0..<phrase.count).filter { offset in
                zip(phrase[offset...], word).allSatisfy { $0 == $1 }
            }.map { (index, $0) }
        }
    }
}
