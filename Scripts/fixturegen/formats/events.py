"""Event log exports (§7) as `wevtutil qe /f:xml` prints them: one `<Event>` per line, no root element."""

from datetime import timedelta
from xml.sax.saxutils import escape

from ..scenario import awake, clock
from ..values import BOOT, CC_DIR, FQDN, at, guid, iso7


EVENT_NS = "http://schemas.microsoft.com/win/2004/08/events/event"


def event(fx, provider, event_id, level, t, channel, data, record, qualifiers=None, guid_=None, keywords="0x80000000000000"):
    """One event as `wevtutil qe /f:xml` prints it (attribute quotes as wevtutil: single)."""
    provider_attrs = f"Name='{provider}'" + (f" Guid='{guid_}'" if guid_ else "")
    qual = f" Qualifiers='{qualifiers}'" if qualifiers is not None else ""
    stamp = clock(fx, t)
    body = "".join(f"<Data Name='{n}'>{escape(str(v))}</Data>" if n else f"<Data>{escape(str(v))}</Data>" for n, v in data)
    return (f'<Event xmlns="{EVENT_NS}"><System><Provider {provider_attrs}/>'
            f"<EventID{qual}>{event_id}</EventID><Version>0</Version><Level>{level}</Level><Task>0</Task>"
            f"<Opcode>0</Opcode><Keywords>{keywords}</Keywords>"
            f"<TimeCreated SystemTime='{iso7(stamp)}'/><EventRecordID>{record}</EventRecordID>"
            f"<Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>{channel}</Channel>"
            f"<Computer>{FQDN}</Computer><Security/></System><EventData>{body}</EventData></Event>")


SCM = ("Service Control Manager", "{555908d1-a6d7-4695-8e1e-26931d2012f4}")
SERVICE_DISPLAY = "Bentley Licensing Service"


def event_spec(fx, spec, record):
    """Events the table names by kind."""
    kind, t, *args = spec
    if kind == "app-error-1000":
        exe = args[0]
        return event(fx, "Application Error", 1000, 2, t, "Application",
                     [(None, exe), (None, fx.cc_version if "Bentley" in exe else "1.0.0.0"), (None, "6a1f2c3e"),
                      (None, "KERNELBASE.dll"), (None, "10.0.22621.4541"), (None, "f1a9e3c0"),
                      (None, "e0434352"), (None, "000000000005f39c"), (None, "0xd38"),
                      (None, "0x01db5a6e2c3f4b10"), (None, f"C:\\{CC_DIR.replace('/', chr(92))}\\LicService\\{exe}"
                                                      if "Bentley" in exe else f"C:\\Program Files\\WindowsApps\\{exe}"),
                      (None, "C:\\Windows\\System32\\KERNELBASE.dll"), (None, guid(f"report:{fx.name}:{t}", upper=False)),
                      (None, ""), (None, "")], record, qualifiers=0)
    if kind == "dotnet-1026":
        text = (f"Application: {args[0]}\r\nFramework Version: v4.0.30319\r\n"
                "Description: The process was terminated due to an unhandled exception.\r\n"
                "Exception Info: System.MissingMethodException\r\n"
                "   at Bentley.Licensing.Service.Usage.UsageUploader..cctor()\r\n")
        return event(fx, ".NET Runtime", 1026, 2, t, "Application", [(None, text)], record, qualifiers=0)
    if kind == "msi-11707":
        return event(fx, "MsiInstaller", 11707, 4, t, "Application",
                     [(None, f"Product: CONNECTION Client -- Installation completed successfully. ({args[0]})"),
                      (None, "(NULL)"), (None, "(NULL)")], record, qualifiers=0)
    if kind in ("scm-7031", "scm-7034"):
        binary = "".join(f"{b:02X}" for b in "BentleyLicensingService".encode("utf-16-le")) + "0000"
        data = ([("param1", SERVICE_DISPLAY), ("param2", args[0]), ("param3", "60000"), ("param4", "1"),
                 ("param5", "Restart the service")] if kind == "scm-7031"
                else [("param1", SERVICE_DISPLAY), ("param2", args[0])])
        text = event(fx, SCM[0], int(kind[4:]), 2, t, "System", data, record, qualifiers=49152, guid_=SCM[1])
        return text.replace("</EventData>", f"<Binary>{binary}</Binary></EventData>")
    if kind == "scm-7036":
        return event(fx, SCM[0], 7036, 4, t, "System", [("param1", SERVICE_DISPLAY), ("param2", "running")],
                     record, qualifiers=16384, guid_=SCM[1])
    if kind == "schannel-36888":
        return event(fx, "Schannel", 36888, 2, t, "System", [("AlertDesc", "48"), ("ErrorState", "552")],
                     record, guid_="{1f678132-5938-4686-9fdc-c8ff68f15c85}")
    if kind == "dns-1014":
        return event(fx, "Microsoft-Windows-DNS-Client", 1014, 3, t, "System",
                     [("QueryName", "entitlement-search.bentley.com"), ("AddressLength", "128"),
                      ("Address", "0200003500000000")], record, guid_="{1c95126e-7eea-49a9-a3fe-a378b03ddb4d}")
    if kind == "time-change-1":
        return event(fx, "Microsoft-Windows-Kernel-General", 1, 4, t, "System",
                     [("NewTime", iso7(t + fx.clock_skew)), ("OldTime", iso7(t)), ("Reason", "2"),
                      ("ProcessName", "C:\\Windows\\System32\\rundll32.exe"), ("ProcessID", "0x1a4c")],
                     record, guid_="{a68ca8b7-004f-d7b6-a698-07e2de0f1f5d}")
    if kind == "sleep-42":
        return event(fx, "Microsoft-Windows-Kernel-Power", 42, 4, t, "System",
                     [("TargetState", "4"), ("EffectiveState", "4"), ("Reason", "7"), ("Flags", "0")],
                     record, guid_="{331c3b3a-2005-44c2-ac5e-77220c37d6b4}")
    if kind == "resume-1":
        return event(fx, "Microsoft-Windows-Power-Troubleshooter", 1, 4, t, "System",
                     [("SleepTime", iso7(fx.asleep[0])), ("WakeTime", iso7(t)), ("WakeSourceText", "Power Button")],
                     record, guid_="{cdc05e28-c449-49c6-b9d2-88cf761644df}")
    if kind == "spp-16384":
        return event(fx, "Microsoft-Windows-Security-SPP", 16384, 4, t, "Application",
                     [(None, "2126-10-27T17:02:11Z"), (None, "RulesEngine")], record, qualifiers=16384)
    if kind == "winlogon-6000":
        return event(fx, "Microsoft-Windows-Winlogon", 6000, 4, t, "Application", [(None, "SessionEnv")],
                     record, qualifiers=0)
    if kind in ("eventlog-6005", "eventlog-6006"):
        return event(fx, "EventLog", int(kind[-4:]), 4, t, "System", [], record, qualifiers=32768)
    raise ValueError(kind)


def events(fx, channel):
    """The channel's export: the table's events plus everyday noise, oldest first."""
    specs = list(fx.app_events) if channel == "Application" else list(fx.sys_events)
    if channel == "Application":
        specs += [("spp-16384", at("2026-11-18T09:12:40.104")), ("spp-16384", at("2026-11-19T17:02:11.450"))]
        if awake(fx, BOOT):
            specs.append(("winlogon-6000", BOOT + timedelta(seconds=48)))
    elif awake(fx, BOOT):
        specs += [("eventlog-6006", BOOT - timedelta(seconds=41)), ("eventlog-6005", BOOT),
                  ("scm-7036", BOOT + timedelta(seconds=38))]
    first = 48200 if channel == "Application" else 91200
    ordered = sorted(specs, key=lambda spec: spec[1])
    return "".join(event_spec(fx, spec, first + i) + "\r\n" for i, spec in enumerate(ordered)).encode()
