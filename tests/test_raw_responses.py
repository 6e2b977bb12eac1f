"""``with_raw_response`` / ``with_streaming_response`` on every legacy method, over the emulator, sync and async.

In the spirit of the SDK's own resource tests (``test_raw_response_*``, ``test_streaming_response_*``), with
valid arguments against the emulator instead of a mock server's arbitrary ids: each legacy method is called
through both views in one world and directly in an identical one (deterministic ids and clock), and

- the wrapper is the SDK's (``LegacyAPIResponse``; ``APIResponse`` / ``AsyncAPIResponse`` in a context manager),
  read and closed or not as the SDK's, status 200;
- ``parse()`` equals what the direct call answers (an event stream: the same events);
- a call that sends requests upstream answers with the last one's ``x-request-id`` (the test transport numbers
  them) and request; one the store answers has a synthesized response whose request is the legacy one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from openai._legacy_response import LegacyAPIResponse
from openai._response import APIResponse, AsyncAPIResponse

from compat import AsyncOpenAI, OpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.store.sqlite import SQLiteStore

NOW = 1_700_000_100
WEATHER = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
}


class Numbered(httpx2.BaseTransport):
    """The emulator, with an ``x-request-id`` (``req_1``, ``req_2``...) on every response, as the API sends."""

    def __init__(self, inner: httpx2.BaseTransport, sent: list[str]) -> None:
        self.inner, self.sent = inner, sent

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        self.sent.append(f"req_{len(self.sent) + 1}")
        response.headers["x-request-id"] = self.sent[-1]
        return response


class AsyncNumbered(httpx2.AsyncBaseTransport):
    """The async twin of :class:`Numbered`."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, sent: list[str]) -> None:
        self.inner, self.sent = inner, sent

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        self.sent.append(f"req_{len(self.sent) + 1}")
        response.headers["x-request-id"] = self.sent[-1]
        return response


@dataclass
class Objects:
    """What each world holds before the call: an assistant; a thread with a user message and a completed run;
    a thread whose run waits for a tool output."""

    assistant: str
    thread: str
    message: str
    run: str
    step: str
    waiting_thread: str
    waiting_run: str
    call_id: str


class World:
    """An emulator and a store behind a sync and an async client, ids and clock deterministic."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        self.emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
        self.sent: list[str] = []
        store = SQLiteStore(str(tmp_path / f"{name}.db"))
        options: dict[str, Any] = {"api_key": "test", "base_url": "http://emulator.test/v1", "max_retries": 0}
        sync_http = httpx2.Client(transport=Numbered(EmulatorTransport(self.emulator), self.sent))
        async_http = httpx2.AsyncClient(transport=AsyncNumbered(AsyncEmulatorTransport(self.emulator), self.sent))
        self.client = OpenAI(**options, store=store, http_client=sync_http)
        self.async_client = AsyncOpenAI(**options, store=store, http_client=async_http)
        counter = itertools.count(1)
        for client in (self.client, self.async_client):
            client.compat_context.ids = lambda prefix: f"{prefix}_{next(counter):04d}"
            client.compat_context.clock = lambda: NOW
        self.objects = self._prepare()

    def _prepare(self) -> Objects:
        beta = self.client.beta
        assistant = beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[WEATHER])
        thread = beta.threads.create(messages=[{"role": "user", "content": "hi"}])
        self.emulator.queue(Turn.text("Hello."))
        run = beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=1)
        step = beta.threads.runs.steps.list(run.id, thread_id=thread.id).data[0]
        message = beta.threads.messages.list(thread.id, order="asc").data[0]
        waiting = beta.threads.create(messages=[{"role": "user", "content": "Weather?"}])
        self.emulator.queue(Turn.function_calls(("get_weather", {})))
        blocked = beta.threads.runs.create_and_poll(thread_id=waiting.id, assistant_id=assistant.id, poll_interval_ms=1)
        assert blocked.required_action is not None
        call_id = blocked.required_action.submit_tool_outputs.tool_calls[0].id
        self.emulator.queue(Turn.text("Sunny."), Turn.text("Sunny."))
        return Objects(assistant.id, thread.id, message.id, run.id, step.id, waiting.id, blocked.id, call_id)


@dataclass(frozen=True)
class Case:
    """A legacy method and valid arguments for it in a prepared world."""

    resource: str
    method: str
    arguments: Callable[[Objects], dict[str, Any]]
    stream: bool = False

    @property
    def id(self) -> str:
        return f"{self.resource}.{self.method}" + ("[stream]" if self.stream else "")


def _outputs(o: Objects) -> list[dict[str, str]]:
    return [{"tool_call_id": o.call_id, "output": "22C"}]


CASES = [
    Case("assistants", "create", lambda o: {"model": "gpt-4o", "name": "Math"}),
    Case("assistants", "retrieve", lambda o: {"assistant_id": o.assistant}),
    Case("assistants", "update", lambda o: {"assistant_id": o.assistant, "name": "Renamed"}),
    Case("assistants", "list", lambda o: {"limit": 5}),
    Case("assistants", "delete", lambda o: {"assistant_id": o.assistant}),
    Case("threads", "create", lambda o: {"messages": [{"role": "user", "content": "hello"}]}),
    Case("threads", "retrieve", lambda o: {"thread_id": o.thread}),
    Case("threads", "update", lambda o: {"thread_id": o.thread, "metadata": {"k": "v"}}),
    Case("threads", "delete", lambda o: {"thread_id": o.thread}),
    Case("threads", "create_and_run", lambda o: {"assistant_id": o.assistant}),
    Case("threads", "create_and_run", lambda o: {"assistant_id": o.assistant, "stream": True}, stream=True),
    Case("threads.messages", "create", lambda o: {"thread_id": o.thread, "role": "user", "content": "more"}),
    Case("threads.messages", "retrieve", lambda o: {"message_id": o.message, "thread_id": o.thread}),
    Case("threads.messages", "update", lambda o: {"message_id": o.message, "thread_id": o.thread, "metadata": {}}),
    Case("threads.messages", "list", lambda o: {"thread_id": o.thread}),
    Case("threads.messages", "delete", lambda o: {"message_id": o.message, "thread_id": o.thread}),
    Case("threads.runs", "create", lambda o: {"thread_id": o.thread, "assistant_id": o.assistant}),
    Case(
        "threads.runs",
        "create",
        lambda o: {"thread_id": o.thread, "assistant_id": o.assistant, "stream": True},
        stream=True,
    ),
    Case("threads.runs", "retrieve", lambda o: {"run_id": o.run, "thread_id": o.thread}),
    Case("threads.runs", "update", lambda o: {"run_id": o.run, "thread_id": o.thread, "metadata": {"k": "v"}}),
    Case("threads.runs", "list", lambda o: {"thread_id": o.thread}),
    Case("threads.runs", "cancel", lambda o: {"run_id": o.waiting_run, "thread_id": o.waiting_thread}),
    Case(
        "threads.runs",
        "submit_tool_outputs",
        lambda o: {"run_id": o.waiting_run, "thread_id": o.waiting_thread, "tool_outputs": _outputs(o)},
    ),
    Case(
        "threads.runs",
        "submit_tool_outputs",
        lambda o: {"run_id": o.waiting_run, "thread_id": o.waiting_thread, "tool_outputs": _outputs(o), "stream": True},
        stream=True,
    ),
    Case("threads.runs.steps", "retrieve", lambda o: {"step_id": o.step, "thread_id": o.thread, "run_id": o.run}),
    Case("threads.runs.steps", "list", lambda o: {"run_id": o.run, "thread_id": o.thread}),
]


def test_the_cases_cover_every_method_of_the_sdks_views() -> None:
    sdk = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1")
    views = {
        f"{resource}.{name}"
        for resource in ("assistants", "threads", "threads.messages", "threads.runs", "threads.runs.steps")
        for name, value in vars(resolve(sdk.beta.with_raw_response, resource)).items()
        if not name.startswith("_") and callable(value)
    }
    assert views == {f"{case.resource}.{case.method}" for case in CASES}


def resolve(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


async def dump(result: Any) -> Any:
    """A result as plain data: an event stream as its events (read to the end)."""
    if isinstance(result, openai.Stream):
        return [(event.event, event.data.to_dict()) for event in result]
    if isinstance(result, openai.AsyncStream):
        return [(event.event, event.data.to_dict()) async for event in result]
    return result.to_dict()


async def call_directly(world: World, case: Case, is_async: bool) -> Any:
    client = world.async_client if is_async else world.client
    method = resolve(client.beta, f"{case.resource}.{case.method}")
    result = method(**case.arguments(world.objects))
    return await dump(await result if is_async else result)


@dataclass
class Answer:
    """What a call through a view answered: the wrapper, its parsed result as data, the ids sent meanwhile."""

    response: Any
    parsed: Any
    sent: list[str]


async def call_through_raw(world: World, case: Case, is_async: bool) -> Answer:
    client = world.async_client if is_async else world.client
    method = resolve(client.beta, f"{case.resource}.with_raw_response.{case.method}")
    before = len(world.sent)
    pending = method(**case.arguments(world.objects))
    response = await pending if is_async else pending
    sent = world.sent[before:]
    assert isinstance(response, LegacyAPIResponse)
    assert response.is_closed is not case.stream
    parsed = response.parse()
    assert response.parse() is parsed
    return Answer(response, await dump(parsed), sent)


async def call_through_streaming(world: World, case: Case, is_async: bool) -> Answer:
    client = world.async_client if is_async else world.client
    method = resolve(client.beta, f"{case.resource}.with_streaming_response.{case.method}")
    before = len(world.sent)
    if is_async:
        async with method(**case.arguments(world.objects)) as response:
            sent = world.sent[before:]
            assert isinstance(response, AsyncAPIResponse)
            assert not response.is_closed
            parsed = await dump(await response.parse())
    else:
        with method(**case.arguments(world.objects)) as response:
            sent = world.sent[before:]
            assert isinstance(response, APIResponse)
            assert not response.is_closed
            parsed = await dump(response.parse())
    assert response.is_closed
    return Answer(response, parsed, sent)


@pytest.mark.anyio
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("view", ["with_raw_response", "with_streaming_response"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
async def test_every_legacy_method_answers_the_sdks_wrapper(
    case: Case, view: str, is_async: bool, tmp_path: Path
) -> None:
    expected = await call_directly(World(tmp_path, "direct"), case, is_async)
    world = World(tmp_path, "through")
    through = call_through_raw if view == "with_raw_response" else call_through_streaming
    answer = await through(world, case, is_async)
    response = answer.response

    assert answer.parsed == expected
    assert response.status_code == 200
    assert response.http_request.headers.get("X-Stainless-Lang") == "python"
    if answer.sent:
        assert response.request_id == answer.sent[-1]
        assert response.http_request.url.path.startswith(("/v1/responses", "/v1/conversations"))
    else:
        assert response.request_id is None
        assert response.headers["content-type"] == "application/json"
        assert response.http_request.url.path.startswith(("/v1/assistants", "/v1/threads"))
        assert response.http_request.headers["openai-beta"] == "assistants=v2"
    expected_type = "text/event-stream" if case.stream else "application/json"
    assert response.headers["content-type"].startswith(expected_type)
    assert all("x-stainless-raw-response" not in request.headers for request in world.emulator.requests)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path, "world")


def test_a_call_the_store_answers_gets_a_synthesized_200_and_the_legacy_request(world: World) -> None:
    before = len(world.sent)
    response = world.client.beta.assistants.with_raw_response.retrieve(world.objects.assistant)
    assert world.sent[before:] == []
    assert (response.status_code, response.request_id) == (200, None)
    assert response.http_request.method == "GET"
    assert str(response.http_request.url) == f"http://emulator.test/v1/assistants/{world.objects.assistant}"
    assert response.http_request.headers["authorization"] == "Bearer test"
    assert json.loads(response.content) == response.parse().to_dict(mode="json")
    assert response.parse(to=dict)["id"] == world.objects.assistant


def test_a_list_answers_the_legacy_list_body(world: World) -> None:
    response = world.client.with_raw_response.beta.threads.messages.list(world.objects.thread, order="asc")
    page = response.parse()
    assert response.http_response.json() == {
        "object": "list",
        "data": [message.to_dict(mode="json") for message in page.data],
        "first_id": page.data[0].id,
        "last_id": page.data[-1].id,
        "has_more": False,
    }
    assert page.data[0].id == world.objects.message


def test_the_last_upstream_response_and_the_callers_headers(world: World) -> None:
    o = world.objects
    response = world.client.beta.threads.runs.with_raw_response.create(
        thread_id=o.thread, assistant_id=o.assistant, extra_headers={"X-Trace": "t-1"}
    )
    run = response.parse()
    assert response.request_id == world.sent[-1]
    assert run._request_id == response.request_id
    assert response.headers["x-request-id"] == world.sent[-1]
    assert response.http_response.json()["id"] == run.id
    assert world.emulator.requests[-1].headers["x-trace"] == "t-1"


def test_a_streamed_run_answers_the_model_streams_response_and_legacy_sse(world: World) -> None:
    o = world.objects
    with world.client.beta.threads.runs.with_streaming_response.create(
        thread_id=o.thread, assistant_id=o.assistant, stream=True
    ) as response:
        assert response.http_request.url.path == "/v1/responses"
        assert response.request_id == world.sent[-1]
        lines = list(response.iter_lines())
    assert response.is_closed
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert events[0] == "thread.run.created"
    assert events[-2:] == ["thread.run.completed", "done"]
    assert lines[-2] == "data: [DONE]"
    run = json.loads(lines[1].removeprefix("data: "))
    assert (run["object"], run["thread_id"]) == ("thread.run", o.thread)


def test_leaving_the_block_early_closes_the_stream(world: World) -> None:
    o = world.objects
    with world.client.beta.threads.runs.with_streaming_response.create(
        thread_id=o.thread, assistant_id=o.assistant, stream=True
    ) as response:
        stream = response.parse()
        first = next(iter(stream))
        assert first.event == "thread.run.created"
    assert response.is_closed
    assert list(stream) == []
    assert world.client.beta.threads.runs.retrieve(first.data.id, thread_id=o.thread).status != "in_progress"


@pytest.mark.anyio
async def test_async_streamed_run_as_legacy_sse(world: World) -> None:
    o = world.objects
    async with world.async_client.beta.threads.with_streaming_response.create_and_run(
        assistant_id=o.assistant, thread={"messages": [{"role": "user", "content": "hi"}]}, stream=True
    ) as response:
        lines = [line async for line in response.iter_lines()]
    assert response.is_closed
    assert lines[0] == "event: thread.created"
    assert lines[-2] == "data: [DONE]"


def test_errors_raise_as_without_the_views(world: World) -> None:
    with pytest.raises(openai.NotFoundError):
        world.client.beta.assistants.with_raw_response.retrieve("asst_missing")
    with pytest.raises(ValueError, match="Expected a non-empty value for `thread_id`"):
        world.client.beta.threads.runs.with_streaming_response.list(thread_id="").__enter__()


def test_only_a_raw_call_adds_the_response_hook(tmp_path: Path) -> None:
    world = World(tmp_path, "hooks")
    hooks = world.client._client.event_hooks["response"]
    assert hooks == []
    world.client.beta.threads.retrieve(world.objects.thread)
    assert hooks == []
    world.client.beta.threads.with_raw_response.retrieve(world.objects.thread)
    world.client.with_options(timeout=5).beta.threads.with_raw_response.retrieve(world.objects.thread)
    assert len(hooks) == 1
