import Foundation
import LicensingModel

/// Recognises the known messages of CLIENT-MODEL §9 by case-insensitive content.
///
/// One pass over the message's bytes (`LogPrefilter`) rules out almost every position with one
/// bit test per three bytes, so classifying costs about as much as reading it.
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
    /// `LogPrefilter` rules out almost every position with one bit test per three bytes; the few
    /// candidates are compared with their triggers whole, then handled in the order they stand
    /// in the line. HTTP statuses are looked for only near an HTTP word or before a reason.
    public static func classify(bytes: UnsafeBufferPointer<UInt8>) -> [LogSignal] {
        var signals: [LogSignal] = []
        classify(bytes: bytes, into: &signals)
        return signals
    }

    /// A trigger found whole: where, which, and for an HTTP word where its status may stand.
    private struct Hit {
        var position: Int
        var trigger: Int
        var region: Range<Int>?
    }

    /// `classify(bytes:)`, appending to `signals` those it does not hold yet: a caller that
    /// classifies line after line reuses one array, and a message's hits are sorted in a small
    /// buffer on the stack (16 of them: past 1 KiB, a temporary allocation is a `malloc`; a heap
    /// array only for more hits than that), so nothing is allocated per line.
    ///
    /// `deferringUsageRecord`: when the message holds one usage record and no other, its signal
    /// is `deferredUsageRecord` (its fields not read) and the result says so; the caller reads
    /// it later, for the few entries it keeps, by classifying the same bytes again without
    /// deferring (the one usage record of that list). With two or more, each is read now: their
    /// signals could not be told apart later.
    @discardableResult
    public static func classify(bytes: UnsafeBufferPointer<UInt8>, into signals: inout [LogSignal],
                                deferringUsageRecord: Bool = false) -> Bool {
        withUnsafeTemporaryAllocation(of: Hit.self, capacity: 16) { buffer in
            var count = 0
            var overflow: [Hit] = []
            func record(_ hit: Hit) {
                if count < buffer.count {
                    buffer.initializeElement(at: count, to: hit)
                    count += 1
                } else {
                    overflow.append(hit)
                }
            }
            _ = scan(bytes, phrase: { record(Hit(position: $0, trigger: $1, region: nil)); return true },
                 statusRegion: { record(Hit(position: $0, trigger: $1, region: $2)); return true })
            guard count > 0 else { return false }
            if overflow.isEmpty {
                let found = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
                // Insertion sort: a message has one or two hits. Equal keys are equal hits.
                for next in 1..<max(1, count) {
                    let hit = found[next]
                    var slot = next
                    while slot > 0, (found[slot - 1].position, found[slot - 1].trigger) > (hit.position, hit.trigger) {
                        found[slot] = found[slot - 1]
                        slot -= 1
                    }
                    found[slot] = hit
                }
                defer { buffer.baseAddress?.deinitialize(count: count) }
                return evaluate(UnsafeBufferPointer(found), in: bytes, into: &signals, deferringUsageRecord: deferringUsageRecord)
            } else {
                var found = Array(UnsafeBufferPointer(rebasing: buffer[0..<count])) + overflow
                found.sort { ($0.position, $0.trigger) < ($1.position, $1.trigger) }
                buffer.baseAddress?.deinitialize(count: count)
                return found.withUnsafeBufferPointer { evaluate($0, in: bytes, into: &signals, deferringUsageRecord: false) }
            }
        }
    }

    /// The signal `classify(bytes:into:deferringUsageRecord:)` gives a usage record it has not
    /// read.
    public static let deferredUsageRecord = LogSignal.usageRecord(country: nil, usageType: nil, productId: nil)

    /// The signals of a message's hits, sorted by position: its phrases in order, then the HTTP
    /// statuses near its HTTP words.
    private static func evaluate(_ found: UnsafeBufferPointer<Hit>, in bytes: UnsafeBufferPointer<UInt8>,
                                 into signals: inout [LogSignal], deferringUsageRecord: Bool) -> Bool {
        func add(_ signal: LogSignal) { if !signals.contains(signal) { signals.append(signal) } }
        var defers = false
        if deferringUsageRecord {
            var usageRecords = 0
            for hit in found where hit.region == nil {
                if case .usageRecord = phrases[hit.trigger].meaning { usageRecords += 1 }
            }
            defers = usageRecords == 1
        }
        var hasRegion = false
        for hit in found {
            guard hit.region == nil else {
                hasRegion = true
                continue
            }
            let index = hit.position
            let end = index + triggerTexts[hit.trigger].count
            switch phrases[hit.trigger].meaning {
            case .signal(let signal): add(signal)
            case .licenseStatus:
                if let code = LogFieldScanner.statusCode(after: end, in: bytes) { add(.licenseStatusReturned(code)) }
            case .usageRecord: add(defers ? deferredUsageRecord : LogFieldScanner.usageRecord(after: end, in: bytes))
            case .timeout: add(.timeout(host: LogFieldScanner.host(in: bytes)))
            case .logsFailedToPost: add(.logsFailedToPost(count: LogFieldScanner.number(before: index, in: bytes)))
            case .nonProductionHost:
                if let host = LogFieldScanner.bentleyHost(in: bytes, from: index) { add(.nonProductionEndpoint(host: host)) }
            }
        }
        guard hasRegion else { return defers }
        var statuses: [Int] = []
        for hit in found {
            guard let region = hit.region else { continue }
            LogFieldScanner.forEachHTTPStatus(in: bytes, within: region) { status in
                if !statuses.contains(status) {
                    statuses.append(status)
                    add(.http(status: status))
                }
                return true
            }
        }
        return defers
    }

    /// Whether a message says anything `classify(bytes:)` recognises: always the same answer as
    /// `!classify(bytes:).isEmpty`, for less — nothing is collected, sorted or allocated, no
    /// values are read but a license status's, and the scan stops at the first thing found.
    /// Reading a log keeps a line only when this is true (most lines say nothing), and
    /// classifies the entries it keeps in full.
    ///
    /// A whole log line is scanned from its message on first (just after the first " - " past
    /// the stamp, where a log4net message starts), then before it: a line that says something
    /// mostly says it at the start of its message, and the stamp, thread and logger are then
    /// never read. Which windows are read first changes nothing but the time (`LogPrefilter`).
    public static func recognises(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let (from, before) = LogPrefilter.windows(splitAt: likelyMessageStart(bytes), count: bytes.count)
        return says(bytes, windows: from) || says(bytes, windows: before)
    }

    /// Where a log4net line's message likely starts: after its first " - " from byte 20 on (the
    /// dashes of a date come before); 0 when there is none.
    @inline(__always)
    private static func likelyMessageStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard bytes.count > 24, let base = bytes.baseAddress else { return 0 }
        var from = 20
        while from < bytes.count - 2, let dash = memchr(base + from, 0x2D, bytes.count - 1 - from) {
            let index = UnsafeRawPointer(dash) - UnsafeRawPointer(base)
            if base[index - 1] == 0x20, base[index + 1] == 0x20 { return index + 2 }
            from = index + 1
        }
        return 0
    }

    /// Whether the prefilter's windows in `windows` find anything that says something.
    @inline(__always)
    private static func says(_ bytes: UnsafeBufferPointer<UInt8>, windows: Range<Int>) -> Bool {
        !scan(bytes, windows: windows, phrase: { index, trigger in
            if case .licenseStatus = phrases[trigger].meaning,
               LogFieldScanner.statusCode(after: index + triggerTexts[trigger].count, in: bytes) == nil {
                return true  // "LicenseStatus Returned" with no status after it says nothing
            }
            if case .nonProductionHost = phrases[trigger].meaning, LogFieldScanner.bentleyHost(in: bytes, from: index) == nil {
                return true  // a customer's own qa-/dev- host says nothing about Bentley's environment
            }
            return false
        }, statusRegion: { _, _, region in
            !LogFieldScanner.hasHTTPStatus(in: bytes, within: region)
        })
    }

    /// One pass over a message: `phrase` gets each phrase found whole (position, trigger);
    /// `statusRegion` gets each HTTP word found whole, with where its status may stand — within
    /// 40 bytes after a context word, or just before a reason. An HTTP word inside a phrase
    /// found (the "status" of "LicenseStatus Returned: 110") is not one: its number is the
    /// phrase's. Calls come in the prefilter's order, not the line's; the pass stops when one
    /// returns false (and then returns false).
    @inline(__always)
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, windows: Range<Int>? = nil, phrase: (Int, Int) -> Bool,
                             statusRegion: (Int, Int, Range<Int>) -> Bool) -> Bool {
        LogPrefilter.scan(bytes, windows: windows ?? 0..<bytes.count) { index, trigger in
            guard ByteSearch.matches(triggerTexts[trigger], in: bytes, at: index, caseInsensitive: true) else { return true }
            guard trigger >= phrases.count else { return phrase(index, trigger) }
            let word = trigger - phrases.count
            for (enclosing, offset) in enclosingPhrases[word] where offset <= index
                && ByteSearch.matches(triggerTexts[enclosing], in: bytes, at: index - offset, caseInsensitive: true) {
                return true
            }
            let isContext = word < LogFieldScanner.httpContextWordCount
            return statusRegion(index, trigger,
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
