import Foundation
import LicensingModel
import Testing
@testable import LicensingParsers

@Suite("Registry exports and client information")
struct RegistryTests {
    /// `reg export` output with the awkward parts: doubled backslashes, escaped quotes, a default
    /// value, hex(2)/hex(7) continued over lines, a dword, a deleted value.
    static let hklm = [
        "Windows Registry Editor Version 5.00",
        "",
        #"[HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\BentleyDesktopClient\Install]"#,
        #""Location"="C:\\Program Files\\Common Files\\Bentley Shared\\CONNECTION Client\\""#,
        #"@="say \"hi\"""#,
        #""Path"=hex(2):25,00,50,00,52,00,4f,00,47,00,52,00,41,00,4d,00,46,00,49,00,4c,00,\"#,
        #"  45,00,53,00,25,00,5c,00,42,00,00,00"#,
        #""Names"=hex(7):61,00,00,00,62,00,63,00,00,00,00,00"#,
        #""Gone"=-"#,
        "",
        #"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{1234-ABCD}]"#,
        #""DisplayName"="CONNECTION Client""#,
        #""DisplayVersion"="11.00.03.14""#,
        #""Publisher"="Bentley Systems, Incorporated""#,
        "",
        #"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{OTHER}]"#,
        #""DisplayName"="Some Other Program""#,
        "",
        #"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion]"#,
        #""ProductName"="Windows 10 Pro""#,
        #""CurrentVersion"="6.3""#,
        #""CurrentBuild"="22631""#,
        "",
        #"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon]"#,
        #""DefaultPassword"="hunter2""#,
        "",
        #"[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName]"#,
        #""ComputerName"="PC-01""#,
        "",
        #"[HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\Licensing\1.1]"#,
        #""SiteId"=dword:0000000a"#,
        "",
    ].joined(separator: "\r\n")

    static let hkcu = [
        "Windows Registry Editor Version 5.00",
        "",
        #"[HKEY_CURRENT_USER\Control Panel\International\Geo]"#,
        #""Name"="GB""#,
        "",
        #"[HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings]"#,
        #""ProxyEnable"=dword:00000001"#,
        #""ProxyServer"="http://jdoe:S3cret@proxy.contoso.com:8080""#,
        "",
    ].joined(separator: "\n")

    @Test("a UTF-16LE export with a BOM reads with continuations, escapes and hex strings")
    func utf16Export() throws {
        let parsed = try RegistryExportParser.parse(TestData.utf16LE(Self.hklm), file: ".system/registry/HKLM.reg")
        #expect(parsed.warnings.isEmpty)
        let export = parsed.value
        let install = #"HKLM\software\bentley\BENTLEYDESKTOPCLIENT\Install"#
        #expect(export.value(key: install, name: "location")?.text
            == #"C:\Program Files\Common Files\Bentley Shared\CONNECTION Client\"#)
        #expect(export.value(key: install, name: "@")?.text == #"say "hi""#)
        let path = try #require(export.value(key: install, name: "Path"))
        #expect(path.kind == .expandString)
        #expect(path.text == #"%PROGRAMFILES%\B"#)
        #expect(path.line == 6)
        #expect(export.value(key: install, name: "Names")?.data == .texts(["a", "bc"]))
        #expect(export.value(key: install, name: "Gone")?.kind == .delete)
        #expect(export.value(key: #"HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\Licensing\1.1"#, name: "SiteId")?.number == 10)
        #expect(export.subkeys(of: RegistryKeys.uninstall).count == 2)
    }

    @Test("a UTF-8 export with LF line ends reads the same way")
    func utf8Export() throws {
        let export = try RegistryExportParser.parse(Data(Self.hkcu.utf8), file: "HKCU.reg").value
        #expect(export.value(key: RegistryKeys.geo, name: "Name")?.text == "GB")
        #expect(export.value(key: RegistryKeys.internetSettings, name: "ProxyEnable")?.number == 1)
    }

    @Test("writing an export back gives reg export's format, which reads back the same")
    func roundTrip() throws {
        let export = try RegistryExportParser.parse(TestData.utf16LE(Self.hklm), file: "HKLM.reg").value
        let written = export.serialize()
        #expect(written.prefix(2) == Data([0xFF, 0xFE]))
        let text = TextDecoding.string(from: written)
        #expect(text.hasPrefix("Windows Registry Editor Version 5.00\r\n\r\n["))
        let hexLines = text.components(separatedBy: "\r\n").filter { $0.contains("=hex") || $0.hasPrefix("  ") }
        #expect(hexLines.count >= 3)
        #expect(hexLines.allSatisfy { $0.count <= 80 })
        let reread = try RegistryExportParser.parse(written, file: "HKLM.reg").value
        #expect(reread.keys.map(\.path) == export.keys.map(\.path))
        #expect(reread.keys.map { $0.values.map(\.data) } == export.keys.map { $0.values.map(\.data) })
    }

    @Test("a bundle keeps only the relevant keys: no Winlogon, no other programs")
    func relevantOnly() throws {
        let export = try RegistryExportParser.parse(TestData.utf16LE(Self.hklm), file: "HKLM.reg").value
        let kept = export.relevantOnly()
        let text = TextDecoding.string(from: kept.serialize())
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("Some Other Program"))
        #expect(text.contains("CONNECTION Client"))
        #expect(kept.key(RegistryKeys.windowsVersion) != nil)
    }

    @Test("client information comes from both hives, with sources and the proxy password redacted")
    func clientInfo() throws {
        let hklm = try RegistryExportParser.parse(TestData.utf16LE(Self.hklm), file: "HKLM.reg").value
        let hkcu = try RegistryExportParser.parse(Data(Self.hkcu.utf8), file: "HKCU.reg").value
        let info = ClientInfoExtractor.extract(hklm: hklm, hkcu: hkcu)
        #expect(info.ccVersion == ClientVersion("11.00.03.14"))
        #expect(info.sources["ccVersion"] == SourceRef(file: "HKLM.reg", line: 13))
        #expect(info.computerName == "PC-01")
        #expect(info.isWindows11)
        #expect(!info.isWindows7)
        #expect(info.geoCountry == "GB")
        #expect(info.proxyEnabled == true)
        #expect(info.proxyServer == "http://jdoe:***@proxy.contoso.com:8080")
        #expect(info.selectServerSiteId == "10")
        #expect(info.isSelectServerHybrid)
    }

    @Test("a 32-bit program's key is the same HKLM\\SOFTWARE key under WOW6432Node; other keys have none")
    func wow64() {
        #expect(RegistryKeys.wow64(#"HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\Licensing\1.1"#)
                == #"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Bentley\Licensing\1.1"#)
        #expect(RegistryKeys.wow64(RegistryKeys.timeZone) == RegistryKeys.timeZone)
        #expect(RegistryKeys.wow64(#"HKEY_CURRENT_USER\SOFTWARE\Bentley"#) == #"HKEY_CURRENT_USER\SOFTWARE\Bentley"#)
        #expect(RegistryKeys.relevant.filter { $0.contains(#"\WOW6432Node\"#) }.count == 4)
    }

    @Test("an empty file is not a registry export")
    func empty() {
        #expect(throws: ParseError.self) { try RegistryExportParser.parse(Data(), file: "HKLM.reg") }
    }
}
