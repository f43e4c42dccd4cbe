"""The licensing store (§3, layouts of §12), its rollback journal, and the usage/feature CSVs."""

from datetime import timedelta
import json
import os
import sqlite3

from .policy import checkout_policy, regular_policy, securable_id
from ..scenario import access_key, awake, clock, env_url, grace_start, policy_expires, policy_id, signed_in_at
from ..values import (
    ACCOUNTS, COMPUTER, DOMAIN, MACHINE_SID, SECURABLES, USER, USER_SID, ZERO_GUID, b64url, digest,
    guid, iso7, iso_offset, iso_plain, iso_z)


USAGE_COLUMNS = ["UltimateId", "PrincipalId", "ProductId", "UsageCountryISO", "FeatureString", "IMSId",
                 "MachineName", "ComputerSID", "Username", "UserSID", "PolicyId", "ProductVersion",
                 "ProjectId", "CorrelationId", "LogVersion", "LogPostingSource", "UsageType",
                 "StartTimeUTC", "EndTimeUTC", "EntryDate", "PartitionId"]
SCHEMA = """
CREATE TABLE Policy (PolicyId TEXT PRIMARY KEY, UserId TEXT, AccessKey TEXT, ExpirationDate TEXT,
                     LastUpdateTime TEXT, PolicyFile TEXT);
CREATE TABLE Checkout (PolicyId TEXT PRIMARY KEY, ProductId INTEGER, FeatureString TEXT,
                       ExpirationDate TEXT, LastUpdateTime TEXT, PolicyFile TEXT);
CREATE TABLE OfflineGrace (GraceId INTEGER PRIMARY KEY, OfflineGracePeriodStart TEXT);
CREATE TABLE Usage (UltimateId TEXT, PrincipalId TEXT, ProductId INTEGER, UsageCountryISO TEXT,
                    FeatureString TEXT, IMSId TEXT, MachineName TEXT, ComputerSID TEXT, Username TEXT,
                    UserSID TEXT, PolicyId TEXT, ProductVersion INTEGER, ProjectId TEXT,
                    CorrelationId TEXT, LogVersion TEXT, LogPostingSource TEXT, UsageType TEXT,
                    StartTimeUTC TEXT, EndTimeUTC TEXT, EntryDate TEXT, PartitionId INTEGER);
CREATE TABLE eimVersion (SchemaName TEXT PRIMARY KEY, SchemaVersion INTEGER);
"""


def packed_version(text):
    """`10.17.2.61` as the store packs it: major, then three 4-digit parts (10001700020061)."""
    major, *rest = (int(p) for p in text.split("."))
    return int(str(major) + "".join(f"{p:04d}" for p in rest))


def usage_sessions(fx):
    """(start, sent) for yesterday's and today's session of the requested product."""
    if fx.status in (None, -1):
        return []
    yesterday = fx.request_at - timedelta(days=1, hours=1, minutes=7)
    if not awake(fx, yesterday):
        yesterday = fx.asleep[0] - timedelta(hours=3, minutes=12)
    online_then = signed_in_at(fx, yesterday) and not (fx.failure == "network" and yesterday >= fx.fail_from)
    online_then = online_then and fx.status != 107          # DisabledByLogSend: nothing has posted
    return [(yesterday, online_then), (fx.request_at, False)]


def usage_type(fx, start=None):
    if start is not None and start.date() < fx.request_at.date() and fx.usage_yesterday:
        return fx.usage_yesterday
    return "Production" if fx.status in (101, 102) else "Trial"


def usage_row(fx, start, sent):
    _, ultimate, *_ = ACCOUNTS[fx.account]
    pid, feature, version = fx.product
    start = clock(fx, start)
    end = start + timedelta(minutes=12, seconds=13)         # the last heartbeat of a running session
    return {
        "UltimateId": ultimate, "PrincipalId": fx.policy_user, "ProductId": pid,
        "UsageCountryISO": fx.usage_country, "FeatureString": feature, "IMSId": fx.policy_user,
        "MachineName": COMPUTER, "ComputerSID": MACHINE_SID, "Username": f"{DOMAIN}\\{USER}",
        "UserSID": USER_SID, "PolicyId": policy_id(fx), "ProductVersion": version,
        "ProjectId": "", "CorrelationId": guid(f"correlation:{fx.name}:{start.isoformat()}"),
        "LogVersion": "1.2", "LogPostingSource": "RealTime" if sent else "Offline",
        "UsageType": usage_type(fx, start), "StartTimeUTC": iso_z(start), "EndTimeUTC": iso_z(end),
        "EntryDate": iso_z(end), "PartitionId": 4,
    }


# Layouts other client versions write (CLIENT-MODEL §12). A scenario lists the ones its store uses;
# with none it has exactly SCHEMA.
STORE_VARIANTS = {
    "usage19": "`Usage` with the 19 columns of the cross-platform client (`UltimateSAPId` … `Country`, "
               "`UsageType`; `EventTime` text, `SchemaVersion` real) instead of the 21",
    "feature": "a `Feature` table (the 19 columns plus `FeatureId, StartDate, EndDate, UserData`)",
    "checkout-by-policy": "`Checkout(PolicyId, UserId, AccessKey, ExpirationDate, LastUpdateTime, PolicyFile)`: "
                          "no ProductId/FeatureString columns, the product only inside PolicyFile",
    "policy-projectid": "a `ProjectId` column on `Policy`",
    "journal-empty": "a leftover empty (0-byte) `-journal` beside the store, as `journal_mode=TRUNCATE` leaves it; "
                     "not hot (SQLite ignores an empty journal)",
    "journal-stale": "a stale `-journal` beside the store, as `journal_mode=PERSIST` leaves it: a zeroed 512-byte "
                     "header, then one page record (page 1, the schema page: no rows, no secrets); not hot (first byte 0)",
    "extra-table": "an unknown table `ClientState(Name, Value, UpdatedUtc)` whose `RefreshToken` row holds a secret",
    "extra-column": "an unknown column `Policy.SessionToken` holding a bearer JWT (a secret)",
}
USAGE19_COLUMNS = ["UltimateSAPId", "PrincipalId", "ImsId", "MachineName", "MachineSID", "UserName", "UserSID",
                   "PolicyId", "SecurableId", "ProductId", "FeatureString", "ProductVersion", "ProjectId",
                   "CorrelationId", "EventTime", "SchemaVersion", "LogPostingSource", "Country", "UsageType"]
FEATURE_COLUMNS = USAGE19_COLUMNS + ["FeatureId", "StartDate", "EndDate", "UserData"]
COLUMN_TYPES = {"UltimateSAPId": "INTEGER", "ProductId": "INTEGER", "ProductVersion": "INTEGER",
                "SchemaVersion": "REAL"}


def store_schema(fx):
    if not fx.store:
        return SCHEMA
    variants = set(fx.store)
    unknown = variants - set(STORE_VARIANTS)
    if unknown:
        raise SystemExit(f"{fx.name}: unknown store variants {sorted(unknown)}")

    def table(name, columns):
        return f"CREATE TABLE {name} ({', '.join(columns)});\n"
    policy = ["PolicyId TEXT PRIMARY KEY", "UserId TEXT", "AccessKey TEXT", "ExpirationDate TEXT",
              "LastUpdateTime TEXT", "PolicyFile TEXT"]
    policy += ["ProjectId TEXT"] if "policy-projectid" in variants else []
    policy += ["SessionToken TEXT"] if "extra-column" in variants else []
    if "checkout-by-policy" in variants:
        checkout = ["PolicyId TEXT PRIMARY KEY", "UserId TEXT", "AccessKey TEXT", "ExpirationDate TEXT",
                    "LastUpdateTime TEXT", "PolicyFile TEXT"]
    else:
        checkout = ["PolicyId TEXT PRIMARY KEY", "ProductId INTEGER", "FeatureString TEXT", "ExpirationDate TEXT",
                    "LastUpdateTime TEXT", "PolicyFile TEXT"]
    typed = lambda names: [f"{c} {COLUMN_TYPES.get(c, 'TEXT')}" for c in names]
    usage = typed(USAGE19_COLUMNS) if "usage19" in variants else \
        [f"{c} {'INTEGER' if c in ('ProductId', 'ProductVersion', 'PartitionId') else 'TEXT'}" for c in USAGE_COLUMNS]
    schema = (table("Policy", policy) + table("Checkout", checkout)
              + table("OfflineGrace", ["GraceId INTEGER PRIMARY KEY", "OfflineGracePeriodStart TEXT"])
              + table("Usage", usage))
    if "feature" in variants:
        schema += table("Feature", typed(FEATURE_COLUMNS))
    schema += table("eimVersion", ["SchemaName TEXT PRIMARY KEY", "SchemaVersion INTEGER"])
    if "extra-table" in variants:
        schema += table("ClientState", ["Name TEXT PRIMARY KEY", "Value TEXT", "UpdatedUtc TEXT"])
    return schema


def insert(db, name, row):
    db.execute(f"INSERT INTO {name} ({','.join(row)}) VALUES ({','.join('?' * len(row))})", list(row.values()))


def securable_of(pid, feature):
    key = next((k for k, (p, _, f) in SECURABLES.items() if p == pid and f == feature), None)
    return securable_id(key) if key else ""


def usage19_row(fx, row):
    """A 21-column usage row as the 19-column clients store it."""
    version = row["ProductVersion"]
    return {
        "UltimateSAPId": int(ACCOUNTS[fx.account][2] or 0), "PrincipalId": row["PrincipalId"],
        "ImsId": row["IMSId"], "MachineName": row["MachineName"], "MachineSID": row["ComputerSID"],
        "UserName": row["Username"], "UserSID": row["UserSID"], "PolicyId": row["PolicyId"],
        "SecurableId": securable_of(row["ProductId"], row["FeatureString"]), "ProductId": row["ProductId"],
        "FeatureString": row["FeatureString"],
        "ProductVersion": version if isinstance(version, int) else packed_version(version),
        "ProjectId": ZERO_GUID, "CorrelationId": row["CorrelationId"], "EventTime": row["StartTimeUTC"],
        "SchemaVersion": 1.2, "LogPostingSource": row["LogPostingSource"], "Country": row["UsageCountryISO"],
        "UsageType": row["UsageType"],
    }


def feature_row(fx, start):
    """One feature event (a named feature of the requested product used for a while), not yet posted."""
    row = usage19_row(fx, usage_row(fx, start, False))
    end = start + timedelta(minutes=41, seconds=7)
    row.update({"EventTime": iso_z(clock(fx, end)), "FeatureId": guid("feature:drawing-compare", upper=False),
                "StartDate": iso_z(clock(fx, start)), "EndDate": iso_z(clock(fx, end)),
                "UserData": json.dumps({"FeatureName": "Drawing Compare", "Project": "Bridge-A12"},
                                       sort_keys=True, separators=(",", ":"))})
    return row


def session_token(fx):
    """A bearer JWT an unknown client version left in `Policy.SessionToken` (a planted secret)."""
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}, sort_keys=True, separators=(",", ":")).encode())
    payload = b64url(json.dumps({"aud": "licensing", "exp": 1795253600, "iss": env_url(fx, "https://ims.bentley.com"),
                                 "sid": guid(f"session:{fx.name}", upper=False), "sub": fx.policy_user.lower()},
                                sort_keys=True, separators=(",", ":")).encode())
    return f"{header}.{payload}.{b64url(digest(f'session:{fx.name}', 64))}"


def refresh_token(fx):
    """An IMS refresh token kept in the unknown `ClientState` table (a planted secret)."""
    return "rt1." + b64url(digest(f"refresh-token:{fx.name}", 40))


def write_store(path, fx):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA page_size = 4096")
    db.executescript(store_schema(fx))
    db.execute("BEGIN")
    variants = set(fx.store)
    if fx.store_policy:
        _, stored = regular_policy(fx)
        row = {"PolicyId": policy_id(fx), "UserId": fx.policy_user.lower(), "AccessKey": access_key(fx),
               "ExpirationDate": iso_offset(policy_expires(fx)),
               "LastUpdateTime": iso7(clock(fx, fx.policy_created + timedelta(milliseconds=240))),
               "PolicyFile": stored}
        if "policy-projectid" in variants:
            row["ProjectId"] = ZERO_GUID
        if "extra-column" in variants:
            row["SessionToken"] = session_token(fx)
        insert(db, "Policy", row)
    if fx.checkout and fx.checkout.imported:
        policy, token = checkout_policy(fx)
        row = {"PolicyId": policy["PolicyId"], "ProductId": fx.product[0], "FeatureString": fx.product[1],
               "ExpirationDate": iso_plain(fx.checkout.expires),
               "LastUpdateTime": iso7(fx.checkout.created + timedelta(minutes=3)), "PolicyFile": token}
        if "checkout-by-policy" in variants:
            del row["ProductId"], row["FeatureString"]
            row = {"PolicyId": row["PolicyId"], "UserId": fx.policy_user.lower(), "AccessKey": access_key(fx),
                   **{k: v for k, v in row.items() if k != "PolicyId"}}
        insert(db, "Checkout", row)
    start = grace_start(fx)
    if start and fx.store_policy:
        insert(db, "OfflineGrace", {"GraceId": 1, "OfflineGracePeriodStart": iso_plain(start)})
    rows = [usage_row(fx, session, sent) for session, sent in usage_sessions(fx) if sent]
    rows += [usage_row(fx, session, False) for session in fx.backlog]
    for row in rows:
        row["ProductVersion"] = packed_version(row["ProductVersion"])
        insert(db, "Usage", usage19_row(fx, row) if "usage19" in variants else {c: row[c] for c in USAGE_COLUMNS})
    for session in fx.feature_backlog:
        insert(db, "Feature", feature_row(fx, session))
    for name, version in [("LicensingStore", packed_version("1.3.0.0")), ("Usage", packed_version("1.2.0.0"))]:
        insert(db, "eimVersion", {"SchemaName": name, "SchemaVersion": version})
    if "extra-table" in variants:
        for name, value in [("Environment", fx.buddi[1] if fx.buddi else "0"),
                            ("LastSyncUtc", iso_z(fx.policy_created)), ("RefreshToken", refresh_token(fx))]:
            insert(db, "ClientState", {"Name": name, "Value": value, "UpdatedUtc": iso_z(fx.policy_created)})
    db.execute("COMMIT")
    db.close()
    stamp_sqlite_version(path)


# SQLite writes the version of the library that last changed a file into its header (offset 96,
# SQLITE_VERSION_NUMBER; informational, SQLite reads any value). The committed stores were made with
# 3.40.1 (Debian 12); stamping that number keeps a store's bytes the same on a machine with another
# SQLite, as long as that SQLite lays out the pages the same way.
SQLITE_VERSION_STAMP = 3040001


def stamp_sqlite_version(path):
    """Writes SQLITE_VERSION_STAMP into the header of the SQLite file at `path`."""
    with open(path, "r+b") as f:
        f.seek(96)
        f.write(SQLITE_VERSION_STAMP.to_bytes(4, "big"))


def journal_bytes(fx, db_path):
    """The leftover rollback journal of a "journal-*" store, or None."""
    if "journal-empty" in fx.store:
        return b""
    if "journal-stale" in fx.store:
        with open(db_path, "rb") as f:
            page1 = f.read(4096)
        return bytes(512) + (1).to_bytes(4, "big") + page1 + bytes(4)
    return None


def csv_text(columns, rows):
    def q(value):
        return '"' + str(value).replace('"', '""') + '"'
    lines = [",".join(columns)]
    lines += [",".join(q(row[c]) if isinstance(row[c], str) else str(row[c]) for c in columns) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def backlog_csv(fx):
    """The usage backlog as the last failed posting left it (dotted versions, like the main CSV)."""
    return csv_text(USAGE_COLUMNS, [usage_row(fx, session, False) for session in fx.backlog])


def feature_csv(fx):
    return csv_text(FEATURE_COLUMNS, [feature_row(fx, session) for session in fx.feature_backlog])


def usage_csv(fx):
    def q(value):
        return '"' + str(value).replace('"', '""') + '"'
    lines = [",".join(USAGE_COLUMNS)]
    for session, sent in usage_sessions(fx):
        if not sent:
            row = usage_row(fx, session, sent)
            lines.append(",".join(q(row[c]) if isinstance(row[c], str) else str(row[c]) for c in USAGE_COLUMNS))
    return ("\r\n".join(lines) + "\r\n").encode()
