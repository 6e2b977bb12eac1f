"""What every operation needs besides the client: the store (scoped to a tenant), the clock and an id factory.

Tenants. The legacy API scoped every object to the API key's project; the shim scopes its stored objects
to a tenant. By default the tenant is a salted fingerprint of the client's API key, organization, project
and base URL (HMAC-SHA256 with a random salt kept in the store: the key itself is never stored), so two
clients with different credentials never see each other's assistants, runs, steps or message records.
Teams that rotate keys name their tenant instead (``OpenAI(tenant="billing")`` or ``COMPAT_TENANT``), and
their objects survive rotation.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import string
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from openai import NotGiven, Omit

from .models import ModelMap
from .store import Store

__all__ = ["TENANT_ENV_VAR", "Context", "Opener", "given", "new_id", "now", "tenant_name"]

TENANT_ENV_VAR = "COMPAT_TENANT"

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


def tenant_name(
    store: Store,
    *,
    name: str | None,
    api_key: object,
    organization: str | None,
    project: str | None,
    base_url: str,
) -> str:
    """The tenant of a client: ``name`` (else ``COMPAT_TENANT``) when given, else its credentials' fingerprint.

    ``name=""`` asks for the fingerprint whatever ``COMPAT_TENANT`` says (a server serving many callers).

    An API key given as a function (rotated by the SDK) has no fixed value: such clients share the
    fingerprint of their organization, project and base URL unless they name their tenant.
    """
    chosen = name if name is not None else os.environ.get(TENANT_ENV_VAR)
    if chosen:
        return f"name:{chosen}"
    key = api_key if isinstance(api_key, str) else ""
    material = "\0".join((key, organization or "", project or "", base_url.rstrip("/")))
    digest = hmac.new(store.secret().encode(), material.encode(), hashlib.sha256).hexdigest()
    return f"key:{digest[:32]}"


class Opener:
    """A store opened on first use, once, however many contexts share it (the store URL of a client and of
    its copies)."""

    def __init__(self, open_store: Callable[[], Store]) -> None:
        """``open_store`` opens the store (it may block: open the store inside a store effect)."""
        self._open = open_store
        self._store: Store | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Store:
        """The store, opened now if it was not yet."""
        with self._lock:
            if self._store is None:
                self._store = self._open()
            return self._store


class Context:
    """The store, scoped to the client's tenant, plus injectable clock and ids (tests pass deterministic ones).

    The store is opened and the tenant resolved on the first use of :attr:`store`, which operations make
    inside a store effect: with the async client that is off the event loop, like every other store call.
    """

    def __init__(
        self,
        store: Store | Opener,
        *,
        tenant: Callable[[Store], str] | None = None,
        clock: Callable[[], int] = now,
        ids: Callable[[str], str] = new_id,
        models: ModelMap | None = None,
        auto_truncation: bool = True,
    ) -> None:
        """``store`` as given (already scoped, or the only tenant's) unless ``tenant`` names the tenant of
        the store's records: then :attr:`store` is ``store.for_tenant(tenant(store))``. ``models`` maps
        the model names sent upstream (default: ``COMPAT_MODEL_MAP``, see :mod:`compat.models`).
        ``auto_truncation``: runs that set no ``truncation_strategy`` send ``truncation: "auto"``, the
        legacy default (see :func:`auto_truncation_for`)."""
        self.opener = store if isinstance(store, Opener) else Opener(lambda: store)
        self.models = models if models is not None else ModelMap()
        self.auto_truncation = auto_truncation
        self.requires_input = False
        """Learnt from the upstream: every response needs ``input`` (an empty one when the turn adds nothing)."""
        self.clock = clock
        self.ids = ids
        self._tenant = tenant
        self._scoped: Store | None = None
        self._lock = threading.Lock()

    @property
    def store_for_copies(self) -> Store | Opener:
        """What a copy of the client shares: the opener (its tenant may differ), or a store scoped by hand."""
        return self.opener if self._tenant is not None else self.store

    @property
    def store(self) -> Store:
        """The tenant's handle on the store."""
        scoped = self._scoped
        if scoped is None:
            with self._lock:
                if self._scoped is None:
                    root = self.opener()
                    self._scoped = root if self._tenant is None else root.for_tenant(self._tenant(root))
                scoped = self._scoped
        return scoped


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


_OPENAI_HOSTS = ("api.openai.com",)
_AZURE_SUFFIXES = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")


def auto_truncation_for(base_url: str) -> bool:
    """Whether runs that set no ``truncation_strategy`` send ``truncation: "auto"`` to ``base_url``.

    The legacy API truncated a long thread by default (``truncation_strategy: auto``); the Responses API's
    default is to refuse one. OpenAI's and Azure's APIs get ``"auto"`` so long threads keep working; other
    Responses servers get ``truncation`` only when the run asked for it (some refuse ``"auto"``).
    ``COMPAT_AUTO_TRUNCATION`` (``1`` / ``0``) decides instead when set.
    """
    setting = os.environ.get("COMPAT_AUTO_TRUNCATION", "").strip().lower()
    if setting:
        return setting not in ("0", "false", "no", "off")
    host = (urllib.parse.urlsplit(base_url).hostname or "").lower()
    return host in _OPENAI_HOSTS or host.endswith(_AZURE_SUFFIXES)
