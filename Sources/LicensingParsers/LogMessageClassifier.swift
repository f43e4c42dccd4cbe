import Foundation
import LicensingModel

/// Recognises the known messages of CLIENT-MODEL §9 by case-insensitive content.
///
/// One pass over the message's bytes: a bit table of the phrases' first two bytes rules out
/// almost every position with one load, so classifying costs about as much as reading it.
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

    /// The phrases' bytes, one after another; phrase `i` is `phraseStarts[i]..<phraseStarts[i + 1]`.
    private static let phraseBytes: [UInt8] = phrases.flatMap { Array($0.text.utf8) }
    private static let phraseStarts: [Int] = phrases.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.text.utf8.count) }
    /// Each phrase's first two bytes as one number.
    private static let phraseBigrams: [UInt16] = phrases.map {
        let bytes = Array($0.text.utf8)
        return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    }
    /// A bit per two-byte prefix that some phrase starts with: one load rules a position out.
    private static let bigramFilter: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for bigram in phraseBigrams { bits[Int(bigram >> 6)] |= 1 << UInt64(bigram & 63) }
        return bits
    }()

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
        return message.withUTF8 { bytes in
            bigramFilter.withUnsafeBufferPointer { filter in
                phraseBytes.withUnsafeBufferPointer { phraseText in
                    classify(bytes, filter: filter, phraseText: phraseText)
                }
            }
        }
    }

    /// The signals in one line's raw UTF-8 bytes: what a reader uses to skip, without building
    /// an entry, the lines that say nothing analysis keys on.
    public static func classify(bytes: UnsafeBufferPointer<UInt8>) -> [LogSignal] {
        bigramFilter.withUnsafeBufferPointer { filter in
            phraseBytes.withUnsafeBufferPointer { phraseText in
                classify(bytes, filter: filter, phraseText: phraseText)
            }
        }
    }

    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>, filter: UnsafeBufferPointer<UInt64>,
                                 phraseText: UnsafeBufferPointer<UInt8>) -> [LogSignal] {
        var signals: [LogSignal] = []
        func add(_ signal: LogSignal) { if !signals.contains(signal) { signals.append(signal) } }
        let count = bytes.count
        var index = 0
        while index + 1 < count {
            let bigram = UInt16(ByteSearch.lower(bytes[index])) << 8 | UInt16(ByteSearch.lower(bytes[index + 1]))
            if filter[Int(bigram >> 6)] & (1 << UInt64(bigram & 63)) != 0 {
                for phrase in phraseBigrams.indices where phraseBigrams[phrase] == bigram {
                    let text = UnsafeBufferPointer(rebasing: phraseText[phraseStarts[phrase]..<phraseStarts[phrase + 1]])
                    guard ByteSearch.matches(text, in: bytes, at: index) else { continue }
                    let end = index + text.count
                    switch phrases[phrase].meaning {
                    case .signal(let signal): add(signal)
                    case .licenseStatus:
                        if let code = LogFieldScanner.statusCode(after: end, in: bytes) { add(.licenseStatusReturned(code)) }
                    case .usageRecord: add(LogFieldScanner.usageRecord(after: end, in: bytes))
                    case .timeout: add(.timeout(host: LogFieldScanner.host(in: bytes)))
                    }
                }
            }
            index += 1
        }
        for status in LogFieldScanner.httpStatuses(in: bytes) { add(.http(status: status)) }
        return signals
    }
}
