import Foundation

/// What the CONNECTION Client API and the Licensing Service API answered (CLIENT-MODEL §8).
///
/// A field is nil when the answer did not carry it.
public struct ConnectClientState: Sendable, Equatable, Hashable, Codable {
    /// The Licensing Service's part of the answer.
    public struct LicenseService: Sendable, Equatable, Hashable, Codable {
        /// Whether the service is installed.
        public var isInstalled: Bool?
        /// Whether the service is running.
        public var isRunning: Bool?
        /// The Product Status rows.
        public var products: [ProductStatusEntry]

        /// Creates the service's state.
        public init(isInstalled: Bool? = nil, isRunning: Bool? = nil, products: [ProductStatusEntry] = []) {
            self.isInstalled = isInstalled
            self.isRunning = isRunning
            self.products = products
        }
    }

    /// Whether CC is installed.
    public var isInstalled: Bool?
    /// Whether CC is running.
    public var isRunning: Bool?
    /// Whether a user is signed in to CC.
    public var isLoggedIn: Bool?
    /// Whether the user's session is active.
    public var isUserSessionActive: Bool?
    /// Whether the user accepted the EULA.
    public var hasUserAcceptedEULA: Bool?
    /// The signed-in user's e-mail.
    public var signedInEmail: String?
    /// The signed-in user's IMS GUID.
    public var signedInUserId: String?
    /// The Licensing Service's answer, when asked.
    public var licenseService: LicenseService?
    /// Where it was read from.
    public var source: SourceRef

    /// Creates the state.
    public init(isInstalled: Bool? = nil, isRunning: Bool? = nil, isLoggedIn: Bool? = nil,
                isUserSessionActive: Bool? = nil, hasUserAcceptedEULA: Bool? = nil,
                signedInEmail: String? = nil, signedInUserId: String? = nil,
                licenseService: LicenseService? = nil, source: SourceRef) {
        self.isInstalled = isInstalled
        self.isRunning = isRunning
        self.isLoggedIn = isLoggedIn
        self.isUserSessionActive = isUserSessionActive
        self.hasUserAcceptedEULA = hasUserAcceptedEULA
        self.signedInEmail = signedInEmail
        self.signedInUserId = signedInUserId
        self.licenseService = licenseService
        self.source = source
    }
}

/// A product's default feature level from the Feature Level Selector (CLIENT-MODEL §5).
public struct FeatureLevelDefault: Sendable, Equatable, Hashable, Codable {
    /// The product id.
    public var productId: Int
    /// The product's name, when given.
    public var name: String?
    /// The default feature string; nil or `""` when none is set.
    public var defaultFeature: String?
    /// Where it was read from.
    public var source: SourceRef

    /// Creates a default.
    public init(productId: Int, name: String? = nil, defaultFeature: String? = nil, source: SourceRef) {
        self.productId = productId
        self.name = name
        self.defaultFeature = defaultFeature
        self.source = source
    }

    /// Whether a non-empty default is set.
    public var hasDefault: Bool { !(defaultFeature ?? "").isEmpty }
}
