"""``assistants-compat doctor``: is this setup ready to run legacy Assistants code?

:func:`diagnose` checks, in order:

- the store: reachable, its schema version, the file's permissions (a SQLite file holds users' assistants
  and message metadata: ``0600``), and the tenant this setup's clients use;
- the upstream: the key accepted, a conversation created and deleted, a response and a streamed response
  (``store: false``), and every model the tenant's stored assistants name available there; models OpenAI
  retired on 2026-10-23 fail unless the model map names them, with the replacement OpenAI recommended.

Rules: nothing is written but what a check needs (one conversation, deleted at once; the store's tenant
salt, which any client would make). A SQLite file that does not exist is not created, and one of an older
schema is not opened (opening upgrades it); a PostgreSQL store is opened as any client would open it. The
key is never shown: errors are reported by status and code, with anything shaped like a key masked.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import sys
from collections.abc import Callable, Generator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import httpx2
import openai

from ._context import TENANT_ENV_VAR, tenant_name
from .emulator import Emulator, EmulatorTransport
from .models import RETIRED_MODELS, ModelMap
from .store import ENV_VAR as STORE_ENV_VAR, Store, default_store_path, open_store
from .store.sqlite import MIGRATIONS as SQLITE_MIGRATIONS

__all__ = ["DEFAULT_PROBE_MODEL", "Check", "Options", "diagnose", "failed", "format_table"]

DEFAULT_PROBE_MODEL = "gpt-4.1-mini"
"""The model of the response checks when neither ``--model`` nor a stored assistant names one."""

_OPENAI_URL = "https://api.openai.com/v1"
_KEY_SHAPED = re.compile(r"\b(sk|sess)-[A-Za-z0-9_\-*]{4,}")

Status = Literal["ok", "warn", "FAIL", "skip"]


@dataclass(frozen=True)
class Check:
    """One row of the report."""

    name: str
    status: Status
    detail: str


@dataclass(frozen=True)
class Options:
    """What to check: ``upstream`` (default ``OPENAI_BASE_URL``, else OpenAI), ``store`` (default
    ``COMPAT_STORE_URL``, else the default SQLite file), ``emulator`` (an in-process emulator as upstream),
    ``tenant`` (default ``COMPAT_TENANT``), ``model`` (of the response checks)."""

    upstream: str | None = None
    store: str | None = None
    emulator: bool = False
    tenant: str | None = None
    model: str | None = None


def failed(checks: list[Check]) -> bool:
    """Whether any check failed."""
    return any(check.status == "FAIL" for check in checks)


def format_table(checks: list[Check]) -> str:
    """The report as an aligned text table."""
    width = max([len("check"), *(len(check.name) for check in checks)])
    lines = [f"{'check':<{width}}  status  detail"]
    lines += [f"{check.name:<{width}}  {check.status:<6}  {check.detail}" for check in checks]
    return "\n".join(lines)


def _mask(text: str, key: str | None) -> str:
    """``text`` with the key, and anything shaped like a key, masked."""
    if key:
        text = text.replace(key, "***")
    return _KEY_SHAPED.sub(lambda match: f"{match.group(1)}-***", text)


def _shown_url(url: str) -> str:
    """A store URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


# -- the store --------------------------------------------------------------------------------------------


@dataclass
class _StoreState:
    """What the store checks found: the open store (``None``: not opened) and the assistants' models."""

    store: Store | None = None
    models: dict[str, list[str]] | None = None


def _sqlite_path(url: str | None) -> Path | None:
    """The file of a SQLite store URL (``None`` for PostgreSQL and ``:memory:``)."""
    if not url:
        return default_store_path()
    if not url.startswith("sqlite://"):
        return None
    rest = url.removeprefix("sqlite://")
    if rest in ("", ":memory:", "/:memory:"):
        return None
    return Path(rest.removeprefix("/") if not rest.startswith("//") else rest[1:])


def _permissions(path: Path) -> Check:
    if sys.platform == "win32":
        return Check("store permissions", "skip", "not checked on Windows")
    loose = [
        f"{found.name} is {stat.S_IMODE(found.stat().st_mode):04o}"
        for found in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if found.exists() and stat.S_IMODE(found.stat().st_mode) & 0o077
    ]
    if loose:
        return Check("store permissions", "FAIL", f"{'; '.join(loose)}: others may read it; chmod 600 {path}*")
    return Check("store permissions", "ok", f"{stat.S_IMODE(path.stat().st_mode):04o}")


def _sqlite_checks(path: Path, url: str | None) -> tuple[list[Check], bool]:
    """The checks of a SQLite file, read only; whether it may be opened (it exists, its schema is current)."""
    shown = url or f"{path} (default)"
    if not path.exists():
        return [Check("store", "ok", f"{shown}: no file yet (made 0600 by the first client)")], False
    permissions = _permissions(path)
    try:  # immutable: read the header without making the -wal and -shm files a reader needs
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            (version,) = connection.execute("PRAGMA user_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        return [Check("store", "FAIL", f"{shown}: {error}")], False
    checks = [Check("store", "ok", shown), permissions]
    current = len(SQLITE_MIGRATIONS)
    if version > current:
        checks.append(Check("store schema", "FAIL", f"version {version}, newer than this release's {current}"))
        return checks, False
    if version < current:
        note = f"version {version}: the next client upgrades it to {current} (not opened here, so left as it is)"
        checks.append(Check("store schema", "warn", note))
        return checks, False
    checks.append(Check("store schema", "ok", f"version {version} (current)"))
    return checks, True


def _open_checks(url: str | None) -> tuple[list[Check], Store | None]:
    """Open the store (after the read-only checks of a SQLite file)."""
    path = _sqlite_path(url)
    checks: list[Check] = []
    if path is not None:
        checks, openable = _sqlite_checks(path, url)
        if not openable:
            return checks, None
    try:
        store = open_store(url or f"sqlite:///{path}")
    except Exception as error:
        return [*checks, Check("store", "FAIL", f"{_shown_url(url or '')}: {_mask(str(error), None)}")], None
    if path is None:
        checks += [Check("store", "ok", _shown_url(url or "")), Check("store schema", "ok", "current")]
    return checks, store


def _tenant_check(store: Store | None, client: openai.OpenAI, tenant: str | None) -> tuple[Check, Store | None]:
    """The tenant a client with these credentials uses, and the store scoped to it."""
    chosen = tenant if tenant is not None else os.environ.get(TENANT_ENV_VAR)
    source = "--tenant" if tenant is not None else TENANT_ENV_VAR
    if store is None:
        detail = f"{chosen} ({source})" if chosen else "the credentials' fingerprint"
        return Check("store tenant", "ok", f"{detail}; no stored assistants read"), None
    name = tenant_name(
        store,
        name=tenant,
        api_key=client.api_key,
        organization=client.organization,
        project=client.project,
        base_url=str(client.base_url),
    )
    if name.startswith("name:"):
        detail = f"{name.removeprefix('name:')} ({source})"
    else:
        detail = f"{name[:16]}… (fingerprint of the key, organization, project and base URL)"
    return Check("store tenant", "ok", detail), store.for_tenant(name)


def _assistant_models(store: Store) -> dict[str, list[str]]:
    """The models the tenant's assistants name, each with their ids."""
    models: dict[str, list[str]] = {}
    for record in store.list("assistant", order="asc"):
        model = record.data.get("model")
        if isinstance(model, str):
            models.setdefault(model, []).append(record.id)
    return models


# -- the upstream -----------------------------------------------------------------------------------------


class _Upstream:
    """The upstream checks, in order; the first refusal of the key skips the rest."""

    def __init__(self, client: openai.OpenAI, key: str | None) -> None:
        self.client = client
        self.key = key
        self.listed: set[str] | None = None  # the models the upstream lists, when it lists them
        self.refused: str | None = None

    def failure(self, error: Exception) -> str:
        """An error as the report shows it: status and code, never the key."""
        if isinstance(error, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return f"refused: {error.status_code} {error.code or ''}".rstrip()
        if isinstance(error, openai.APIStatusError):
            return _mask(f"{error.status_code} {error.code or ''}: {error.message}", self.key)
        if isinstance(error, openai.APIConnectionError):
            return _mask(f"unreachable: {error.__cause__ or error}", self.key)
        return _mask(f"{type(error).__name__}: {error}", self.key)

    def attempt(self, name: str, action: Callable[[], str]) -> Check:
        """Run one check unless the key was refused; any error fails it."""
        if self.refused is not None:
            return Check(name, "skip", self.refused)
        try:
            return Check(name, "ok", action())
        except (openai.AuthenticationError, openai.PermissionDeniedError, openai.APIConnectionError) as error:
            self.refused = f"not tried: {self.failure(error)}"
            return Check(name, "FAIL", self.failure(error))
        except Exception as error:
            return Check(name, "FAIL", self.failure(error))

    def key_accepted(self) -> str:
        """``GET /models``: a server without it (404) has not refused the key."""
        try:
            page = self.client.models.list()
        except openai.NotFoundError:
            return "not refused (this upstream lists no models: they are tried one by one)"
        self.listed = {model.id for model in page.data}
        return f"accepted ({len(self.listed)} models listed)"

    def conversations(self) -> str:
        """A conversation created and deleted at once."""
        conversation = self.client.conversations.create(metadata={"assistants_compat": "doctor"})
        self.client.conversations.delete(conversation.id)
        return "created and deleted a conversation"

    def responses(self, model: str) -> str:
        """A short response, not stored."""
        response = self.client.responses.create(model=model, input="Reply OK.", max_output_tokens=16, store=False)
        return f"{model}: {response.status}"

    def streaming(self, model: str) -> str:
        """A short streamed response, not stored: it must reach ``response.completed``."""
        events: list[str] = []
        with self.client.responses.create(
            model=model, input="Reply OK.", max_output_tokens=16, store=False, stream=True
        ) as stream:
            events = [event.type for event in stream]
        if "response.completed" not in events:
            raise RuntimeError(f"the stream ended without response.completed ({len(events)} events)")
        return f"{model}: {len(events)} events up to response.completed"

    def model_available(self, model: str) -> str:
        """Listed by the upstream, or answering a short response."""
        if self.listed is not None:
            if model not in self.listed:
                raise LookupError(f"{model} is not among the upstream's models")
            return f"{model} is listed"
        self.responses(model)
        return f"{model} answers"


def _model_checks(upstream: _Upstream, models: Mapping[str, list[str]], names: Mapping[str, str]) -> list[Check]:
    """One row per model the stored assistants name: retired and unmapped, or available upstream."""
    checks: list[Check] = []
    for model, assistants in sorted(models.items()):
        used_by = ", ".join(assistants[:3]) + (f" and {len(assistants) - 3} more" if len(assistants) > 3 else "")
        if model in RETIRED_MODELS and model not in names:
            replacement = RETIRED_MODELS[model]
            checks.append(
                Check(
                    f"model {model}",
                    "FAIL",
                    f"retired on 2026-10-23 (used by {used_by}); OpenAI recommends {replacement}: "
                    f'COMPAT_MODEL_MAP=\'{{"{model}": "{replacement}"}}\' or COMPAT_MAP_RETIRED_MODELS=1',
                ),
            )
            continue
        sent = names.get(model, model)
        check = upstream.attempt(f"model {model}", lambda sent=sent: upstream.model_available(sent))
        shown = f" (sent as {sent})" if sent != model else ""
        checks.append(Check(check.name, check.status, f"{check.detail}{shown}; used by {used_by}"))
    return checks


def _probe_model(options: Options, models: Mapping[str, list[str]], names: Mapping[str, str]) -> str:
    if options.model:
        return options.model
    usable = [names.get(m, m) for m in models if m not in RETIRED_MODELS or m in names]
    return usable[0] if usable else DEFAULT_PROBE_MODEL


# -- putting it together ----------------------------------------------------------------------------------


@contextmanager
def _client(options: Options) -> Generator[openai.OpenAI, None, None]:
    """The plain SDK client the upstream checks use (the emulator's, with ``--emulator``)."""
    key = os.environ.get("OPENAI_API_KEY")
    if options.emulator:
        http_client = httpx2.Client(transport=EmulatorTransport(Emulator()))
        client = openai.OpenAI(
            api_key=key or "emulator", base_url="http://emulator.local/v1", http_client=http_client, max_retries=0
        )
    else:
        base_url = options.upstream or os.environ.get("OPENAI_BASE_URL") or _OPENAI_URL
        client = openai.OpenAI(api_key=key or "none", base_url=base_url, max_retries=0, timeout=60)
    try:
        yield client
    finally:
        client.close()


def _upstream_checks(
    client: openai.OpenAI, key: str | None, options: Options, models: dict[str, list[str]]
) -> list[Check]:
    upstream = _Upstream(client, key)
    if not key and not options.emulator:
        upstream.refused = "not tried: no key"
        checks = [Check("upstream key", "FAIL", "OPENAI_API_KEY is not set")]
    else:
        checks = [upstream.attempt("upstream key", upstream.key_accepted)]
    names = ModelMap().names
    model = _probe_model(options, models, names)
    checks += [
        upstream.attempt("conversations", upstream.conversations),
        upstream.attempt("responses", lambda: upstream.responses(model)),
        upstream.attempt("streaming", lambda: upstream.streaming(model)),
    ]
    return checks + _model_checks(upstream, models, names)


def diagnose(options: Options) -> list[Check]:
    """Every check of this setup, in report order (see the module's docstring)."""
    url = options.store or os.environ.get(STORE_ENV_VAR) or None
    checks, store = _open_checks(url)
    try:
        with _client(options) as client:
            shown = "in-process emulator" if options.emulator else str(client.base_url).rstrip("/")
            tenant, scoped = _tenant_check(store, client, options.tenant)
            models = _assistant_models(scoped) if scoped is not None else {}
            if scoped is not None:
                count = sum(len(ids) for ids in models.values())
                tenant = Check(tenant.name, tenant.status, f"{tenant.detail}; {count} stored assistants")
            upstream = _upstream_checks(client, os.environ.get("OPENAI_API_KEY"), options, models)
    finally:
        if store is not None:
            store.close()
    return [*checks, tenant, Check("upstream", "ok", shown), *upstream]
