"""Writing one fixture file with a fixed modification time."""

from datetime import timedelta
import os

from .values import NOW


def set_mtime(path, when):
    """Fixed file times, never after the collection time (a skewed clock is not copied here)."""
    stamp = min(when, NOW - timedelta(seconds=30)).timestamp()
    os.utime(path, (stamp, stamp))


def write(root, rel, data, mtime):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    set_mtime(path, mtime)
