import Foundation
import LicensingModel

/// The confidence scheme every rule shares.
///
/// A rule collects independent pieces of evidence, each with a `Weight` (how sure that piece
/// alone makes it). They combine as independent witnesses ("noisy-OR"): `1 − Π(1 − wᵢ)`, so a
/// second piece always raises confidence but never past `ceiling`. A finding is a *cause* at
/// `Diagnoser.causeThreshold` (0.5) or more; below it, a note.
public enum Confidence {
    /// No finding is ever certain.
    public static let ceiling = 0.99
    /// Each needed item the bundle lacks multiplies the confidence by this.
    public static let missingItemFactor = 0.9
    /// A `.product` cause while every requested product is licensed: multiplied by this …
    public static let licensedProductsFactor = 0.5
    /// … and kept below the threshold.
    public static let belowThreshold = 0.49

    /// Combines independent pieces of evidence.
    public static func combine(_ weights: [Double]) -> Double {
        min(ceiling, 1 - weights.reduce(1) { $0 * (1 - min(1, max(0, $1))) })
    }

    /// Two decimals, as reports show it.
    public static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// Within 0…1; not a number is 0. What a `Finding` holds, and what a report rounds.
    public static func clamped(_ value: Double) -> Double { value.isNaN ? 0 : min(1, max(0, value)) }
}

/// How sure one piece of evidence makes a rule on its own.
enum Weight {
    /// The cause's defining fact (a Denied ACL on the requested product; CC 11 on Windows 7).
    static let decisive = 0.85
    /// A direct symptom or a mismatch in the data (status 110; usage country ≠ location).
    static let strong = 0.7
    /// A mismatch in the data that still has an innocent explanation (clocks hours apart).
    static let notable = 0.6
    /// A log line or record that names the cause.
    static let moderate = 0.5
    /// Consistent with the cause, not specific to it.
    static let supporting = 0.3
    /// Worth showing, not worth believing alone.
    static let hint = 0.15

    /// The levels by name, for the documentation.
    static let levels = [("decisive", decisive), ("strong", strong), ("notable", notable),
                         ("moderate", moderate), ("supporting", supporting), ("hint", hint)]
}

/// The evidence a rule gathers, and the confidence it adds up to.
struct EvidenceSet {
    private(set) var weights: [Double] = []
    private(set) var evidence: [Evidence] = []
    private(set) var reasons: [String] = []
    private(set) var productIds: [Int] = []

    var isEmpty: Bool { weights.isEmpty }
    var confidence: Double { Confidence.combine(weights) }

    /// Adds one independent piece: its weight, a few words for the title, and where it shows.
    /// The same reason again (one fact seen in two files: a `.belic` and its Checkout row) is
    /// not independent: it adds its evidence, not its weight.
    mutating func add(_ weight: Double, _ reason: String, _ items: [Evidence], products: [Int] = []) {
        if let index = reasons.firstIndex(of: reason) {
            weights[index] = max(weights[index], weight)
        } else {
            weights.append(weight)
            reasons.append(reason)
        }
        evidence.append(contentsOf: items.prefix(3).filter { !evidence.contains($0) })
        for id in products where !productIds.contains(id) { productIds.append(id) }
    }

    /// The finding; its title is the rule's lead followed by the reasons (at most
    /// `maximumReasons`); at most `maximumEvidence` quotes.
    func finding(_ lead: String) -> RuleOutcome {
        .finding(confidence: confidence, title: "\(lead): \(Self.summary(reasons))",
                 evidence: Array(evidence.prefix(Self.maximumEvidence)), productIds: productIds)
    }

    /// The reasons for a title: the first `maximumReasons`, then how many more (the evidence
    /// shows them all), so a title stays a line or two.
    static func summary(_ reasons: [String]) -> String {
        guard reasons.count > maximumReasons else { return reasons.joined(separator: "; ") }
        return reasons.prefix(maximumReasons).joined(separator: "; ") + "; and \(reasons.count - maximumReasons) more"
    }

    static let maximumReasons = 3

    static let maximumEvidence = 8
}

extension Facts {
    /// Whether the bundle held any logs.
    var hasLogs: Bool { logFileCount > 0 || !logObservations.isEmpty }

    /// Log observations whose signal matches.
    func observations(_ matches: (LogSignal) -> Bool) -> [LogObservation] {
        logObservations.filter { matches($0.signal) }
    }

    /// Log observations since the latest successful policy refresh: what it has not superseded.
    func currentObservations(_ matches: (LogSignal) -> Bool) -> [LogObservation] {
        let start = logObservations.lastIndex { $0.signal == .policyRefreshed }.map { $0 + 1 } ?? 0
        return logObservations[start...].filter { matches($0.signal) }
    }

    /// The first failed policy fetch since the last successful refresh: where the client starts
    /// the offline grace when the store does not say (it writes the start at the first failed
    /// fetch and clears it at the next success).
    var firstFailedFetchSinceRefresh: LogObservation? {
        currentObservations { $0 == .policyFetchFailedUsingDB || $0 == .policyRequestFailed }.first { $0.entry.time != nil }
    }

    /// Products' labels as the report names them: `MicroStation (1000)`, `product 2900`.
    func label(_ productId: Int, _ context: RuleContext) -> String {
        context.products.first { $0.productId == productId }?.label
            ?? (policies.flatMap(\.securables).first { $0.productId == productId }?.productName).map { "\($0) (\(productId))" }
            ?? "product \(productId)"
    }

    /// The latest successful policy refresh in the logs.
    var lastRefresh: LogObservation? { logObservations.last { $0.signal == .policyRefreshed } }

    /// Product statuses from the Product Status dump, then from the CC API; one per product and feature.
    var reportedStatuses: [ProductStatusEntry] {
        var result: [ProductStatusEntry] = []
        for entry in productStatuses + (connectClient?.licenseService?.products ?? [])
        where !result.contains(where: { $0.productId == entry.productId && $0.featureString == entry.featureString }) {
            result.append(entry)
        }
        return result
    }

    /// The reported statuses of one product (any feature string when `featureString` is nil).
    func reportedStatuses(of productId: Int?, featureString: String? = nil) -> [ProductStatusEntry] {
        reportedStatuses.filter { entry in
            entry.productId == productId && (featureString.map { entry.featureString == $0 } ?? true)
        }
    }

    /// A product the machine used, where the bundle says so.
    struct ProductUse {
        var productId: Int
        /// Empty when the source does not name one (a `RecordUsage` log line).
        var featureString: String
        var source: SourceRef
    }

    /// Products named by usage records and `RecordUsage` log lines.
    var usedProducts: [ProductUse] {
        let records = usageRecords.compactMap { record in
            record.productId.map { ProductUse(productId: $0, featureString: record.featureString ?? "", source: record.source) }
        }
        let lines = logObservations.compactMap { observation -> ProductUse? in
            guard case .usageRecord(_, _, let id?) = observation.signal else { return nil }
            return ProductUse(productId: id, featureString: "", source: observation.entry.source)
        }
        return records + lines
    }

    /// Whether the bundle holds any of the machine's licensing data (store, policy, checkout).
    var hasLicensingData: Bool { !policies.isEmpty || storedPolicyRows != nil || !checkouts.isEmpty }

    /// Whether the collection time was recorded by the collector (not guessed from logs or ZIP
    /// entry times, which carry the very clock or zone being judged).
    var collectionTimeIsRecorded: Bool { collectedAtSource == .manifest || collectedAtSource == .systemInfo }

    /// Whether the user signed in to CC, per the CC API; nil when the bundle has no answer.
    var ccSignedIn: Bool? { connectClient?.isLoggedIn }

    /// Whether the machine runs Windows 7; nil when the bundle does not say.
    var isWindows7: Bool? {
        guard let client else { return nil }
        if client.osCurrentVersion != nil { return client.isWindows7 }
        return client.osProductName.map { $0.localizedCaseInsensitiveContains("Windows 7") }
    }

    /// Evidence at the source of a `ClientInfo` field (registry, config).
    func clientEvidence(_ field: String, _ excerpt: String) -> Evidence {
        Evidence(client?.sources[field] ?? SourceRef(file: "registry"), excerpt)
    }

    /// Evidence at the CC API answer.
    func ccEvidence(_ excerpt: String) -> Evidence {
        Evidence(connectClient?.source ?? SourceRef(file: "connect-client.json"), excerpt)
    }

    /// Application and System events that show the Licensing Service crashing or stopping.
    var licensingServiceCrashes: [SystemEvent] {
        events.filter { event in
            let crash = (event.log.caseInsensitiveCompare("Application") == .orderedSame && [1000, 1026].contains(event.eventId))
                || (event.log.caseInsensitiveCompare("System") == .orderedSame && [7031, 7034].contains(event.eventId))
            return crash && (event.mentions("Bentley.Licensing.Service") || event.mentions("Bentley Licensing Service"))
        }
    }
}

extension LogObservation {
    /// Evidence at the log line.
    var evidence: Evidence { Evidence(entry.source, entry.message) }
}

extension LogSignal {
    /// Whether the line says how a policy fetch ended.
    var isRefreshOutcome: Bool {
        switch self {
        case .policyRefreshed, .policyFetchFailedUsingDB, .policyRequestFailed: true
        default: false
        }
    }

    /// Whether the line is "LicenseStatus Returned" with this status.
    func returns(_ status: LicenseStatus) -> Bool { self == .licenseStatusReturned(status.code) }
}

extension ProductStatusEntry {
    /// Evidence at the reported status: `ProductId 1000 status NotEntitled`.
    var evidence: Evidence {
        Evidence(source, "ProductId \(productId.map(String.init) ?? "?") status \(rawStatus)")
    }
}

extension SystemEvent {
    /// Evidence at the event.
    var evidence: Evidence {
        Evidence(source, "\(log) \(provider) \(eventId): \(data.prefix(2).joined(separator: ", "))")
    }
}

extension Policy {
    /// Evidence at the policy.
    func evidence(_ excerpt: String) -> Evidence { Evidence(source, excerpt) }

    /// A qualifier's value for a product: its first securable with its ACL, else the defaults.
    func qualifierValue(_ name: String, product productId: Int?) -> String? {
        let securable = productId.flatMap { securables(forProduct: $0).first }
        let entry = securable.flatMap { acl(for: $0) }
        return qualifier(named: name, for: entry, securable: securable)?.value
            .trimmed()
    }

    /// `PolicyInterval` in minutes (240 when absent).
    var refreshIntervalMinutes: Int {
        qualifierValue(QualifierName.policyInterval, product: nil).flatMap { Int($0) } ?? 240
    }

    /// `OfflineDuration` in days for a product (7 when absent).
    func offlineDays(product productId: Int?) -> Int {
        qualifierValue(QualifierName.offlineDuration, product: productId).flatMap { Int($0) }
            ?? DecisionProcedure.defaultOfflineDays
    }

    /// Each securable of the product with its ACL.
    func entries(forProduct productId: Int) -> [(securable: Securable, acl: ACL?)] {
        securables(forProduct: productId).map { ($0, acl(for: $0)) }
    }

    /// The user the policy belongs to.
    var policyUserId: String? { userData?.userId ?? appliesToUserId ?? requestData?.userId }
}

/// How products, dates and spans read in titles and reasons (display only).
enum Wording {
    /// `MicroStation (1000)`: the name from the bundle, else from `ProductNames.default`, else
    /// `product 1000`.
    static func product(_ id: Int?, rawId: String? = nil, name: String? = nil) -> String {
        let raw = rawId ?? id.map(String.init) ?? "?"
        let known = name.flatMap { $0.isEmpty ? nil : $0 } ?? id.flatMap(ProductNames.default.name(of:))
        return known.map { "\($0) (\(raw))" } ?? "product \(raw)"
    }

    static func date(_ date: Date) -> String { date.formatted(.iso8601) }

    /// `45 min`, `5 h`, `10 days`.
    static func span(_ seconds: TimeInterval) -> String {
        let value = abs(seconds)
        if value < 60 { return "under a minute" }
        if value < 3_600 { return "\(Int((value / 60).rounded())) min" }
        if value < 2 * 86_400 { return "\(Int((value / 3_600).rounded())) h" }
        return "\(Int((value / 86_400).rounded(.down))) days"
    }
}

/// Values as rules compare them (never shown).
enum Normalized {
    /// A machine name: its first DNS label, lower case.
    static func machine(_ name: String) -> String {
        String(name.trimmed().split(separator: ".").first ?? "").lowercased()
    }

    /// A country code: trimmed, upper case; nil when empty.
    static func country(_ text: String?) -> String? {
        guard let code = text?.trimmed().uppercased(), !code.isEmpty else { return nil }
        return code
    }
}
