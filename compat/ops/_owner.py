"""Which process drives a run's model turn, and whether it still lives.

A busy run (``queued`` / ``in_progress``) names its owner, ``host:pid:start``, and a deadline. Another
reader treats the run as abandoned when the deadline has passed, or at once when the owner is a process of
this host that no longer exists (its pid is gone, or now belongs to a process started at another time).
An owner on another host is trusted until the deadline.
"""

from __future__ import annotations

import functools
import os
import socket
from pathlib import Path

__all__ = ["TURN_LEASE_SECONDS", "is_gone", "this_process"]

TURN_LEASE_SECONDS = 600
"""How long a model turn may take before other readers end its run (the legacy expiry)."""

_HOST = socket.gethostname()


def _started(pid: int) -> str:
    """When the process started (``/proc/<pid>/stat`` field 22), ``""`` where that cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]


@functools.cache
def _owner_of(pid: int) -> str:
    return f"{_HOST}:{pid}:{_started(pid)}"


def this_process() -> str:
    """The owner id of the calling process (read once per process: a forked child gets its own)."""
    return _owner_of(os.getpid())


def is_gone(owner: str) -> bool:
    """Whether ``owner`` is a process of this host that has ended (``False`` when that cannot be known)."""
    parts = owner.split(":")
    if len(parts) != 3:
        return False
    host, pid_text, started = parts
    if host != _HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return bool(started) and _started(pid) not in ("", started)
