import Foundation

/// `manifest.json` at the bundle root: what was collected, from where, and what went wrong.
///
/// The layout and every field are documented in `docs/bundle-format.md`; `formatVersion`
/// changes only when a reader would have to change. `logcollect` writes it; `loganalyze` reads
/// it leniently (`init(from:)`): a manifest of an older collector, or one cut down by hand, still
/// gives what it has — its collection time, time zone and the bundle's identity.
public struct Manifest: Codable, Sendable, Equatable {
    /// One file in the bundle.
    public struct Entry: Codable, Sendable, Equatable {
        /// Its path inside the bundle.
        public var path: String
        /// Its size in bytes, as written.
        public var size: Int64
        /// SHA-256 of its bytes, lower-case hex.
        public var sha256: String
        /// The source that collected it.
        public var source: String
        /// Where it came from on the client, when it is a copy of a client file.
        public var origin: String?
        /// True when only part of the original is here (the newest part, for logs).
        public var truncated: Bool
        /// Redactions made, by kind (`jwt-signature`, `email`, …); absent when none.
        public var redactions: [String: Int]?
        /// Anything a reader should know about this entry (an encoding converted, a cap hit).
        public var note: String?

        /// Creates an entry.
        public init(path: String, size: Int64, sha256: String, source: String, origin: String? = nil,
                    truncated: Bool = false, redactions: [String: Int]? = nil, note: String? = nil) {
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.source = source
            self.origin = origin
            self.truncated = truncated
            self.redactions = redactions
            self.note = note
        }
    }

    /// How one source ended.
    public struct SourceOutcome: Codable, Sendable, Equatable {
        /// The outcome of a source.
        public enum Outcome: String, Codable, Sendable {
            /// Collected (or, for an optional source, nothing of it on the machine).
            case ok
            /// Nothing of it on the machine, or it could not be asked (a command not on `PATH`).
            case missing
            /// An error, or part of it could not be read.
            case failed
            /// It overran its time limit.
            case timedOut = "timed-out"
            /// This kind of machine cannot be asked for it at all (the CONNECTION Client API on a
            /// live machine): not a fault of the machine, and nothing the user can fix.
            case unavailable

            /// True when the source fell short of what it should have collected (missing, failed,
            /// timed out): the bundle is then incomplete and `logcollect` exits 2.
            public var isShortfall: Bool {
                switch self {
                case .ok, .unavailable: false
                case .missing, .failed, .timedOut: true
                }
            }
        }
        /// The source's name.
        public var name: String
        /// How it ended.
        public var outcome: Outcome
        /// What happened, when it was not simply ok: one line per problem.
        public var messages: [String]
        /// How long it took, in milliseconds.
        public var durationMs: Int
        /// How many entries it wrote.
        public var entries: Int

        /// Creates a source's outcome.
        public init(name: String, outcome: Outcome, messages: [String] = [], durationMs: Int = 0, entries: Int = 0) {
            self.name = name
            self.outcome = outcome
            self.messages = messages
            self.durationMs = durationMs
            self.entries = entries
        }

        enum CodingKeys: String, CodingKey {
            case name, outcome, messages, durationMs, entries
        }

        /// Decodes a source's record; only `name` and `outcome` are required. An outcome this
        /// reader does not know (a newer collector's) is an error naming it, so that the record
        /// alone is skipped (`Manifest.skippedSources`).
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            let outcome = try container.decode(String.self, forKey: .outcome)
            guard let known = Outcome(rawValue: outcome) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .outcome, in: container, debugDescription: "outcome \"\(outcome)\" is not one this reader knows")
            }
            self.outcome = known
            messages = try container.decodeIfPresent([String].self, forKey: .messages) ?? []
            durationMs = try container.decodeIfPresent(Int.self, forKey: .durationMs) ?? 0
            entries = try container.decodeIfPresent(Int.self, forKey: .entries) ?? 0
        }
    }

    /// A `sources` record as read: the source's outcome, or why the record was skipped.
    private struct SourceRecord: Decodable {
        var outcome: SourceOutcome?
        var skipped: String?

        init(from decoder: Decoder) {
            do {
                outcome = try SourceOutcome(from: decoder)
            } catch {
                guard let name = (try? decoder.container(keyedBy: SourceOutcome.CodingKeys.self))
                    .flatMap({ try? $0.decode(String.self, forKey: .name) }) else {
                    skipped = "a source record without a name; skipped"
                    return
                }
                let reason = switch error as? DecodingError {
                case .dataCorrupted(let context): context.debugDescription
                case .keyNotFound(let key, _): "no \(key.stringValue)"
                default: "not a source record this reader can use"
                }
                skipped = "source \"\(name)\": \(reason); skipped"
            }
        }
    }

    /// The bundle format's version.
    public var formatVersion = 1
    /// The collector's name and version.
    public var tool: String
    /// When the collection was made (UTC, ISO 8601): the time analysis judges the bundle at.
    public var collectedAt: String
    /// The client machine's time zone (`TimeZoneKeyName`), when known.
    public var timeZone: String?
    /// The client's computer name (a pseudonym with `--redact`).
    public var host: String?
    /// The user whose profile was read (a pseudonym with `--redact`).
    public var user: String?
    /// The support case number given with `--case`.
    public var caseNumber: String?
    /// The free label given with `--label`.
    public var label: String?
    /// True when e-mails, user and machine names were replaced by pseudonyms.
    public var pseudonymized: Bool
    /// What was read (`client root /path`, `live Windows`).
    public var machine: String
    /// Logs older than this were left out (ISO 8601).
    public var logsSince: String
    /// Every file in the bundle but the manifest itself.
    public var entries: [Entry]
    /// Every source and how it ended.
    public var sources: [SourceOutcome]
    /// The `sources` records a reader skipped, one line each (an outcome a newer collector
    /// wrote, say); never written.
    public var skippedSources: [String] = []

    enum CodingKeys: String, CodingKey {
        case formatVersion, tool, collectedAt, timeZone, host, user
        case caseNumber = "case"
        case label, pseudonymized, machine, logsSince, entries, sources
    }

    /// Creates a manifest; `logcollect` fills in every field.
    public init(formatVersion: Int = 1, tool: String, collectedAt: String, timeZone: String? = nil, host: String? = nil,
                user: String? = nil, caseNumber: String? = nil, label: String? = nil, pseudonymized: Bool,
                machine: String, logsSince: String, entries: [Entry], sources: [SourceOutcome]) {
        self.formatVersion = formatVersion
        self.tool = tool
        self.collectedAt = collectedAt
        self.timeZone = timeZone
        self.host = host
        self.user = user
        self.caseNumber = caseNumber
        self.label = label
        self.pseudonymized = pseudonymized
        self.machine = machine
        self.logsSince = logsSince
        self.entries = entries
        self.sources = sources
    }

    /// Decodes a manifest; every field may be absent (an empty string, `false` or an empty list
    /// then), since a reader wants what there is, not a perfect manifest. A `sources` record
    /// this reader cannot use is left out and said in `skippedSources`; the others are kept.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 1
        tool = try container.decodeIfPresent(String.self, forKey: .tool) ?? ""
        collectedAt = try container.decodeIfPresent(String.self, forKey: .collectedAt) ?? ""
        timeZone = try container.decodeIfPresent(String.self, forKey: .timeZone)
        host = try container.decodeIfPresent(String.self, forKey: .host)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        caseNumber = try container.decodeIfPresent(String.self, forKey: .caseNumber)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        pseudonymized = try container.decodeIfPresent(Bool.self, forKey: .pseudonymized) ?? false
        machine = try container.decodeIfPresent(String.self, forKey: .machine) ?? ""
        logsSince = try container.decodeIfPresent(String.self, forKey: .logsSince) ?? ""
        entries = try container.decodeIfPresent([Entry].self, forKey: .entries) ?? []
        let records = try container.decodeIfPresent([SourceRecord].self, forKey: .sources) ?? []
        sources = records.compactMap(\.outcome)
        skippedSources = records.compactMap(\.skipped)
    }

    /// Decodes `manifest.json`'s bytes.
    public static func decode(from data: Data) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: data)
    }

    /// The manifest as pretty, key-sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
