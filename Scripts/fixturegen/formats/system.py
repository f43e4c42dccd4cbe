"""What the collector asks the live system: `tasklist /v /fo csv` and the CONNECTION Client API answer (§8)."""

import json

from ..scenario import service_up
from ..values import DOMAIN, EMAIL, NOW, PRODUCT_EXES, PRODUCT_NAMES, STATUS_NAMES, USER, USER_ID


def tasklist(fx):
    system, me = "NT AUTHORITY\\SYSTEM", f"{DOMAIN}\\{USER}"
    rows = [("System Idle Process", 0, "Services", 0, "8 K", "Unknown", system, "2:01:33", "N/A"),
            ("System", 4, "Services", 0, "3,412 K", "Unknown", "N/A", "0:03:12", "N/A"),
            ("smss.exe", 412, "Services", 0, "1,204 K", "Unknown", system, "0:00:00", "N/A"),
            ("csrss.exe", 604, "Services", 0, "5,880 K", "Unknown", system, "0:00:02", "N/A"),
            ("services.exe", 780, "Services", 0, "9,412 K", "Unknown", system, "0:00:05", "N/A"),
            ("lsass.exe", 796, "Services", 0, "21,904 K", "Unknown", system, "0:00:09", "N/A"),
            ("svchost.exe", 912, "Services", 0, "28,116 K", "Unknown", system, "0:00:14", "N/A")]
    if service_up(fx, NOW):
        rows.append(("Bentley.Licensing.Service.exe", 3384, "Services", 0, "68,240 K", "Unknown", system,
                     "0:00:07", "N/A"))
    session, number = "Console", 1
    others = ()                      # (user, session name, session number) of other remote users
    if fx.terminal == "rdp":
        session, number = "RDP-Tcp#3", 3
        others = (("asmith", "RDP-Tcp#5", 4), ("bkumar", "RDP-Tcp#8", 5))
    elif fx.terminal == "citrix":
        session, number = "ICA-CGP#2", 3
        others = (("asmith", "ICA-CGP#4", 4), ("bkumar", "RDP-Tcp#1", 5))
        rows += [("PicaSvc2.exe", 2260, "Services", 0, "9,836 K", "Unknown", system, "0:00:04", "N/A"),
                 ("BrokerAgent.exe", 2412, "Services", 0, "41,208 K", "Unknown", system, "0:00:11", "N/A")]
    rows += [("explorer.exe", 5120, session, number, "118,532 K", "Running", me, "0:01:02", "N/A"),
             ("Bentley.Connect.Client.exe", 6248, session, number, "184,904 K", "Running", me, "0:00:41",
              "CONNECTION Client"),
             ("OUTLOOK.EXE", 7012, session, number, "246,118 K", "Running", me, "0:02:19",
              "Inbox - jane.doe@example.com - Outlook")]
    if session.startswith("ICA-CGP#"):
        rows.append(("wfshell.exe", 4980, session, number, "12,404 K", "Running", me, "0:00:01", "N/A"))
    pid = fx.product[0]
    trial = " - Trial" if fx.verdict == "trial" else ""
    rows.append((PRODUCT_EXES[pid], 8840, session, number, "912,660 K", "Running", me, "0:04:51",
                 f"{PRODUCT_NAMES[pid]}" + trial))
    for i, (product, _, _, _) in enumerate(fx.also):
        rows.append((PRODUCT_EXES[product[0]], 9012 + 8 * i, session, number, "1,204,332 K", "Running", me,
                     "0:01:37", f"{PRODUCT_NAMES[product[0]]}" + trial))
    if fx.status is not None:
        rows.append(("Bentley.Licensing.LicenseTool.exe", 9116, session, number, "74,300 K", "Running", me,
                     "0:00:03", "Bentley Licensing Tool"))
    for i, (user, name, n) in enumerate(others):
        who = f"{DOMAIN}\\{user}"
        base = 10240 + 1024 * i
        if name.startswith("ICA-CGP#"):
            rows.append(("wfshell.exe", base - 36, name, n, "11,980 K", "Running", who, "0:00:01", "N/A"))
        rows += [("explorer.exe", base, name, n, "96,212 K", "Running", who, "0:00:48", "N/A"),
                 ("Bentley.Connect.Client.exe", base + 112, name, n, "171,540 K", "Running", who, "0:00:29",
                  "CONNECTION Client"),
                 (PRODUCT_EXES[pid], base + 604, name, n, "874,120 K", "Running", who, "0:03:05",
                  f"{PRODUCT_NAMES[pid]}" + trial)]
    header = ["Image Name", "PID", "Session Name", "Session#", "Mem Usage", "Status", "User Name",
              "CPU Time", "Window Title"]
    lines = [",".join(f'"{v}"' for v in header)] + [",".join(f'"{v}"' for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def connect_client(fx):
    signed_in = fx.signed_in
    running = service_up(fx, NOW)
    products = []
    if running and fx.status is not None:
        pid, feature, _ = fx.product
        products.append({"ProductId": pid, "FeatureString": feature,
                         "Status": STATUS_NAMES[fx.status] if fx.status_as_name else fx.status})
        for (other, feature_, _), status, _, _ in fx.also:
            products.append({"ProductId": other, "FeatureString": feature_,
                             "Status": STATUS_NAMES[status] if fx.status_as_name else status})
    service = {"IsInstalled": True, "IsRunning": running, "Products": products}
    if fx.cc_user_before:
        service["SignedInUser"] = None           # the service reports no user
    answer = {
        "IsInstalled": True, "IsRunning": True, "IsLoggedIn": signed_in, "IsUserSessionActive": signed_in,
        "HasUserAcceptedEULA": fx.eula,
        "SignedInUser": {"Email": EMAIL, "UserId": USER_ID} if signed_in else None,
        "Version": fx.cc_version, "LicenseService": service,
    }
    return (json.dumps(answer, indent=2, sort_keys=True) + "\n").encode()
