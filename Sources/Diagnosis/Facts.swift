/// Diagnosis: facts → findings.
///
/// `Facts` is one model of the client machine at collection time, built by the analyser from
/// whatever a bundle holds. Each cause code of CAUSES.md is one `DiagnosisRule` in its own file
/// (`Rules/`), carrying its description, fix and examples; `Diagnoser` runs them all, ranks the
/// findings (the cause that explains the others first), lists what was ruled out and what the
/// bundle lacks, and gives the verdict. Rules see facts only: never files or C types.
import Foundation
import LicensingModel

/// What a bundle can lack that support needs (CAUSES.md, "What support needs").
public enum MissingItem: String, Sendable, Codable, CaseIterable, Comparable {
    case email, clientVersion = "client-version", entitlements, productStatus = "product-status", logs, policy

    public static func < (lhs: MissingItem, rhs: MissingItem) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// Where the collection time was taken from (CLIENT-MODEL §11), in order of preference.
public enum CollectionTimeSource: String, Sendable, Codable {
    case manifest, systemInfo = "system-info", newestLogStamp = "newest-log-stamp",
         newestEntryTime = "newest-entry-time", unknown
}

/// The client machine at collection time, as far as the bundle tells.
///
/// Every collection is optional: nil (or empty with the matching `MissingItem`) means the
/// bundle did not hold it, which is not the same as "holds it, and it is empty" — rules must
/// keep the two apart (a missing process list is not a stopped service).
public struct Facts: Sendable {
    /// The time the bundle is judged at; never the analyst's clock.
    public var collectedAt: Date?
    /// Where `collectedAt` came from.
    public var collectedAtSource: CollectionTimeSource = .unknown
    /// Registry, config and system-info facts (CC version, OS, computer name, Geo, proxy).
    public var client: ClientInfo?
    /// What the CC API answered (sign-in state, the service's product statuses).
    public var connectClient: ConnectClientState?
    /// Every policy found (store, policy files), newest `createdOn` first.
    public var policies: [Policy] = []
    /// The store's Policy rows, when the store was in the bundle.
    public var storedPolicyRows: [StoredPolicyRow]?
    /// Policies the store holds that do not decode (bad base64, bad JSON, no policy claim): where, and why.
    public var undecodablePolicies: [(source: SourceRef, reason: String)] = []
    /// The licensing store the facts come from (the one with the newest policy); nil without one.
    public var storeSource: SourceRef?
    /// How many rows each table of the store holds (lower-case table name); nil without a store.
    public var storeRowCounts: [String: Int]?
    /// `OfflineGrace.OfflineGracePeriodStart`: the client is offline since then (nil: online or unknown).
    public var offlineGraceStart: Date?
    /// Where the offline grace row was found.
    public var offlineGraceSource: SourceRef?
    /// Checked-out licenses (`.belic` files, Checkout rows).
    public var checkouts: [Checkout] = []
    /// Product statuses: the Product Status dump and the CC API's service answer.
    public var productStatuses: [ProductStatusEntry] = []
    /// Default feature levels (Feature Level Selector); nil when the file was not in the bundle.
    public var featureLevelDefaults: [FeatureLevelDefault]?
    /// Usage records (store and usage CSV).
    public var usageRecords: [UsageRecord] = []
    /// The process list; nil when the bundle has none.
    public var processes: [ProcessEntry]?
    /// Where the process list was read from (it may be empty, so its entries cannot say).
    public var processListSource: SourceRef?
    /// Application and System events.
    public var events: [SystemEvent] = []
    /// Log lines that say something analysis keys on, in time order.
    public var logObservations: [LogObservation] = []
    /// How many log files the bundle held.
    public var logFileCount = 0
    /// What the bundle lacks of what support needs.
    public var missing: Set<MissingItem> = []
    /// The CC versions table (CLIENT-MODEL §10), replaceable with `--versions FILE`.
    public var versions: VersionTable = .default
    /// Problems met while reading the bundle, one line each (file named).
    public var readProblems: [String] = []

    /// Empty facts; the analyser fills them in.
    public init() {}

    /// The newest policy (by `createdOn`), if any.
    public var currentPolicy: Policy? { policies.first }
}
