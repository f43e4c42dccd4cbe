import Foundation
import LicensingModel

/// One product the user requested or used, and its status.
public struct ProductState: Sendable, Equatable {
    /// Where the product was named.
    public enum Origin: String, Sendable {
        /// The policy's `RequestData.RequestedSecurables`.
        case request
        /// The Product Status tab or the CC API.
        case productStatus = "product-status"
        /// Usage records (store, usage CSV) or `RecordUsage` log lines only.
        case usage
    }

    /// The numeric product id; nil when the request's id is not a number.
    public var productId: Int?
    /// The product id as it appeared.
    public var rawProductId: String
    /// The feature string; `""` for none.
    public var featureString: String
    /// The requested version, when the request named one.
    public var version: String?
    /// The product's name, from the policy's securables.
    public var name: String?
    /// The status; nil when the bundle cannot tell.
    public var status: LicenseStatus?
    /// Where the status came from: `product-status dump`, `CC API`, `decided from the policy`.
    public var statusSource: String
    /// Why the status is what it is (the decision procedure's reason), when known.
    public var statusReason: String?
    /// Where the product was named.
    public var origin: Origin
    /// Where it was named.
    public var source: SourceRef?

    /// Creates a product state.
    public init(productId: Int?, rawProductId: String? = nil, featureString: String = "",
                version: String? = nil, name: String? = nil, status: LicenseStatus? = nil,
                statusSource: String = "unknown", statusReason: String? = nil,
                origin: Origin, source: SourceRef? = nil) {
        self.productId = productId
        self.rawProductId = rawProductId ?? productId.map(String.init) ?? ""
        self.featureString = featureString
        self.version = version
        self.name = name
        self.status = status
        self.statusSource = statusSource
        self.statusReason = statusReason
        self.origin = origin
        self.source = source
    }

    /// Whether it runs licensed; nil when the status is unknown.
    public var isLicensed: Bool? { status.map(\.isLicensed) }

    /// `MicroStation (1000)`, `product 2900 at feature "ORD-ADV"`.
    public var label: String {
        let base = Wording.product(productId, rawId: rawProductId, name: name)
        return featureString.isEmpty ? base : "\(base) at feature \"\(featureString)\""
    }

    func sameRequest(as other: ProductState) -> Bool {
        featureString == other.featureString
            && (productId.map { $0 == other.productId } ?? (rawProductId == other.rawProductId))
    }
}

/// What every rule needs and nobody should recompute: the collection time, the products and
/// their statuses, whether the client is offline, and what the bundle lacks.
public struct RuleContext: Sendable {
    /// The time the bundle is judged at (the collection time); nil when unknown.
    public var now: Date?
    /// Requested products first, then reported ones, then used-only ones.
    public var products: [ProductState]
    /// Whether the client works from its stored policy (offline grace running, or the latest
    /// policy fetch failed).
    public var isOffline: Bool
    /// What the bundle lacks: `Facts.missing` and what the facts show to be absent.
    public var missing: Set<MissingItem>

    /// Creates a context from its parts.
    public init(now: Date?, products: [ProductState], isOffline: Bool, missing: Set<MissingItem>) {
        self.now = now
        self.products = products
        self.isOffline = isOffline
        self.missing = missing
    }

    /// Computes the context of `facts`.
    public init(_ facts: Facts) {
        let offline = Self.isOffline(facts)
        self.init(now: facts.collectedAt,
                  products: ProductResolver.products(facts, offline: offline),
                  isOffline: offline, missing: Self.missingItems(facts))
    }

    /// The products the verdict judges: the requested and reported ones, or the used ones when
    /// nothing else names a product.
    public var requestedProducts: [ProductState] {
        let named = products.filter { $0.origin != .usage }
        return named.isEmpty ? products : named
    }

    /// Requested products whose status is known and not licensed.
    public var unlicensedProducts: [ProductState] {
        requestedProducts.filter { $0.isLicensed == false }
    }

    /// Whether there are requested products and every one is known to run licensed.
    public var allRequestedLicensed: Bool {
        let requested = requestedProducts
        return !requested.isEmpty && requested.allSatisfy { $0.isLicensed == true }
    }

    /// The requested products that are not known to be licensed (unlicensed or unknown).
    public var productsAtRisk: [ProductState] {
        requestedProducts.filter { $0.isLicensed != true }
    }

    /// Whether the client works from its stored policy.
    static func isOffline(_ facts: Facts) -> Bool {
        if facts.offlineGraceStart != nil { return true }
        let lastOutcome = facts.logObservations.last { $0.signal.isRefreshOutcome }
        return lastOutcome.map { $0.signal != .policyRefreshed } ?? false
    }

    /// `Facts.missing`, plus what the facts themselves show to be absent. An empty store is not
    /// a missing policy: it is the machine's state (`no-policy`), and the bundle holds it.
    static func missingItems(_ facts: Facts) -> Set<MissingItem> {
        var missing = facts.missing
        if facts.connectClient?.signedInEmail?.isEmpty ?? true { missing.insert(.email) }
        if facts.client?.ccVersion == nil { missing.insert(.clientVersion) }
        if facts.policies.isEmpty, facts.storedPolicyRows == nil {
            missing.insert(.policy)
            missing.insert(.entitlements)
        }
        if facts.reportedStatuses.isEmpty { missing.insert(.productStatus) }
        if !facts.hasLogs { missing.insert(.logs) }
        return missing
    }
}

/// Finds the requested and used products and decides each one's status.
enum ProductResolver {
    static func products(_ facts: Facts, offline: Bool) -> [ProductState] {
        var found: [ProductState] = []
        func add(_ product: ProductState) {
            if !found.contains(where: { $0.sameRequest(as: product) }) { found.append(product) }
        }
        if let policy = facts.currentPolicy {
            for request in policy.requestData?.requestedSecurables ?? [] {
                add(ProductState(productId: request.productId, rawProductId: request.rawProductId,
                                 featureString: request.featureString, version: request.version,
                                 origin: .request, source: policy.source))
            }
        }
        for entry in facts.reportedStatuses {
            guard let id = entry.productId else { continue }
            add(ProductState(productId: id, featureString: entry.featureString, origin: .productStatus,
                             source: entry.source))
        }
        for use in facts.usedProducts where !found.contains(where: { $0.productId == use.productId }) {
            add(ProductState(productId: use.productId, featureString: use.featureString, origin: .usage, source: use.source))
        }
        return found.map { resolve($0, facts, offline: offline) }
    }

    private static func resolve(_ product: ProductState, _ facts: Facts, offline: Bool) -> ProductState {
        var product = product
        guard let id = product.productId else {
            product.status = .notEntitled
            product.statusSource = "the request"
            product.statusReason = "the requested ProductId \"\(product.rawProductId)\" is not a number"
            return product
        }
        product.name = (facts.policies.flatMap(\.securables) + facts.checkouts.flatMap(\.policy.securables))
            .first { $0.productId == id && $0.productName != nil }?.productName
        if let entry = facts.reportedStatuses.first(where: {
            $0.productId == id && $0.featureString == product.featureString && $0.status != nil
        }) {
            let fromAPI = facts.connectClient?.licenseService?.products.contains(entry) ?? false
            product.status = entry.status
            product.statusSource = fromAPI ? "CC API" : "product-status dump"
            return product
        }
        let storeKnownEmpty = facts.storedPolicyRows?.isEmpty == true
        guard let now = facts.collectedAt,
              facts.currentPolicy != nil || !facts.checkouts.isEmpty || storeKnownEmpty
        else { return product }
        let decision = DecisionProcedure.status(
            product: id, featureString: product.featureString, policy: facts.currentPolicy,
            checkouts: facts.checkouts, machineName: facts.client?.computerName, online: !offline,
            offlineGraceStart: facts.offlineGraceStart ?? facts.firstFailedFetchSinceRefresh?.entry.time, now: now)
        product.status = decision.status
        product.statusSource = "decided from the policy"
        product.statusReason = decision.reason
        return product
    }
}
