"""Logs (§9) of the Licensing Service (log4net, UTF-8, CRLF), CONNECTION Client (ISO-8601, LF)
and License Tool (UTF-16LE with BOM when current), split into the dated files and the gzipped one.
"""

from dataclasses import replace
from datetime import timedelta
import gzip

from ..files import write
from .policy import securable_id
from .store import usage_type
from ..scenario import (
    Line, REFRESH, WINDOWS, access_token, awake, bearer_token, cc_user_at, clock, context, env_url,
    grace_start, policy_expires, policy_id, refresh_ticks, service_up, signed_in_at)
from ..values import (
    ACCOUNTS, BOOT, COMPUTER, EMAIL, IMS_TOKEN_URL, LIC, LOG_DIR, NOW, OTHER_EMAIL, PIPE_TRACE,
    POLICY_URL, PRODUCT_NAMES, SEARCH_URL, SECURABLES, STATUS_SHOWN, SVC, USER_ID, UTC, WEB_TRACE,
    at, guid, iso_plain, iso_z, local)


NETWORK_ERRORS = [
    ("System.Net.WebException: The remote server returned an error: (407) Proxy Authentication Required.",) + WEB_TRACE,
    ("System.Net.WebException: The underlying connection was closed: Could not establish trust relationship "
     "for the SSL/TLS secure channel. ---> System.Security.Authentication.AuthenticationException: "
     "The remote certificate is invalid according to the validation procedure.",)
    + WEB_TRACE[:1] + ("   --- End of inner exception stack trace ---",) + WEB_TRACE[1:],
    ("System.Net.WebException: The remote name could not be resolved: 'entitlement-search.bentley.com'",
     "   at System.Net.HttpWebRequest.GetResponse()",
     "   at Bentley.Licensing.Service.Http.EntitlementSearchClient.Search(String userId)"),
    (f"System.Net.WebException: The operation has timed out (Url={POLICY_URL})",) + WEB_TRACE,
]


def refresh_lines(fx, t, k):
    """What the service logs at one 4-hourly refresh."""
    user = fx.policy_user.lower()
    lines = [Line(t - timedelta(milliseconds=380), "INFO", SVC,
                  f"Requesting policy. User={user} Machine={COMPUTER} Url={env_url(fx, POLICY_URL)}")]
    failing = k > 0 and fx.failure and t >= fx.fail_from
    if not failing:
        if k > 0:
            raise SystemExit(f"{fx.name}: a refresh at {t} would succeed after the policy it keeps")
        pid = policy_id(fx) if k == 0 else guid(f"policy:{fx.name}:{k}", upper=False)
        lines.append(Line(t + timedelta(milliseconds=248), "INFO", SVC,
                          f"Policy refreshed. PolicyId={pid} ExpiresOn={iso_z(t + timedelta(days=7))}"))
        lines.append(Line(t + timedelta(milliseconds=251), "DEBUG", SVC,
                          f"Next policy refresh in {int(REFRESH.total_seconds() // 60)} minutes"))
        return lines
    later = t + timedelta(milliseconds=612)
    if fx.failure in ("signed-out", "terms"):
        lines.append(Line(later, "WARN", "Bentley.Licensing.Service.Auth",
                          "authHandlerProvider is null, EntilementPolicyService GetPolicy requires authentication", 7))
    elif fx.failure == "network":
        lines.append(Line(later + timedelta(seconds=20), "ERROR", SVC,
                          f"Unable to perform policy request. Url={env_url(fx, POLICY_URL)}", 7, NETWORK_ERRORS[k % 4]))
    elif fx.failure == "server":
        lines.append(Line(later, "ERROR", SVC, f"Unable to perform policy request. Url={env_url(fx, POLICY_URL)}", 7,
                          ("System.Net.WebException: The remote server returned an error: (503) Server Unavailable.",)
                          + WEB_TRACE))
    lines.append(Line(later + timedelta(seconds=21), "WARN", SVC,
                      "Call to entitlements failed, getting policy from DB", 7))
    if fx.failure == "server":
        lines.append(Line(later + timedelta(seconds=21, milliseconds=3), "ERROR", SVC,
                          "Policy token object is null. No policy obtained from entitlements or cached", 7))
    return lines


def decision_lines(fx):
    """The service's answer when the requested product starts today."""
    if fx.reason is None:
        return []
    t = fx.request_at
    pid, feature, version = fx.product
    grace = grace_start(fx)
    say = {
        "ok": [f"Policy found. PolicyId={policy_id(fx)} ExpiresOn={iso_z(policy_expires(fx))}"],
        "not-found": [f"No securable for ProductId={pid} FeatureString=\"{feature}\" in policy {policy_id(fx)}"],
        "outdated": [f"No usable securable for ProductId={pid} in policy {policy_id(fx)}: policy format not supported"],
        "denied": [f"Access denied by ACL. ProductId={pid} SecurableId={securable_id('MS')}"],
        "evaluation": ["Product is evaluation, but is expired"],
        "clock": [f"Policy expired. ExpiresOn={iso_z(policy_expires(fx))} LocalTime={iso_plain(clock(fx, t))}"],
        "no-policy": ["Call to entitlements failed, getting policy from DB",
                      "Policy token object is null. No policy obtained from entitlements or cached"],
        "offline-ok": ["Call to entitlements failed, getting policy from DB",
                       f"Offline grace period active. Started={iso_z(grace) if grace else ''} "
                       f"DaysLeft={(grace + timedelta(days=7) - NOW).days if grace else 0}"],
        "offline-expired": ["Call to entitlements failed, getting policy from DB",
                            f"Offline grace period expired. Started={iso_z(grace) if grace else ''} OfflineDuration=7"],
        "offline-disabled": ["Call to entitlements failed, getting policy from DB",
                             "Offline usage not allowed by policy (AllowOfflineUsage=FALSE): You must Sign In to use this application."],
        "trial": [f"ClientImpl::GetProductStatus: Valid License. You are in trial mode. ProductId={pid} "
                  f"UsageType=Trial ExpiresOn={trial_until(fx)}"],
        "invalid": [f"Policy::IsValid: policy {policy_id(fx)} is not valid (RequestData.UserId is empty)",
                    f"ClientImpl::GetProductStatus: no valid policy for ProductId={pid}; returning DisabledByPolicy"],
        "access-key": ["AccessKeyClientImpl::ValidateAccessKey - Call to AccessKey service failed",
                       "AccessKey missing from portal(deleted), expired, or revoked"],
        "cache-empty": ["ClientImpl::GetPolicyToken: no cached policy in the store",
                        "ClientImpl::GetPolicyToken: Policy token object is null. No policy obtained from entitlements or cached"],
        "log-send": [f"ClientImpl::GetProductStatus: unsent usage logs older than TimeToKeepUnSentLogs "
                     f"({keep_unsent(fx)} minutes), oldest {iso_z(min(fx.backlog)) if fx.backlog else ''}; "
                     "returning DisabledByLogSend"],
        "terminal": ["ClientImpl::GetProductStatus: requesting session 3 (RDP-Tcp#3) is not the console session; "
                     "no signed-in CONNECTION Client user found for it",
                     f"No entitlement for the session user. ProductId={pid}"],
        "checkout-expired-online": [f"Checkout for ProductId={pid} expired. ExpirationDate="
                                    f"{iso_z(fx.checkout.expires) if fx.checkout else ''}",
                                    "ClientImpl::StartApplication: checkout found but expired; returning Expired"],
        "checkout-expired": [f"Checkout for ProductId={pid} expired. ExpirationDate="
                             f"{iso_z(fx.checkout.expires) if fx.checkout else ''}",
                             "Call to entitlements failed, getting policy from DB",
                             f"Offline grace period expired. Started={iso_z(grace) if grace else ''} OfflineDuration=7"],
    }[fx.reason]
    lines = [Line(t, "INFO", LIC, f"GetLicenseStatus ProductId={pid} FeatureString=\"{feature}\" Version={version}", 14)]
    for i, message in enumerate(say, 1):
        level = "WARN" if "failed" in message or "expired" in message or "denied" in message else "INFO"
        lines.append(Line(t + timedelta(milliseconds=9 * i), level, LIC, message, 14))
    lines.append(Line(t + timedelta(milliseconds=60), "INFO", LIC, f"LicenseStatus Returned: {fx.status}", 14))
    if fx.status != -1:
        _, ultimate, *_ = ACCOUNTS[fx.account]
        lines.append(Line(t + timedelta(milliseconds=95), "INFO", "Bentley.Licensing.Service.UsageLogger",
                          "RecordUsage - UsageLogEntry data: {"
                          f"ultimateId:{ultimate.lower()},principalId:{fx.policy_user.lower()},productId:{pid},"
                          f"featureString:{feature},version:{version},machine:{COMPUTER},"
                          f"country:{fx.usage_country},usageType:{usage_type(fx)}"
                          "}", 14))
    return lines


def trial_until(fx):
    until = next((u for _, _, u, q in fx.acl if ("UsageType", "Trial") in q), None)
    return iso_z(until) if until else ""


def keep_unsent(fx):
    return next((v for n, v, _ in fx.extra_qualifiers if n == "TimeToKeepUnSentLogs"), "")


def service_log(fx):
    lines = []
    if awake(fx, BOOT):
        lines.append(Line(BOOT + timedelta(seconds=37), "INFO", "Bentley.Licensing.Service.ServiceHost",
                          f"Service started. Version={fx.cc_version}", 1))
    for t, k in refresh_ticks(fx):
        lines += refresh_lines(fx, t, k)
    if service_up(fx, fx.request_at):
        lines += decision_lines(fx)
    for product, status, reason, when in fx.also:
        lines += decision_lines(replace(fx, product=product, status=status, reason=reason, request_at=when))
    ctx = context(fx)
    lines += [replace(line, message=line.message.format(**ctx)) for line in fx.service_lines]
    return lines


def cc_log(fx):
    """CONNECTION Client: a start each day, the sign-in state, token traffic (planted secrets)."""
    lines = []
    for start, end, _ in WINDOWS:
        day = start
        while day < min(end, NOW):
            t = day.replace(hour=7, minute=58, second=12, microsecond=331000)
            day += timedelta(days=1)
            if not awake(fx, t):
                continue
            version = fx.cc_version_before if fx.upgraded_at and t < fx.upgraded_at else fx.cc_version
            lines.append(Line(t, "INFO", "Bentley.Connect.Client.App", f"CONNECTION Client {version} started", 1))
            if signed_in_at(fx, t):
                email, user = cc_user_at(fx, t)
                lines += [
                    Line(t + timedelta(seconds=3), "INFO", "Bentley.Connect.Client.Auth",
                         f"Signed in as {email} (UserId={user})", 1),
                    Line(t + timedelta(seconds=4), "DEBUG", "Bentley.Connect.Client.Http",
                         f"POST {env_url(fx, IMS_TOKEN_URL)} -> 200 OK; response: access_token={access_token(fx)}"
                         "&token_type=Bearer&expires_in=3600", 6),
                    Line(t + timedelta(seconds=5), "DEBUG", "Bentley.Connect.Client.Http",
                         f"GET {env_url(fx, SEARCH_URL)}?userId={user.lower()} Authorization: Bearer {bearer_token(fx)}", 6),
                ]
            if not service_up(fx, t):
                lines.append(Line(t + timedelta(seconds=6), "ERROR", "Bentley.Connect.Client.Licensing",
                                  "Licensing service is not reachable", 1, PIPE_TRACE))
            elif signed_in_at(fx, t):
                lines.append(Line(t + timedelta(seconds=6), "INFO", "Bentley.Connect.Client.Licensing",
                                  "Connected to Bentley Licensing Service", 1))
            else:
                lines.append(Line(t + timedelta(seconds=3), "WARN", "Bentley.Connect.Client.Auth",
                                  "No signed-in user; showing the sign-in page", 1))
    if fx.failure == "signed-out":
        lines.append(Line(fx.fail_from, "INFO", "Bentley.Connect.Client.Auth", f"User signed out ({EMAIL})", 1))
    if fx.cc_user_before:
        switch = fx.cc_user_before[2]
        lines += [Line(switch, "INFO", "Bentley.Connect.Client.Auth", f"User signed out ({OTHER_EMAIL})", 1),
                  Line(switch + timedelta(minutes=5, seconds=2), "INFO", "Bentley.Connect.Client.Auth",
                       f"Signed in as {EMAIL} (UserId={USER_ID})", 1)]
    if fx.asleep:
        lines += [Line(fx.asleep[0], "INFO", "Bentley.Connect.Client.App", "System is suspending", 1),
                  Line(fx.asleep[1] + timedelta(seconds=9), "INFO", "Bentley.Connect.Client.App", "System resumed", 1)]
    if fx.failure == "network":
        lines.append(Line(at("2026-11-20T07:58:22.500"), "WARN", "Bentley.Connect.Client.Http",
                          f"GET {env_url(fx, SEARCH_URL)} failed: (407) Proxy Authentication Required; using cached session", 6))
    return lines + list(fx.cc_lines)


def tool_log(fx):
    """License Tool: opened once on each window's last day, and today for the support case."""
    lines = []
    for when in (at("2026-11-06T10:30:05.120"), at("2026-11-18T10:30:05.120"), at("2026-11-20T09:44:00.700")):
        if not awake(fx, when):
            continue
        lines.append(Line(when, "INFO", "Bentley.Licensing.LicenseTool.App", f"License Tool {fx.cc_version} started", 1))
        if not service_up(fx, when):
            lines.append(Line(when + timedelta(seconds=2), "ERROR", "Bentley.Licensing.LicenseTool.MainWindow",
                              "Unable to connect to the Bentley Licensing Service", 1, PIPE_TRACE))
            continue
        tool_knows_user = signed_in_at(fx, when) and not (fx.cc_user_before and when >= fx.cc_user_before[2])
        if tool_knows_user:
            email, _ = cc_user_at(fx, when)
            lines.append(Line(when + timedelta(seconds=1), "INFO", "Bentley.Licensing.LicenseTool.MainWindow",
                              f"Signed in user: {email}", 1))
        else:
            lines.append(Line(when + timedelta(seconds=1), "INFO", "Bentley.Licensing.LicenseTool.MainWindow",
                              "Click here to sign in to CONNECTION Client and see entitlements", 1))
        if when.date() == NOW.date() and fx.status is not None:
            names = sorted({SECURABLES[k][1] + f" ({SECURABLES[k][0]})" for k in fx.securables}) \
                if fx.store_policy else []
            pid = fx.product[0]
            lines += [Line(when + timedelta(seconds=2), "INFO", "Bentley.Licensing.LicenseTool.EntitlementsTab",
                           "Entitlements: " + (", ".join(names) if names else "(none)"), 1),
                      Line(when + timedelta(seconds=3), "INFO", "Bentley.Licensing.LicenseTool.ProductStatusTab",
                           f"Product Status: {PRODUCT_NAMES[pid]} ({pid}) {STATUS_SHOWN[fx.status]}", 1)]
            lines += [Line(when + timedelta(seconds=3, milliseconds=10 * (i + 1)), "INFO",
                           "Bentley.Licensing.LicenseTool.ProductStatusTab",
                           f"Product Status: {PRODUCT_NAMES[product[0]]} ({product[0]}) {STATUS_SHOWN[status]}", 1)
                      for i, (product, status, _, _) in enumerate(fx.also)]
    ctx = context(fx)
    return lines + [replace(line, message=line.message.format(**ctx)) for line in fx.tool_lines]


def log4net_text(fx, lines):
    out = []
    for line in sorted(lines, key=lambda l: l.at):
        stamp, _ = local(clock(fx, line.at))
        text = stamp.strftime("%Y-%m-%d %H:%M:%S,") + f"{stamp.microsecond // 1000:03d}"
        out.append(f"{text} [{line.thread}] {line.level:<5} {line.logger} - {line.message}")
        out += line.trace
    return out


def iso_text(fx, lines):
    out = []
    for line in sorted(lines, key=lambda l: l.at):
        stamp, offset = local(clock(fx, line.at))
        text = stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}+{offset:02d}:00"
        out.append(f"{text} [{line.thread}] {line.level:<5} {line.logger} - {line.message}")
        out += line.trace
    return out


# component folder, file stem, how lines are written, line end, encoding of the current file
LOGS = [("Licensing Service", "Bentley.Licensing.Service", service_log, log4net_text, "\r\n", "utf-8"),
        ("CONNECTION Client", "Bentley.Connect.Client", cc_log, iso_text, "\n", "utf-8"),
        ("License Tool", "Bentley.Licensing.LicenseTool", tool_log, log4net_text, "\r\n", "utf-16")]


def write_logs(root, fx):
    for folder, stem, collect, render, eol, encoding in LOGS:
        lines = [l for l in collect(fx) if fx.installed_on is None or l.at >= fx.installed_on]
        for start, end, suffix in WINDOWS:
            chosen = [l for l in lines if start <= local(clock(fx, l.at))[0].replace(tzinfo=UTC) < end]
            if not chosen:
                continue
            text = eol.join(render(fx, chosen)) + eol
            if suffix == ".log" and encoding == "utf-16":
                data = b"\xff\xfe" + text.encode("utf-16-le")
            else:
                data = text.encode()
            if suffix.endswith(".gz"):
                data = gzip.compress(data, compresslevel=9, mtime=0)
            newest = max(clock(fx, l.at) for l in chosen)
            write(root, f"{LOG_DIR}/{folder}/{stem}{suffix}", data, newest + timedelta(seconds=1))
