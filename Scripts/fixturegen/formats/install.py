"""The install folder: placeholder executables, the two `.exe.config` files, FeatureLevelSelector.xml."""

from ..values import POLICY_URL, PROXY_URL, SEARCH_URL


def placeholder(name):
    return f"Synthetic placeholder for {name}; not a vendor file.\r\n".encode()


def cc_config():
    return (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        "<configuration>\r\n"
        "  <startup>\r\n"
        '    <supportedRuntime version="v4.0" sku=".NETFramework,Version=v4.7.2"/>\r\n'
        "  </startup>\r\n"
        "  <appSettings>\r\n"
        '    <add key="BuddiRegionCode" value="0"/>\r\n'
        f'    <add key="PolicyServiceUrl" value="{POLICY_URL}"/>\r\n'
        f'    <add key="EntitlementSearchUrl" value="{SEARCH_URL}"/>\r\n'
        '    <add key="ImsAuthority" value="https://ims.bentley.com"/>\r\n'
        '    <add key="LogLevel" value="DEBUG"/>\r\n'
        '    <add key="AutoUpdateCheck" value="true"/>\r\n'
        "  </appSettings>\r\n"
        "  <system.net>\r\n"
        '    <defaultProxy enabled="true" useDefaultCredentials="false">\r\n'
        f'      <proxy proxyaddress="{PROXY_URL}" bypassonlocal="true" usesystemdefault="false"/>\r\n'
        "    </defaultProxy>\r\n"
        "  </system.net>\r\n"
        "</configuration>\r\n").encode()


def service_config(store_name="LicensingStore.db"):
    return (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        "<configuration>\r\n"
        "  <appSettings>\r\n"
        '    <add key="PolicyIntervalMinutes" value="240"/>\r\n'
        f'    <add key="StoreFileName" value="{store_name}"/>\r\n'
        '    <add key="UsageUploadIntervalMinutes" value="60"/>\r\n'
        "  </appSettings>\r\n"
        "  <system.net>\r\n"
        '    <defaultProxy enabled="true" useDefaultCredentials="true">\r\n'
        '      <proxy usesystemdefault="true"/>\r\n'
        "    </defaultProxy>\r\n"
        "  </system.net>\r\n"
        "</configuration>\r\n").encode()


def feature_level_selector(fx):
    return (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        "<FeatureLevelSelector>\r\n"
        f'  <Product Id="2900" Name="OpenRoads Designer" DefaultFeature="{fx.feature_default}"/>\r\n'
        '  <Product Id="2910" Name="OpenFlows WaterGEMS" DefaultFeature="3B7D9F11-2C4E-4A6B-8D0F-1E3A5C7B9D2F"/>\r\n'
        "</FeatureLevelSelector>\r\n").encode()
