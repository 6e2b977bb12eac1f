"""``client.beta.threads.runs`` and ``threads.create_and_run``: runs are store records over responses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from openai._models import construct_type
from openai.types.beta.threads import Run

from compat import AsyncOpenAI, OpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, Usage, counter_ids, fixed_clock
from compat.emulator._emulator import RecordedRequest
from compat.store.sqlite import SQLiteStore
from compat.translate import to_responses

from .conftest import legacy_usage, prefix_ids

NOW = 1_700_000_100
THREAD = "conv_0001"
LOOKUP = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
LOOKUP_RUN_TOOL = {
    "type": "function",
    "function": {"name": "lookup", "description": None, "parameters": {"type": "object"}, "strict": False},
}
LOOKUP_RESPONSE_TOOL = {"type": "function", "name": "lookup", "strict": False, "parameters": {"type": "object"}}
EXPIRED = "The run expired before this tool call was answered."
CANCELLED = "The run was cancelled before this tool call was answered."
HEADERS = {"X-Trace": "t-1"}
OPTIONS: dict[str, Any] = {"extra_headers": HEADERS, "extra_query": {"trace": "1"}}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> int:
        return self.now


class RecordingTransport(EmulatorTransport):
    """The emulator transport, noting each request's timeout and failing chosen requests like a dropped link."""

    def __init__(self, emulator: Emulator) -> None:
        super().__init__(emulator)
        self.timeouts: list[tuple[str, str, Any]] = []
        self.drop: Callable[[httpx2.Request], bool] = lambda _request: False

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.timeouts.append((request.method, request.url.path, request.extensions.get("timeout")))
        if self.drop(request):
            raise httpx2.ConnectError("connection reset by peer", request=request)
        return super().handle_request(request)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(str(tmp_path / "s.db")).for_tenant("tests")
    yield store
    store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def transport(emulator: Emulator) -> RecordingTransport:
    return RecordingTransport(emulator)


@pytest.fixture
def client(transport: RecordingTransport, store: SQLiteStore, clock: Clock) -> OpenAI:
    client = OpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=httpx2.Client(transport=transport),
        store=store,
        max_retries=0,
    )
    client.compat_context.ids = prefix_ids()
    client.compat_context.clock = clock
    return client


@pytest.fixture
def async_client(tmp_path: Path, emulator: Emulator, clock: Clock) -> AsyncOpenAI:
    client = AsyncOpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator)),
        store=SQLiteStore(str(tmp_path / "a.db")),
        max_retries=0,
    )
    client.compat_context.ids = prefix_ids()
    client.compat_context.clock = clock
    return client


def _run(**fields: Any) -> dict[str, Any]:
    """A legacy run dump: run_0001 of asst_0001 on the thread, as the SDK dumps it, with ``fields`` over it."""
    base: dict[str, Any] = {
        "id": "run_0001",
        "assistant_id": "asst_0001",
        "cancelled_at": None,
        "completed_at": None,
        "created_at": NOW,
        "expires_at": NOW + 600,
        "failed_at": None,
        "incomplete_details": None,
        "instructions": "Be brief.",
        "last_error": None,
        "max_completion_tokens": None,
        "max_prompt_tokens": None,
        "metadata": {},
        "model": "gpt-4o",
        "object": "thread.run",
        "parallel_tool_calls": True,
        "required_action": None,
        "response_format": "auto",
        "started_at": NOW,
        "status": "completed",
        "thread_id": THREAD,
        "tool_choice": "auto",
        "tools": [LOOKUP_RUN_TOOL],
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "usage": None,
        "temperature": 1.0,
        "top_p": 1.0,
        "tool_resources": {},
        "reasoning_effort": None,
    }
    return {**base, **fields}


def _required(*calls: tuple[str, str]) -> dict[str, Any]:
    return {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": "lookup", "arguments": arguments}}
                for call_id, arguments in calls
            ]
        },
    }


def _body(**fields: Any) -> dict[str, Any]:
    """The ``responses.create`` body of a run of the default assistant on the thread."""
    base: dict[str, Any] = {
        "model": "gpt-4o",
        "conversation": THREAD,
        "instructions": "Be brief.",
        "parallel_tool_calls": True,
        "tools": [LOOKUP_RESPONSE_TOOL],
    }
    return {**base, **fields}


def _assistant(client: OpenAI, **settings: Any) -> str:
    settings = {"model": "gpt-4o", "instructions": "Be brief.", "tools": [LOOKUP], **settings}
    return client.beta.assistants.create(**settings).id


def _thread(client: OpenAI) -> str:
    return client.beta.threads.create(messages=[{"role": "user", "content": "hello there"}]).id


def _responses_creates(emulator: Emulator) -> list[RecordedRequest]:
    return [r for r in emulator.requests if (r.method, r.path) == ("POST", "/responses")]


def _requires_action(client: OpenAI, emulator: Emulator) -> Run:
    """A run of a new assistant on a new thread, waiting for the outputs of two parallel calls."""
    assistant = _assistant(client)
    thread = _thread(client)
    emulator.queue(Turn.function_calls(("lookup", {"q": 1}, "call_a"), ("lookup", {"q": 2}, "call_b")))
    run = client.beta.threads.runs.create(thread, assistant_id=assistant)
    assert run.status == "requires_action"
    return run


def _thread_items(emulator: Emulator) -> list[tuple[str, ...]]:
    """The thread's conversation items, shortened: messages by role and text, calls and outputs by call id."""
    out: list[tuple[str, ...]] = []
    for item in emulator.conversation_items(THREAD):
        if item["type"] == "message":
            out.append(("message", item["role"], item["content"][0]["text"]))
        elif item["type"] == "function_call":
            out.append(("function_call", item["call_id"]))
        else:
            out.append((item["type"], item["call_id"], item["output"]))
    return out


# --- creating a run ------------------------------------------------------------------------------


def test_a_completed_run_and_the_request_it_sent(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    emulator.queue(Turn.text("Done.", usage=Usage(input_tokens=10, output_tokens=3)))

    run = client.beta.threads.runs.create(thread, assistant_id=assistant)

    assert run.model_dump() == _run(status="completed", completed_at=NOW, expires_at=None, usage=legacy_usage(10, 3))
    assert [r.json for r in _responses_creates(emulator)] == [_body()]
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread) == run


def test_requires_action_then_outputs_complete_the_run(client: OpenAI, emulator: Emulator) -> None:
    run = _requires_action(client, emulator)
    assert run.model_dump() == _run(
        status="requires_action",
        required_action=_required(("call_a", '{"q":1}'), ("call_b", '{"q":2}')),
        usage=None,
    )
    emulator.queue(Turn.text("Both found."))

    done = client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=THREAD, tool_outputs=[{"tool_call_id": "call_b", "output": "2"}, {"tool_call_id": "call_a"}]
    )

    assert done.model_dump() == _run(status="completed", completed_at=NOW, expires_at=None, usage=legacy_usage(57, 19))
    assert _responses_creates(emulator)[-1].json == _body(
        input=[
            {"type": "function_call_output", "call_id": "call_b", "output": "2"},
            {"type": "function_call_output", "call_id": "call_a", "output": ""},
        ]
    )


def test_run_settings_override_the_assistant_and_map_to_response_params(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client, temperature=0.2, top_p=0.5, response_format={"type": "json_object"})
    thread = _thread(client)
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    }
    emulator.queue(Turn.text("{}"))

    run = client.beta.threads.runs.create(
        thread,
        assistant_id=assistant,
        model="gpt-4.1",
        instructions="Answer in French.",
        additional_instructions="Mention the weather.",
        tools=[{"type": "function", "function": {"name": "forecast", "strict": True, "parameters": schema}}],
        tool_choice={"type": "function", "function": {"name": "forecast"}},
        parallel_tool_calls=False,
        temperature=0.7,
        top_p=0.9,
        max_completion_tokens=128,
        reasoning_effort="low",
        response_format={"type": "json_schema", "json_schema": {"name": "city", "schema": schema, "strict": True}},
        truncation_strategy={"type": "auto"},
        metadata={"purpose": "test"},
    )

    assert _responses_creates(emulator)[-1].json == {
        "model": "gpt-4.1",
        "conversation": THREAD,
        "instructions": "Answer in French.\n\nMention the weather.",
        "tools": [{"type": "function", "name": "forecast", "strict": True, "parameters": schema}],
        "parallel_tool_calls": False,
        "tool_choice": {"type": "function", "name": "forecast"},
        "temperature": 0.7,
        "top_p": 0.9,
        "max_output_tokens": 128,
        "text": {"format": {"type": "json_schema", "name": "city", "schema": schema, "strict": True}},
        "reasoning": {"effort": "low"},
        "truncation": "auto",
    }
    dumped = run.model_dump()
    assert {k: dumped[k] for k in ("model", "instructions", "tools", "tool_choice", "metadata")} == {
        "model": "gpt-4.1",
        "instructions": "Answer in French.\n\nMention the weather.",
        "tools": [
            {
                "type": "function",
                "function": {"name": "forecast", "description": None, "parameters": schema, "strict": True},
            }
        ],
        "tool_choice": {"type": "function", "function": {"name": "forecast"}},
        "metadata": {"purpose": "test"},
    }
    assert (dumped["temperature"], dumped["top_p"], dumped["max_completion_tokens"], dumped["reasoning_effort"]) == (
        0.7,
        0.9,
        128,
        "low",
    )
    assert dumped["parallel_tool_calls"] is False
    assert run.to_dict()["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "city", "schema": schema, "strict": True},
    }
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread) == run


def test_assistant_settings_are_sent_when_the_run_does_not_override_them(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(
        client, temperature=0.3, top_p=0.8, reasoning_effort="high", response_format={"type": "json_object"}
    )
    thread = _thread(client)

    client.beta.threads.runs.create(thread, assistant_id=assistant, additional_instructions="Extra.")

    assert _responses_creates(emulator)[-1].json == _body(
        instructions="Be brief.\n\nExtra.",
        temperature=0.3,
        top_p=0.8,
        text={"format": {"type": "json_object"}},
        reasoning={"effort": "high"},
    )


@pytest.mark.parametrize(
    ("tool_choice", "sent"),
    [
        ("auto", None),
        ("none", "none"),
        ("required", "required"),
        ({"type": "file_search"}, {"type": "file_search"}),
        ({"type": "code_interpreter"}, {"type": "code_interpreter"}),
    ],
)
def test_tool_choice_in_the_responses_form(client: OpenAI, emulator: Emulator, tool_choice: Any, sent: Any) -> None:
    assistant = _assistant(client)
    thread = _thread(client)

    client.beta.threads.runs.create(thread, assistant_id=assistant, tool_choice=tool_choice)

    body = _responses_creates(emulator)[-1].json
    assert body.get("tool_choice") == sent


def test_hosted_tools_get_the_resources_of_the_assistant_and_the_thread(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(
        client,
        tools=[{"type": "file_search", "file_search": {"max_num_results": 5}}, {"type": "code_interpreter"}],
        tool_resources={"file_search": {"vector_store_ids": ["vs_a"]}, "code_interpreter": {"file_ids": ["file_a"]}},
    )
    thread = client.beta.threads.create(
        tool_resources={"file_search": {"vector_store_ids": ["vs_t"]}, "code_interpreter": {"file_ids": ["file_t"]}}
    ).id
    client.beta.threads.messages.create(thread, role="user", content="hi")

    client.beta.threads.runs.create(thread, assistant_id=assistant)

    assert _responses_creates(emulator)[-1].json["tools"] == [
        {"type": "file_search", "vector_store_ids": ["vs_a", "vs_t"], "max_num_results": 5},
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["file_a", "file_t"]}},
    ]


def test_additional_messages_are_input_items_with_their_metadata_in_the_store(
    client: OpenAI, emulator: Emulator
) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    emulator.queue(Turn.text("Noted."))

    run = client.beta.threads.runs.create(
        thread,
        assistant_id=assistant,
        additional_messages=[
            {"role": "user", "content": "first", "metadata": {"n": "1"}},
            {"role": "assistant", "content": "second"},
        ],
    )

    assert _responses_creates(emulator)[-1].json == _body(
        input=[
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "first"}]},
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "second", "annotations": []}],
            },
        ]
    )
    messages = client.beta.threads.messages.list(thread, order="asc").data
    assert [(m.role, m.content[0].text.value, m.metadata, m.run_id) for m in messages] == [  # type: ignore[union-attr]
        ("user", "hello there", {}, None),
        ("user", "first", {"n": "1"}, None),
        ("assistant", "second", {}, None),
        ("assistant", "Noted.", {}, run.id),
    ]
    assert [m.created_at for m in messages[1:3]] == [run.created_at, run.created_at]


def test_request_options_go_with_every_request_of_a_run(
    client: OpenAI, emulator: Emulator, transport: RecordingTransport
) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    sent = len(emulator.requests)
    emulator.queue(Turn.function_calls(("lookup", {}, "call_a")), Turn.text("Done."))

    run = client.beta.threads.runs.create(
        thread,
        assistant_id=assistant,
        additional_messages=[{"role": "user", "content": "more", "metadata": {"k": "v"}}],
        extra_headers=HEADERS,
        extra_query={"trace": "1"},
        timeout=12.5,
    )
    client.beta.threads.runs.submit_tool_outputs(
        run.id,
        thread_id=thread,
        tool_outputs=[{"tool_call_id": "call_a", "output": "x"}],
        extra_headers=HEADERS,
        extra_query={"trace": "1"},
        timeout=12.5,
    )

    made = emulator.requests[sent:]
    assert [(r.method, r.path, r.query.get("trace"), r.headers.get("x-trace")) for r in made] == [
        ("POST", "/responses", ["1"], "t-1"),
        ("GET", "/responses/resp_0004/input_items", ["1"], "t-1"),
        ("POST", "/responses", ["1"], "t-1"),
    ]
    assert [t for _, _, t in transport.timeouts[-3:]] == [
        {"connect": 12.5, "read": 12.5, "write": 12.5, "pool": 12.5}
    ] * 3


def test_streamed_run_with_additional_messages_forwards_request_options(
    client: OpenAI, emulator: Emulator, transport: RecordingTransport
) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    sent = len(emulator.requests)
    emulator.queue(Turn.text("Streamed."))

    stream = client.beta.threads.runs.create(
        thread,
        assistant_id=assistant,
        stream=True,
        additional_messages=[{"role": "user", "content": "more", "metadata": {"k": "v"}}],
        extra_headers=HEADERS,
        extra_query={"trace": "1"},
        timeout=7.0,
    )
    events = [event.event for event in stream]

    assert events[:3] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert events[-1] == "thread.run.completed"
    made = emulator.requests[sent:]
    assert [(r.method, r.path, r.query.get("trace"), r.headers.get("x-trace")) for r in made] == [
        ("POST", "/responses", ["1"], "t-1"),
        ("GET", "/responses/resp_0004/input_items", ["1"], "t-1"),
    ]
    assert made[0].json == _body(
        input=[{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "more"}]}], stream=True
    )
    assert [t for _, _, t in transport.timeouts[-2:]] == [{"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 7.0}] * 2
    added = client.beta.threads.messages.list(thread, order="asc").data[1]
    assert (added.content[0].text.value, added.metadata) == ("more", {"k": "v"})  # type: ignore[union-attr]


def test_a_second_run_on_a_busy_thread_is_the_legacy_400(
    client: OpenAI, emulator: Emulator, store: SQLiteStore
) -> None:
    run = _requires_action(client, emulator)
    sent = len(emulator.requests)

    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.create(THREAD, assistant_id="asst_0001")

    assert caught.value.body == {
        "message": f"Thread {THREAD} already has an active run {run.id}.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert len(emulator.requests) == sent
    assert [r.id for r in store.list("run", parent_id=THREAD)] == [run.id]


def test_unknown_assistant_run_and_thread_are_legacy_404s(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)

    with pytest.raises(openai.NotFoundError, match=r"^Error code: 404 - No assistant found with id 'asst_x'\.$"):
        client.beta.threads.runs.create(thread, assistant_id="asst_x")
    with pytest.raises(openai.NotFoundError, match=r"^Error code: 404 - No thread found with id 'conv_x'\.$"):
        client.beta.threads.runs.create("conv_x", assistant_id=assistant)
    for call in (
        lambda: client.beta.threads.runs.retrieve("run_x", thread_id=thread),
        lambda: client.beta.threads.runs.update("run_x", thread_id=thread, metadata={}),
        lambda: client.beta.threads.runs.cancel("run_x", thread_id=thread),
        lambda: client.beta.threads.runs.submit_tool_outputs("run_x", thread_id=thread, tool_outputs=[]),
    ):
        with pytest.raises(openai.NotFoundError) as caught:
            call()
        assert caught.value.body == {
            "message": "No run found with id 'run_x'.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    with pytest.raises(openai.NotFoundError, match=r"^Error code: 404 - No thread found with id 'conv_x'\.$"):
        client.beta.threads.runs.list("conv_x")
    native = client.conversations.create()  # a thread the shim has not seen: an empty list
    assert client.beta.threads.runs.list(native.id).data == []


def test_a_run_of_another_thread_is_not_found(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    run = client.beta.threads.runs.create(thread, assistant_id=assistant)
    other = _thread(client)

    with pytest.raises(openai.NotFoundError, match=f"No run found with id '{run.id}'"):
        client.beta.threads.runs.retrieve(run.id, thread_id=other)


# --- failures ------------------------------------------------------------------------------------


def test_a_refused_first_turn_leaves_no_run(client: OpenAI, emulator: Emulator, store: SQLiteStore) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    emulator.queue(Turn.failure(code="invalid_value", message="Invalid value for 'model'.", http_status=400))

    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.create(thread, assistant_id=assistant)

    assert (caught.value.message, caught.value.code) == (
        "Error code: 400 - Invalid value for 'model'.",
        "invalid_value",
    )
    assert store.list("run", parent_id=thread) == []
    assert store.list("step", group_id=thread) == []
    assert client.beta.threads.runs.list(thread).data == []
    assert client.beta.threads.runs.create(thread, assistant_id=assistant).status == "completed"


def test_a_thread_that_does_not_exist_upstream_leaves_no_run(client: OpenAI, store: SQLiteStore) -> None:
    assistant = _assistant(client)

    with pytest.raises(openai.NotFoundError) as caught:
        client.beta.threads.runs.create("conv_gone", assistant_id=assistant)

    assert caught.value.body == {
        "message": "No thread found with id 'conv_gone'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert store.list("run", parent_id="conv_gone") == []


def test_a_server_error_fails_the_run_and_the_thread_stays_usable(
    client: OpenAI, emulator: Emulator, store: SQLiteStore
) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    emulator.queue(Turn.failure(message="The server had an error.", http_status=500))

    with pytest.raises(openai.InternalServerError):
        client.beta.threads.runs.create(thread, assistant_id=assistant)

    (failed,) = client.beta.threads.runs.list(thread).data
    assert failed.model_dump() == _run(
        status="failed",
        failed_at=NOW,
        expires_at=None,
        last_error={
            "code": "server_error",
            "message": "Error code: 500 - The server had an error.",
        },
    )
    assert store.list("step", group_id=thread) == []
    assert client.beta.threads.runs.create(thread, assistant_id=assistant).status == "completed"


def test_a_dropped_connection_fails_the_run(client: OpenAI, emulator: Emulator, transport: RecordingTransport) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    transport.drop = lambda request: request.url.path == "/v1/responses"

    with pytest.raises(openai.APIConnectionError):
        client.beta.threads.runs.create(thread, assistant_id=assistant)

    run = client.beta.threads.runs.list(thread).data[0]
    assert run.model_dump() == _run(
        status="failed",
        failed_at=NOW,
        expires_at=None,
        last_error={"code": "server_error", "message": "Connection error."},
    )
    transport.drop = lambda _request: False
    assert client.beta.threads.runs.create(thread, assistant_id=assistant).status == "completed"


def test_a_failed_response_is_a_failed_run(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    emulator.queue(Turn.failure(code="rate_limit_exceeded", message="Slow down."))

    run = client.beta.threads.runs.create(thread, assistant_id=assistant)

    assert run.model_dump() == _run(
        status="failed",
        failed_at=NOW,
        expires_at=None,
        last_error={"code": "rate_limit_exceeded", "message": "Slow down."},
        usage=None,
    )
    assert client.beta.threads.runs.create(thread, assistant_id=assistant).status == "completed"


def test_a_refused_continuation_keeps_the_run_waiting_for_outputs(
    client: OpenAI, emulator: Emulator, store: SQLiteStore
) -> None:
    run = _requires_action(client, emulator)
    outputs = [{"tool_call_id": "call_a", "output": "1"}, {"tool_call_id": "call_b", "output": "2"}]
    emulator.queue(Turn.failure(code="invalid_value", message="Refused.", http_status=400))

    with pytest.raises(openai.BadRequestError, match=r"^Error code: 400 - Refused\.$"):
        client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=THREAD, tool_outputs=outputs)

    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD) == run
    (step,) = client.beta.threads.runs.steps.list(run.id, thread_id=THREAD).data
    assert (step.status, step.completed_at) == ("in_progress", None)
    assert [c.function.output for c in step.step_details.tool_calls] == [None, None]  # type: ignore[union-attr]
    emulator.queue(Turn.text("Done."))
    done = client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=THREAD, tool_outputs=outputs)
    assert done.status == "completed"


def test_a_failed_continuation_leaves_the_thread_usable(client: OpenAI, emulator: Emulator) -> None:
    run = _requires_action(client, emulator)
    emulator.queue(Turn.failure(message="Boom.", http_status=500))

    with pytest.raises(openai.InternalServerError):
        client.beta.threads.runs.submit_tool_outputs(
            run.id,
            thread_id=THREAD,
            tool_outputs=[{"tool_call_id": "call_a", "output": "1"}, {"tool_call_id": "call_b", "output": "2"}],
        )

    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD).status == "failed"
    assert _thread_items(emulator)[-2:] == [
        ("function_call_output", "call_a", "1"),
        ("function_call_output", "call_b", "2"),
    ]
    assert client.beta.threads.runs.create(THREAD, assistant_id=run.assistant_id).status == "completed"


def test_a_failed_response_to_outputs_leaves_the_thread_usable(client: OpenAI, emulator: Emulator) -> None:
    run = _requires_action(client, emulator)
    emulator.queue(Turn.failure(message="Model crashed."))

    failed = client.beta.threads.runs.submit_tool_outputs(
        run.id,
        thread_id=THREAD,
        tool_outputs=[{"tool_call_id": "call_a", "output": "1"}, {"tool_call_id": "call_b", "output": "2"}],
    )

    assert (failed.status, failed.last_error) == ("failed", failed.last_error)
    assert failed.model_dump()["last_error"] == {"code": "server_error", "message": "Model crashed."}
    assert client.beta.threads.runs.create(THREAD, assistant_id=run.assistant_id).status == "completed"


def test_a_streamed_continuation_cut_off_leaves_the_thread_usable(client: OpenAI, emulator: Emulator) -> None:
    run = _requires_action(client, emulator)
    sent = len(emulator.requests)
    emulator.queue(Turn.text("Never finished.", cut_after_events=3))

    stream = client.beta.threads.runs.submit_tool_outputs(
        run.id,
        thread_id=THREAD,
        stream=True,
        tool_outputs=[{"tool_call_id": "call_a", "output": "1"}, {"tool_call_id": "call_b", "output": "2"}],
        extra_headers=HEADERS,
    )
    with pytest.raises(openai.APIConnectionError):
        for _event in stream:
            pass

    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD).status == "failed"
    assert ("function_call_output", "call_b", "2") in _thread_items(emulator)
    assert [(r.method, r.path, r.headers.get("x-trace")) for r in emulator.requests[sent:]] == [
        ("POST", "/responses", "t-1"),
        ("GET", f"/conversations/{THREAD}/items", "t-1"),
    ]  # the server kept the outputs: nothing to add
    assert client.beta.threads.runs.create(THREAD, assistant_id=run.assistant_id).status == "completed"


def test_a_refused_streamed_continuation_keeps_the_run_waiting(client: OpenAI, emulator: Emulator) -> None:
    run = _requires_action(client, emulator)
    emulator.queue(Turn.failure(code="invalid_value", message="Refused.", http_status=400))
    outputs = [{"tool_call_id": "call_a", "output": "1"}, {"tool_call_id": "call_b", "output": "2"}]

    with pytest.raises(openai.BadRequestError, match=r"^Error code: 400 - Refused\.$"):
        for _event in client.beta.threads.runs.submit_tool_outputs(
            run.id, thread_id=THREAD, stream=True, tool_outputs=outputs
        ):
            pass

    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD) == run


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        (
            [{"tool_call_id": "call_a", "output": "1"}],
            "Tool outputs must answer each pending tool call exactly once. Expected tool outputs for call_ids "
            "['call_a', 'call_b'], got ['call_a'].",
        ),
        (
            [{"tool_call_id": "call_a"}, {"tool_call_id": "call_a"}, {"tool_call_id": "call_b"}],
            "Tool outputs must answer each pending tool call exactly once. Expected tool outputs for call_ids "
            "['call_a', 'call_b'], got ['call_a', 'call_a', 'call_b'].",
        ),
    ],
)
def test_wrong_tool_outputs_send_nothing_and_change_nothing(
    client: OpenAI, emulator: Emulator, outputs: list[dict[str, str]], message: str
) -> None:
    run = _requires_action(client, emulator)
    sent = len(emulator.requests)

    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=THREAD, tool_outputs=outputs)  # type: ignore[arg-type]

    assert (caught.value.body, caught.value.param) == (
        {"message": message, "type": "invalid_request_error", "param": "tool_outputs", "code": None},
        "tool_outputs",
    )
    assert len(emulator.requests) == sent
    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD) == run


def test_outputs_for_a_finished_run_are_the_legacy_400(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    run = client.beta.threads.runs.create(thread, assistant_id=assistant)

    with pytest.raises(openai.BadRequestError, match=r'Runs in status "completed" do not accept tool outputs\.'):
        client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=thread, tool_outputs=[])


# --- expiry and cancellation ---------------------------------------------------------------------


def test_an_unanswered_run_expires_and_its_calls_are_answered(client: OpenAI, emulator: Emulator, clock: Clock) -> None:
    run = _requires_action(client, emulator)
    clock.now = NOW + 599
    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD).status == "requires_action"
    clock.now = NOW + 600
    sent = len(emulator.requests)

    expired = client.beta.threads.runs.retrieve(run.id, thread_id=THREAD)

    assert expired.model_dump() == {
        **run.model_dump(),
        "status": "expired",
        "expires_at": None,
        "required_action": None,
    }
    assert [(r.method, r.path, r.json) for r in emulator.requests[sent:]] == [
        (
            "POST",
            f"/conversations/{THREAD}/items",
            {
                "items": [
                    {"type": "function_call_output", "call_id": "call_a", "output": EXPIRED},
                    {"type": "function_call_output", "call_id": "call_b", "output": EXPIRED},
                ]
            },
        )
    ]
    (step,) = client.beta.threads.runs.steps.list(run.id, thread_id=THREAD).data
    assert (step.status, step.expired_at) == ("expired", NOW + 600)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD) == expired
    assert len(emulator.requests) == sent + 1
    with pytest.raises(openai.BadRequestError, match=r'Runs in status "expired" do not accept tool outputs\.'):
        client.beta.threads.runs.submit_tool_outputs(
            run.id, thread_id=THREAD, tool_outputs=[{"tool_call_id": "call_a"}, {"tool_call_id": "call_b"}]
        )


def test_a_new_run_expires_the_stale_one_first(client: OpenAI, emulator: Emulator, clock: Clock) -> None:
    run = _requires_action(client, emulator)
    clock.now = NOW + 601
    emulator.queue(Turn.text("Fresh."))

    fresh = client.beta.threads.runs.create(THREAD, assistant_id=run.assistant_id)

    assert fresh.status == "completed"
    assert [r.status for r in client.beta.threads.runs.list(THREAD).data] == ["completed", "expired"]
    assert _thread_items(emulator) == [
        ("message", "user", "hello there"),
        ("function_call", "call_a"),
        ("function_call", "call_b"),
        ("function_call_output", "call_a", EXPIRED),
        ("function_call_output", "call_b", EXPIRED),
        ("message", "assistant", "Fresh."),
    ]


def test_cancel_answers_the_pending_calls_and_frees_the_thread(
    client: OpenAI, emulator: Emulator, clock: Clock
) -> None:
    run = _requires_action(client, emulator)
    clock.now = NOW + 30
    sent = len(emulator.requests)

    cancelling = client.beta.threads.runs.cancel(run.id, thread_id=THREAD)

    assert cancelling.model_dump() == {**run.model_dump(), "status": "cancelling"}
    assert [r.json for r in emulator.requests[sent:]] == [
        {
            "items": [
                {"type": "function_call_output", "call_id": "call_a", "output": CANCELLED},
                {"type": "function_call_output", "call_id": "call_b", "output": CANCELLED},
            ]
        }
    ]
    cancelled = client.beta.threads.runs.retrieve(run.id, thread_id=THREAD)
    assert cancelled.model_dump() == {
        **run.model_dump(),
        "status": "cancelled",
        "cancelled_at": NOW + 30,
        "expires_at": None,
        "required_action": None,
    }
    (step,) = client.beta.threads.runs.steps.list(run.id, thread_id=THREAD).data
    assert (step.status, step.cancelled_at) == ("cancelled", NOW + 30)
    emulator.queue(Turn.text("Again."))
    assert client.beta.threads.runs.create(THREAD, assistant_id=run.assistant_id).status == "completed"


@pytest.mark.parametrize(
    ("later", "call"),
    [
        pytest.param(30, lambda c, run: c.beta.threads.runs.cancel(run.id, thread_id=THREAD, **OPTIONS), id="cancel"),
        pytest.param(
            600, lambda c, run: c.beta.threads.runs.retrieve(run.id, thread_id=THREAD, **OPTIONS), id="retrieve"
        ),
        pytest.param(
            600,
            lambda c, run: c.beta.threads.runs.poll(run.id, thread_id=THREAD, poll_interval_ms=0, **OPTIONS),
            id="poll",
        ),
        pytest.param(
            600,
            lambda c, run: c.beta.threads.messages.create(THREAD, role="user", content="again", **OPTIONS),
            id="message-after-expiry",
        ),
    ],
)
def test_answering_pending_calls_carries_the_request_options(
    client: OpenAI, emulator: Emulator, clock: Clock, later: int, call: Callable[[OpenAI, Run], object]
) -> None:
    """Cancelling a run, or finding it expired, posts outputs for its calls with the caller's options."""
    run = _requires_action(client, emulator)
    clock.now = NOW + later
    sent = len(emulator.requests)

    call(client, run)

    answer = emulator.requests[sent]
    assert (answer.method, answer.path, answer.query.get("trace"), answer.headers.get("x-trace")) == (
        "POST",
        f"/conversations/{THREAD}/items",
        ["1"],
        "t-1",
    )


def test_cancelling_a_finished_run_is_the_legacy_400(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    run = client.beta.threads.runs.create(thread, assistant_id=assistant)
    sent = len(emulator.requests)

    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.cancel(run.id, thread_id=thread)

    assert caught.value.body == {
        "message": "Cannot cancel run with status 'completed'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert len(emulator.requests) == sent
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread) == run


def test_cancelling_an_expired_run_is_refused(client: OpenAI, emulator: Emulator, clock: Clock) -> None:
    run = _requires_action(client, emulator)
    clock.now = NOW + 600

    with pytest.raises(openai.BadRequestError, match=r"Cannot cancel run with status 'expired'\."):
        client.beta.threads.runs.cancel(run.id, thread_id=THREAD)

    assert client.beta.threads.runs.retrieve(run.id, thread_id=THREAD).status == "expired"


# --- update and list -----------------------------------------------------------------------------


def test_update_replaces_the_metadata_in_the_store_only(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    run = client.beta.threads.runs.create(thread, assistant_id=assistant, metadata={"a": "1"})
    sent = len(emulator.requests)

    updated = client.beta.threads.runs.update(run.id, thread_id=thread, metadata={"b": "2"})

    assert updated.model_dump() == {**run.model_dump(), "metadata": {"b": "2"}}
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread) == updated
    assert client.beta.threads.runs.update(run.id, thread_id=thread) == updated
    assert len(emulator.requests) == sent


def test_bad_run_metadata_changes_nothing(client: OpenAI, emulator: Emulator, store: SQLiteStore) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    sent = len(emulator.requests)
    too_many = {str(n): "v" for n in range(17)}

    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.create(thread, assistant_id=assistant, metadata=too_many)

    assert caught.value.param == "metadata"
    assert len(emulator.requests) == sent
    assert store.list("run", parent_id=thread) == []
    run = client.beta.threads.runs.create(thread, assistant_id=assistant, metadata={"a": "1"})
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.update(run.id, thread_id=thread, metadata=too_many)
    assert caught.value.param == "metadata"
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread) == run


@pytest.mark.parametrize(
    ("metadata", "message", "param"),
    [
        (
            {"modified": True},
            "Invalid type for 'metadata.modified': expected a string, but got a boolean instead.",
            "metadata.modified",
        ),
        (
            {"n": 3},
            "Invalid type for 'metadata.n': expected a string, but got an integer instead.",
            "metadata.n",
        ),
        (
            {"long": "x" * 513},
            "Invalid 'metadata.long': string too long. Expected a string with maximum length 512, "
            "but got a string with length 513 instead.",
            "metadata.long",
        ),
    ],
)
def test_bad_metadata_values_are_the_legacy_400(
    client: OpenAI, emulator: Emulator, metadata: dict[str, Any], message: str, param: str
) -> None:
    """Wording as recorded from the Assistants API (``runs_modify``: a boolean metadata value)."""
    emulator.queue(Turn.text("Done."))
    run = client.beta.threads.runs.create(_thread(client), assistant_id=_assistant(client))

    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.update(run.id, thread_id=run.thread_id, metadata=metadata)

    assert (caught.value.message, caught.value.param) == (f"Error code: 400 - {message}", param)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id) == run


def test_a_run_under_way_cannot_be_updated(client: OpenAI, emulator: Emulator, store: SQLiteStore) -> None:
    """While a call drives the run's model turn, as the legacy API answered (recorded: ``runs_modify``)."""
    runs = client.beta.threads.runs
    thread = _thread(client)
    emulator.queue(Turn.text("Done."))
    stream = runs.create(thread, assistant_id=_assistant(client), stream=True)
    (record,) = store.list("run", parent_id=thread)

    def refused(status: str) -> None:
        stored = store.get("run", record.id)
        assert stored is not None
        assert stored.data["run"]["status"] == status
        with pytest.raises(openai.BadRequestError) as caught:
            runs.update(record.id, thread_id=thread, metadata={"a": "b"})
        assert caught.value.message == f"Error code: 400 - Cannot update run with status '{status}'."

    refused("queued")
    next(event for event in stream if event.event == "thread.run.in_progress")
    refused("in_progress")
    assert [event.event for event in stream][-1] == "thread.run.completed"
    assert runs.update(record.id, thread_id=thread, metadata={"a": "b"}).metadata == {"a": "b"}


def test_list_pages_the_runs_of_a_thread(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    thread = _thread(client)
    ids = [client.beta.threads.runs.create(thread, assistant_id=assistant).id for _ in range(5)]
    other = _thread(client)
    client.beta.threads.runs.create(other, assistant_id=assistant)
    runs = client.beta.threads.runs
    newest_first = ids[::-1]

    first = runs.list(thread, limit=2)
    assert ([r.id for r in first.data], first.has_more) == (newest_first[:2], True)
    assert (first.first_id, first.last_id) == (newest_first[0], newest_first[1])  # pyright: ignore[reportAttributeAccessIssue]
    assert first.data[0] == runs.retrieve(newest_first[0], thread_id=thread)
    last = runs.list(thread, limit=2, after=newest_first[3])
    assert ([r.id for r in last.data], last.has_more) == (newest_first[4:], False)
    assert [r.id for r in runs.list(thread, limit=2)] == newest_first
    ascending = runs.list(thread, order="asc", limit=3)
    assert ([r.id for r in ascending.data], ascending.has_more) == (ids[:3], True)
    before = runs.list(thread, order="asc", before=ids[3])
    assert [r.id for r in before.data] == ids[:3]
    with pytest.raises(openai.BadRequestError, match=r"Invalid cursor: no run found with id 'run_nope'\."):
        runs.list(thread, after="run_nope")
    with pytest.raises(openai.BadRequestError) as caught:
        runs.list(thread, limit=101)
    assert caught.value.param == "limit"


# --- threads.create_and_run ---------------------------------------------------------------------


def test_create_and_run_makes_the_thread_then_the_run(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    emulator.queue(Turn.text("Hello."))

    run = client.beta.threads.create_and_run(
        assistant_id=assistant,
        thread={"messages": [{"role": "user", "content": "hi", "metadata": {"m": "1"}}], "metadata": {"t": "1"}},
        metadata={"r": "1"},
        temperature=0.5,
        extra_headers=HEADERS,
    )

    assert run.model_dump() == _run(
        status="completed",
        completed_at=NOW,
        expires_at=None,
        metadata={"r": "1"},
        temperature=0.5,
        usage=legacy_usage(11, 2),
    )
    assert [(r.method, r.path, r.headers.get("x-trace")) for r in emulator.requests] == [
        ("POST", "/conversations", "t-1"),
        ("POST", f"/conversations/{THREAD}/items", "t-1"),
        ("POST", "/responses", "t-1"),
    ]
    assert emulator.requests[0].json == {"metadata": {"t": "1"}}
    assert emulator.requests[2].json == _body(temperature=0.5)
    (message, reply) = client.beta.threads.messages.list(THREAD, order="asc").data
    assert (message.metadata, reply.run_id) == ({"m": "1"}, run.id)
    assert client.beta.threads.retrieve(THREAD).metadata == {"t": "1"}


def test_create_and_run_poll_returns_the_run_it_reached(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(client)
    emulator.queue(Turn.function_calls(("lookup", {}, "call_a")))

    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant, thread={"messages": [{"role": "user", "content": "lookup"}]}
    )

    assert run.model_dump() == _run(status="requires_action", required_action=_required(("call_a", "{}")), usage=None)


def test_create_and_run_tool_resources_go_with_the_run(client: OpenAI, emulator: Emulator) -> None:
    assistant = _assistant(
        client, tools=[{"type": "file_search"}], tool_resources={"file_search": {"vector_store_ids": ["vs_a"]}}
    )

    client.beta.threads.create_and_run(
        assistant_id=assistant,
        thread={"messages": [{"role": "user", "content": "search"}]},
        tool_resources={"file_search": {"vector_store_ids": ["vs_run"]}},
    )

    assert _responses_creates(emulator)[-1].json["tools"] == [
        {"type": "file_search", "vector_store_ids": ["vs_a", "vs_run"]}
    ]


def test_create_and_run_with_bad_arguments_creates_no_thread(
    client: OpenAI, emulator: Emulator, store: SQLiteStore
) -> None:
    thread = {"messages": [{"role": "user", "content": "x"}]}
    with pytest.raises(openai.NotFoundError, match=r"No assistant found with id 'asst_x'\."):
        client.beta.threads.create_and_run(assistant_id="asst_x", thread=thread)  # type: ignore[arg-type]
    assistant = _assistant(client)
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.create_and_run(
            assistant_id=assistant,
            thread=thread,  # type: ignore[arg-type]
            metadata={str(n): "v" for n in range(17)},
        )
    assert caught.value.param == "metadata"
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.create_and_run(
            assistant_id=assistant,
            thread=thread,  # type: ignore[arg-type]
            tool_resources={"file_search": {"vector_stores": [{}]}},
        )
    assert caught.value.param == "tool_resources.file_search.vector_stores"

    assert emulator.requests == []
    assert store.list("thread") == []


# --- run_to_response_params ----------------------------------------------------------------------


def _legacy_run(**fields: Any) -> Run:
    value = _run(**fields)
    return construct_type(type_=Run, value=value)  # type: ignore[return-value]


def test_run_to_response_params_defaults_send_only_what_differs() -> None:
    run = _legacy_run(tools=[], instructions=None, truncation_strategy=None, tool_choice=None)

    params = to_responses.run_to_response_params(run=run, conversation_id=THREAD, input_items=[], tool_resources=[])

    assert params == {"model": "gpt-4o", "conversation": THREAD}


def test_run_to_response_params_maps_every_setting() -> None:
    run = _legacy_run(
        model="o3",
        instructions="Be exact.",
        tools=[LOOKUP_RUN_TOOL, {"type": "file_search"}, {"type": "code_interpreter"}],
        tool_choice="required",
        parallel_tool_calls=False,
        temperature=0.0,
        top_p=0.1,
        max_completion_tokens=64,
        response_format={"type": "text"},
    )
    items = [{"type": "function_call_output", "call_id": "call_a", "output": "x"}]

    params = to_responses.run_to_response_params(
        run=run,
        conversation_id=THREAD,
        input_items=items,
        tool_resources=[{"file_search": {"vector_store_ids": ["vs_1"]}}, None],
        reasoning_effort="medium",
    )

    assert params == {
        "model": "o3",
        "conversation": THREAD,
        "input": items,
        "instructions": "Be exact.",
        "tools": [
            LOOKUP_RESPONSE_TOOL,
            {"type": "file_search", "vector_store_ids": ["vs_1"]},
            {"type": "code_interpreter", "container": {"type": "auto", "file_ids": []}},
        ],
        "parallel_tool_calls": False,
        "tool_choice": "required",
        "temperature": 0.0,
        "top_p": 0.1,
        "max_output_tokens": 64,
        "text": {"format": {"type": "text"}},
        "reasoning": {"effort": "medium"},
        "truncation": "auto",
        "include": ["file_search_call.results", "code_interpreter_call.outputs"],
    }


def test_response_format_json_schema_is_flattened() -> None:
    assert to_responses.response_format_to_text(
        {"type": "json_schema", "json_schema": {"name": "n", "description": "d", "schema": {"type": "object"}}}
    ) == {"format": {"type": "json_schema", "name": "n", "schema": {"type": "object"}, "description": "d"}}
    assert to_responses.response_format_to_text("auto") is None
    assert to_responses.response_format_to_text({"type": "json_object"}) == {"format": {"type": "json_object"}}


# --- the async client ----------------------------------------------------------------------------


async def _async_requires_action(client: AsyncOpenAI, emulator: Emulator) -> Run:
    assistant = await client.beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[LOOKUP])  # type: ignore[list-item]
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "hello there"}])
    emulator.queue(Turn.function_calls(("lookup", {"q": 1}, "call_a"), ("lookup", {"q": 2}, "call_b")))
    return await client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)


@pytest.mark.anyio
async def test_async_run_lifecycle_matches_the_sync_one(
    client: OpenAI, async_client: AsyncOpenAI, emulator: Emulator
) -> None:
    sync_run = _requires_action(client, emulator)
    async_emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    async_client._client = httpx2.AsyncClient(transport=AsyncEmulatorTransport(async_emulator))  # pyright: ignore[reportPrivateUsage]

    run = await _async_requires_action(async_client, async_emulator)

    assert run == sync_run
    runs = async_client.beta.threads.runs
    updated = await runs.update(run.id, thread_id=THREAD, metadata={"k": "v"})
    assert updated.metadata == {"k": "v"}
    cancelling = await runs.cancel(run.id, thread_id=THREAD)
    assert cancelling.status == "cancelling"
    assert async_emulator.requests[-1].json == {
        "items": [
            {"type": "function_call_output", "call_id": "call_a", "output": CANCELLED},
            {"type": "function_call_output", "call_id": "call_b", "output": CANCELLED},
        ]
    }
    assert (await runs.retrieve(run.id, thread_id=THREAD)).status == "cancelled"
    page = await runs.list(THREAD)
    assert [r.status for r in page.data] == ["cancelled"]
    with pytest.raises(openai.BadRequestError, match=r"Cannot cancel run with status 'cancelled'\."):
        await runs.cancel(run.id, thread_id=THREAD)
    with pytest.raises(openai.NotFoundError, match=r"No run found with id 'run_x'\."):
        await runs.retrieve("run_x", thread_id=THREAD)


@pytest.mark.anyio
async def test_async_expiry_and_failures(async_client: AsyncOpenAI, emulator: Emulator, clock: Clock) -> None:
    run = await _async_requires_action(async_client, emulator)
    runs = async_client.beta.threads.runs
    clock.now = NOW + 600

    expired = await runs.retrieve(run.id, thread_id=THREAD)

    assert expired.model_dump() == {
        **run.model_dump(),
        "status": "expired",
        "expires_at": None,
        "required_action": None,
    }
    emulator.queue(Turn.failure(code="invalid_value", message="Refused.", http_status=400))
    with pytest.raises(openai.BadRequestError, match=r"^Error code: 400 - Refused\.$"):
        await runs.create(THREAD, assistant_id=run.assistant_id)
    assert [r.id for r in (await runs.list(THREAD)).data] == [run.id]
    emulator.queue(Turn.failure(http_status=503))
    with pytest.raises(openai.InternalServerError):
        await runs.create(THREAD, assistant_id=run.assistant_id)
    assert [r.status for r in (await runs.list(THREAD)).data] == ["failed", "expired"]
    emulator.queue(Turn.text("Fine."))
    assert (await runs.create(THREAD, assistant_id=run.assistant_id)).status == "completed"


@pytest.mark.anyio
async def test_async_create_and_run_with_request_options(async_client: AsyncOpenAI, emulator: Emulator) -> None:
    assistant = await async_client.beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[LOOKUP])  # type: ignore[list-item]
    emulator.queue(Turn.text("Hi."))

    run = await async_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "hi"}]},
        extra_headers=HEADERS,
    )

    assert run.model_dump() == _run(status="completed", completed_at=NOW, expires_at=None, usage=legacy_usage(11, 2))
    assert [r.headers.get("x-trace") for r in emulator.requests if r.path != "/assistants"] == ["t-1"] * 3


@pytest.mark.anyio
async def test_async_streamed_run_forwards_request_options_to_every_request(
    async_client: AsyncOpenAI, emulator: Emulator
) -> None:
    assistant = await async_client.beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[LOOKUP])  # type: ignore[list-item]
    await async_client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    sent = len(emulator.requests)
    emulator.queue(Turn.text("Streamed."))

    stream = await async_client.beta.threads.runs.create(
        THREAD,
        assistant_id=assistant.id,
        stream=True,
        additional_messages=[{"role": "user", "content": "more", "metadata": {"k": "v"}}],
        extra_headers=HEADERS,
    )
    events = [event.event async for event in stream]

    assert events[-1] == "thread.run.completed"
    assert [(r.method, r.path, r.headers.get("x-trace")) for r in emulator.requests[sent:]] == [
        ("POST", "/responses", "t-1"),
        ("GET", "/responses/resp_0004/input_items", "t-1"),
    ]
    added = (await async_client.beta.threads.messages.list(THREAD, order="asc")).data[1]
    assert added.metadata == {"k": "v"}


def test_an_incomplete_run_lists_its_message_as_incomplete(client: OpenAI, emulator: Emulator) -> None:
    """The message of a response cut by the token limit: ``incomplete`` with the legacy reason, listed alike."""
    emulator.queue(Turn.incomplete("max_output_tokens", text="It is 57°F and"))
    run = client.beta.threads.runs.create(_thread(client), assistant_id=_assistant(client), max_completion_tokens=16)

    message, _question = client.beta.threads.messages.list(run.thread_id).data

    assert (run.status, run.incomplete_details and run.incomplete_details.reason) == (
        "incomplete",
        "max_completion_tokens",
    )
    assert message.model_dump(include={"role", "status", "completed_at", "incomplete_at", "incomplete_details"}) == {
        "role": "assistant",
        "status": "incomplete",
        "completed_at": None,
        "incomplete_at": NOW,
        "incomplete_details": {"reason": "max_tokens"},
    }
    assert client.beta.threads.messages.retrieve(message.id, thread_id=run.thread_id) == message
