"""What every operation needs besides the client: the store, the clock and an id factory."""

from __future__ import annotations

import secrets
import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openai import NotGiven, Omit

from .store import Store

__all__ = ["Context", "given", "new_id", "now"]

_ALPHABET = string.ascii_letters + string.digits


_ID_BITS = 142  # 62**24 > 2**142: 24 base-62 digits hold any 142-bit number


def new_id(prefix: str) -> str:
    """A fresh id in the legacy style: ``run_`` followed by 24 letters and digits (142 random bits)."""
    number = secrets.randbits(_ID_BITS)
    digits: list[str] = []
    for _ in range(24):
        number, digit = divmod(number, 62)
        digits.append(_ALPHABET[digit])
    return f"{prefix}_{''.join(digits)}"


def now() -> int:
    """The current Unix time in whole seconds, as the legacy API stamped objects."""
    return int(time.time())


@dataclass
class Context:
    """The store plus injectable clock and ids (tests pass deterministic ones)."""

    store: Store
    clock: Callable[[], int] = field(default=now)
    ids: Callable[[str], str] = field(default=new_id)


_REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")


def given(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments the caller actually passed: drops ``self`` and ``Omit``/``NotGiven`` defaults.

    Request options (``extra_headers``, ``extra_query``, ``extra_body``, ``timeout``) are kept only when
    set, so the parameter table sees them too.
    """
    out: dict[str, Any] = {}
    for name, value in arguments.items():
        if name in ("self", "__class__") or isinstance(value, (Omit, NotGiven)):
            continue
        if name in _REQUEST_OPTIONS and value is None:
            continue
        out[name] = value
    return out
