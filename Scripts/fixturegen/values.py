"""Identities, products, accounts and time formats every fixture shares (CLIENT-MODEL §1, §2).

Nothing here depends on a scenario: these are the fixed facts of the synthetic site (one machine,
one user, one account) and the log vocabulary several scenarios and writers name.
"""

from datetime import datetime, timedelta, timezone
import base64
import hashlib
import uuid


UTC = timezone.utc
NOW = datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC)        # collection time (--now)
TIME_ZONE = "GMT Standard Time"
COMPUTER = "WS-JDOE-01"
DOMAIN = "EXAMPLE"
FQDN = "WS-JDOE-01.example.local"
USER = "jdoe"
EMAIL = "jane.doe@example.com"
USER_ID = "7D3C2A91-5B1E-4F08-A6C2-9E41D0B7F352"          # IMS user id, upper case
OTHER_EMAIL = "j.doe@contractor.example.org"                 # tool-login-mismatch only
OTHER_USER_ID = "B41E6F0A-93C7-4D25-8E1B-5A0C7F3D2E98"
MACHINE_SID = "S-1-5-21-1004336348-1177238915-682003330"
USER_SID = "S-1-5-21-3623811015-3361044348-30300820-1013"
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
PROXY_URL = "http://svc-proxy:S3cr3tP%40ss@proxy.example.com:8080"
POLICY_URL = "https://connect-ulastm.bentley.com/licensing/v2/policy"
SEARCH_URL = "https://entitlement-search.bentley.com/api/v1/entitlements"
IMS_TOKEN_URL = "https://ims.bentley.com/connect/token"
LATEST_CC = "23.00.01.10"
BOOT = datetime(2026, 11, 20, 7, 55, 3, tzinfo=UTC)         # the machine booted today at 07:55

CC_DIR = "Program Files/Common Files/Bentley Shared/CONNECTION Client"
LIC_DIR = f"Users/{USER}/AppData/Local/Bentley/Licensing"
LOG_DIR = f"Users/{USER}/AppData/Local/Bentley/Logs"

# Windows versions: (ProductName, CurrentVersion, CurrentBuild, DisplayVersion).
WIN11 = ("Windows 10 Pro", "6.3", "22631", "23H2")         # build >= 22000 is Windows 11
WIN10 = ("Windows 10 Enterprise", "6.3", "19045", "22H2")
WIN7 = ("Windows 7 Professional", "6.1", "7601", "")
WIN_SERVER = ("Windows Server 2019 Standard", "6.3", "17763", "1809")

_NS = uuid.UUID("6f1d4c2a-0b7e-4d3a-9c55-2e8f61a7b903")


def guid(label, upper=True):
    """A fixed GUID derived from a label (uuid5), so every id is stable and readable in code."""
    text = str(uuid.uuid5(_NS, label))
    return text.upper() if upper else text


def digest(label, size=32):
    """Deterministic pseudo-random bytes for fake keys, tokens and signatures."""
    out, counter = b"", 0
    while len(out) < size:
        out += hashlib.sha256(f"{label}#{counter}".encode()).digest()
        counter += 1
    return out[:size]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def at(text):
    """A UTC instant from 'YYYY-MM-DDTHH:MM:SS[.ffffff]'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Products and their securables (§2). Municipal product 2900 licenses by feature level only.
ORD_STD = "8A1F3C55-6E2B-4D7A-B9C0-3E5F7A1B2C4D"
ORD_ADV = "C2D4E6F8-1A3B-4C5D-8E7F-9A0B1C2D3E4F"
BOGUS_FEATURE = "5D0C8E7A-41B2-4C39-9E8D-7F1A2B3C4D5E"     # no product has it (invalid-request)
SECURABLES = {
    "MS": (1000, "MicroStation", ""),
    "NAV": (2545, "Bentley Navigator", ""),
    "AUTOPIPE": (1052, "AutoPIPE", ""),
    "ORD-STD": (2900, "OpenRoads Designer", ORD_STD),
    "ORD-ADV": (2900, "OpenRoads Designer", ORD_ADV),
}
PRODUCT_NAMES = {1000: "MicroStation", 2545: "Bentley Navigator", 1052: "AutoPIPE",
                 2900: "OpenRoads Designer"}
PRODUCT_EXES = {1000: "microstation.exe", 2900: "OpenRoadsDesigner.exe"}
STATUS_NAMES = {-1: "Error", 101: "Ok", 102: "Offline", 105: "Expired", 106: "AccessDenied",
                107: "DisabledByLogSend", 108: "DisabledByPolicy", 109: "Trial", 110: "NotEntitled"}
# What the Licensing Tool's Product Status tab shows for a status.
STATUS_SHOWN = {-1: "Error", 101: "Licensed", 102: "Licensed (offline)", 105: "Expired",
                107: "Disabled (usage logs not sent)",
                106: "Access Denied", 108: "Disabled by policy", 109: "Trial", 110: "Trial"}
ACCOUNTS = {
    # key: (OrganizationId, UltimateId, UltimateSAPId, UltimateCountryId, EntitlementGroupId, SiteName)
    "example": (guid("org:example"), guid("ultimate:example"), "1001234567", "GB",
                guid("egroup:example"), "Example Engineering Ltd"),
    "contractor": (guid("org:contractor"), guid("ultimate:contractor"), "1007654321", "GB",
                   guid("egroup:contractor"), "Contractor Surveys LLP"),
    "none": (ZERO_GUID, ZERO_GUID, "", "", ZERO_GUID, ""),
}

# ---------------------------------------------------------------------------------------------
# Time formats. The machine's zone is GMT Standard Time: UTC, +1 h in British summer time.
# ---------------------------------------------------------------------------------------------

BST = (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC))


def local(t):
    """Wall-clock time on the machine (naive) and its UTC offset in hours."""
    offset = 1 if BST[0] <= t < BST[1] else 0
    return (t + timedelta(hours=offset)).replace(tzinfo=None), offset


def iso7(t):
    """`2019-11-13T16:09:45.8755003Z`: seven fractional digits and Z."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}3Z"


def iso_offset(t):
    """`2020-11-13T05:59:59.535+00:00`: milliseconds and an offset."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}+00:00"


def iso_plain(t):
    """`2022-04-26T00:00:00`: no zone, meaning UTC."""
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def iso_z(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(t):
    return int(t.timestamp())


# ---------------------------------------------------------------------------------------------
# Log vocabulary several scenarios and the log writer name: stack traces, loggers, endpoints
# ---------------------------------------------------------------------------------------------

WEB_TRACE = ("   at System.Net.HttpWebRequest.GetResponse()",
             "   at Bentley.Licensing.Service.Http.PolicyClient.RequestPolicy(PolicyRequest request)",
             "   at Bentley.Licensing.Service.PolicyManager.RefreshPolicy(Boolean force)")
CRASH_TRACE = ("System.TypeInitializationException: The type initializer for "
               "'Bentley.Licensing.Service.Usage.UsageUploader' threw an exception. ---> "
               "System.MissingMethodException: Method not found: "
               "'System.Net.Http.HttpClient System.Net.Http.HttpClientFactory.Create()'.",
               "   at Bentley.Licensing.Service.Usage.UsageUploader..cctor()",
               "   --- End of inner exception stack trace ---",
               "   at Bentley.Licensing.Service.Usage.UsageUploader.Flush()",
               "   at Bentley.Licensing.Service.ServiceHost.OnTimer(Object state)",
               "   at System.Threading.TimerQueueTimer.CallCallbackInContext(Object state)")
PIPE_TRACE = ("System.ServiceModel.EndpointNotFoundException: There was no endpoint listening at "
              "net.pipe://localhost/Bentley/Licensing/Service that could accept the message.",
              "   at System.ServiceModel.Channels.PipeConnectionInitiator.Connect(Uri uri, TimeSpan timeout)",
              "   at Bentley.Licensing.Client.ServiceProxy.GetProductStatus(Int32 productId)")
SVC = "Bentley.Licensing.Service.PolicyManager"
LIC = "Bentley.Licensing.Service.LicenseManager"
AKC = "Bentley.Licensing.Service.AccessKeyClient"
ULAS = "Bentley.Licensing.Service.Usage.UlasProvider"
USAGE_POST_URL = "https://connect-ulastm.bentley.com/ulas/v1/usageLog"
