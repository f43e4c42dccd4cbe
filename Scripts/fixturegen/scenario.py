"""What a scenario is, and the facts derived from one.

A `Scenario` describes one client root declaratively: the request and the service's answer, the
policy, the machine, what stopped the policy refresh, the records beyond the generic ones, and what
`expected.json` says. The functions below derive what every writer needs from it (when refreshes
ran, when the offline grace started, ids and planted tokens), so the writers in `formats` never
decide a story on their own.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
import json

from .values import EMAIL, LATEST_CC, NOW, ORD_STD, USER_ID, WIN11, at, b64url, digest, guid, iso_z


@dataclass(frozen=True)
class Line:
    """One log record. `at` is the true UTC instant; the stamp written may be skewed."""
    at: datetime
    level: str
    logger: str
    message: str
    thread: int = 12
    trace: tuple = ()


@dataclass(frozen=True)
class Checkout:
    """A checked-out license (§4) present on the machine."""
    machine: str
    created: datetime
    expires: datetime
    place: str                       # folder of the .belic, relative to the user folder
    imported: bool                   # whether the service stored it (Checkout table)


@dataclass(frozen=True)
class Scenario:
    name: str
    shows: str                       # README: what the fixture shows
    evidence: str                    # README: the evidence planted
    verdict: str = "licensed"
    top_cause: str = None
    # The request and the service's answer.
    product: tuple = (1000, "", "10.17.2.61")       # ProductId, FeatureString, Version
    status: int = 101
    status_as_name: bool = False     # connect-client.json gives "Ok" rather than 101
    reason: str = "ok"               # which decision the service logs (see decision_lines)
    request_at: datetime = at("2026-11-20T09:31:07.240")
    # The policy.
    policy_created: datetime = at("2026-11-20T09:15:21.875500")
    policy_user: str = USER_ID
    account: str = "example"
    securables: tuple = ("MS", "NAV", "ORD-STD", "ORD-ADV")
    acl: tuple = ()                  # (securable key, AccessKind, ExpiresOn or None, overrides)
    usage_country: str = "GB"        # UserData.UsageCountryISO and the usage records
    version_key: str = "Version"     # some clients write "Vesrion"
    policy_as_json: bool = False     # PolicyFile holds the JSON rather than the JWT
    store_policy: bool = True        # False: the Policy table is empty
    checkout: Checkout = None
    # The machine.
    os: tuple = WIN11
    cc_version: str = LATEST_CC
    cc_version_before: str = None    # CC version before an upgrade at `upgraded_at`
    upgraded_at: datetime = None
    hybrid: bool = False             # legacy SELECTserver key present
    geo: str = "GB"
    signed_in: bool = True           # CC signed in now
    cc_user_before: tuple = None     # (email, user id, until): someone else was signed in
    # What stops the 4-hourly policy refresh after the policy was made.
    failure: str = None              # "signed-out", "network", "server"
    fail_from: datetime = None
    asleep: tuple = None             # (from, to): the machine slept; no refresh ran since
    service_down_from: datetime = None
    clock_jump: datetime = None      # from this instant the clock is ahead by `clock_skew`
    clock_skew: timedelta = timedelta(0)
    # Fixture-specific records beyond the generic ones.
    service_lines: tuple = ()
    cc_lines: tuple = ()
    tool_lines: tuple = ()
    app_events: tuple = ()
    sys_events: tuple = ()
    feature_default: str = ORD_STD   # FeatureLevelSelector.xml default for 2900
    usage_yesterday: str = None      # UsageType of yesterday's session when it differs from today's
    extra_user: bool = False         # Users/Public next to Users/jdoe
    # Diagnosis v2 (issue #11). The defaults leave the first 21 roots as they were.
    causes: tuple = ()               # independent causes, each expected at >= 0.5 (expected.json "causes")
    absent: tuple = ()               # causes that must not be found (expected.json "absent")
    store_name: str = "LicensingStore.db"   # or "License.db" (CLIENT-MODEL §12)
    store: tuple = ()                # store layout variants, see STORE_VARIANTS
    env: str = ""                    # host prefix of a non-production environment ("qa-")
    buddi: tuple = ("sz", "0")       # HKCU\Software\Bentley BuddiRegionCode as (kind, value)
    eula: bool = True                # connect-client.json HasUserAcceptedEULA
    terminal: str = None             # "rdp" or "citrix": the machine serves remote sessions
    extra_qualifiers: tuple = ()     # (Name, Value, Type) added to the policy's DefaultQualifiers
    policy_edits: tuple = ()         # (dotted path, value) changed in the regular policy
    installed_on: datetime = None    # CONNECTION Client installed then: no log lines before
    also: tuple = ()                 # further requests: (product, status, reason, request_at)
    backlog: tuple = ()              # unsent usage sessions beyond today's: start instants
    feature_backlog: tuple = ()      # unsent feature events: start instants (Feature table, LicFeatureLog)


def L(when, level, logger, message, *extra):
    """A table's log line: optional thread number (int) and stack trace (tuple of lines)."""
    thread = next((x for x in extra if isinstance(x, int)), 12)
    trace = next((x for x in extra if isinstance(x, tuple)), ())
    return Line(at(when), level, logger, message, thread, trace)


# ---------------------------------------------------------------------------------------------
# Derived facts of a scenario
# ---------------------------------------------------------------------------------------------

WINDOWS = ((at("2026-11-05T00:00:00"), at("2026-11-07T00:00:00"), ".3.log.gz"),
           (at("2026-11-18T00:00:00"), at("2026-11-20T00:00:00"), ".1.log"),
           (at("2026-11-20T00:00:00"), at("2026-12-31T00:00:00"), ".log"))
REFRESH = timedelta(minutes=240)


def clock(fx, t):
    """What the machine's clock read at true instant t."""
    return t + fx.clock_skew if fx.clock_jump and t >= fx.clock_jump else t


def service_up(fx, t):
    return not (fx.service_down_from and t >= fx.service_down_from)


def awake(fx, t):
    return not (fx.asleep and fx.asleep[0] <= t < fx.asleep[1])


def refresh_ticks(fx):
    """Every 4-hourly refresh inside the log windows: (instant, index relative to the policy)."""
    ticks = []
    for start, end, _ in WINDOWS:
        k = int((start - fx.policy_created) / REFRESH) - 1
        while True:
            t = fx.policy_created + k * REFRESH
            if t >= min(end, NOW):
                break
            if t >= start and service_up(fx, t) and not (fx.asleep and t >= fx.asleep[0]):
                ticks.append((t, k))
            k += 1
    return ticks


def grace_start(fx):
    """The first failed refresh after the last good one starts the offline grace."""
    if fx.failure not in ("signed-out", "network"):
        return None
    k = 1
    while fx.policy_created + k * REFRESH < fx.fail_from:
        k += 1
    return fx.policy_created + k * REFRESH


def signed_in_at(fx, t):
    if fx.failure in ("signed-out", "terms"):
        return t < fx.fail_from
    return True


def cc_user_at(fx, t):
    if fx.cc_user_before and t < fx.cc_user_before[2]:
        return fx.cc_user_before[:2]
    return EMAIL, USER_ID


def policy_id(fx):
    return guid(f"policy:{fx.name}", upper=False)


def policy_expires(fx):
    return fx.policy_created + timedelta(days=7)


def access_key(fx):
    return digest(f"accesskey:{fx.name}", 16).hex()


def bearer_token(fx):
    header = b64url(json.dumps({"alg": "RS256", "kid": "ims-2026", "typ": "JWT"},
                               sort_keys=True, separators=(",", ":")).encode())
    payload = b64url(json.dumps({"email": EMAIL, "exp": 1795250000, "iss": "https://ims.bentley.com",
                                 "sub": USER_ID.lower()}, sort_keys=True, separators=(",", ":")).encode())
    return f"{header}.{payload}.{b64url(digest(f'bearer:{fx.name}', 64))}"


def access_token(fx):
    return b64url(digest(f"access-token:{fx.name}", 48))


def belic_name(fx):
    return f"{USER_ID}_{fx.checkout.machine}.belic" if fx.checkout else ""


def env_url(fx, url):
    """A Bentley endpoint as the scenario's environment names it (`qa-` etc. prefixed hosts)."""
    return url.replace("https://", "https://" + fx.env, 1) if fx.env else url


def context(fx):
    """Values the table's message templates may name."""
    return {
        "policy_id": policy_id(fx), "created_iso": iso_z(fx.policy_created),
        "expires_iso": iso_z(policy_expires(fx)), "policy_user_lower": fx.policy_user.lower(),
        "svc_version": fx.cc_version, "belic_name": belic_name(fx),
        "retry_policy_id": guid(f"policy:{fx.name}:retry", upper=False),
    }
