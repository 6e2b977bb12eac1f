"""The pytest plugin installed with assistants-compat: emulator fixtures, safe cassettes, and a closed network.

pytest loads it by itself (a ``pytest11`` entry point, name ``assistants_compat``; ``-p no:assistants_compat``
turns it off). Nothing to copy into a ``conftest.py``.

Fixtures:

- ``compat_emulator``: a fresh :class:`compat.emulator.Emulator` with deterministic ids (``conv_0001``,
  ``resp_0002``, ...) and a fixed clock; queue turns on it.
- ``compat_client`` / ``compat_async_client``: a :class:`compat.OpenAI` / :class:`compat.AsyncOpenAI` wired
  to that emulator in process (no socket), each with its own SQLite store in ``tmp_path`` and deterministic
  legacy ids (``asst_0001``, ``run_0002``, ...) and clock on ``client.compat_context``.
- ``compat_offline``: for the test's duration, connecting to anything but the loopback interface (and
  resolving any host name but ``localhost``) raises :class:`NetworkBlockedError`, and the test fails even
  if the code under test swallowed that error. Also a marker, ``@pytest.mark.compat_offline``.

With pytest-recording installed:

- a default ``vcr_config`` (:func:`default_vcr_config`) that never writes credentials and matches request
  bodies; a ``vcr_config`` fixture of your own (in a conftest or test module) replaces it;
- replay mode (``--record-mode=none``, pytest-recording's default, or ``once`` with the cassette on disk):
  a request missing from the cassette fails the test loudly, naming the request, even when the code
  under test caught the error; and the test runs ``compat_offline``, so nothing reaches a live API.

The ini option ``compat_offline`` chooses which tests run offline: ``replay`` (default: tests replaying
a cassette and tests marked or requesting ``compat_offline``), ``all`` (every test) or ``marked`` (only
the marked or requesting ones).
"""

from __future__ import annotations

import importlib
import ipaddress
import itertools
import socket
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from compat import AsyncOpenAI, OpenAI
    from compat.emulator import Emulator

__all__ = [
    "CREDENTIAL_HEADERS",
    "NetworkBlockedError",
    "compat_async_client",
    "compat_client",
    "compat_emulator",
    "compat_offline",
    "default_vcr_config",
]

CREDENTIAL_HEADERS: tuple[str, ...] = (
    "authorization",
    "api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
)
"""Headers never written to a cassette (requests and responses), besides every ``x-stainless-*`` one."""

FIXED_TIME = 1_700_000_000
"""The clock of the fixtures' emulator and clients."""

_OFFLINE_MODES = ("replay", "all", "marked")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class NetworkBlockedError(OSError):
    """A connection to a non-loopback host (or a DNS lookup) attempted during an offline test.

    An ``OSError``, as a refused connection is: HTTP clients close the socket and report it the usual way.
    """


@dataclass(frozen=True)
class _Leak:
    """A request that tried to leave for the network: one line, and the rest of the story if any."""

    summary: str
    detail: str = ""

    def __str__(self) -> str:
        """The summary, then the detail indented below it."""
        return "\n".join([self.summary, *(f"  {line}".rstrip() for line in self.detail.splitlines())])


_LEAKS = pytest.StashKey[list[_Leak]]()


# -- cassettes --------------------------------------------------------------------------------------------


def _drop_request_secrets(request: Any) -> Any:
    """``before_record_request``: drops every ``x-stainless-*`` header (``filter_headers`` takes the rest)."""
    for name in list(request.headers):
        if name.lower().startswith("x-stainless-"):
            del request.headers[name]
    return request


def _drop_response_secrets(response: dict[str, Any]) -> dict[str, Any]:
    """``before_record_response``: drops cookies, the organization and project the API echoes back."""
    headers: dict[str, Any] = response.get("headers", {})
    for name in list(headers):
        lowered = name.lower()
        if lowered in CREDENTIAL_HEADERS or lowered.startswith("x-stainless-"):
            del headers[name]
    return response


def default_vcr_config() -> dict[str, Any]:
    """The plugin's ``vcr_config``: extend it in your own fixture (``{**default_vcr_config(), ...}``).

    Rules:

    - the headers of :data:`CREDENTIAL_HEADERS` and every ``x-stainless-*`` header are removed before a
      request or a response is written (``filter_headers`` and the ``before_record_*`` hooks);
    - requests match on method, URL and body (JSON bodies compared as JSON): a request the code now sends
      differently is a miss, not a replay of the old answer;
    - no ``record_mode``: ``--record-mode`` decides (``none`` when not given), and nothing is ever ignored,
      so no request can bypass the cassette.
    """
    return {
        "filter_headers": list(CREDENTIAL_HEADERS),
        "before_record_request": _drop_request_secrets,
        "before_record_response": _drop_response_secrets,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
        "decode_compressed_response": True,
    }


def _watch_misses(cassette: Any, leaks: list[_Leak]) -> None:
    """Record every request a write-protected ``cassette`` cannot answer, with vcrpy's own explanation."""
    errors: Any = importlib.import_module("vcr.errors")  # vcrpy ships no type information
    can_play: Callable[[Any], Any] = cassette.can_play_response_for

    def can_play_or_record_miss(request: Any) -> Any:
        playable = can_play(request)
        if not playable and cassette.write_protected and cassette.filter_request(request):
            summary = f"{request.method} {request.uri} is not in the cassette {cassette._path} (replay mode)"
            error = errors.CannotOverwriteExistingCassetteException(cassette=cassette, failed_request=request)
            leaks.append(_Leak(summary, str(error)))
        return playable

    cassette.can_play_response_for = can_play_or_record_miss


class _CassetteFixtures:
    """Fixtures registered only when pytest-recording is: after it, so that this ``vcr_config`` wins over its
    empty one (a conftest's or a test module's ``vcr_config`` still wins over this one)."""

    @pytest.fixture
    def vcr_config(self) -> dict[str, Any]:
        """:func:`default_vcr_config`."""
        return default_vcr_config()

    @pytest.fixture(autouse=True)
    def _compat_replay_guard(self, request: pytest.FixtureRequest) -> None:
        """In replay mode, every cassette miss fails the test and the network is closed."""
        if request.node.get_closest_marker("vcr") is None:
            return
        cassette = request.getfixturevalue("vcr")
        if cassette is None or not cassette.write_protected:
            return
        _watch_misses(cassette, request.node.stash.setdefault(_LEAKS, []))
        if request.config.getini("compat_offline") != "marked":
            request.getfixturevalue("compat_offline")


# -- the closed network -----------------------------------------------------------------------------------


def _host_name(host: object) -> str:
    """A host as text, lower case, without IPv6 brackets."""
    return (host.decode() if isinstance(host, (bytes, bytearray)) else str(host)).strip("[]").lower()


def _address(host: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address ``host`` is (without an IPv6 zone), or ``None`` for a name."""
    try:
        return ipaddress.ip_address(_host_name(host).split("%", 1)[0])
    except ValueError:
        return None


def _is_loopback(host: object) -> bool:
    """Whether ``host`` (a name or an address) names this machine's loopback interface."""
    name = _host_name(host)
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    address = _address(host)
    return address is not None and address.is_loopback


def _blocked(leaks: list[_Leak], what: str) -> NetworkBlockedError:
    message = f"{what}: the network is closed during this test (compat_offline); only loopback is allowed"
    leaks.append(_Leak(message))
    return NetworkBlockedError(message)


def _connect_guard(original: Callable[..., Any], leaks: list[_Leak]) -> Callable[..., Any]:
    def guarded(self: socket.socket, address: Any, *args: Any, **kwargs: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise _blocked(leaks, f"connection to {address[0]}:{address[1]}")
        return original(self, address, *args, **kwargs)

    return guarded


def _resolve_guard(original: Callable[..., Any], leaks: list[_Leak]) -> Callable[..., Any]:
    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host) and _address(host) is None:
            raise _blocked(leaks, f"DNS lookup of {host!r}")
        return original(host, *args, **kwargs)

    return guarded


@pytest.fixture
def compat_offline(request: pytest.FixtureRequest) -> Iterator[None]:
    """Close the network for this test: only loopback connections (and ``localhost`` lookups) go through.

    Anything else raises :class:`NetworkBlockedError`, and the test fails even if that error was caught.
    """
    leaks = request.node.stash.setdefault(_LEAKS, [])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _connect_guard(socket.socket.connect, leaks))
        patch.setattr(socket.socket, "connect_ex", _connect_guard(socket.socket.connect_ex, leaks))
        patch.setattr(socket, "getaddrinfo", _resolve_guard(socket.getaddrinfo, leaks))
        yield


@pytest.fixture(autouse=True)
def _compat_offline_when_asked(request: pytest.FixtureRequest) -> None:
    """Close the network for marked tests, and for every test under ``compat_offline = all``."""
    if request.node.get_closest_marker("compat_offline") or request.config.getini("compat_offline") == "all":
        request.getfixturevalue("compat_offline")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a test that tried to leave for the network, even when the code under test caught the error.

    A test already failing keeps its own error, with the attempts listed in a report section.
    """
    try:
        yield
    except BaseException:
        leaks = item.stash.get(_LEAKS, None)
        if leaks:
            item.add_report_section("call", "network", "\n".join(leak.summary for leak in leaks))
        raise
    leaks = item.stash.get(_LEAKS, None)
    if leaks:
        details = "\n".join(f"- {leak}" for leak in leaks)
        pytest.fail(f"a request tried to leave for the network:\n{details}", pytrace=False)


# -- emulator and clients ---------------------------------------------------------------------------------


def _legacy_counter_ids() -> Callable[[str], str]:
    """Deterministic legacy ids: ``asst_0001``, ``run_0002``, ... (one counter for every prefix)."""
    counter = itertools.count(1)
    return lambda prefix: f"{prefix}_{next(counter):04d}"


@pytest.fixture
def compat_emulator() -> Emulator:
    """A fresh offline Responses + Conversations emulator with deterministic ids and clock."""
    from compat.emulator import Emulator, counter_ids, fixed_clock

    return Emulator(ids=counter_ids(), clock=fixed_clock(FIXED_TIME))


def _state_db(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / f'compat-{name}.db'}"


@pytest.fixture
def compat_client(compat_emulator: Emulator, tmp_path: Path) -> Iterator[OpenAI]:
    """A ``compat.OpenAI`` on ``compat_emulator`` (in process), with its own SQLite store in ``tmp_path``."""
    import httpx2

    from compat import OpenAI
    from compat.emulator import EmulatorTransport, fixed_clock
    from compat.store import open_store

    store = open_store(_state_db(tmp_path, "sync"))
    client = OpenAI(
        api_key="test",
        base_url="http://emulator.local/v1",
        max_retries=0,
        store=store,
        http_client=httpx2.Client(transport=EmulatorTransport(compat_emulator)),
    )
    client.compat_context.ids = _legacy_counter_ids()
    client.compat_context.clock = fixed_clock(FIXED_TIME)
    try:
        yield client
    finally:
        client.close()
        store.close()


@pytest.fixture
def compat_async_client(compat_emulator: Emulator, tmp_path: Path) -> Iterator[AsyncOpenAI]:
    """A ``compat.AsyncOpenAI`` on ``compat_emulator`` (in process), with its own SQLite store in ``tmp_path``.

    A plain fixture, so it works with any async test runner (``@pytest.mark.anyio``, pytest-asyncio, ...).
    """
    import httpx2

    from compat import AsyncOpenAI
    from compat.emulator import AsyncEmulatorTransport, fixed_clock
    from compat.store import open_store

    store = open_store(_state_db(tmp_path, "async"))
    client = AsyncOpenAI(
        api_key="test",
        base_url="http://emulator.local/v1",
        max_retries=0,
        store=store,
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(compat_emulator)),
    )
    client.compat_context.ids = _legacy_counter_ids()
    client.compat_context.clock = fixed_clock(FIXED_TIME)
    try:
        yield client
    finally:
        store.close()  # the in-process transport holds no connection to close


# -- hooks ------------------------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ``compat_offline`` ini option."""
    parser.addini(
        "compat_offline",
        help=(
            "assistants-compat: which tests run with the network closed: replay (tests replaying a cassette, "
            "and marked ones; default), all, or marked"
        ),
        default="replay",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker; add the cassette fixtures when pytest-recording is installed."""
    config.addinivalue_line(
        "markers", "compat_offline: close the network for this test (loopback only; see compat.pytest_plugin)"
    )
    mode = config.getini("compat_offline")
    if mode not in _OFFLINE_MODES:
        raise pytest.UsageError(f"compat_offline must be one of {', '.join(_OFFLINE_MODES)}, not {mode!r}")
    if config.pluginmanager.hasplugin("recording"):
        config.pluginmanager.register(_CassetteFixtures(), "assistants_compat_cassettes")
