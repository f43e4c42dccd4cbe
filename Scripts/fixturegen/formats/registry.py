"""Registry exports (§6) as `reg export` writes them: UTF-16LE with BOM, CRLF, hex(2)/hex(7) wrapped."""

from ..values import CC_DIR, COMPUTER, DOMAIN, PROXY_URL, TIME_ZONE, USER, USER_SID, at


def reg_string(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def reg_hex(prefix, data):
    """A binary value as regedit writes it: comma-separated bytes wrapped before column 80."""
    lines, line = [], prefix
    for i, byte in enumerate(data):
        piece = f"{byte:02x}" + ("," if i < len(data) - 1 else "")
        if len(line) + len(piece) > 78:
            lines.append(line + "\\")
            line = "  "
        line += piece
    return lines + [line]


def reg_value(name, kind, value):
    head = f'"{reg_string(name)}"='
    if kind == "sz":
        return [head + f'"{reg_string(value)}"']
    if kind == "dword":
        return [head + f"dword:{value:08x}"]
    if kind == "expand":
        return reg_hex(head + "hex(2):", (value + "\0").encode("utf-16-le"))
    if kind == "multi":
        return reg_hex(head + "hex(7):", ("\0".join(value) + "\0\0").encode("utf-16-le"))
    raise ValueError(kind)


def reg_export(keys):
    """UTF-16LE with BOM, CRLF, the version line, one section per key."""
    lines = ["Windows Registry Editor Version 5.00", ""]
    for key, values in keys:
        lines.append(f"[{key}]")
        for value in values:
            lines += reg_value(*value)
        lines.append("")
    return b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


def hklm(fx):
    product, current, build, display = fx.os
    cc = f"C:\\{CC_DIR.replace('/', chr(92))}\\"
    keys = [
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Bentley\\BentleyDesktopClient\\Install",
         [("Location", "sz", cc), ("Version", "sz", fx.cc_version)]),
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Bentley\\LicenseService\\Install",
         [("Location", "sz", cc + "LicService\\"),
          ("LogFolder", "expand", "%LOCALAPPDATA%\\Bentley\\Logs\\Licensing Service")]),
    ]
    if fx.hybrid:
        keys.append(("HKEY_LOCAL_MACHINE\\SOFTWARE\\Bentley\\Licensing\\1.1",
                     [("Activation", "sz", "SELECTserver"), ("SiteId", "sz", "EXAMPLE-ENG-0042"),
                      ("Server", "sz", "selectserver.example.local")]))
    windows_nt = [("ProductName", "sz", product), ("CurrentVersion", "sz", current),
                  ("CurrentBuild", "sz", build), ("CurrentBuildNumber", "sz", build),
                  ("EditionID", "sz", product.split()[-1]),
                  ("InstallationType", "sz", "Server" if "Server" in product else "Client"),
                  ("SystemRoot", "sz", "C:\\Windows"), ("RegisteredOwner", "sz", "Example Engineering Ltd")]
    if display:
        windows_nt += [("DisplayVersion", "sz", display), ("CurrentMajorVersionNumber", "dword", 10),
                       ("CurrentMinorVersionNumber", "dword", 0)]
    keys += [
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319",      # noise
         [("SchUseStrongCrypto", "dword", 1), ("SystemDefaultTlsVersions", "dword", 1)]),
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\LogonUI",
         [("LastLoggedOnUser", "sz", f"{DOMAIN}\\{USER}"), ("LastLoggedOnSAMUser", "sz", f"{DOMAIN}\\{USER}"),
          ("LastLoggedOnDisplayName", "sz", "Jane Doe"), ("LastLoggedOnUserSID", "sz", USER_SID)]),
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{5F1B0A74-8C3D-4E2A-9F6B-1D7C3E5A9B20}",
         [("DisplayName", "sz", "CONNECTION Client"), ("DisplayVersion", "sz", fx.cc_version),
          ("Publisher", "sz", "Bentley Systems, Incorporated"), ("InstallLocation", "sz", cc),
          ("InstallDate", "sz", (fx.upgraded_at or at("2026-09-14T00:00:00")).strftime("%Y%m%d")),
          ("EstimatedSize", "dword", 412532), ("NoModify", "dword", 1)]),
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", windows_nt),
        ("HKEY_LOCAL_MACHINE\\SOFTWARE\\7-Zip", [("Path", "sz", "C:\\Program Files\\7-Zip\\")]),   # noise
        ("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
         [("ComputerName", "sz", COMPUTER)]),
    ]
    if fx.terminal:
        keys.append(("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
                     [("fDenyTSConnections", "dword", 0), ("TSAppCompat", "dword", 1), ("TSUserEnabled", "dword", 0)]))
    keys += [
        ("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation",
         [("Bias", "dword", 0), ("DaylightBias", "dword", 0xFFFFFFC4), ("DaylightName", "sz", "@tzres.dll,-261"),
          ("StandardName", "sz", "@tzres.dll,-262"), ("TimeZoneKeyName", "sz", TIME_ZONE),
          ("ActiveTimeBias", "dword", 0), ("DynamicDaylightTimeDisabled", "dword", 0)]),
    ]
    return reg_export(keys)


def hkcu(fx):
    nation = {"GB": "242", "IE": "68", "US": "244"}[fx.geo]
    keys = [
        ("HKEY_CURRENT_USER\\Control Panel\\International\\Geo", [("Name", "sz", fx.geo), ("Nation", "sz", nation)]),
        ("HKEY_CURRENT_USER\\Environment",                                                  # noise
         [("Path", "expand", "%USERPROFILE%\\AppData\\Local\\Microsoft\\WindowsApps;%USERPROFILE%\\AppData\\Local\\Programs\\Microsoft VS Code\\bin"),
          ("TEMP", "expand", "%USERPROFILE%\\AppData\\Local\\Temp"),
          ("TMP", "expand", "%USERPROFILE%\\AppData\\Local\\Temp")]),
        ("HKEY_CURRENT_USER\\Software\\Bentley", [("BuddiRegionCode", *fx.buddi)] if fx.buddi else []),
        ("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings",
         [("CertificateRevocation", "dword", 1), ("ProxyEnable", "dword", 1), ("ProxyServer", "sz", PROXY_URL),
          ("ProxyOverride", "sz", "<local>;*.example.local"), ("MigrateProxy", "dword", 1),
          ("SecureProtocols", "dword", 0xA80)]),
        ("HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\General",            # noise
         [("RecentFiles", "multi", ["C:\\Users\\jdoe\\Documents\\Bridge-A12.dgn", "C:\\Users\\jdoe\\Documents\\Notes.docx"])]),
    ]
    return reg_export(keys)
