"""Id factories and clocks: random and real by default, counters in tests."""

from __future__ import annotations

import itertools
import secrets
import string
import threading
import time
from collections.abc import Callable

IdFactory = Callable[[str], str]
"""Called with a prefix such as ``"resp_"`` or ``"call_"``; answers a fresh id starting with it."""

Clock = Callable[[], int]
"""Answers the current time in unix seconds."""

_BASE62 = string.ascii_letters + string.digits

# Lengths after the prefix, as seen in recordings of the live service.
_HEX_LENGTHS = {"conv_": 48, "resp_": 50, "msg_": 50, "fc_": 50, "rs_": 50}


def random_ids(prefix: str) -> str:
    """A random id shaped like the live service's: hex for Responses objects, base62 for ``call_``."""
    if prefix in _HEX_LENGTHS:
        return prefix + secrets.token_hex(_HEX_LENGTHS[prefix] // 2)
    return prefix + "".join(secrets.choice(_BASE62) for _ in range(24))


def counter_ids(width: int = 4) -> IdFactory:
    """A deterministic id factory: ``resp_0001``, ``msg_0002``, ... (one counter shared by every prefix)."""
    counter = itertools.count(1)
    lock = threading.Lock()

    def next_id(prefix: str) -> str:
        with lock:
            return f"{prefix}{next(counter):0{width}d}"

    return next_id


def real_clock() -> int:
    """The wall clock in whole unix seconds."""
    return int(time.time())


def fixed_clock(start: int = 1_700_000_000, step: int = 0) -> Clock:
    """A deterministic clock: ``start``, then ``start + step``, ... on each call."""
    counter = itertools.count()
    lock = threading.Lock()

    def now() -> int:
        with lock:
            return start + step * next(counter)

    return now
