import Foundation
import LicensingParsers

/// What is removed from every text in a bundle: secrets always; with `--redact`, e-mails,
/// user and machine names too, replaced by keyed pseudonyms that are the same in every file.
struct Redaction: Sendable {
    let identities: Identities
    let pseudonymizer: Pseudonymizer?

    init(identities: Identities, pseudonymize: Bool, key: String?) {
        self.identities = identities
        pseudonymizer = pseudonymize ? Pseudonymizer(key: key ?? UUID().uuidString) : nil
    }

    /// A name as the bundle shows it: itself, or its pseudonym with `--redact`.
    func pseudonym(forHost name: String) -> String { pseudonymizer?.host(name) ?? name }
    func pseudonym(forUser name: String) -> String { pseudonymizer?.user(name) ?? name }

    /// A text (a path, the manifest) with identities replaced by pseudonyms, with `--redact`.
    func pseudonymized(_ text: String) -> String {
        guard let pseudonymizer else { return text }
        return pseudonymizer.pseudonymize(text, userNames: identities.users.sorted(), hostNames: identities.hosts.sorted())
    }

    /// A fresh line redactor for one entry (the secret scrubber carries state across lines,
    /// e.g. an open SAML assertion).
    var lineRedactors: LineRedactorFactory {
        let pseudonymizer = pseudonymizer
        let users = identities.users.sorted()
        let hosts = identities.hosts.sorted()
        let needles = (identities.all).map { Array($0.lowercased().utf8) }
        return {
            var scrubber = SecretScrubber(jwtMode: .wholeToken)
            return { line in
                let (body, terminator) = Self.splitTerminator(line)
                var counts: [String: Int] = [:]
                let before = scrubber.counts
                var output = scrubber.scrubLine(body)
                for (kind, count) in scrubber.counts where count > before[kind, default: 0] {
                    counts[kind.rawValue] = count - before[kind, default: 0]
                }
                if let pseudonymizer, Self.mayContainIdentity(output.map { $0[...] } ?? Array(body)[...], needles: needles) {
                    let text = String(decoding: output ?? Array(body), as: UTF8.self)
                    let replaced = pseudonymizer.pseudonymize(text, userNames: users, hostNames: hosts)
                    if replaced != text {
                        output = Array(replaced.utf8)
                        counts["identity", default: 0] += 1
                    }
                }
                guard let output else { return (nil, counts) }
                return (output + terminator, counts)
            }
        }
    }

    /// Pseudonymizes every text value of a private SQLite copy in place (with `--redact`).
    var storeRedactor: (@Sendable (URL) throws -> [String: Int])? {
        guard let pseudonymizer else { return nil }
        let users = identities.users.sorted()
        let hosts = identities.hosts.sorted()
        return { url in try StoreSanitizer.rewriteText(at: url) { pseudonymizer.pseudonymize($0, userNames: users, hostNames: hosts) } }
    }

    private static func splitTerminator(_ line: UnsafeBufferPointer<UInt8>) -> (UnsafeBufferPointer<UInt8>, [UInt8]) {
        var end = line.count
        if end > 0 && line[end - 1] == 0x0A { end -= 1 }
        if end > 0 && line[end - 1] == 0x0D { end -= 1 }
        return (UnsafeBufferPointer(rebasing: line[0..<end]), Array(line[end...]))
    }

    /// A cheap test before the costly one: an `@`, or a known name, ignoring case.
    private static func mayContainIdentity(_ bytes: ArraySlice<UInt8>, needles: [[UInt8]]) -> Bool {
        if bytes.contains(UInt8(ascii: "@")) { return true }
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return lowered.withUnsafeBufferPointer { buffer in needles.contains { ByteSearch.find($0, in: buffer, from: 0) != nil } }
    }
}
