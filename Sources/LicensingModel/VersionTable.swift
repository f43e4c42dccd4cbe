import Foundation

/// Which CONNECTION Client versions are supported where (CLIENT-MODEL §10), kept as data.
///
/// The built-in values live in one place, `defaultJSON`; support can replace them with a file
/// of the same shape (`--versions FILE`) without a release.
public struct VersionTable: Sendable, Equatable, Hashable, Codable {
    /// The newest CC release.
    public var latest: ClientVersion
    /// The oldest CC supported on Windows 8.1 and later.
    public var minimumSupported: ClientVersion
    /// The newest CC that still runs on Windows 7.
    public var windows7Maximum: ClientVersion
    /// The highest major version that runs on Windows 7 (10: CC 11.x does not).
    public var windows7MaxMajor: Int
    /// Since this version a running, signed-in CC renews its 7-day sign-in token by itself.
    public var selfRenewingTokenSince: ClientVersion?
    /// The oldest CC that licenses correctly on a terminal server (Remote Desktop Services,
    /// Citrix); nil in a replacement table that does not say.
    public var terminalServerMinimum: ClientVersion?

    /// Creates a table.
    public init(latest: ClientVersion, minimumSupported: ClientVersion, windows7Maximum: ClientVersion,
                windows7MaxMajor: Int, selfRenewingTokenSince: ClientVersion? = nil,
                terminalServerMinimum: ClientVersion? = nil) {
        self.latest = latest
        self.minimumSupported = minimumSupported
        self.windows7Maximum = windows7Maximum
        self.windows7MaxMajor = windows7MaxMajor
        self.selfRenewingTokenSince = selfRenewingTokenSince
        self.terminalServerMinimum = terminalServerMinimum
    }

    /// The built-in table as JSON: the one place its values are written down.
    public static let defaultJSON = """
        {
          "latest": "23.00.01.10",
          "minimumSupported": "11.00.00.00",
          "windows7Maximum": "10.00.19.31",
          "windows7MaxMajor": 10,
          "selfRenewingTokenSince": "10.00.10.22",
          "terminalServerMinimum": "11.00.01.109"
        }
        """

    /// The built-in table, decoded from `defaultJSON` (a test guards that it decodes).
    public static let `default`: VersionTable = {
        do {
            return try VersionTable(json: Data(defaultJSON.utf8))
        } catch {
            fatalError("VersionTable.defaultJSON is invalid: \(error)")
        }
    }()

    /// Reads a table from JSON of the same shape as `defaultJSON`.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(VersionTable.self, from: json)
    }

    /// Reads a table from a JSON file.
    public init(contentsOf url: URL) throws {
        try self.init(json: try Data(contentsOf: url))
    }

    /// How a CC version stands against the table.
    public enum Assessment: String, Sendable, Equatable, Codable {
        /// The latest release (or newer).
        case latest
        /// Supported, but not the latest.
        case supported
        /// Older than the oldest supported version for the OS.
        case outdated
        /// A major version that does not run on this OS (CC 11.x on Windows 7).
        case unsupportedOnOS
    }

    /// Judges `version` on Windows 7 (`windows7: true`) or on a later Windows.
    public func assess(_ version: ClientVersion, windows7: Bool) -> Assessment {
        if windows7 {
            if version.major > windows7MaxMajor { return .unsupportedOnOS }
            return version >= windows7Maximum ? .supported : .outdated
        }
        if version >= latest { return .latest }
        return version >= minimumSupported ? .supported : .outdated
    }
}
