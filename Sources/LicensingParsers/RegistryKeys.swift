import Foundation

/// The registry keys a bundle carries (CLIENT-MODEL §6), and nothing else.
public enum RegistryKeys {
    /// CONNECTION Client's install key (`Location`).
    public static let connectClientInstall = #"HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\BentleyDesktopClient\Install"#
    /// The Licensing Service's install key (`Location`).
    public static let licenseServiceInstall = #"HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\LicenseService\Install"#
    /// Installed programs; CC's entry has `DisplayName` "CONNECTION Client" and `DisplayVersion`.
    public static let uninstall = #"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"#
    /// 32-bit programs on 64-bit Windows.
    public static let uninstallWow64 = #"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"#
    /// `ProductName`, `CurrentVersion`, `CurrentBuild`.
    public static let windowsVersion = #"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion"#
    /// `ComputerName`.
    public static let computerName = #"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName"#
    /// `TimeZoneKeyName`.
    public static let timeZone = #"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\TimeZoneInformation"#
    /// `Name`: the country the user is in.
    public static let geo = #"HKEY_CURRENT_USER\Control Panel\International\Geo"#
    /// `ProxyEnable`, `ProxyServer`.
    public static let internetSettings = #"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings"#
    /// `LastLoggedOnUser`.
    public static let logonUI = #"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Authentication\LogonUI"#
    /// `BuddiRegionCode`.
    public static let bentleyUser = #"HKEY_CURRENT_USER\Software\Bentley"#
    /// The legacy SELECTserver key (`Activation`, `SiteId`) of a hybrid machine.
    public static let selectServer = #"HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\Licensing\1.1"#
    /// `TSAppCompat`: 1 on a terminal server (CLIENT-MODEL §12).
    public static let terminalServer = #"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Terminal Server"#

    /// Every key a bundle keeps, as `RegistryExport.filtered(keepingKeys:)` patterns: exact
    /// keys, and `\*` for the programs below `Uninstall` (narrowed further by `relevantOnly`).
    public static let relevant: [String] = [
        connectClientInstall, licenseServiceInstall, uninstall + #"\*"#, uninstallWow64 + #"\*"#,
        windowsVersion, computerName, timeZone, geo, internetSettings, logonUI, bentleyUser, selectServer,
        terminalServer,
    ] + [connectClientInstall, licenseServiceInstall, selectServer].map(wow64)

    /// The same `HKLM\SOFTWARE\…` key under `WOW6432Node`.
    public static func wow64(_ path: String) -> String {
        // The standard library's prefix test, not Foundation's `replacingOccurrences`: its first
        // call costs 0.3–0.5 ms (bridging to NSString), on the path that starts `reg export`.
        let software = #"HKEY_LOCAL_MACHINE\SOFTWARE\"#
        guard path.hasPrefix(software) else { return path }
        return software + #"WOW6432Node\"# + path.dropFirst(software.count)
    }

    /// Whether an installed program's key is Bentley's (so a bundle may keep it).
    public static func isBentleyProgram(_ key: RegistryKey) -> Bool {
        ["DisplayName", "Publisher"].contains { name in
            guard let text = key.value(name)?.text?.lowercased() else { return false }
            return text.contains("bentley") || text.contains("connection client")
        }
    }
}

extension RegistryExport {
    /// Only the keys of `RegistryKeys.relevant`, and of the installed programs only Bentley's.
    public func relevantOnly() -> RegistryExport {
        let programs = [RegistryKeys.uninstall, RegistryKeys.uninstallWow64].map { Self.normalized($0) + "\\" }
        return filtered(keepingKeys: RegistryKeys.relevant).filter { key in
            let path = Self.normalized(key.path)
            guard programs.contains(where: { path.hasPrefix($0) }) else { return true }
            return RegistryKeys.isBentleyProgram(key)
        }
    }
}
