"""Files about the roots as a whole: `expected.json`, `secrets.json` and the README's client section."""

import gzip
import json
import os
import shutil

from .formats.store import STORE_VARIANTS, refresh_token, session_token
from .root import build_fixture
from .scenario import access_key, access_token, bearer_token
from .values import PROXY_URL, USER_ID


def texts_of(path):
    """A file's bytes as a searcher would see them: plain, gunzipped, UTF-16 decoded."""
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le").encode()
    return data


def secrets(out, fx):
    root = os.path.join(out, fx.name)
    planted = [("policy-access-key", access_key(fx)), ("proxy-url", PROXY_URL),
               ("proxy-password", "S3cr3tP%40ss"), ("bearer-token", bearer_token(fx)),
               ("access-token", access_token(fx))]
    if "extra-column" in fx.store:
        planted.append(("store-session-token", session_token(fx)))
    if "extra-table" in fx.store:
        planted.append(("store-refresh-token", refresh_token(fx)))
    files = []
    for path, _, names in os.walk(root):
        files += [os.path.join(path, n) for n in names]
    contents = {os.path.relpath(p, root): texts_of(p) for p in sorted(files)}
    result = []
    for kind, value in planted:
        where = [rel for rel, text in contents.items() if value.encode() in text]
        entry = {"kind": kind, "value": value, "files": where}
        if kind == "policy-access-key":
            encoded = [rel for rel in contents if rel.endswith((".db", ".belic"))]
            entry["note"] = ("also RequestData.AccessKey inside every policy (JWT claim, standard base64) in: "
                             + ", ".join(encoded))
        if kind == "proxy-password":
            entry["decoded"] = "S3cr3tP@ss"
        result.append(entry)
    return result


README_HEAD = """# Fixtures

## Client roots (`clients/`)

The client data here is **synthetic**: made up by `Scripts/make-fixtures` from the model in
CLIENT-MODEL.md, with no vendor files and no real users (the `.exe` files are text
placeholders). Regenerate or check with:

    Scripts/make-fixtures          # rewrites Fixtures/clients/ and this section of the README
    Scripts/make-fixtures --check  # writes nothing; lists what differs from the committed files, exit 1

The script is deterministic: running it twice gives byte-identical files, and CI (`.ci/run`) runs
every generator's `--check` (this one, `make-store-fixtures`, `make-adversarial`,
`make-archive-fixtures`), so the committed fixtures are always what the scripts make. The
generators are Python standard library only and share no code with the Swift sources: the
fixtures are an outside view of the client's files, so they keep checking the parsers.

`Scripts/make-fixtures` is a thin entry point to the package `Scripts/fixturegen/`:

| module | what it holds |
|---|---|
| `values` | identities, products, accounts, time formats, log vocabulary every root shares |
| `scenario` | what a scenario is (`Scenario`, `Line`, `Checkout`) and the facts derived from one (refresh times, offline grace, ids, planted tokens) |
| `scenarios` | `FIXTURES`: one declarative `Scenario` per root below, including what `expected.json` says of it |
| `formats/policy`, `store`, `logs`, `registry`, `events`, `system`, `install` | one writer per client file format: policy JSON, JWT and `.belic`; SQLite store, journal and usage CSVs; logs (UTF-8, UTF-16LE, gzip); `.reg` exports; event XML; `tasklist` CSV and the CC API answer; install folder and `.exe.config` files |
| `root` | writes one root from its scenario |
| `index` | `expected.json`, `secrets.json` and this section of the README (the table below comes from `FIXTURES`) |
| `check` | `--check` of every generator: generate into a temporary folder, compare file by file, show a short diff |

A new root is one more `Scenario` in `scenarios.py`; a new file format is a writer in `formats/`
called from `root.py`.

Every root has the full layout of CLIENT-MODEL §1: the CONNECTION Client folder (placeholder
executables, `Bentley.Connect.Client.exe.config` with `appSettings` and `defaultProxy`,
`LicService/` with `Bentley.Licensing.Service.exe.config`), `Users/jdoe/AppData/Local/Bentley/`
(`Licensing/LicensingStore.db` with the §3 tables, unless "Store layouts" below says otherwise,
`LicUsageLog.<GUID>.csv`,
`FeatureLevelSelector.xml`, logs of `CONNECTION Client`, `Licensing Service` and `License Tool`
as `name.log`, `name.1.log` and gzipped `name.3.log.gz`; `name.2.log` is absent on purpose) and
`.system/` (`registry/HKLM.reg` and `HKCU.reg` as `reg export` writes them, `tasklist.csv`,
`events/Application.xml` and `System.xml` without a root element, `connect-client.json`).

Conventions shared by all roots:

- collection time `2026-11-20T10:00:00Z` (`--now 2026-11-20T10:00:00Z`); time zone `GMT Standard Time`
  (UTC in November, so log4net stamps read as UTC; dates before 25 Oct would be BST);
- computer `WS-JDOE-01` (events say `WS-JDOE-01.example.local`), user folder `Users/jdoe`
  (`EXAMPLE\\jdoe`), e-mail `jane.doe@example.com`, IMS user id `{user_id}` (upper case in
  `connect-client.json`, file names and usage rows; lower case inside policies);
- country `GB` (Geo `Name`, `UsageCountryISO`, `UltimateCountryId`, which this project reads as
  the entitlement country) unless the cause needs otherwise;
- the requested product is 1000 MicroStation with FeatureString `""`, version `10.17.2.61`,
  except where noted; policies are refreshed every 240 minutes and expire 7 days after creation;
- the Licensing Service log is log4net, UTF-8, CRLF; the CONNECTION Client log has ISO-8601
  stamps with offsets, LF; the current License Tool log is UTF-16LE with a BOM, CRLF; there are
  no time-only stamps (file times are set but git does not keep them);
- policies use all three date formats; `RequestedSecurables` spells `Vesrion` in some roots;
  `PolicyFile` is a JWT except in `access-denied`, `evaluation-expired` and `policy-invalid` (raw JSON);
- `Usage.ProductVersion` and `eimVersion.SchemaVersion` are packed (`10001700020061`), the CSV
  has dotted versions;
- the Diagnosis v2 roots (issue #11, from `trial-entitlement` on) put log messages of the public
  client in its wording with class prefixes (`ClientImpl::GetProductStatus: …`,
  `AccessKeyClientImpl::ValidateAccessKey - …`, `UlasProvider::PostUsageLogs ERROR: N logs failed
  to post.`); `near-miss-*` roots are healthy machines that carry something close to a cause's
  evidence and must stay `licensed` without that cause; `two-*` roots have two causes that do not
  explain each other;
- BuddiRegionCode is the string `"0"` in every root except `wrong-environment` (`"102"`) and
  `near-miss-buddi-zero` (`dword:00000000`). The CC `.exe.config` says `BuddiRegionCode` `0` and
  production URLs in every root (the registry value is the one the client obeys).

`clients/expected.json` gives each root's verdict, top cause and product; a root with two
independent causes also has `"causes": [a, b]` (each must be reported at 0.5 or more, `topCause`
is the one expected to be more certain), and a near miss has `"absent": [codes]`, causes that must
not be reported at 0.5 or more (its `topCause` is null, like `healthy`'s).
`clients/secrets.json` lists every planted secret (policy `AccessKey`, the proxy URL with its
password in `HKCU.reg` and the CC `.exe.config`, a `Bearer` token and an `access_token` in the CC
logs; in `wrong-environment` also a bearer JWT in the unknown column `Policy.SessionToken` and a
refresh token in the unknown table `ClientState`), with the files holding it in plain text, so a
leak test can search bundles for them.

| root | verdict | what it shows | evidence planted |
|---|---|---|---|
"""


def store_layouts(fixtures):
    """README: which root's store uses which layout of CLIENT-MODEL §12."""
    lines = ["", "### Store layouts", "",
             "Every root's store is `LicensingStore.db` with the §3 tables (21-column `Usage`; rollback-journal",
             "mode, not WAL; no journal left behind) except where this list says otherwise:", ""]
    named = [fx.name for fx in fixtures if fx.store_name != "LicensingStore.db"]
    lines.append(f"- the file is named `License.db`: {', '.join(f'`{n}`' for n in named)};")
    raw = [fx.name for fx in fixtures if fx.policy_as_json]
    lines.append(f"- `PolicyFile` holds the raw policy JSON instead of the JWT: {', '.join(f'`{n}`' for n in raw)};")
    for key, text in STORE_VARIANTS.items():
        users = [fx.name for fx in fixtures if key in fx.store]
        if users:
            lines.append(f"- {text}: {', '.join(f'`{n}`' for n in users)};")
    lines[-1] = lines[-1][:-1] + "."
    return "\n".join(lines) + "\n"


def readme(fixtures, path):
    """Rewrites the README's client section (everything before "## Archives", which stays as it is)."""
    head = README_HEAD.replace("{user_id}", USER_ID)
    rows = "".join(f"| `{fx.name}` | {fx.verdict}" + (f", top `{fx.top_cause}`" if fx.top_cause else "")
                   + (", causes " + " + ".join(f"`{c}`" for c in fx.causes) if fx.causes else "")
                   + (", must not find " + ", ".join(f"`{c}`" for c in fx.absent) if fx.absent else "")
                   + f" | {fx.shows} | {fx.evidence} |\n" for fx in fixtures)
    tail = "## Archives\n"
    if os.path.exists(path):
        text = open(path, encoding="utf-8").read()
        if "## Archives" in text:
            tail = text[text.index("## Archives"):]
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + rows + store_layouts(fixtures) + "\n" + tail)


def expected(fx):
    """What `clients/expected.json` says of one root."""
    entry = {"verdict": fx.verdict, "topCause": fx.top_cause, "productId": fx.product[0]}
    if fx.causes:
        entry["causes"] = list(fx.causes)
    if fx.absent:
        entry["absent"] = list(fx.absent)
    return entry


def write_clients(fixtures, out):
    """Writes every root into `out` (emptied first) with `.gitattributes`, expected.json and secrets.json."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    planted = {}
    for fx in fixtures:
        build_fixture(out, fx)
        planted[fx.name] = secrets(out, fx)
    with open(os.path.join(out, ".gitattributes"), "w") as f:
        f.write("# Line ends and encodings are part of the fixtures (CRLF, LF, UTF-16): never convert them.\n"
                "* -text\n")
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({fx.name: expected(fx) for fx in fixtures}, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(out, "secrets.json"), "w") as f:
        json.dump(planted, f, indent=2, sort_keys=True)
        f.write("\n")
