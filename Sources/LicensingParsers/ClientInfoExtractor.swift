import Foundation
import LicensingModel

/// Builds `ClientInfo` from the HKLM and HKCU exports and CC's `.exe.config` (CLIENT-MODEL §6).
public enum ClientInfoExtractor {
    /// What the exports and the config say about the machine; any of them may be missing.
    public static func extract(hklm: RegistryExport?, hkcu: RegistryExport?, config: DotNetConfig? = nil)
        -> ClientInfo
    {
        let exports = [hklm, hkcu].compactMap { $0 }
        var info = ClientInfo()

        func lookup(_ keys: [String], _ name: String, field: String) -> RegistryValue? {
            for export in exports {
                for key in keys {
                    if let value = export.value(key: key, name: name) {
                        info.sources[field] = SourceRef(file: export.file, line: value.line)
                        return value
                    }
                }
            }
            return nil
        }
        func text(_ key: String, _ name: String, field: String) -> String? {
            let keys = key.contains(#"\SOFTWARE\"#) ? [key, RegistryKeys.wow64(key)] : [key]
            return lookup(keys, name, field: field)?.text.flatMap { $0.isEmpty ? nil : $0 }
        }

        info.ccVersion = connectClientVersion(exports, sources: &info.sources)
        info.ccInstallLocation = text(RegistryKeys.connectClientInstall, "Location", field: "ccInstallLocation")
        info.licenseServiceLocation = text(RegistryKeys.licenseServiceInstall, "Location",
                                           field: "licenseServiceLocation")
        info.osProductName = text(RegistryKeys.windowsVersion, "ProductName", field: "osProductName")
        info.osCurrentVersion = text(RegistryKeys.windowsVersion, "CurrentVersion", field: "osCurrentVersion")
        info.osBuild = (text(RegistryKeys.windowsVersion, "CurrentBuild", field: "osBuild")
            ?? text(RegistryKeys.windowsVersion, "CurrentBuildNumber", field: "osBuild")).flatMap { Int($0) }
        info.computerName = text(RegistryKeys.computerName, "ComputerName", field: "computerName")
        info.timeZoneKeyName = text(RegistryKeys.timeZone, "TimeZoneKeyName", field: "timeZoneKeyName")
        info.geoCountry = text(RegistryKeys.geo, "Name", field: "geoCountry")
        info.proxyEnabled = lookup([RegistryKeys.internetSettings], "ProxyEnable", field: "proxyEnabled")?
            .number.map { $0 != 0 }
        info.proxyServer = text(RegistryKeys.internetSettings, "ProxyServer", field: "proxyServer")
            .map { SecretScrubber.scrub($0).value }
        info.lastLoggedOnUser = text(RegistryKeys.logonUI, "LastLoggedOnUser", field: "lastLoggedOnUser")
        // BuddiRegionCode is a string, but a number written by hand reads the same.
        info.buddiRegionCode = lookup([RegistryKeys.bentleyUser], "BuddiRegionCode", field: "buddiRegionCode")
            .flatMap { $0.text ?? $0.number.map(String.init) }
        info.terminalServerAppCompat = lookup([RegistryKeys.terminalServer], "TSAppCompat", field: "terminalServerAppCompat")
            .flatMap { $0.number ?? $0.text.flatMap { Int($0.trimmed()) } }.map { $0 != 0 }
        info.selectServerActivation = text(RegistryKeys.selectServer, "Activation", field: "selectServerActivation")
        info.selectServerSiteId = text(RegistryKeys.selectServer, "SiteId", field: "selectServerSiteId")
        if let config {
            info.appSettings = config.appSettings
            info.configProxyAddress = config.proxyAddress.map { SecretScrubber.scrub($0).value }
            if info.configProxyAddress != nil { info.sources["configProxyAddress"] = config.source }
        }
        return info
    }

    /// The highest `DisplayVersion` among installed programs named "CONNECTION Client".
    private static func connectClientVersion(_ exports: [RegistryExport], sources: inout [String: SourceRef])
        -> ClientVersion?
    {
        var best: (ClientVersion, SourceRef)?
        for export in exports {
            for parent in [RegistryKeys.uninstall, RegistryKeys.uninstallWow64] {
                for key in export.subkeys(of: parent) {
                    guard let name = key.value("DisplayName")?.text,
                          name.range(of: "CONNECTION Client", options: .caseInsensitive) != nil,
                          let value = key.value("DisplayVersion"), let text = value.text,
                          let version = ClientVersion(text)
                    else { continue }
                    if best.map({ version > $0.0 }) ?? true {
                        best = (version, SourceRef(file: export.file, line: value.line))
                    }
                }
            }
        }
        if let best { sources["ccVersion"] = best.1 }
        return best?.0
    }
}
