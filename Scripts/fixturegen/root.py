"""Writing one client root: the install folder, the user's Bentley data and `.system/`."""

from datetime import timedelta
import os

from .files import set_mtime, write
from .formats.events import events
from .formats.install import cc_config, feature_level_selector, placeholder, service_config
from .formats.logs import write_logs
from .formats.policy import belic_bytes
from .formats.registry import hkcu, hklm
from .formats.store import backlog_csv, feature_csv, journal_bytes, usage_csv, write_store
from .formats.system import connect_client, tasklist
from .scenario import belic_name, clock
from .values import CC_DIR, LIC_DIR, NOW, USER, at, guid


def build_fixture(out, fx):
    """Writes the root `out/<fx.name>` of scenario `fx`, with fixed file times."""
    root = os.path.join(out, fx.name)
    installed = fx.installed_on or fx.upgraded_at or at("2026-09-14T11:20:00")
    for name in ("Bentley.Connect.Client.exe", "LogCollector.exe"):
        write(root, f"{CC_DIR}/{name}", placeholder(name), installed)
    for name in ("Bentley.Licensing.Service.exe", "Bentley.Licensing.LicenseTool.exe",
                 "Bentley.Licensing.FeatureLevelSelector.exe"):
        write(root, f"{CC_DIR}/LicService/{name}", placeholder(name), installed)
    write(root, f"{CC_DIR}/Bentley.Connect.Client.exe.config", cc_config(), installed)
    write(root, f"{CC_DIR}/LicService/Bentley.Licensing.Service.exe.config", service_config(fx.store_name), installed)

    db = os.path.join(root, f"{LIC_DIR}/{fx.store_name}")
    write_store(db, fx)
    stamp = clock(fx, min(NOW - timedelta(minutes=1), fx.request_at + timedelta(seconds=1)))
    set_mtime(db, stamp)
    journal = journal_bytes(fx, db)
    if journal is not None:
        write(root, f"{LIC_DIR}/{fx.store_name}-journal", journal, stamp)
    write(root, f"{LIC_DIR}/LicUsageLog.{guid('usage-log:' + fx.name)}.csv", usage_csv(fx), stamp)
    if fx.backlog:
        write(root, f"{LIC_DIR}/LicUsageLog.{guid('usage-log:' + fx.name + ':backlog')}.csv", backlog_csv(fx),
              max(fx.backlog) + timedelta(hours=1))
    if fx.feature_backlog:
        write(root, f"{LIC_DIR}/LicFeatureLog.{guid('feature-log:' + fx.name)}.csv", feature_csv(fx),
              max(fx.feature_backlog) + timedelta(hours=1))
    write(root, f"{LIC_DIR}/FeatureLevelSelector.xml", feature_level_selector(fx), at("2026-09-15T08:02:00"))
    if fx.checkout:
        write(root, f"Users/{USER}/{fx.checkout.place}/{belic_name(fx)}", belic_bytes(fx),
              fx.checkout.created + timedelta(minutes=2))
    if fx.extra_user:
        write(root, "Users/Public/Desktop/desktop.ini",
              b"\r\n[.ShellClassInfo]\r\nLocalizedResourceName=@%SystemRoot%\\system32\\shell32.dll,-21799\r\n",
              at("2026-09-01T12:00:00"))
    write_logs(root, fx)

    collected = NOW - timedelta(seconds=30)
    write(root, ".system/registry/HKLM.reg", hklm(fx), collected)
    write(root, ".system/registry/HKCU.reg", hkcu(fx), collected)
    write(root, ".system/tasklist.csv", tasklist(fx), collected)
    write(root, ".system/events/Application.xml", events(fx, "Application"), collected)
    write(root, ".system/events/System.xml", events(fx, "System"), collected)
    write(root, ".system/connect-client.json", connect_client(fx), collected)
    for path, dirs, _ in os.walk(root):
        for d in dirs:
            os.utime(os.path.join(path, d), (collected.timestamp(), collected.timestamp()))
    os.utime(root, (collected.timestamp(), collected.timestamp()))
