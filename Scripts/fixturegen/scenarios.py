"""The client roots: the healthy machine, and what each cause fixture changes.

`FIXTURES` is the one table of roots, in the order the README lists them. Each entry is a
`Scenario` that differs from the healthy defaults only where its cause needs it; everything in the
root is derived from it by `fixturegen.root`.
"""

from datetime import timedelta

from .scenario import Checkout, L, Line, Scenario
from .values import (
    AKC, BOGUS_FEATURE, COMPUTER, CRASH_TRACE, EMAIL, IMS_TOKEN_URL, LATEST_CC, LIC, OTHER_EMAIL,
    OTHER_USER_ID, PIPE_TRACE, POLICY_URL, PROXY_URL, SVC, ULAS, USAGE_POST_URL, USER_ID, WEB_TRACE,
    WIN10, WIN7, WIN_SERVER, ZERO_GUID, at)


def crash_events(first, times):
    """Application and System events of a Licensing Service that keeps crashing."""
    app, sys_ = [], []
    for i in range(times):
        t = first + timedelta(minutes=i, seconds=i * 2)
        app += [("dotnet-1026", t, "Bentley.Licensing.Service.exe"),
                ("app-error-1000", t + timedelta(milliseconds=410), "Bentley.Licensing.Service.exe")]
        sys_.append(("scm-7031", t + timedelta(seconds=1), i + 1) if i < times - 1
                    else ("scm-7034", t + timedelta(seconds=1), times))
    return tuple(app), tuple(sys_)


def crash_lines(first, times):
    lines = []
    for i in range(times):
        t = first + timedelta(minutes=i, seconds=i * 2)
        if i:
            lines.append(Line(t - timedelta(seconds=55), "INFO", "Bentley.Licensing.Service.ServiceHost",
                              "Service started. Version={svc_version}", 1))
        lines.append(Line(t, "FATAL", "Bentley.Licensing.Service.ServiceHost",
                          "Unhandled exception, the service will stop", 9, CRASH_TRACE))
    return tuple(lines)


CRASH_APP, CRASH_SYS = crash_events(at("2026-11-20T08:47:03.118"), 3)
# On Windows 7 the service has crashed since the upgrade yesterday, and again after today's boot.
OS_CRASHES = (at("2026-11-19T10:47:51.502"), at("2026-11-20T07:56:31.870"))
OS_CRASH_APP = crash_events(OS_CRASHES[0], 3)[0] + crash_events(OS_CRASHES[1], 3)[0]
OS_CRASH_SYS = crash_events(OS_CRASHES[0], 3)[1] + crash_events(OS_CRASHES[1], 3)[1]

FIXTURES = [
    Scenario(
        name="healthy",
        shows="signed in, fresh policy (refreshed 09:15), MicroStation entitled and licensed; a second user folder without Bentley data",
        evidence="IsLoggedIn true; PolicyCreatedOn 44 min before collection; SecurableData and an Allowed ACL for 1000; status 101 (`Ok`); `LicenseStatus Returned: 101`; usage Production/GB; Users/Public has no Bentley data",
        status_as_name=True, extra_user=True,
        tool_lines=(L("2026-11-20T09:44:02.511", "INFO", "Bentley.Licensing.LicenseTool.MainWindow",
                      "Policy is current. ExpiresOn={expires_iso}"),)),
    Scenario(
        name="not-entitled",
        shows="the account simply has no MicroStation license; everything else is fine",
        evidence="no SecurableData/ACL for 1000 (only Navigator, OpenRoads); status 110; `LicenseStatus Returned: 110`; Product Status `Trial`; usage Trial/GB",
        verdict="trial", top_cause="not-entitled", status=110, reason="not-found",
        policy_created=at("2026-11-20T08:12:31.447512"), securables=("NAV", "ORD-STD", "ORD-ADV"),
        version_key="Vesrion"),
    Scenario(
        name="country-mismatch",
        shows="the user's usage country is IE while they are in GB and the account's licenses are GB ones",
        evidence="UserData.UsageCountryISO IE vs Geo\\Name GB and UltimateCountryId GB; usage rows, CSV and `RecordUsage` with country IE; no MicroStation securable; status 110",
        verdict="trial", top_cause="country-mismatch", status=110, reason="not-found",
        policy_created=at("2026-11-20T07:48:05.120045"), securables=("NAV",), usage_country="IE"),
    Scenario(
        name="access-denied", status_as_name=True,
        shows="the administrator denied the user MicroStation (Entitlement Management)",
        evidence="ACL AccessKind 3 on the MicroStation securable; status `AccessDenied` (106); `LicenseStatus Returned: 106`; PolicyFile stored as raw JSON; an unrelated Teams.exe crash in Application.xml",
        verdict="trial", top_cause="access-denied", status=106, reason="denied",
        policy_created=at("2026-11-20T08:30:10.004100"), acl=(("MS", 3, None, ()),),
        version_key="Vesrion", policy_as_json=True,
        app_events=(("app-error-1000", at("2026-11-20T09:05:41.220"), "ms-teams.exe"),)),
    Scenario(
        name="invalid-request",
        shows="the application asked for MicroStation with a feature level that no securable has",
        evidence=f"RequestedSecurables 1000 with FeatureString {BOGUS_FEATURE}; the only MicroStation securable has \"\"; status 110",
        verdict="trial", top_cause="invalid-request", status=110, reason="not-found",
        product=(1000, BOGUS_FEATURE, "10.17.2.61"), policy_created=at("2026-11-20T08:05:44.310200")),
    Scenario(
        name="feature-level-missing",
        shows="OpenRoads Designer (2900, municipal) requested without a feature level",
        evidence="request 2900 with FeatureString \"\"; both 2900 securables carry a FeatureString; FeatureLevelSelector.xml has DefaultFeature=\"\" for 2900; status 110",
        verdict="trial", top_cause="feature-level-missing", status=110, reason="not-found",
        product=(2900, "", "10.12.0.0"), policy_created=at("2026-11-20T07:22:19.660300"), feature_default="",
        version_key="Vesrion"),
    Scenario(
        name="client-outdated",
        shows="CONNECTION Client 10.00.19.31 on Windows 10, below the 11.00.00.00 minimum; also a hybrid (SELECTserver) machine",
        evidence="Uninstall DisplayVersion and CC log 10.00.19.31 on Windows 10 build 19045; the service cannot read the newer policy and answers 110 although the policy has an Allowed MicroStation ACL; SELECTserver key HKLM\\SOFTWARE\\Bentley\\Licensing\\1.1",
        verdict="trial", top_cause="client-outdated", status=110, reason="outdated",
        policy_created=at("2026-11-20T08:41:02.090400"), os=WIN10, cc_version="10.00.19.31",
        hybrid=True, version_key="Vesrion",
        service_lines=(L("2026-11-20T08:41:02.402", "WARN", "Bentley.Licensing.Service.PolicyReader",
                         "Policy version 2.1 is newer than this client supports (1.3); entitlements may be incomplete"),)),
    Scenario(
        name="client-os-unsupported",
        shows="CONNECTION Client 11.00.03.14 installed on Windows 7 yesterday; since then the Licensing Service crashes",
        evidence="Windows NT CurrentVersion 6.1 (build 7601) with CC 11.00.03.14 (MsiInstaller event); service missing from tasklist; .NET Runtime 1026 and Application Error 1000 naming Bentley.Licensing.Service.exe; SCM 7031/7034; LicenseService.IsRunning false",
        verdict="trial", top_cause="client-os-unsupported", status=None, reason=None,
        policy_created=at("2026-11-19T08:02:13.551600"), os=WIN7, cc_version="11.00.03.14",
        cc_version_before="10.00.19.31", upgraded_at=at("2026-11-19T10:41:20"),
        service_down_from=at("2026-11-19T10:47:51"),
        service_lines=crash_lines(OS_CRASHES[0], 3) + crash_lines(OS_CRASHES[1], 3),
        app_events=(("msi-11707", at("2026-11-19T10:41:20.118"), "11.00.03.14"),) + OS_CRASH_APP,
        sys_events=OS_CRASH_SYS),
    Scenario(
        name="not-signed-in", status_as_name=True,
        shows="CONNECTION Client signed out since 17 Nov; the stored policy still works offline (2.8 of 7 days used), so MicroStation is still licensed",
        evidence="IsLoggedIn false; CC token refresh answered HTTP 401; `authHandlerProvider is null ... requires authentication` at every refresh; no successful refresh since 17 Nov; License Tool `Click here to sign in`; OfflineGracePeriodStart 2026-11-17T13:40; status `Offline` (102)",
        verdict="licensed", top_cause="not-signed-in", status=102, reason="offline-ok",
        policy_created=at("2026-11-17T09:40:27.125700"), signed_in=False,
        failure="signed-out", fail_from=at("2026-11-17T12:55:00"),
        cc_lines=(L("2026-11-20T07:58:13.905", "WARN", "Bentley.Connect.Client.Auth",
                    f"Token refresh failed: POST {IMS_TOKEN_URL}: The remote server returned an error: (401) Unauthorized. Sign-in required"),)),
    Scenario(
        name="offline-expired",
        shows="signed out and offline since 10 Nov: the offline grace (7 days) and the policy ran out",
        evidence="OfflineGracePeriodStart 2026-11-10T16:03 (9.7 days); PolicyExpiresOn 2026-11-17T12:03; `Offline grace period expired`; status 105; CC signed out (not-signed-in explains why, ranks below)",
        verdict="trial", top_cause="offline-expired", status=105, reason="offline-expired",
        policy_created=at("2026-11-10T12:03:51.700800"), signed_in=False,
        failure="signed-out", fail_from=at("2026-11-10T14:00:00"), version_key="Vesrion"),
    Scenario(
        name="offline-not-allowed", status_as_name=True,
        shows="signed out since yesterday 15:10; the account does not allow offline use of MicroStation",
        evidence="ACL override AllowOfflineUsage=FALSE (prompt `You must Sign In to use this application.`); OfflineGracePeriodStart 2026-11-19T16:05; status `DisabledByPolicy` (108); CC signed out",
        verdict="trial", top_cause="offline-not-allowed", status=108, reason="offline-disabled",
        policy_created=at("2026-11-19T12:05:33.240900"), signed_in=False,
        failure="signed-out", fail_from=at("2026-11-19T15:10:00"), usage_yesterday="Production",
        acl=(("MS", 1, None, (("AllowOfflineUsage", "FALSE"),)),)),
    Scenario(
        name="tool-login-mismatch",
        shows="CC is signed in as jane.doe, but the Licensing Service still holds the previous (contractor) identity and its policy",
        evidence=f"CC SignedInUser {USER_ID}; policy UserId/AppliesToUserId {OTHER_USER_ID.lower()} (another account); LicenseService.SignedInUser null and `No signed-in user reported` in the service log; License Tool `Click here to sign in` while CC is signed in; status 110",
        verdict="trial", top_cause="tool-login-mismatch", status=110, reason="not-found",
        policy_created=at("2026-11-20T07:40:16.338100"), policy_user=OTHER_USER_ID,
        account="contractor", securables=("NAV",),
        cc_user_before=(OTHER_EMAIL, OTHER_USER_ID, at("2026-11-20T08:50:12")),
        service_lines=(L("2026-11-20T08:55:40.771", "WARN", "Bentley.Licensing.Service.SessionMonitor",
                         "No signed-in user reported by CONNECTION Client for this session; keeping cached identity {policy_user_lower}"),)),
    Scenario(
        name="policy-stale",
        shows="MicroStation was ordered on 19 Nov but the policy dates from 18 Nov: the machine slept and no refresh has run since",
        evidence="PolicyCreatedOn 2026-11-18T15:20 (42 h, > PolicyInterval 240 min) without MicroStation; no `Policy refreshed` since; CC notification of the new order for 1000; Kernel-Power sleep/resume events; status 110",
        verdict="trial", top_cause="policy-stale", status=110, reason="not-found",
        policy_created=at("2026-11-18T15:20:44.901000"), securables=("NAV", "ORD-STD", "ORD-ADV"),
        asleep=(at("2026-11-18T18:40:05"), at("2026-11-20T09:28:40")),
        request_at=at("2026-11-20T09:35:12.007"),
        service_lines=(L("2026-11-20T09:28:45.310", "INFO", "Bentley.Licensing.Service.ServiceHost",
                         "Power resume. Next policy refresh at 2026-11-20T13:28:45Z", 5),
                       L("2026-11-20T09:35:12.004", "INFO", SVC,
                         "Using cached policy. PolicyId={policy_id} CreatedOn={created_iso}")),
        cc_lines=(L("2026-11-20T09:29:02.406", "INFO", "Bentley.Connect.Client.Notifications",
                    "Notification received: Entitlements changed (new order SO-2026-118842) for MicroStation (ProductId=1000), effective 2026-11-19"),),
        sys_events=(("sleep-42", at("2026-11-18T18:40:05.200")), ("resume-1", at("2026-11-20T09:28:40.950")))),
    Scenario(
        name="no-account",
        shows="the user is not linked to any account (IMS Job Info): the policy grants nothing",
        evidence="UserData OrganizationId/UltimateId/EntitlementGroupId all-zero GUIDs; no ACLs, no SecurableData, no AppliesToSecurableIds; status 110",
        verdict="trial", top_cause="no-account", status=110, reason="not-found",
        policy_created=at("2026-11-20T08:20:00.125000"), account="none", securables=(),
        version_key="Vesrion"),
    Scenario(
        name="checkout-expired",
        shows="an offline site machine: the 30-day checkout expired on 18 Nov and the regular policy long before",
        evidence="Checkout row and `Checkouts/<USERID>_WS-JDOE-01.belic` with ACL ExpiresOn = PolicyExpiresOn 2026-11-18T09:00; `Checkout found returning LicenseStatus OK` on 18 Nov, `Checkout expired` after; status 105; (offline-expired and not-signed-in rank below)",
        verdict="trial", top_cause="checkout-expired", status=105, reason="checkout-expired",
        policy_created=at("2026-10-19T08:55:12.610200"), signed_in=False,
        failure="signed-out", fail_from=at("2026-10-20T07:00:00"), version_key="Vesrion",
        checkout=Checkout(COMPUTER, at("2026-10-19T09:00:00"), at("2026-11-18T09:00:00"),
                          "AppData/Local/Bentley/Licensing/Checkouts", True),
        service_lines=(L("2026-11-18T08:10:31.404", "INFO", LIC, "GetLicenseStatus ProductId=1000 FeatureString=\"\" Version=10.17.2.61", 14),
                       L("2026-11-18T08:10:31.422", "INFO", LIC, "Checkout found returning LicenseStatus OK", 14),
                       L("2026-11-18T08:10:31.425", "INFO", LIC, "LicenseStatus Returned: 101", 14))),
    Scenario(
        name="checkout-wrong-machine",
        shows="offline since 9 Nov; a checkout made for LAPTOP-JDOE-02 was imported here and refused",
        evidence="`Downloads/<USERID>_LAPTOP-JDOE-02.belic` whose RequestData.MachineName is LAPTOP-JDOE-02 (ComputerName WS-JDOE-01); `Device ID does not match provided policy device id` in the service and (UTF-16) License Tool logs; status 105",
        verdict="trial", top_cause="checkout-wrong-machine", status=105, reason="offline-expired",
        policy_created=at("2026-11-08T16:00:09.080300"), signed_in=False,
        failure="signed-out", fail_from=at("2026-11-09T10:00:00"),
        checkout=Checkout("LAPTOP-JDOE-02", at("2026-11-19T15:30:00"), at("2026-12-19T15:30:00"),
                          "Downloads", False),
        request_at=at("2026-11-20T09:24:40.118"),
        service_lines=(L("2026-11-20T09:21:05.310", "INFO", "Bentley.Licensing.Service.CheckoutManager",
                         "ImportCheckout C:\\Users\\jdoe\\Downloads\\{belic_name}", 17),
                       L("2026-11-20T09:21:05.402", "ERROR", "Bentley.Licensing.Service.CheckoutManager",
                         "ImportCheckout failed: Device ID does not match provided policy device id", 17)),
        tool_lines=(L("2026-11-20T09:21:04.950", "INFO", "Bentley.Licensing.LicenseTool.ImportDialog",
                      "Importing checked-out license C:\\Users\\jdoe\\Downloads\\{belic_name}"),
                    L("2026-11-20T09:21:05.420", "ERROR", "Bentley.Licensing.LicenseTool.ImportDialog",
                      "Import failed: Device ID does not match provided policy device id"))),
    Scenario(
        name="evaluation-expired", status_as_name=True,
        shows="a MicroStation evaluation that ended on 15 Nov",
        evidence="ACL with overrides UsageType=Evaluation, Version=10.17.0.0 and ExpiresOn 2026-11-15T00:00:00; requested version 10.17.2.61 (inside the evaluation's version); `Product is evaluation, but is expired`; status `Expired` (105); PolicyFile stored as raw JSON; one old transient timeout followed by a successful refresh (not network-blocked)",
        verdict="trial", top_cause="evaluation-expired", status=105, reason="evaluation",
        policy_created=at("2026-11-20T08:50:37.772100"), policy_as_json=True,
        acl=(("MS", 1, at("2026-11-15T00:00:00"), (("UsageType", "Evaluation"), ("Version", "10.17.0.0"))),),
        service_lines=(L("2026-11-06T05:02:10.004", "ERROR", SVC, f"Unable to perform policy request. Url={POLICY_URL}",
                         ("System.Net.WebException: The operation has timed out",) + WEB_TRACE),
                       L("2026-11-06T05:02:10.009", "WARN", SVC, "Call to entitlements failed, getting policy from DB"),
                       L("2026-11-06T05:12:11.551", "INFO", SVC, "Policy refresh retried. PolicyId={retry_policy_id} ExpiresOn=2026-11-13T05:12:11Z"))),
    Scenario(
        name="network-blocked",
        shows="since 11 Nov a proxy with TLS inspection blocks the policy refresh while CC stays signed in; the offline grace ran out",
        evidence="repeated HTTP 407, `remote certificate is invalid`, `remote name could not be resolved: 'entitlement-search.bentley.com'` and timeouts to connect-ulastm.bentley.com; Schannel 36888 and DNS Client 1014 events; IsLoggedIn true; OfflineGracePeriodStart 2026-11-11T09:02; status 105 (offline-expired ranks below)",
        verdict="trial", top_cause="network-blocked", status=105, reason="offline-expired",
        policy_created=at("2026-11-11T05:02:48.190400"),
        failure="network", fail_from=at("2026-11-11T08:00:00"),
        service_lines=(L("2026-11-20T07:55:41.020", "INFO", "Bentley.Licensing.Service.Http.ProxySettings",
                         f"Using system proxy {PROXY_URL}", 1),),
        sys_events=(("schannel-36888", at("2026-11-20T08:02:49.120")), ("dns-1014", at("2026-11-20T09:31:00.400")))),
    Scenario(
        name="clock-skew",
        shows="the clock jumped 8 days ahead at 08:05; a policy made at 08:12 (server time) looks expired to the client",
        evidence="RequestData.ClientDateTime 2026-11-28T08:12 vs PolicyCreatedOn 2026-11-20T08:12; log stamps, Policy.LastUpdateTime and usage times on 28 Nov, after the collection time; Kernel-General 1 time change event; `Policy expired`; status 105",
        verdict="trial", top_cause="clock-skew", status=105, reason="clock",
        policy_created=at("2026-11-20T08:12:31.006700"), version_key="Vesrion",
        clock_jump=at("2026-11-20T08:05:00"), clock_skew=timedelta(days=8), usage_yesterday="Production",
        request_at=at("2026-11-20T09:10:18.662"),
        sys_events=(("time-change-1", at("2026-11-20T08:05:00.000")),)),
    Scenario(
        name="service-not-running",
        shows="the Licensing Service crashed three times this morning and Windows stopped restarting it",
        evidence="no Bentley.Licensing.Service.exe in tasklist; .NET Runtime 1026 and Application Error 1000 naming it; SCM 7031 twice then 7034; FATAL stack traces in its log; LicenseService.IsRunning false; License Tool cannot reach the service",
        verdict="trial", top_cause="service-not-running", status=None, reason=None,
        policy_created=at("2026-11-20T06:12:40.330500"),
        service_down_from=at("2026-11-20T08:47:03"),
        service_lines=crash_lines(at("2026-11-20T08:47:03.118"), 3),
        cc_lines=(L("2026-11-20T09:31:08.004", "ERROR", "Bentley.Connect.Client.Licensing",
                    "Licensing service is not reachable", PIPE_TRACE),),
        app_events=CRASH_APP, sys_events=CRASH_SYS),
    Scenario(
        name="no-policy",
        shows="the store was reset this morning (the logs do not say why: the corrupt-store story is `store-corrupted`); the first request for a new policy failed (HTTP 503), so there is no policy at all",
        evidence="Policy and Checkout tables empty, no .belic; `Licensing store created`; `Unable to perform policy request` (503); `Policy token object is null. No policy obtained from entitlements or cached`; status -1; CC signed in, network fine",
        verdict="trial", top_cause="no-policy", status=-1, reason="no-policy",
        policy_created=at("2026-11-20T04:12:07.445500"), store_policy=False,
        failure="server", fail_from=at("2026-11-20T08:00:00"), request_at=at("2026-11-20T09:40:02.512"),
        service_lines=(L("2026-11-20T08:12:07.010", "WARN", "Bentley.Licensing.Service.Store",
                         "Licensing store created (schema 1.3.0.0): no cached policy"),)),
]

# Diagnosis v2 (issue #11): one root per new cause, near misses that must stay licensed, and roots
# with two independent causes. Their stores use the layouts other client versions write (STORE_VARIANTS).

FIXTURES += [
    Scenario(
        name="trial-entitlement",
        shows="the account's MicroStation entitlement is itself a trial (until 31 Jan 2027): the policy grants it, yet the application runs as a trial",
        evidence="ACL on the MicroStation securable with override UsageType=Trial and ExpiresOn 2027-01-31T00:00:00 (ahead of the collection time); status 109 (`Trial`); `ClientImpl::GetProductStatus: Valid License. You are in trial mode.`; `LicenseStatus Returned: 109`; usage rows and `RecordUsage` with usageType Trial; Product Status `Trial`; Entitlements tab lists MicroStation. Store: `License.db`, 19-column `Usage`, `Policy.ProjectId`",
        verdict="trial", top_cause="trial-entitlement", status=109, reason="trial",
        policy_created=at("2026-11-20T08:44:18.402100"),
        acl=(("MS", 1, at("2027-01-31T00:00:00"), (("UsageType", "Trial"),)),),
        store_name="License.db", store=("usage19", "policy-projectid")),
    Scenario(
        name="policy-invalid", status_as_name=True,
        shows="the stored policy has an empty RequestData.UserId, so the client will not use it, although it is fresh and the user is signed in and online",
        evidence="PolicyFile (raw JSON) with RequestData.UserId \"\" while UserData.UserId, AppliesToUserId and Policy.UserId name the user; refreshes succeed (last 09:02), IsLoggedIn true, AllowOfflineUsage TRUE, no OfflineGrace row; `Policy::IsValid: policy … is not valid (RequestData.UserId is empty)` and `returning DisabledByPolicy`; status `DisabledByPolicy` (108); Product Status `Disabled by policy`",
        verdict="trial", top_cause="policy-invalid", status=108, reason="invalid",
        policy_created=at("2026-11-20T09:02:55.118300"), policy_as_json=True,
        policy_edits=(("RequestData.UserId", ""),)),
    Scenario(
        name="wrong-environment",
        shows="BuddiRegionCode 102 points CONNECTION Client at Bentley's QA environment, whose policy holds only a test Navigator entitlement, not the customer's MicroStation",
        evidence="HKCU\\Software\\Bentley BuddiRegionCode=\"102\"; service and CC logs request qa-connect-ulastm.bentley.com, qa-ims.bentley.com and qa-entitlement-search.bentley.com; CC log `BuddiRegionCode=102: using the QA region`; policy RequestData.AppliesTo https://qa-connect-ulastm.bentley.com/, JWT iss http://qa-policyservice.bentley.com and aud https://qa-connect-ulastm.bentley.com; no MicroStation securable; status 110; Product Status `Trial`. Store: unknown table `ClientState` (a `RefreshToken` row) and unknown column `Policy.SessionToken` (a bearer JWT), both secrets",
        verdict="trial", top_cause="wrong-environment", status=110, reason="not-found",
        policy_created=at("2026-11-20T08:58:40.660200"), securables=("NAV",), env="qa-", buddi=("sz", "102"),
        policy_edits=(("RequestData.AppliesTo", "https://qa-connect-ulastm.bentley.com/"),),
        store=("extra-table", "extra-column"),
        cc_lines=(L("2026-11-18T07:58:12.602", "INFO", "Bentley.Connect.Client.Configuration",
                    "BuddiRegionCode=102: using the QA region (https://qa-connect-ulastm.bentley.com, https://qa-ims.bentley.com)", 1),
                  L("2026-11-20T07:58:12.602", "INFO", "Bentley.Connect.Client.Configuration",
                    "BuddiRegionCode=102: using the QA region (https://qa-connect-ulastm.bentley.com, https://qa-ims.bentley.com)", 1))),
    Scenario(
        name="access-key-invalid",
        shows="the machine licenses in server mode (access key, no user); the key was revoked this morning, so the client refuses MicroStation although its policy grants it",
        evidence="policy RequestData.AccessKey set; UserData.UserId, RequestData.UserId, AppliesToUserId, ACL PrincipalId and Policy.UserId all-zero GUIDs with the real OrganizationId/UltimateId of Example Engineering; the last good validation at 07:50 (`ValidateAccessKey - AccessKey is valid`); then `AccessKeyClientImpl::ValidateAccessKey - AccessKey not found` (08:31), `AccessKeyClientImpl::ValidateAccessKey - Call to AccessKey service failed` and `AccessKey missing from portal(deleted), expired, or revoked` (08:31 and 09:31); MicroStation securable with an Allowed ACL; status 110. Store: `License.db`, 19-column `Usage`, a stale `License.db-journal`",
        verdict="trial", top_cause="access-key-invalid", status=110, reason="access-key",
        policy_created=at("2026-11-20T07:50:12.034400"), policy_user=ZERO_GUID,
        store_name="License.db", store=("usage19", "journal-stale"),
        service_lines=(L("2026-11-19T07:50:12.512", "INFO", AKC, "AccessKeyClientImpl::ValidateAccessKey - AccessKey is valid (status Success)", 8),
                       L("2026-11-20T07:50:12.509", "INFO", AKC, "AccessKeyClientImpl::ValidateAccessKey - AccessKey is valid (status Success)", 8),
                       L("2026-11-20T08:31:07.118", "ERROR", AKC, "AccessKeyClientImpl::ValidateAccessKey - AccessKey not found", 8),
                       L("2026-11-20T08:31:07.121", "INFO", AKC, "AccessKey missing from portal(deleted), expired, or revoked", 8))),
    Scenario(
        name="store-corrupted",
        shows="at 09:31 the service found its store corrupt and recreated it empty: the policy refreshed at 09:15 was lost, and the next refresh is not due before 13:15",
        evidence="`LicensingDb::OpenDb: Database file is invalid or corrupted, attempting to delete file and re-create as a Database` (…\\Licensing\\License.db, `file is not a database`) and `store re-created`; Policy, Checkout and OfflineGrace empty while the service log shows `Policy refreshed` every 4 hours up to 09:15 today; `ClientImpl::GetPolicyToken: Policy token object is null. No policy obtained from entitlements or cached`; status -1; CC signed in, no failed refresh, no network error; Entitlements tab `(none)`. Store: `License.db` with a leftover empty `License.db-journal`",
        verdict="trial", top_cause="store-corrupted", status=-1, reason="cache-empty", store_policy=False,
        store_name="License.db", store=("journal-empty",),
        service_lines=(L("2026-11-20T09:31:07.229", "ERROR", "Bentley.Licensing.Service.LicensingDb",
                         "LicensingDb::OpenDb: Database file is invalid or corrupted, attempting to delete file and re-create as a Database: "
                         "C:\\Users\\jdoe\\AppData\\Local\\Bentley\\Licensing\\License.db", 14,
                         ("System.Data.SQLite.SQLiteException (0x80004005): file is not a database",
                          "   at System.Data.SQLite.SQLite3.Prepare(SQLiteConnection cnn, String strSql)",
                          "   at Bentley.Licensing.Service.Store.LicensingDb.OpenDb(String path)")),
                       L("2026-11-20T09:31:07.236", "WARN", "Bentley.Licensing.Service.LicensingDb",
                         "LicensingDb::SetUpTables: store re-created (schema 1.3.0.0); cached policies and checkouts discarded", 14))),
    Scenario(
        name="terms-not-accepted", app_events=(("msi-11707", at("2026-11-19T14:00:41.330"), LATEST_CC),),
        shows="CONNECTION Client was installed yesterday at 14:00; Jane signed in but has not accepted Bentley's terms of service, so the sign-in never completed and no policy was ever fetched",
        evidence="connect-client.json HasUserAcceptedEULA false, IsLoggedIn false; CC log `GET https://connect-agreement.bentley.com/api/v1/agreements/status … -> 200 OK; {\"accepted\":false…}`, `Terms of service not accepted; sign-in not completed` (19 Nov and today) and `Terms of service dialog closed without accepting`; service `authHandlerProvider is null, EntilementPolicyService GetPolicy requires authentication` at every refresh since the install; Policy table and OfflineGrace empty, no .belic; `Policy token object is null. No policy obtained from entitlements or cached`; status -1; MsiInstaller 11707 on 19 Nov; no log lines before the install",
        verdict="trial", top_cause="terms-not-accepted", status=-1, reason="no-policy", store_policy=False,
        eula=False, signed_in=False, failure="terms", fail_from=at("2026-11-19T14:02:00"),
        policy_created=at("2026-11-19T13:58:00"), installed_on=at("2026-11-19T14:00:00"),
        upgraded_at=at("2026-11-19T14:00:00"), cc_version_before=LATEST_CC,
        service_lines=(L("2026-11-19T14:00:45.502", "INFO", "Bentley.Licensing.Service.ServiceHost",
                         "Service started. Version={svc_version}", 1),),
        cc_lines=(L("2026-11-19T14:00:52.118", "INFO", "Bentley.Connect.Client.App", f"CONNECTION Client {LATEST_CC} started", 1),
                  L("2026-11-19T14:03:10.402", "INFO", "Bentley.Connect.Client.Auth",
                    f"Signed in to IMS as {EMAIL} (UserId={USER_ID}); checking the terms of service", 1),
                  L("2026-11-19T14:03:11.015", "DEBUG", "Bentley.Connect.Client.Http",
                    f"GET https://connect-agreement.bentley.com/api/v1/agreements/status?userId={USER_ID.lower()} -> 200 OK; "
                    '{"accepted":false,"agreement":"Bentley Terms of Service","version":"2026-10"}', 6),
                  L("2026-11-19T14:03:11.020", "WARN", "Bentley.Connect.Client.Auth",
                    "Terms of service not accepted; sign-in not completed", 1),
                  L("2026-11-19T14:05:40.771", "INFO", "Bentley.Connect.Client.Agreement",
                    "Terms of service dialog closed without accepting", 1),
                  L("2026-11-20T07:58:15.884", "DEBUG", "Bentley.Connect.Client.Http",
                    f"GET https://connect-agreement.bentley.com/api/v1/agreements/status?userId={USER_ID.lower()} -> 200 OK; "
                    '{"accepted":false,"agreement":"Bentley Terms of Service","version":"2026-10"}', 6),
                  L("2026-11-20T07:58:15.890", "WARN", "Bentley.Connect.Client.Auth",
                    "Terms of service not accepted; sign-in not completed", 1))),
    Scenario(
        name="terminal-server-unsupported",
        shows="a Remote Desktop Services host with CONNECTION Client 11.00.00.46 (supported, but older than 11.00.01.109): MicroStation falls to trial in the users' remote sessions",
        evidence="Uninstall DisplayVersion, BentleyDesktopClient Version and CC log 11.00.00.46 (≥ the 11.00.00.00 minimum, < 11.00.01.109); Windows Server 2019 (build 17763, InstallationType Server); HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server TSAppCompat=dword:1; tasklist sessions RDP-Tcp#3 (jdoe), RDP-Tcp#5 (asmith), RDP-Tcp#8 (bkumar), each user with Bentley.Connect.Client.exe and microstation.exe `MicroStation - Trial`; service `requesting session 3 (RDP-Tcp#3) is not the console session; no signed-in CONNECTION Client user found for it`; status 110 although the policy has an Allowed MicroStation ACL",
        verdict="trial", top_cause="terminal-server-unsupported", status=110, reason="terminal",
        policy_created=at("2026-11-20T08:36:29.508700"), os=WIN_SERVER, cc_version="11.00.00.46", terminal="rdp"),
    Scenario(
        name="usage-unsent", usage_yesterday="Production",
        shows="since 10 Nov a web filter refuses the usage postings (policy refreshes still work); the unsent records outlived TimeToKeepUnSentLogs (7 days) and the client stopped licensing",
        evidence="DefaultQualifiers TimeToKeepUnSentLogs=10080 (minutes); 7 unsent Usage rows 10–18 Nov (LogPostingSource Offline) and the same in a second `LicUsageLog.<GUID>.csv`, yesterday's and today's sessions in the first; 7 unsent Feature rows and `LicFeatureLog.<GUID>.csv` 10–18 Nov; `UlasProvider::PostUsageLogs: POST https://connect-ulastm.bentley.com/ulas/v1/usageLog failed: … (403) Forbidden` and `UlasProvider::PostUsageLogs ERROR: N logs failed to post.` / `UlasProvider::PostFeatureLogs ERROR: N logs failed to post.` daily; `unsent usage logs older than TimeToKeepUnSentLogs`; status 107 (`DisabledByLogSend`); policy refreshes succeed, IsLoggedIn true, no proxy or TLS error on the policy path. Store: a `Feature` table",
        verdict="trial", top_cause="usage-unsent", status=107, reason="log-send", status_as_name=True,
        policy_created=at("2026-11-20T08:05:10.224700"),
        extra_qualifiers=(("TimeToKeepUnSentLogs", "10080", "int"),),
        backlog=tuple(at(f"2026-11-{d}T08:{20 + d}:14") for d in (10, 11, 12, 13, 16, 17, 18)),
        feature_backlog=tuple(at(f"2026-11-{d}T10:{d + 2}:40") for d in (10, 11, 12, 13, 16, 17, 18)),
        store=("feature",),
        service_lines=(L("2026-11-06T09:10:04.310", "INFO", ULAS, "UlasProvider::PostUsageLogs - 1 usage logs posted", 11),
                       L("2026-11-06T09:10:04.402", "INFO", ULAS, "UlasProvider::PostFeatureLogs - 1 feature logs posted", 11))
        + tuple(line for day, n in (("18", 6), ("19", 7), ("20", 8)) for line in (
            L(f"2026-11-{day}T09:10:03.118", "ERROR", ULAS,
              f"UlasProvider::PostUsageLogs: POST {USAGE_POST_URL} failed: The remote server returned an error: "
              "(403) Forbidden. Blocked by web filter policy (category: file upload)", 11),
            L(f"2026-11-{day}T09:10:03.121", "ERROR", ULAS, f"UlasProvider::PostUsageLogs ERROR: {n} logs failed to post.", 11),
            L(f"2026-11-{day}T09:10:03.402", "ERROR", ULAS, f"UlasProvider::PostFeatureLogs ERROR: {n} logs failed to post.", 11)))),
    Scenario(
        name="near-miss-buddi-zero",
        shows="healthy; BuddiRegionCode is 0 (production), here a REG_DWORD, and the customer's own qa-/dev- hosts appear in the CC log",
        evidence="HKCU\\Software\\Bentley BuddiRegionCode=dword:00000000; every Bentley endpoint in logs and policy is a production host; CC log names the customer's `\\\\qa-fs01.example.local\\projects\\Bridge-A12` and `https://dev-portal.example.com` (not Bentley hosts); status 101; wrong-environment must not be reported",
        absent=("wrong-environment",), buddi=("dword", 0),
        cc_lines=(L("2026-11-20T09:12:40.118", "INFO", "Bentley.Connect.Client.Projects",
                    "Opened project share \\\\qa-fs01.example.local\\projects\\Bridge-A12", 1),
                  L("2026-11-20T09:12:41.530", "DEBUG", "Bentley.Connect.Client.Http",
                    "GET https://dev-portal.example.com/api/links -> 200 OK", 6))),
    Scenario(
        name="near-miss-terminal-server",
        shows="a Citrix / Remote Desktop host with the latest CONNECTION Client (23.00.01.10): the remote users are licensed",
        evidence="Windows Server 2019 (InstallationType Server); Terminal Server TSAppCompat=dword:1; tasklist sessions ICA-CGP#2 (jdoe) and ICA-CGP#4 (asmith) with wfshell.exe, RDP-Tcp#1 (bkumar), PicaSvc2.exe and BrokerAgent.exe, three users' Bentley.Connect.Client.exe and microstation.exe; CC 23.00.01.10 ≥ 11.00.01.109; status 101; terminal-server-unsupported and client-outdated must not be reported",
        absent=("terminal-server-unsupported", "client-outdated"), os=WIN_SERVER, terminal="citrix"),
    Scenario(
        name="near-miss-usage-backlog",
        shows="healthy; one usage posting failed last night (HTTP 503), leaving a small backlog well inside TimeToKeepUnSentLogs",
        evidence="DefaultQualifiers TimeToKeepUnSentLogs=10080; 2 unsent Usage rows (19 Nov 16:40, 20 Nov 08:05) and a second `LicUsageLog.<GUID>.csv` with them (both younger than 7 days); `UlasProvider::PostUsageLogs ERROR: 1 logs failed to post.` after a 503 on 19 Nov 17:10, next posting due 10:10; status 101; usage-unsent must not be reported (at most a note below 0.5)",
        absent=("usage-unsent",), extra_qualifiers=(("TimeToKeepUnSentLogs", "10080", "int"),),
        backlog=(at("2026-11-19T16:40:12"), at("2026-11-20T08:05:31")),
        service_lines=(L("2026-11-19T17:10:02.411", "ERROR", ULAS,
                         f"UlasProvider::PostUsageLogs: POST {USAGE_POST_URL} failed: The remote server returned an error: (503) Server Unavailable.", 11),
                       L("2026-11-19T17:10:02.415", "ERROR", ULAS, "UlasProvider::PostUsageLogs ERROR: 1 logs failed to post.", 11),
                       L("2026-11-20T08:10:00.020", "DEBUG", ULAS, "UlasProvider: 2 usage logs queued; next posting at 2026-11-20T10:10:00Z", 11))),
    Scenario(
        name="two-outdated-and-country",
        shows="two independent problems: CONNECTION Client 10.00.19.31 on Windows 10 (below the 11.00.00.00 minimum), and a usage country IE for a user in GB with GB licenses",
        evidence="Uninstall DisplayVersion, CC log and service start 10.00.19.31 on Windows 10 build 19045; `Policy version 2.1 is newer than this client supports (1.3)`; UserData.UsageCountryISO IE vs Geo\\Name GB and UltimateCountryId GB; usage rows, CSV and `RecordUsage` with country IE; no MicroStation securable (Navigator only); status 110",
        verdict="trial", top_cause="country-mismatch", causes=("country-mismatch", "client-outdated"),
        status=110, reason="not-found",
        policy_created=at("2026-11-20T07:26:48.331900"), securables=("NAV",), usage_country="IE",
        os=WIN10, cc_version="10.00.19.31",
        service_lines=(L("2026-11-20T07:26:49.004", "WARN", "Bentley.Licensing.Service.PolicyReader",
                         "Policy version 2.1 is newer than this client supports (1.3); entitlements may be incomplete"),)),
    Scenario(
        name="two-service-and-proxy",
        shows="two independent problems: since 18 Nov a proxy answers 407 (and TLS inspection, DNS failures) to the policy refresh, and this morning the Licensing Service crashed three times and stays stopped",
        evidence="no Bentley.Licensing.Service.exe in tasklist; .NET Runtime 1026 and Application Error 1000 naming it; SCM 7031 twice then 7034; FATAL stack traces; LicenseService.IsRunning false; and HTTP 407 `Proxy Authentication Required`, `remote certificate is invalid`, `remote name could not be resolved` and timeouts at every refresh since 18 Nov 09:02, CC `(407) Proxy Authentication Required`, Schannel 36888 and DNS Client 1014 events; IsLoggedIn true; OfflineGracePeriodStart 2026-11-18T09:02 (2.0 of 7 days, not expired)",
        verdict="trial", top_cause="network-blocked", causes=("service-not-running", "network-blocked"),
        status=None, reason=None,
        policy_created=at("2026-11-18T05:02:48.190400"), failure="network", fail_from=at("2026-11-18T08:00:00"),
        service_down_from=at("2026-11-20T08:47:03"),
        service_lines=(L("2026-11-20T07:55:41.020", "INFO", "Bentley.Licensing.Service.Http.ProxySettings",
                         f"Using system proxy {PROXY_URL}", 1),) + crash_lines(at("2026-11-20T08:47:03.118"), 3),
        cc_lines=(L("2026-11-20T09:31:08.004", "ERROR", "Bentley.Connect.Client.Licensing",
                    "Licensing service is not reachable", PIPE_TRACE),),
        app_events=CRASH_APP,
        sys_events=CRASH_SYS + (("schannel-36888", at("2026-11-20T08:02:49.120")), ("dns-1014", at("2026-11-19T14:31:00.400")))),
    Scenario(
        name="two-checkout-and-feature",
        shows="two independent problems on one online machine: MicroStation finds its imported 30-day checkout, which expired on 18 Nov, and OpenRoads Designer is requested without a feature level",
        evidence="Checkout row (the variant without ProductId: product 1000 only inside its PolicyFile) and `Checkouts/<USERID>_WS-JDOE-01.belic`, ACL ExpiresOn = PolicyExpiresOn 2026-11-18T09:00; `Checkout found returning LicenseStatus OK` on 18 Nov 08:10, `Checkout for ProductId=1000 expired` and `checkout found but expired` today; status 105 for 1000; and a request for 2900 with FeatureString \"\" while both 2900 securables carry one, FeatureLevelSelector.xml DefaultFeature=\"\" for 2900, status 110 for 2900; CC signed in, policy refreshed 08:22. Store: `Checkout(PolicyId, UserId, AccessKey, ExpirationDate, LastUpdateTime, PolicyFile)`",
        verdict="trial", top_cause="feature-level-missing", causes=("checkout-expired", "feature-level-missing"),
        status=105, reason="checkout-expired-online",
        policy_created=at("2026-11-20T08:22:05.770500"), feature_default="",
        checkout=Checkout(COMPUTER, at("2026-10-19T09:00:00"), at("2026-11-18T09:00:00"),
                          "AppData/Local/Bentley/Licensing/Checkouts", True),
        store=("checkout-by-policy",),
        also=(((2900, "", "10.12.0.0"), 110, "not-found", at("2026-11-20T09:38:44.610")),),
        service_lines=(L("2026-11-18T08:10:31.404", "INFO", LIC, "GetLicenseStatus ProductId=1000 FeatureString=\"\" Version=10.17.2.61", 14),
                       L("2026-11-18T08:10:31.422", "INFO", LIC, "Checkout found returning LicenseStatus OK", 14),
                       L("2026-11-18T08:10:31.425", "INFO", LIC, "LicenseStatus Returned: 101", 14))),
]
