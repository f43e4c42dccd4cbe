import Diagnosis
import Foundation
import LicensingModel

// The parts of a report and their JSON; unknown values are written as `null`, as the
// contract shows them, rather than left out.

extension Report {
    /// Which bundle a report is about.
    public struct BundleInfo: Sendable, Equatable {
        /// The bundle as the user named it.
        public var path: String
        /// The SHA-256 of the bundle file in lowercase hex; nil for a folder or when unknown.
        public var sha256: String?
        /// When the bundle was collected; nil when the bundle cannot tell.
        public var collectedAt: Date?
        /// The client's computer name, as the manifest gives it (a pseudonym in a redacted bundle).
        public var host: String?
        /// The user whose profile was collected, as the manifest gives it.
        public var user: String?
        /// The support case number the bundle was collected for (`logcollect --case`).
        public var caseNumber: String?

        /// Creates bundle information.
        public init(path: String, sha256: String?, collectedAt: Date?, host: String? = nil, user: String? = nil,
                    caseNumber: String? = nil) {
            self.path = path
            self.sha256 = sha256
            self.collectedAt = collectedAt
            self.host = host
            self.user = user
            self.caseNumber = caseNumber
        }
    }

    /// One product and its status.
    public struct Product: Sendable, Equatable {
        /// The product ID, e.g. `1000`.
        public var productId: Int
        /// The product's name, when known.
        public var name: String?
        /// The requested feature string (may be empty).
        public var featureString: String
        /// The status name, e.g. `NotEntitled`.
        public var status: String
        /// Where the status came from.
        public var statusSource: String

        /// Whether the status is one the client runs licensed with (`Ok`, `Offline`).
        public var isLicensed: Bool { LicenseStatus(name: status)?.isLicensed ?? false }

        /// `MicroStation (1000)`, or `product 1000` when the name is unknown (neither in the
        /// bundle nor in `ProductNames.default`).
        public var displayName: String {
            guard let name = name.flatMap({ $0.isEmpty ? nil : $0 }) ?? ProductNames.default.name(of: productId) else {
                return "product \(productId)"
            }
            return "\(name) (\(productId))"
        }

        /// The status as people say it: `Not entitled (110)`; the name as given when unknown.
        public var spokenStatus: String { LicenseStatus(name: status)?.spoken ?? status }

        /// Creates a product row.
        public init(productId: Int, name: String?, featureString: String, status: String, statusSource: String = "") {
            self.productId = productId
            self.name = name
            self.featureString = featureString
            self.status = status
            self.statusSource = statusSource
        }

        init(_ summary: ProductSummary) {
            productId = summary.productId
            name = summary.name.flatMap { $0.isEmpty ? nil : $0 } ?? ProductNames.default.name(of: summary.productId)
            featureString = summary.featureString
            status = summary.status
            statusSource = summary.statusSource
        }
    }

    /// Why a bundle could not be read at all.
    public struct Failure: Sendable, Equatable {
        /// A stable kebab-case code, e.g. `not-an-archive`.
        public var code: String
        /// One line a user can act on.
        public var message: String

        /// Creates a failure.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// One moment of the licensing story.
    public struct TimelineEntry: Sendable, Equatable {
        /// When.
        public var time: Date
        /// `log`, `event`, `policy`, `checkout`, `offline`, `usage`, `collection`.
        public var kind: String
        /// One line (untrusted).
        public var summary: String
        /// The bundle file it came from, when known.
        public var file: String?
        /// The 1-based line in `file`, when known.
        public var line: Int?

        /// `file:line`, `file`, or nil.
        public var location: String? {
            guard let file else { return nil }
            return line.map { "\(file):\($0)" } ?? file
        }

        init(_ event: TimelineEvent) {
            time = event.time
            kind = event.kind
            summary = event.summary
            file = event.source?.file
            line = event.source?.line
        }

        /// Creates a timeline entry.
        public init(time: Date, kind: String, summary: String, file: String?, line: Int?) {
            self.time = time
            self.kind = kind
            self.summary = summary
            self.file = file
            self.line = line
        }
    }
}

extension Report.BundleInfo: Codable {
    enum CodingKeys: String, CodingKey {
        case path, sha256, collectedAt, host, user
        case caseNumber = "case"
    }

    /// Encodes `sha256` and `collectedAt` as `null` when unknown, as the contract shows them;
    /// `host`, `user` and `case` (additions) only when the bundle names them.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(collectedAt.map(ReportDate.iso), forKey: .collectedAt)
        try container.encodeIfPresent(host, forKey: .host)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(caseNumber, forKey: .caseNumber)
    }

    /// Decodes bundle information; `collectedAt` is an ISO 8601 string or `null`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        collectedAt = try ReportDate.decode(container, .collectedAt)
        host = try container.decodeIfPresent(String.self, forKey: .host)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        caseNumber = try container.decodeIfPresent(String.self, forKey: .caseNumber)
    }
}

extension Report.Product: Codable {
    enum CodingKeys: String, CodingKey { case productId, name, featureString, status, statusSource }

    /// Encodes the product; an unknown `name` is `null`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(productId, forKey: .productId)
        try container.encode(name, forKey: .name)
        try container.encode(featureString, forKey: .featureString)
        try container.encode(status, forKey: .status)
        try container.encode(statusSource, forKey: .statusSource)
    }

    /// Decodes a product; `statusSource` may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productId = try container.decode(Int.self, forKey: .productId)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        featureString = try container.decode(String.self, forKey: .featureString)
        status = try container.decode(String.self, forKey: .status)
        statusSource = try container.decodeIfPresent(String.self, forKey: .statusSource) ?? ""
    }
}

extension Report.Failure: Codable {}

extension Report.TimelineEntry: Codable {
    enum CodingKeys: String, CodingKey { case time, kind, summary, file, line }

    /// Encodes the entry; `time` as ISO 8601 UTC, `file` and `line` `null` when unknown.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ReportDate.iso(time), forKey: .time)
        try container.encode(kind, forKey: .kind)
        try container.encode(summary, forKey: .summary)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
    }

    /// Decodes an entry written by `encode(to:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let time = try ReportDate.decode(container, .time) else {
            throw DecodingError.valueNotFound(
                Date.self, .init(codingPath: container.codingPath, debugDescription: "timeline entry without time"))
        }
        self.init(time: time, kind: try container.decode(String.self, forKey: .kind),
                  summary: try container.decode(String.self, forKey: .summary),
                  file: try container.decodeIfPresent(String.self, forKey: .file),
                  line: try container.decodeIfPresent(Int.self, forKey: .line))
    }
}
