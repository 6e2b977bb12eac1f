"""The caller's credentials, and one library client per credentials (a bounded LRU cache).

The server holds no key of its own. Each request's ``Authorization: Bearer``, ``OpenAI-Organization`` and
``OpenAI-Project`` go upstream with every call the request makes, through a :class:`compat.AsyncOpenAI`
built for exactly those credentials; the library scopes what it stores by them. Rules:

- A request without a bearer key is refused with the legacy 401 before anything else happens.
- Keys are never logged nor written anywhere: :class:`Credentials` hides the key from ``repr``, the
  cache is keyed by a SHA-256 fingerprint, and a client lives only in this process's memory, at most
  ``size`` of them (the least recently used is dropped).
- Every client shares the one store and the one HTTP connection pool; dropping a client closes neither.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from threading import Lock

from .._client import AsyncOpenAI
from ._errors import missing_api_key

__all__ = ["ClientCache", "Credentials"]


@dataclass(frozen=True)
class Credentials:
    """What identifies a caller upstream: the API key, and the organization and project when given."""

    api_key: str = field(repr=False)
    organization: str | None = None
    project: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Credentials:
        """The credentials of a request (header names in any case); the legacy 401 without a bearer key."""
        authorization = headers.get("authorization", "")
        scheme, _, key = authorization.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise missing_api_key()
        return cls(
            api_key=key,
            organization=headers.get("openai-organization") or None,
            project=headers.get("openai-project") or None,
        )

    @property
    def fingerprint(self) -> str:
        """A digest standing for these credentials, so that no key is kept as a cache key."""
        joined = "\0".join((self.api_key, self.organization or "", self.project or ""))
        return hashlib.sha256(joined.encode()).hexdigest()


ClientFactory = Callable[[Credentials], AsyncOpenAI]


class ClientCache:
    """At most ``size`` library clients, one per credentials, the least recently used dropped first."""

    def __init__(self, factory: ClientFactory, size: int = 1024) -> None:
        if size < 1:
            raise ValueError("the client cache holds at least one client")
        self._factory = factory
        self._size = size
        self._clients: OrderedDict[str, AsyncOpenAI] = OrderedDict()
        self._lock = Lock()

    def get(self, credentials: Credentials) -> AsyncOpenAI:
        """The client for these credentials, built on first use."""
        key = credentials.fingerprint
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                self._clients.move_to_end(key)
                return client
            client = self._factory(credentials)
            self._clients[key] = client
            if len(self._clients) > self._size:
                # the shared pool and store stay open: the dropped client owns neither
                self._clients.popitem(last=False)
            return client

    def __len__(self) -> int:
        return len(self._clients)
