import Foundation

/// The machine and its CONNECTION Client, from the registry and the CC config (CLIENT-MODEL §6).
public struct ClientInfo: Sendable, Equatable, Hashable, Codable {
    /// The installed CONNECTION Client version (`Uninstall\{…}\DisplayVersion`).
    public var ccVersion: ClientVersion?
    /// Where CC is installed.
    public var ccInstallLocation: String?
    /// Where the Licensing Service is installed.
    public var licenseServiceLocation: String?
    /// `ProductName`, e.g. "Windows 10 Pro" (also on Windows 11).
    public var osProductName: String?
    /// `CurrentVersion`, e.g. "6.1" (Windows 7), "6.3".
    public var osCurrentVersion: String?
    /// `CurrentBuild`; 22000 and later is Windows 11.
    public var osBuild: Int?
    /// The computer's name.
    public var computerName: String?
    /// `TimeZoneKeyName`, e.g. "GMT Standard Time".
    public var timeZoneKeyName: String?
    /// The country the user is in (`Geo\Name`), e.g. "GB".
    public var geoCountry: String?
    /// Whether the user's proxy is switched on.
    public var proxyEnabled: Bool?
    /// The user's proxy server, with any password already redacted.
    public var proxyServer: String?
    /// The proxy configured in CC's `.exe.config`, password redacted.
    public var configProxyAddress: String?
    /// CC's `<appSettings>`.
    public var appSettings: [String: String]
    /// `HKCU\Software\Bentley\BuddiRegionCode`.
    public var buddiRegionCode: String?
    /// The legacy SELECTserver `Activation` value (a hybrid machine).
    public var selectServerActivation: String?
    /// The legacy SELECTserver `SiteId`.
    public var selectServerSiteId: String?
    /// `LogonUI\LastLoggedOnUser`, e.g. `CONTOSO\jdoe`.
    public var lastLoggedOnUser: String?
    /// `HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server` `TSAppCompat` (1: the machine
    /// serves remote desktop sessions as a terminal server).
    public var terminalServerAppCompat: Bool?
    /// Where each field came from, by field name (`"ccVersion"` → `HKLM.reg:42`).
    public var sources: [String: SourceRef]

    /// Creates client information; every field is optional.
    public init(ccVersion: ClientVersion? = nil, ccInstallLocation: String? = nil,
                licenseServiceLocation: String? = nil, osProductName: String? = nil,
                osCurrentVersion: String? = nil, osBuild: Int? = nil, computerName: String? = nil,
                timeZoneKeyName: String? = nil, geoCountry: String? = nil, proxyEnabled: Bool? = nil,
                proxyServer: String? = nil, configProxyAddress: String? = nil,
                appSettings: [String: String] = [:], buddiRegionCode: String? = nil,
                selectServerActivation: String? = nil, selectServerSiteId: String? = nil,
                lastLoggedOnUser: String? = nil, sources: [String: SourceRef] = [:]) {
        self.ccVersion = ccVersion
        self.ccInstallLocation = ccInstallLocation
        self.licenseServiceLocation = licenseServiceLocation
        self.osProductName = osProductName
        self.osCurrentVersion = osCurrentVersion
        self.osBuild = osBuild
        self.computerName = computerName
        self.timeZoneKeyName = timeZoneKeyName
        self.geoCountry = geoCountry
        self.proxyEnabled = proxyEnabled
        self.proxyServer = proxyServer
        self.configProxyAddress = configProxyAddress
        self.appSettings = appSettings
        self.buddiRegionCode = buddiRegionCode
        self.selectServerActivation = selectServerActivation
        self.selectServerSiteId = selectServerSiteId
        self.lastLoggedOnUser = lastLoggedOnUser
        self.sources = sources
    }

    /// Windows 7: `CurrentVersion` 6.1.
    public var isWindows7: Bool { osCurrentVersion?.trimmed() == "6.1" }

    /// Windows 11: build 22000 or later (its `ProductName` still says "Windows 10").
    public var isWindows11: Bool { (osBuild ?? 0) >= 22000 }

    /// Whether the legacy SELECTserver key marks a hybrid machine.
    public var isSelectServerHybrid: Bool { selectServerActivation != nil || selectServerSiteId != nil }
}
