"""The list methods answer the SDK's page types and page like them, sync and async.

Every case lists three items of one kind (assistants, a thread's messages, a thread's runs, a run's
steps) on the in-process emulator; ``ids`` are in creation order, so ``desc`` is ``ids[::-1]``.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from openai._base_client import AsyncPaginator
from openai.pagination import AsyncCursorPage, SyncCursorPage

import compat
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.store.sqlite import SQLiteStore

BASE_URL = "http://emulator.local/v1"
NOW = 1_700_000_000
TOOLS: list[Any] = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _deterministic(client: compat.OpenAI | compat.AsyncOpenAI) -> None:
    counters: dict[str, itertools.count[int]] = {}
    client.compat_context.ids = lambda prefix: f"{prefix}_{next(counters.setdefault(prefix, itertools.count(1))):04d}"
    client.compat_context.clock = fixed_clock(NOW)


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock(NOW))


@pytest.fixture
def client(emulator: Emulator, tmp_path: Path) -> Iterator[compat.OpenAI]:
    http_client = httpx2.Client(transport=EmulatorTransport(emulator))
    store = SQLiteStore(str(tmp_path / "state.db"))
    with compat.OpenAI(api_key="test", base_url=BASE_URL, max_retries=0, http_client=http_client, store=store) as sdk:
        _deterministic(sdk)
        yield sdk
    store.close()


@pytest.fixture
def async_client(emulator: Emulator, tmp_path: Path) -> Iterator[compat.AsyncOpenAI]:
    """On the same emulator and database as ``client``: it lists what ``client`` created."""
    http_client = httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator))
    store = SQLiteStore(str(tmp_path / "state.db"))
    sdk = compat.AsyncOpenAI(api_key="test", base_url=BASE_URL, max_retries=0, http_client=http_client, store=store)
    _deterministic(sdk)
    yield sdk
    store.close()


@dataclass(frozen=True)
class Listed:
    """Three items of one kind and the sync and async list methods that page through them."""

    ids: list[str]
    sync_list: Callable[..., SyncCursorPage[Any]]
    async_list: Callable[..., AsyncPaginator[Any, AsyncCursorPage[Any]]]


def _assistants(client: compat.OpenAI, async_client: compat.AsyncOpenAI, emulator: Emulator) -> Listed:
    ids = [client.beta.assistants.create(model="gpt-4o", name=f"a{n}").id for n in range(3)]
    return Listed(ids, client.beta.assistants.list, async_client.beta.assistants.list)


def _messages(client: compat.OpenAI, async_client: compat.AsyncOpenAI, emulator: Emulator) -> Listed:
    thread = client.beta.threads.create()
    ids = [client.beta.threads.messages.create(thread.id, role="user", content=f"m{n}").id for n in range(3)]
    return Listed(
        ids,
        functools.partial(client.beta.threads.messages.list, thread.id),
        functools.partial(async_client.beta.threads.messages.list, thread.id),
    )


def _runs(client: compat.OpenAI, async_client: compat.AsyncOpenAI, emulator: Emulator) -> Listed:
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Count.")
    thread = client.beta.threads.create()
    emulator.queue(Turn.text("one"), Turn.text("two"), Turn.text("three"))
    runs = client.beta.threads.runs
    ids = [runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id).id for _ in range(3)]
    return Listed(
        ids,
        functools.partial(runs.list, thread.id),
        functools.partial(async_client.beta.threads.runs.list, thread.id),
    )


def _steps(client: compat.OpenAI, async_client: compat.AsyncOpenAI, emulator: Emulator) -> Listed:
    """One run of three steps: two tool-call turns, then the answer."""
    assistant = client.beta.assistants.create(model="gpt-4o", tools=TOOLS, instructions="Look it up.")
    thread = client.beta.threads.create()
    emulator.queue(Turn.function_calls(("lookup", {})), Turn.function_calls(("lookup", {})), Turn.text("done"))
    runs = client.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    while run.required_action is not None:
        calls = run.required_action.submit_tool_outputs.tool_calls
        outputs: list[Any] = [{"tool_call_id": call.id, "output": "42"} for call in calls]
        run = runs.submit_tool_outputs_and_poll(run_id=run.id, thread_id=thread.id, tool_outputs=outputs)
    assert run.status == "completed"
    steps = runs.steps.list(run.id, thread_id=thread.id, order="asc", limit=100)
    assert [step.type for step in steps.data] == ["tool_calls", "tool_calls", "message_creation"]
    return Listed(
        [step.id for step in steps.data],
        functools.partial(runs.steps.list, run.id, thread_id=thread.id),
        functools.partial(async_client.beta.threads.runs.steps.list, run.id, thread_id=thread.id),
    )


CASES = {"assistants": _assistants, "messages": _messages, "runs": _runs, "steps": _steps}


@pytest.fixture(params=list(CASES))
def listed(
    request: pytest.FixtureRequest, client: compat.OpenAI, async_client: compat.AsyncOpenAI, emulator: Emulator
) -> Listed:
    return CASES[request.param](client, async_client, emulator)


def _ids(items: Any) -> list[str]:
    return [item.id for item in items]


def _shape(page: SyncCursorPage[Any] | AsyncCursorPage[Any]) -> dict[str, Any]:
    """The page as the legacy endpoint answered it, with the items as their ids."""
    return {**page.model_dump(exclude={"data"}), "data": _ids(page.data)}


def _expected(ids: list[str], *, has_more: bool) -> dict[str, Any]:
    return {"object": "list", "data": ids, "first_id": ids[0], "last_id": ids[-1], "has_more": has_more}


# --- types ----------------------------------------------------------------------------------------


def test_sync_list_answers_a_sync_cursor_page(listed: Listed) -> None:
    page = listed.sync_list()
    assert isinstance(page, SyncCursorPage)
    assert _shape(page) == _expected(listed.ids[::-1], has_more=False)


@pytest.mark.anyio
async def test_async_list_answers_a_paginator_whose_await_is_a_cursor_page(listed: Listed) -> None:
    paginator = listed.async_list()
    assert isinstance(paginator, AsyncPaginator)
    page = await paginator
    assert isinstance(page, AsyncCursorPage)
    assert _shape(page) == _expected(listed.ids[::-1], has_more=False)


# --- walking every page ---------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sync_iteration_walks_every_page(listed: Listed, order: str) -> None:
    expected = listed.ids if order == "asc" else listed.ids[::-1]
    first = listed.sync_list(limit=1, order=order)
    assert _shape(first) == _expected(expected[:1], has_more=True)
    assert _ids(first) == expected
    assert [_ids(page.data) for page in first.iter_pages()] == [[id] for id in expected]


@pytest.mark.anyio
@pytest.mark.parametrize("order", ["asc", "desc"])
async def test_async_iteration_walks_every_page(listed: Listed, order: str) -> None:
    expected = listed.ids if order == "asc" else listed.ids[::-1]
    assert [item.id async for item in listed.async_list(limit=1, order=order)] == expected
    first = await listed.async_list(limit=1, order=order)
    assert _shape(first) == _expected(expected[:1], has_more=True)
    assert [item.id async for item in first] == expected
    assert [_ids(page.data) async for page in first.iter_pages()] == [[id] for id in expected]


def test_sync_next_pages_by_hand(listed: Listed) -> None:
    first = listed.sync_list(limit=2)
    assert first.has_next_page()
    second = first.get_next_page()
    assert _shape(second) == _expected(listed.ids[:1], has_more=False)
    assert not second.has_next_page()
    with pytest.raises(RuntimeError, match="No next page expected"):
        second.get_next_page()


@pytest.mark.anyio
async def test_async_next_pages_by_hand(listed: Listed) -> None:
    first = await listed.async_list(limit=2)
    assert first.has_next_page()
    second = await first.get_next_page()
    assert isinstance(second, AsyncCursorPage)
    assert _shape(second) == _expected(listed.ids[:1], has_more=False)
    assert not second.has_next_page()
    with pytest.raises(RuntimeError, match="No next page expected"):
        await second.get_next_page()


# --- cursors --------------------------------------------------------------------------------------


def test_cursors_and_order_are_honoured(listed: Listed) -> None:
    first, middle, last = listed.ids
    assert _ids(listed.sync_list(order="asc", after=first).data) == [middle, last]
    assert _ids(listed.sync_list(after=last).data) == [middle, first]
    assert _ids(listed.sync_list(order="asc", before=last).data) == [first, middle]
    assert _ids(listed.sync_list(before=first).data) == [last, middle]
    assert _ids(listed.sync_list(order="asc", after=first, before=last).data) == [middle]
    assert _ids(listed.sync_list(order="asc", after=last).data) == []


@pytest.mark.anyio
async def test_async_cursors_and_order_are_honoured(listed: Listed) -> None:
    first, middle, last = listed.ids
    assert _ids((await listed.async_list(order="asc", after=first)).data) == [middle, last]
    assert _ids((await listed.async_list(after=last)).data) == [middle, first]
    assert _ids((await listed.async_list(order="asc", before=last)).data) == [first, middle]
    assert _ids((await listed.async_list(order="asc", after=first, before=last)).data) == [middle]


@pytest.mark.anyio
async def test_paging_on_from_a_cursor_keeps_to_it(listed: Listed) -> None:
    """The next pages follow ``after`` from the cursor the walk started at."""
    first, middle, last = listed.ids
    assert _ids(listed.sync_list(order="asc", after=first, limit=1)) == [middle, last]
    assert [item.id async for item in listed.async_list(after=last, limit=1)] == [middle, first]


@pytest.mark.anyio
async def test_before_alone_is_the_previous_page(listed: Listed) -> None:
    """The ``limit`` items just before the cursor, in ``order``; walking on adds ``after`` and keeps ``before``."""
    first, middle, last = listed.ids
    page = listed.sync_list(order="asc", before=last, limit=1)
    assert _shape(page) == _expected([middle], has_more=True)
    assert _ids(page) == [middle]
    assert _shape(listed.sync_list(before=first, limit=1)) == _expected([middle], has_more=True)
    assert _shape(listed.sync_list(order="asc", before=middle, limit=1)) == _expected([first], has_more=False)
    assert [item.id async for item in listed.async_list(order="asc", before=last, limit=1)] == [middle]


@pytest.mark.anyio
async def test_bad_list_arguments_are_a_400_when_the_page_is_fetched(listed: Listed) -> None:
    """As with the SDK, whose async ``list`` sends nothing until the paginator is awaited or iterated."""
    with pytest.raises(openai.BadRequestError) as caught:
        listed.sync_list(limit=0)
    assert caught.value.param == "limit"
    paginator = listed.async_list(limit=0)
    with pytest.raises(openai.BadRequestError) as caught:
        await paginator
    assert caught.value.param == "limit"
    with pytest.raises(openai.BadRequestError) as caught:
        _ = [item async for item in listed.async_list(order="sideways")]
    assert caught.value.param == "order"
