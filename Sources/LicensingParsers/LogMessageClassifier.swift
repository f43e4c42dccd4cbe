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
        case licenseStatus, usageRecord, timeout
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
        var found = triggers(in: bytes)
        guard !found.isEmpty else { return [] }
        found.sort { ($0.position, $0.trigger) < ($1.position, $1.trigger) }
        var signals: [LogSignal] = []
        func add(_ signal: LogSignal) { if !signals.contains(signal) { signals.append(signal) } }
        for (index, trigger) in found where trigger < phrases.count {
            let end = index + triggerTexts[trigger].count
            switch phrases[trigger].meaning {
            case .signal(let signal): add(signal)
            case .licenseStatus:
                if let code = LogFieldScanner.statusCode(after: end, in: bytes) { add(.licenseStatusReturned(code)) }
            case .usageRecord: add(LogFieldScanner.usageRecord(after: end, in: bytes))
            case .timeout: add(.timeout(host: LogFieldScanner.host(in: bytes)))
            }
        }
        let regions = statusRegions(found)
        if !regions.isEmpty {
            for status in LogFieldScanner.httpStatuses(in: bytes, within: regions) { add(.http(status: status)) }
        }
        return signals
    }

    /// Whether a message says anything `classify(bytes:)` recognises: always the same answer as
    /// `!classify(bytes:).isEmpty`, for less — no values are read, nothing is sorted. Reading a
    /// log keeps a line only when this is true (most lines say nothing), and classifies the
    /// entries it keeps in full.
    public static func recognises(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let found = triggers(in: bytes)
        for (index, trigger) in found where trigger < phrases.count {
            guard case .licenseStatus = phrases[trigger].meaning else { return true }
            if LogFieldScanner.statusCode(after: index + triggerTexts[trigger].count, in: bytes) != nil { return true }
        }
        let regions = statusRegions(found)
        return !regions.isEmpty && !LogFieldScanner.httpStatuses(in: bytes, within: regions).isEmpty
    }

    /// Every trigger found whole (any case), by position and index, in the prefilter's order.
    private static func triggers(in bytes: UnsafeBufferPointer<UInt8>) -> [(position: Int, trigger: Int)] {
        var found: [(position: Int, trigger: Int)] = []
        LogPrefilter.forEachCandidate(in: bytes) { index, trigger in
            if ByteSearch.matches(triggerTexts[trigger], in: bytes, at: index, caseInsensitive: true) {
                found.append((index, trigger))
            }
        }
        return found
    }

    /// Where an HTTP status may stand: within 40 bytes after a context word, or just before a
    /// reason. An HTTP word that is part of a phrase found (the "status" of "LicenseStatus
    /// Returned: 110") is not one: its number is the phrase's.
    private static func statusRegions(_ found: [(position: Int, trigger: Int)]) -> [Range<Int>] {
        let phraseSpans = found.filter { $0.trigger < phrases.count }
            .map { $0.position..<($0.position + triggerTexts[$0.trigger].count) }
        return found.compactMap { index, trigger in
            guard trigger >= phrases.count, !phraseSpans.contains(where: { $0.contains(index) }) else { return nil }
            let isContext = trigger - phrases.count < LogFieldScanner.httpContextWordCount
            return isContext ? index..<(index + triggerTexts[trigger].count + 44) : max(0, index - 6)..<index
        }
    }
}
