"""The server's settings, from arguments or the environment (which ``--workers`` processes inherit)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..store import ENV_VAR as STORE_ENV_VAR

__all__ = [
    "CLIENT_CACHE_ENV_VAR",
    "CORS_ENV_VAR",
    "DEFAULT_UPSTREAM",
    "MAX_BODY_ENV_VAR",
    "STORE_ENV_VAR",
    "UPSTREAM_ENV_VAR",
    "ServerConfig",
]

DEFAULT_UPSTREAM = "https://api.openai.com/v1"
UPSTREAM_ENV_VAR = "COMPAT_UPSTREAM_URL"
CORS_ENV_VAR = "COMPAT_CORS_ORIGINS"
MAX_BODY_ENV_VAR = "COMPAT_MAX_BODY_BYTES"
CLIENT_CACHE_ENV_VAR = "COMPAT_CLIENT_CACHE_SIZE"

DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024
DEFAULT_CLIENT_CACHE_SIZE = 1024


@dataclass(frozen=True)
class ServerConfig:
    """What a server process needs to know.

    - ``upstream``: the Responses / Conversations API the library calls and the other paths go to;
    - ``store_url``: the library's store (``None``: ``COMPAT_STORE_URL``, else the default SQLite file);
      one store per process, shared by every caller (the library keeps callers apart);
    - ``cors_origins``: origins allowed to call from a browser (none: no CORS headers at all);
    - ``max_body_bytes``: the largest request body accepted (a 413 beyond);
    - ``client_cache_size``: how many callers' clients are kept (least recently used dropped).
    """

    upstream: str = DEFAULT_UPSTREAM
    store_url: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    client_cache_size: int = DEFAULT_CLIENT_CACHE_SIZE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServerConfig:
        """Settings from ``COMPAT_UPSTREAM_URL``, ``COMPAT_STORE_URL``, ``COMPAT_CORS_ORIGINS`` (comma
        separated), ``COMPAT_MAX_BODY_BYTES`` and ``COMPAT_CLIENT_CACHE_SIZE``; defaults for those unset."""
        env = os.environ if environ is None else environ
        origins = tuple(origin.strip() for origin in env.get(CORS_ENV_VAR, "").split(",") if origin.strip())
        return cls(
            upstream=env.get(UPSTREAM_ENV_VAR) or DEFAULT_UPSTREAM,
            store_url=env.get(STORE_ENV_VAR) or None,
            cors_origins=origins,
            max_body_bytes=_positive(env, MAX_BODY_ENV_VAR, DEFAULT_MAX_BODY_BYTES),
            client_cache_size=_positive(env, CLIENT_CACHE_ENV_VAR, DEFAULT_CLIENT_CACHE_SIZE),
        )

    def to_env(self) -> dict[str, str]:
        """The environment that :meth:`from_env` reads back as these settings."""
        env = {
            UPSTREAM_ENV_VAR: self.upstream,
            CORS_ENV_VAR: ",".join(self.cors_origins),
            MAX_BODY_ENV_VAR: str(self.max_body_bytes),
            CLIENT_CACHE_ENV_VAR: str(self.client_cache_size),
        }
        if self.store_url:
            env[STORE_ENV_VAR] = self.store_url
        return env


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a positive integer, got {text!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {text!r}")
    return value
