"""`--check`: are the committed fixtures exactly what the generator makes?

A generator writes into a temporary folder; `compare` then holds each generated file against the
committed one, byte for byte, and lists every path that differs, is missing or is extra. For a
text file (UTF-8, or UTF-16 with a BOM, possibly gzipped) it prints the first lines of a unified
diff, so a reviewer sees what moved without regenerating.
"""

import difflib
import gzip
import os
import sys
import tempfile

DIFF_LINES = 12          # lines of unified diff shown per differing text file


def files_under(folder):
    """Relative paths of every file under `folder` (dotfiles included, folders themselves not)."""
    found = set()
    for path, _, names in os.walk(folder):
        found.update(os.path.relpath(os.path.join(path, n), folder) for n in names)
    return found


def as_text(data):
    """The lines of `data` if it reads as text, else None."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = data.decode("utf-16")
        elif b"\0" in data:
            return None
        else:
            text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text.splitlines(keepends=True)


def show_diff(committed, made, name):
    old, new = as_text(committed), as_text(made)
    if old is None or new is None:
        first = next((i for i, (a, b) in enumerate(zip(committed, made)) if a != b), min(len(committed), len(made)))
        print(f"    binary: {len(committed)} bytes committed, {len(made)} generated; first difference at byte {first}")
        return
    diff = list(difflib.unified_diff(old, new, f"committed/{name}", f"generated/{name}", n=1))
    if not diff:                 # same text, other bytes: line ends, BOM or gzip header
        print("    same text, other bytes (line ends, BOM, encoding or gzip header)")
        return
    for line in diff[:DIFF_LINES]:
        print("    " + line.rstrip("\r\n"))
    if len(diff) > DIFF_LINES:
        print(f"    … {len(diff) - DIFF_LINES} more diff lines")


def shown(label, rel):
    return os.path.join(label, rel) if rel else label


def compare(made, committed, label, ignore=(), skip=()):
    """Prints each difference between the generated and the committed file or folder; returns
    (files compared, differences). `label` is how paths are shown (e.g. `Fixtures/clients`);
    `ignore` lists committed paths the generator does not make (hand-written files beside them),
    `skip` paths it makes differently on every run (neither side is compared)."""
    if os.path.isfile(made) or os.path.isfile(committed):
        both = os.path.isfile(made) and os.path.isfile(committed)
        pairs = {"": (made, committed)} if both else {}
        only_made = {""} if os.path.isfile(made) and not both else set()
        only_committed = {""} if os.path.isfile(committed) and not both else set()
    else:
        ours = (files_under(made) if os.path.isdir(made) else set()) - set(skip)
        theirs = (files_under(committed) if os.path.isdir(committed) else set()) - set(ignore) - set(skip)
        pairs = {rel: (os.path.join(made, rel), os.path.join(committed, rel)) for rel in ours & theirs}
        only_made, only_committed = ours - theirs, theirs - ours
    differences = 0
    for rel in sorted(only_committed):
        print(f"only committed (the generator does not make it): {shown(label, rel)}")
        differences += 1
    for rel in sorted(only_made):
        print(f"not committed (the generator makes it): {shown(label, rel)}")
        differences += 1
    for rel in sorted(pairs):
        new_path, old_path = pairs[rel]
        with open(new_path, "rb") as f:
            new = f.read()
        with open(old_path, "rb") as f:
            old = f.read()
        if new != old:
            print(f"differs: {shown(label, rel)}")
            show_diff(old, new, rel or os.path.basename(label))
            differences += 1
    return len(pairs) + len(only_made) + len(only_committed), differences


def report(tool, count, differences):
    """Prints the summary line of a check; returns the exit status (0 equal, 1 not)."""
    if differences:
        print(f"{tool} --check: {differences} of {count} files differ from what the generator makes; "
              f"run Scripts/{tool} and review the change (or fix the generator)", file=sys.stderr)
        return 1
    print(f"{tool} --check: {count} files equal what the generator makes")
    return 0


def run(tool, generate):
    """Runs `generate(scratch)`, which writes into the temporary folder `scratch` and returns
    (files compared, differences) from its `compare` calls; prints the summary and gives the exit
    status."""
    with tempfile.TemporaryDirectory(prefix=f"{tool}-check-") as scratch:
        count, differences = generate(scratch)
    return report(tool, count, differences)
