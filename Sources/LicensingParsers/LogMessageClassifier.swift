import Foundation
import LicensingModel

/// Recognises the known messages of CLIENT-MODEL §9 by case-insensitive content.
///
/// One pass over the lower-cased bytes: each position is checked only against the phrases
/// that start with its byte, so classifying costs about as much as reading the message.
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

    private static let phraseBytes: [[UInt8]] = phrases.map { Array($0.text.utf8) }

    /// For each first byte, the phrases that start with it.
    private static let byFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (index, bytes) in phraseBytes.enumerated() { table[Int(bytes[0])].append(index) }
        return table
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
        var original = message
        return original.withUTF8 { bytes -> [LogSignal] in
            let lowered = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                for index in 0..<bytes.count { buffer[index] = ByteSearch.lower(bytes[index]) }
                count = bytes.count
            }
            return lowered.withUnsafeBufferPointer { classify(lowered: $0, original: bytes) }
        }
    }

    private static func classify(lowered: UnsafeBufferPointer<UInt8>, original: UnsafeBufferPointer<UInt8>)
        -> [LogSignal]
    {
        var signals: [LogSignal] = []
        func add(_ signal: LogSignal) { if !signals.contains(signal) { signals.append(signal) } }
        var index = 0
        while index < lowered.count {
            let candidates = byFirstByte[Int(lowered[index])]
            for phrase in candidates
            where ByteSearch.matches(phraseBytes[phrase], in: lowered, at: index, caseInsensitive: false) {
                let end = index + phraseBytes[phrase].count
                switch phrases[phrase].meaning {
                case .signal(let signal): add(signal)
                case .licenseStatus:
                    if let code = LogFieldScanner.statusCode(after: end, in: original) { add(.licenseStatusReturned(code)) }
                case .usageRecord: add(LogFieldScanner.usageRecord(after: end, in: original))
                case .timeout: add(.timeout(host: LogFieldScanner.host(in: lowered, original: original)))
                }
            }
            index += 1
        }
        for status in LogFieldScanner.httpStatuses(in: lowered) { add(.http(status: status)) }
        return signals
    }
}
