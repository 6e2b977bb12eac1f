"""The client fixtures of the SDK's legacy resource tests, adapted to the compat clients.

``test_sdk_resource_tests.py`` runs the installed openai SDK's own tests of ``client.beta.assistants`` and
``client.beta.threads`` (messages, runs, steps) in a pytest subprocess, with this module as their
``tests/conftest.py`` in place of the SDK's (which needs pytest-asyncio, respx and a mock server). Nothing else
of the SDK's tests is changed, except the deprecation warning they expect (see :func:`_tolerate_deprecation`).

Rules:

- ``client`` / ``async_client`` are a :class:`compat.OpenAI` / :class:`compat.AsyncOpenAI` on a fresh in-process
  emulator and a fresh in-memory store, as strict in response validation as the test's parameter asks
  (``loose`` / ``strict``; the async ``aiohttp`` variant is strict: the HTTP client the SDK would pick does
  not matter, every request goes to the emulator's transport);
- before each test the store and the emulator hold the objects the SDK's tests name, under the literal ids
  they use: the assistant ``assistant_id``, the thread ``thread_id`` with its message ``message_id``, the run
  ``run_id`` and its step ``step_id``; the files ``string`` and ``file_id`` (``tool_resources`` and
  ``attachments`` name them) and the vector store ``string``, made through the emulator's files and vector
  stores API;
- ``run_id`` is waiting for the output of the tool call ``tool_call_id`` in the tests that cancel it or submit
  tool outputs to it (the legacy API took tool outputs only from a run waiting for them, and cancelled only
  unfinished runs), and completed everywhere else;
- ids and clocks are deterministic; the network is closed (``compat_offline = all`` in the run's ini file).
"""

from __future__ import annotations

# pyright: reportDeprecated=false
# (the seeding calls the legacy methods, which the SDK marks deprecated)
import contextlib
import importlib.util
import itertools
import sys
import types
import warnings
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import httpx2
import pytest
from openai.types.beta import FunctionToolParam

import compat
from compat._context import Context
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, fixed_clock
from compat.store import Store, open_store

FIXED_TIME = 1_700_000_000
API_KEY = "My API Key"  # the SDK's tests' key
BASE_URL = "http://emulator.local/v1"
TENANT = "sdk-tests"

EMULATOR_IDS: Mapping[str, Sequence[str]] = {
    "conv_": ["thread_id"],
    "msg_": ["message_id"],
    "file-": ["string", "file_id"],
    "vs_": ["string"],
}
"""The first ids the emulator gives, by prefix: the thread, its first message, the files and vector store."""

LEGACY_IDS: Mapping[str, Sequence[str]] = {"asst": ["assistant_id"], "run": ["run_id"], "step": ["step_id"]}
"""The first ids the library gives, by prefix: the assistant, the run and its first step."""

PENDING_CALL_ID = "tool_call_id"
"""The id of the tool call ``run_id`` waits for, as the SDK's ``submit_tool_outputs`` tests answer it."""

WEATHER_TOOL: FunctionToolParam = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
}

# The SDK's tests/utils.py imports rich for a printing helper the resource tests never call; rich is no
# dependency of ours, so an empty module stands in for it when it is not installed.
if importlib.util.find_spec("rich") is None:
    sys.modules["rich"] = types.ModuleType("rich")

pytest.register_assert_rewrite("tests.utils")


# -- the deprecation warning ----------------------------------------------------------------------------

_sdk_warns = pytest.warns


@contextlib.contextmanager
def _tolerate_deprecation(expected: Any, *args: Any, **kwargs: Any) -> Generator[Any, None, None]:
    """``pytest.warns``, except that ``pytest.warns(DeprecationWarning)`` allows no warning at all.

    The SDK marks its legacy methods ``@deprecated``, and its tests expect the runtime ``DeprecationWarning``
    around every call. The compat client's methods carry the SDK methods' signatures but never call them:
    the legacy calls are carried out by the library on the Responses and Conversations APIs, which is what
    the warning asks users to move to, so none is raised. A ``DeprecationWarning`` raised anyway is ignored;
    any other warning is still an error (``filterwarnings = error``).
    """
    if expected is not DeprecationWarning:
        with _sdk_warns(expected, *args, **kwargs) as record:
            yield record
        return
    with warnings.catch_warnings(record=False):
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        yield None


pytest.warns = _tolerate_deprecation  # type: ignore[assignment]


# -- ids ------------------------------------------------------------------------------------------------


def literal_ids(literals: Mapping[str, Sequence[str]], *, separator: str) -> Callable[[str], str]:
    """An id factory answering, per prefix, the given literal ids first, then ``<prefix><separator>0001``, ..."""
    pending = {prefix: list(ids) for prefix, ids in literals.items()}
    counter = itertools.count(1)

    def next_id(prefix: str) -> str:
        waiting = pending.get(prefix)
        if waiting:
            return waiting.pop(0)
        return f"{prefix}{separator}{next(counter):04d}"

    return next_id


# -- the seeded world -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """An emulator and a store holding the objects the SDK's tests name, and the library's id factory."""

    emulator: Emulator
    store: Store
    legacy_ids: Callable[[str], str]

    def client(self, *, strict: bool) -> compat.OpenAI:
        """A sync compat client over this world."""
        client = compat.OpenAI(
            api_key=API_KEY,
            base_url=BASE_URL,
            max_retries=0,
            store=self.store,
            tenant=TENANT,
            _strict_response_validation=strict,
            http_client=httpx2.Client(transport=EmulatorTransport(self.emulator)),
        )
        self._deterministic(client.compat_context)
        return client

    def async_client(self, *, strict: bool) -> compat.AsyncOpenAI:
        """An async compat client over this world."""
        client = compat.AsyncOpenAI(
            api_key=API_KEY,
            base_url=BASE_URL,
            max_retries=0,
            store=self.store,
            tenant=TENANT,
            _strict_response_validation=strict,
            http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(self.emulator)),
        )
        self._deterministic(client.compat_context)
        return client

    def _deterministic(self, context: Context) -> None:
        context.ids = self.legacy_ids
        context.clock = fixed_clock(FIXED_TIME)


def seed_world(*, waiting_run: bool) -> World:
    """A world with the SDK tests' objects (see the module's rules); ``run_id`` waits for a tool output when
    ``waiting_run``."""
    emulator = Emulator(ids=literal_ids(EMULATOR_IDS, separator=""), clock=fixed_clock(FIXED_TIME))
    world = World(emulator, open_store("sqlite://:memory:"), literal_ids(LEGACY_IDS, separator="_"))
    with world.client(strict=True) as client:
        for name in ("string.txt", "file_id.txt"):
            client.files.create(file=(name, b"The weather in Paris is sunny."), purpose="assistants")
        client.vector_stores.create(name="string")
        client.beta.assistants.create(model="gpt-4.1", tools=[WEATHER_TOOL], instructions="Be brief.")
        client.beta.threads.create(messages=[{"role": "user", "content": "What is the weather in Paris?"}])
        turn = Turn.function_calls(("get_weather", "{}", PENDING_CALL_ID)) if waiting_run else Turn.text("Sunny.")
        emulator.queue(turn)
        client.beta.threads.runs.create_and_poll(thread_id="thread_id", assistant_id="assistant_id", poll_interval_ms=1)
    return world


def _waits_for_tool_outputs(test_name: str) -> bool:
    return "cancel" in test_name or "submit_tool_outputs" in test_name


def _strict(param: object) -> bool:
    """The SDK's fixture parameter: ``False`` / ``True``, or ``{"http_client": ..., "strict": ...}``."""
    if isinstance(param, bool):
        return param
    if isinstance(param, Mapping):
        return bool(cast("Mapping[str, object]", param).get("strict", True))
    raise TypeError(f"unexpected client fixture parameter {param!r}")


@pytest.fixture
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    """A freshly seeded world for one SDK test."""
    seeded = seed_world(waiting_run=_waits_for_tool_outputs(request.node.name))
    try:
        yield seeded
    finally:
        seeded.store.close()


@pytest.fixture
def client(request: pytest.FixtureRequest, world: World) -> Iterator[compat.OpenAI]:
    """The SDK tests' ``client``: a ``compat.OpenAI`` over the seeded world."""
    with world.client(strict=_strict(getattr(request, "param", True))) as legacy_client:
        yield legacy_client


@pytest.fixture
def async_client(request: pytest.FixtureRequest, world: World) -> compat.AsyncOpenAI:
    """The SDK tests' ``async_client``: a ``compat.AsyncOpenAI`` over the seeded world.

    A plain fixture: the in-process transport holds no connection, so nothing needs closing on a loop.
    """
    return world.async_client(strict=_strict(getattr(request, "param", True)))


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio (with ``anyio_mode = auto`` in the run's ini file)."""
    return "asyncio"
