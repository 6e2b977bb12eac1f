"""State store: where assistant definitions, runs, run steps and message metadata live.

Choose the backend with a URL, either the ``store=`` argument of :class:`compat.OpenAI` or the
``COMPAT_STORE_URL`` environment variable:

- ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or ``sqlite://:memory:``;
- ``postgresql://user:password@host:port/dbname`` (needs the ``postgres`` extra: ``pip install
  'assistants-compat[postgres]'``), for several processes or hosts sharing state.

Without either, the store is a SQLite file in the user's data directory (see :func:`default_store_path`).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .base import Kind, Order, Store, StoredRecord
from .postgres import PostgresStore  # psycopg itself is imported only when a PostgreSQL store opens
from .sqlite import SQLiteStore

__all__ = ["ENV_VAR", "Kind", "Order", "Store", "StoredRecord", "default_store_path", "open_store"]

ENV_VAR = "COMPAT_STORE_URL"


def default_store_path() -> Path:
    """Where the default SQLite store lives.

    - Linux and other Unix: ``$XDG_DATA_HOME/assistants-compat/state.db`` (``~/.local/share/...``);
    - macOS: ``~/Library/Application Support/assistants-compat/state.db``;
    - Windows: ``%LOCALAPPDATA%\\assistants-compat\\state.db``.
    """
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "assistants-compat" / "state.db"


def open_store(url: str | None = None) -> Store:
    """Open the store named by ``url``, else by ``COMPAT_STORE_URL``, else the default SQLite file."""
    url = url or os.environ.get(ENV_VAR) or ""
    if not url:
        path = default_store_path()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _sqlite(str(path))
    if url.startswith("sqlite://"):
        return _sqlite(_sqlite_path(url))
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url)
    raise ValueError(f"unsupported store URL {_redacted(url)!r}: use sqlite:///path/state.db or postgresql://...")


def _redacted(url: str) -> str:
    """``url`` without the password it may hold (``scheme://user:***@host``)."""
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", url)


def _sqlite_path(url: str) -> str:
    rest = url.removeprefix("sqlite://")
    if rest in ("", ":memory:", "/:memory:"):
        return ":memory:"
    return rest.removeprefix("/") if not rest.startswith("//") else rest[1:]


def _sqlite(path: str) -> Store:
    return SQLiteStore(path)
