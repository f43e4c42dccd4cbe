"""The policy JSON (CLIENT-MODEL §2), its JWT as the service stores it, and a `.belic` checkout (§4)."""

from datetime import timedelta
import base64
import hashlib
import json

from ..scenario import access_key, clock, policy_expires, policy_id
from ..values import (
    ACCOUNTS, COMPUTER, MACHINE_SID, SECURABLES, at, b64url, digest, epoch, guid, iso7, iso_offset,
    iso_plain)


def qualifier(name, value, qtype="string", prompt="", message_id=0):
    return {"Name": name, "Value": value, "Type": qtype, "Prompt": prompt, "MessageId": message_id}


def default_qualifiers(checked_out=False):
    return [
        qualifier("UsageType", "Production"),
        qualifier("AllowOfflineUsage", "TRUE", "bool", "You must Sign In to use this application.", 1105),
        qualifier("OfflineDuration", "7", "int"),
        qualifier("LoginGracePeriod", "7", "int"),
        qualifier("PolicyInterval", "240", "int"),
        qualifier("IsCheckedOut", "TRUE" if checked_out else "FALSE", "bool"),
        qualifier("UseAlertingService", "NONE"),
    ]


def override(name, value):
    """A qualifier override: the default's type, prompt and message with another value."""
    default = next((q for q in default_qualifiers() if q["Name"] == name), qualifier(name, value))
    return dict(default, Value=value)


def securable_id(key):
    return guid(f"securable:{key}", upper=False)


def build_policy(fx, *, created, expires, client_time, machine=COMPUTER, checkout_until=None):
    """The policy JSON object; `checkout_until` makes it a checkout (§4)."""
    org, ultimate, sap, country, egroup, site = ACCOUNTS[fx.account]
    user = fx.policy_user.lower()
    pid, feature, version = fx.product
    overrides = {key: (kind, until, quals) for key, kind, until, quals in fx.acl}
    keys = [k for k in fx.securables if not checkout_until or SECURABLES[k][0] == pid]
    acls, data = [], []
    for key in keys:
        product, name, fs = SECURABLES[key]
        kind, until, quals = overrides.get(key, (1, None, ()))
        if checkout_until:
            until, quals = checkout_until, (("IsCheckedOut", "TRUE"),)
        acls.append({"PrincipalId": user, "SecurableId": securable_id(key), "AccessKind": kind,
                     "ExpiresOn": iso_plain(until or at("2027-03-31T00:00:00")),
                     "QualifierOverrides": [override(n, v) for n, v in quals]})
        sec_quals = [override("LoginGracePeriod", "7")] if key == "NAV" else []
        data.append({"SecurableId": securable_id(key), "ProductId": product, "ProductName": name,
                     "FeatureString": fs, "Version": "", "QualifierOverrides": sec_quals})
    return {
        "PolicyId": guid(f"checkout:{fx.name}", upper=False) if checkout_until else policy_id(fx),
        "PolicyVersion": "2.1",
        "PolicyCreatedOn": iso7(created),
        "PolicyExpiresOn": iso_offset(expires),
        "RequestData": {
            "MachineSID": MACHINE_SID, "AccessKey": access_key(fx), "UserId": user,
            "CheckedOutDate": iso_offset(created) if checkout_until else None,
            "MachineName": machine, "ClientDateTime": iso7(client_time), "Locale": "en-GB",
            "AppliesTo": "User",
            "RequestedSecurables": [{"ProductId": pid, "FeatureString": feature, fx.version_key: version}],
        },
        "MachineSignature": base64.b64encode(digest(f"machine:{machine}", 32)).decode(),
        "AppliesToUserId": user,
        "AppliesToSecurableIds": [securable_id(k) for k in keys],
        "ACLs": acls,
        "SecurableData": data,
        "UserData": {"UserId": user, "OrganizationId": org.lower(), "UsageCountryISO": fx.usage_country,
                     "UltimateSAPId": sap, "UltimateId": ultimate.lower(), "UltimateCountryId": country,
                     "EntitlementGroupId": egroup.lower()},
        "MetaData": {"SiteName": site, "LicensingMode": "SES"},
        "DefaultQualifiers": default_qualifiers(bool(checkout_until))
                             + [qualifier(n, v, t) for n, v, t in fx.extra_qualifiers],
    }


def policy_json(policy):
    return json.dumps(policy, separators=(",", ":"), ensure_ascii=False)


CERT = bytes([0x30, 0x82, 0x03, 0x1A]) + digest("signing-certificate", 790)


def jwt(policy, created, expires, env=""):
    """The policy as the service stores it: RS256 JWT with the policy claim in standard base64.
    A non-production environment's issuer and audience carry its host prefix."""
    header = {"typ": "JWT", "alg": "RS256", "x5t": b64url(hashlib.sha1(CERT).digest())}
    claims = {"http://schemas.bentley.com/ws/2011/03/identity/claims/policy":
              base64.b64encode(policy_json(policy).encode()).decode(),
              "iss": f"http://{env}policyservice.bentley.com", "nbf": epoch(created), "exp": epoch(expires)}
    if env:
        claims["aud"] = f"https://{env}connect-ulastm.bentley.com"
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                     b64url(json.dumps(claims, separators=(",", ":")).encode()))
    return f"{signing_input}.{b64url(digest('signature:' + signing_input, 256))}"


def regular_policy(fx):
    created = fx.policy_created
    client_time = clock(fx, created - timedelta(seconds=1, microseconds=312400))
    policy = build_policy(fx, created=created, expires=policy_expires(fx), client_time=client_time)
    for path, value in fx.policy_edits:
        *parents, last = path.split(".")
        node = policy
        for key in parents:
            node = node[key]
        node[last] = value
    return policy, (policy_json(policy) if fx.policy_as_json else jwt(policy, created, policy_expires(fx), fx.env))


def checkout_policy(fx):
    co = fx.checkout
    policy = build_policy(fx, created=co.created, expires=co.expires, machine=co.machine,
                          client_time=co.created - timedelta(seconds=2), checkout_until=co.expires)
    return policy, jwt(policy, co.created, co.expires)


def belic_bytes(fx):
    _, token = checkout_policy(fx)
    return f'{token}\r\n"{base64.b64encode(CERT).decode()}"\r\n'.encode()
