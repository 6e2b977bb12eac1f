"""Legacy Assistants scenarios against any Responses + Conversations server: the tested recipe.

Run them against llama-stack (or any other server of both APIs)::

    COMPAT_BACKEND_URL=http://127.0.0.1:8321/v1 \\
    COMPAT_BACKEND_MODEL=meta-llama/Llama-3.2-3B-Instruct \\
    pytest tests/backend            # COMPAT_BACKEND_API_KEY=... when the server wants a key

Without ``COMPAT_BACKEND_URL`` only the ``llama-like`` backend runs: the in-process emulator answering as
llama-stack does (see ``conftest.py``). The scenarios are written with the legacy model name ``gpt-4o``,
mapped to the server's model with ``model_map``; against a live model they assert no generated text.

What the library does for such servers: the model map renames models sent upstream while assistants and runs
keep the legacy name; a server that requires ``input`` on every response gets ``input: []`` once its first
refusal said so; ``truncation: "auto"`` (the legacy default) goes only to OpenAI's and Azure's APIs, to other
servers only when a run sets a ``truncation_strategy`` (``COMPAT_AUTO_TRUNCATION=1|0`` decides instead);
conversation items with ``status: null`` are completed messages; item lists that ignore ``after`` do not
loop.
"""

from __future__ import annotations

from typing import Any

import pytest
from openai import AssistantEventHandler, AsyncAssistantEventHandler
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Message, Run, Text, TextDelta
from typing_extensions import override

from compat.emulator import Turn

from .conftest import LEGACY_MODEL, Backend

WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "The city, e.g. Paris"}},
            "required": ["city"],
        },
    },
}
WEATHER_RESPONSE_TOOL = {
    "type": "function",
    "name": "get_weather",
    "strict": False,
    "description": "The current weather in a city.",
    "parameters": WEATHER_TOOL["function"]["parameters"],
}
FORCE_WEATHER: Any = {"type": "function", "function": {"name": "get_weather"}}
CANCELLED = "The run was cancelled before this tool call was answered."
INSTRUCTIONS = "You are a helpful assistant. Answer in one short sentence."


def text(message: Message) -> str:
    """The text of a message of one text part."""
    (part,) = message.content
    assert part.type == "text"
    return part.text.value


def assert_answer(backend: Backend, message: Message, scripted: str) -> None:
    """An assistant message: the scripted text on the llama-like backend, some text from a live model."""
    assert message.role == "assistant"
    assert message.status == "completed"
    if backend.scripted:
        assert text(message) == scripted
    else:
        assert text(message).strip()


def assert_sent_as_mapped(backend: Backend, bodies: list[dict[str, Any]]) -> None:
    """Every ``responses.create`` carried the backend's model name, never the legacy one."""
    assert bodies
    assert {body["model"] for body in bodies} == {backend.model}


def expected_truncation(backend: Backend) -> str | None:
    """What a run without ``truncation_strategy`` sends as ``truncation`` to this backend."""
    return "auto" if backend.client.compat_context.auto_truncation else None


class Recorder(AssistantEventHandler):
    """The handler's hooks in the order they were called: each event, each text delta, the end."""

    def __init__(self) -> None:
        super().__init__()
        self.hooks: list[str] = []

    @override
    def on_event(self, event: AssistantStreamEvent) -> None:
        self.hooks.append(event.event)

    @override
    def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        self.hooks.append(f"delta:{delta.value}")

    @override
    def on_end(self) -> None:
        self.hooks.append("end")


class AsyncRecorder(AsyncAssistantEventHandler):
    """:class:`Recorder` for the async client."""

    def __init__(self) -> None:
        super().__init__()
        self.hooks: list[str] = []

    @override
    async def on_event(self, event: AssistantStreamEvent) -> None:
        self.hooks.append(event.event)

    @override
    async def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        self.hooks.append(f"delta:{delta.value}")

    @override
    async def on_end(self) -> None:
        self.hooks.append("end")


STREAM_EVENTS_BEFORE_TEXT = [
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.message.created",
    "thread.message.in_progress",
]
STREAM_EVENTS_AFTER_TEXT = ["thread.message.completed", "thread.run.step.completed", "thread.run.completed", "end"]


def assert_stream_hooks(backend: Backend, hooks: list[str], answer: str, deltas: list[str]) -> None:
    """Run created … text deltas … run completed; on the llama-like backend, exactly the scripted deltas."""
    text_hooks = [hook for hook in hooks if hook.startswith("delta:")]
    assert "".join(hook.removeprefix("delta:") for hook in text_hooks) == answer
    if backend.scripted:
        middle = [hook for delta in deltas for hook in ("thread.message.delta", f"delta:{delta}")]
        assert hooks == [*STREAM_EVENTS_BEFORE_TEXT, *middle, *STREAM_EVENTS_AFTER_TEXT]
        return
    assert hooks[0] == "thread.run.created"
    assert hooks[-2:] == ["thread.run.completed", "end"]
    first, last = hooks.index(text_hooks[0]), hooks.index(text_hooks[-1])
    assert hooks.index("thread.message.created") < first
    assert last < hooks.index("thread.message.completed")


# --- the backend itself --------------------------------------------------------------------------


def test_the_backend_sees_its_own_model_name_and_legacy_objects_keep_gpt_4o(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Say hello."}])
    backend.queue(Turn.text("Hello!"))

    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)

    assert (assistant.model, run.model, client.beta.assistants.retrieve(assistant.id).model) == (LEGACY_MODEL,) * 3
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).model == LEGACY_MODEL
    bodies = backend.responses_sent()
    assert_sent_as_mapped(backend, bodies)
    assert bodies[-1]["model"] == backend.model
    if backend.emulator is None:
        return
    # what the server received: its own model name; the first request, without input, was refused
    received = [r.json for r in backend.received() if (r.method, r.path) == ("POST", "/responses")]
    request = {"model": "provider/model", "conversation": thread.id, "instructions": INSTRUCTIONS}
    assert received == [request, {**request, "input": []}]
    assert received == bodies


# --- polling -------------------------------------------------------------------------------------


def test_create_and_poll(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, name="Poller", instructions=INSTRUCTIONS)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Say hello."}])
    backend.queue(Turn.text("Hello!"))

    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)

    assert (run.status, run.thread_id, run.assistant_id, run.instructions) == (
        "completed",
        thread.id,
        assistant.id,
        INSTRUCTIONS,
    )
    assert (run.required_action, run.last_error, run.model) == (None, None, LEGACY_MODEL)
    assert run.truncation_strategy is not None and run.truncation_strategy.type == "auto"
    user, answer = client.beta.threads.messages.list(thread.id, order="asc").data
    assert (user.role, text(user), user.run_id) == ("user", "Say hello.", None)
    assert (answer.run_id, answer.assistant_id, answer.thread_id) == (run.id, assistant.id, thread.id)
    assert_answer(backend, answer, "Hello!")
    assert all(body.get("truncation") == expected_truncation(backend) for body in backend.responses_sent())
    if backend.scripted:
        usage = {
            "completion_tokens": 2,
            "prompt_tokens": 22,
            "total_tokens": 24,
            "prompt_token_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0},
        }
        assert run.to_dict() == {
            "id": "run_0001",
            "assistant_id": "asst_0001",
            "cancelled_at": None,
            "completed_at": 1700000000,
            "created_at": 1700000000,
            "expires_at": None,
            "failed_at": None,
            "incomplete_details": None,
            "instructions": INSTRUCTIONS,
            "last_error": None,
            "max_completion_tokens": None,
            "max_prompt_tokens": None,
            "metadata": {},
            "model": "gpt-4o",
            "object": "thread.run",
            "parallel_tool_calls": True,
            "required_action": None,
            "response_format": "auto",
            "started_at": 1700000000,
            "status": "completed",
            "thread_id": "conv_0001",
            "tool_choice": "auto",
            "tools": [],
            "truncation_strategy": {"type": "auto", "last_messages": None},
            "usage": usage,
            "temperature": 1.0,
            "top_p": 1.0,
            "tool_resources": {},
            "reasoning_effort": None,
        }


# --- streaming -----------------------------------------------------------------------------------


def test_stream_with_an_event_handler(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Greet me."}])
    backend.queue(Turn.text("Hello there, friend!"))
    handler = Recorder()

    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=handler) as s:
        s.until_done()

    run = s.get_final_run()
    assert (run.status, run.model) == ("completed", LEGACY_MODEL)
    (answer,) = client.beta.threads.messages.list(thread.id, run_id=run.id).data
    assert_answer(backend, answer, "Hello there, friend!")
    assert_stream_hooks(backend, handler.hooks, text(answer), ["Hello", " there", ",", " friend", "!"])
    (final,) = s.get_final_messages()
    assert (final.id, final.content) == (answer.id, answer.content)
    body = backend.responses_sent()[-1]
    assert (body["model"], body["stream"], body.get("truncation")) == (
        backend.model,
        True,
        expected_truncation(backend),
    )


# --- lists ---------------------------------------------------------------------------------------


def test_runs_paging_and_order(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Count to three."}])
    backend.queue(Turn.text("One."), Turn.text("Two."), Turn.text("Three."))
    runs = [client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id) for _ in range(3)]
    assert [run.status for run in runs] == ["completed"] * 3
    first, second, third = (run.id for run in runs)
    listing = client.beta.threads.runs

    newest = listing.list(thread.id, limit=2)
    assert ([run.id for run in newest.data], newest.has_more) == ([third, second], True)
    rest = listing.list(thread.id, limit=2, after=second)
    assert ([run.id for run in rest.data], rest.has_more) == ([first], False)
    oldest = listing.list(thread.id, limit=2, order="asc")
    assert ([run.id for run in oldest.data], oldest.has_more) == ([first, second], True)
    assert [run.id for run in listing.list(thread.id, limit=2, order="asc", after=second).data] == [third]
    assert [run.id for run in listing.list(thread.id, before=first).data] == [third, second]
    assert [run.id for run in listing.list(thread.id, order="asc", before=third).data] == [first, second]
    assert [run.id for run in listing.list(thread.id, limit=1)] == [third, second, first]
    assert {run.model for run in listing.list(thread.id)} == {LEGACY_MODEL}
    answers = client.beta.threads.messages.list(thread.id, order="asc").data[1:]
    assert [message.run_id for message in answers] == [first, second, third]
    for message, scripted in zip(answers, ["One.", "Two.", "Three."], strict=True):
        assert_answer(backend, message, scripted)


def test_messages_order(backend: Backend) -> None:
    client = backend.client
    contents = [f"Message {n}" for n in range(5)]
    thread = client.beta.threads.create(messages=[{"role": "user", "content": c} for c in contents])

    newest = client.beta.threads.messages.list(thread.id)
    assert ([text(m) for m in newest.data], newest.has_more) == (contents[::-1], False)
    oldest = client.beta.threads.messages.list(thread.id, order="asc")
    assert [text(m) for m in oldest.data] == contents
    assert [m.id for m in oldest.data] == [m.id for m in newest.data][::-1]
    assert {(m.status, m.role, m.thread_id) for m in oldest.data} == {("completed", "user", thread.id)}
    first_two = client.beta.threads.messages.list(thread.id, order="asc", limit=2)
    assert ([text(m) for m in first_two.data], first_two.has_more) == (contents[:2], True)
    last_two = client.beta.threads.messages.list(thread.id, limit=2)
    assert ([text(m) for m in last_two.data], last_two.has_more) == (contents[:2:-1], True)
    assert [text(client.beta.threads.messages.retrieve(m.id, thread_id=thread.id)) for m in oldest.data] == contents


# --- cancel --------------------------------------------------------------------------------------


def test_cancel_a_run_waiting_for_tool_outputs_then_run_again(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS, tools=[WEATHER_TOOL])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "What is the weather in Paris?"}])
    backend.queue(Turn.function_calls(("get_weather", {"city": "Paris"})), Turn.text("I could not check, sorry."))

    waiting = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, tool_choice=FORCE_WEATHER
    )
    assert waiting.status == "requires_action" and waiting.required_action is not None
    (call,) = waiting.required_action.submit_tool_outputs.tool_calls
    assert call.function.name == "get_weather"
    sent_before = len(backend.sent)

    cancelling = client.beta.threads.runs.cancel(waiting.id, thread_id=thread.id)
    assert cancelling.status == "cancelling" if backend.scripted else cancelling.status in ("cancelling", "cancelled")
    cancelled = client.beta.threads.runs.poll(waiting.id, thread_id=thread.id)
    assert (cancelled.status, cancelled.required_action) == ("cancelled", None)
    # the pending call is answered, so that the conversation takes new responses
    output = {"type": "function_call_output", "call_id": call.id, "output": CANCELLED}
    assert [(r.method, r.json) for r in backend.sent[sent_before:] if r.json is not None] == [
        ("POST", {"items": [output]})
    ]
    (step,) = client.beta.threads.runs.steps.list(waiting.id, thread_id=thread.id).data
    assert (step.type, step.status) == ("tool_calls", "cancelled")

    again = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, tool_choice="none")

    assert (again.status, again.last_error) == ("completed", None)
    user, answer = client.beta.threads.messages.list(thread.id, order="asc").data
    assert text(user) == "What is the weather in Paris?"
    assert answer.run_id == again.id
    assert_answer(backend, answer, "I could not check, sorry.")
    body = backend.responses_sent()[-1]
    assert (body["model"], body["tool_choice"], body["tools"]) == (backend.model, "none", [WEATHER_RESPONSE_TOOL])
    if backend.emulator is not None:
        kinds = [(item["type"], item.get("output")) for item in backend.emulator.conversation_items(thread.id)]
        assert kinds == [
            ("message", None),
            ("function_call", None),
            ("function_call_output", CANCELLED),
            ("message", None),
        ]


# --- create_and_run ------------------------------------------------------------------------------


def test_create_and_run_poll(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)
    backend.queue(Turn.text("Bonjour!"))

    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Say hello in French."}], "metadata": {"user": "u-1"}},
    )

    assert (run.status, run.model, run.assistant_id) == ("completed", LEGACY_MODEL, assistant.id)
    thread = client.beta.threads.retrieve(run.thread_id)
    assert thread.metadata == {"user": "u-1"}
    user, answer = client.beta.threads.messages.list(run.thread_id, order="asc").data
    assert (text(user), answer.run_id) == ("Say hello in French.", run.id)
    assert_answer(backend, answer, "Bonjour!")
    assert_sent_as_mapped(backend, backend.responses_sent())


def test_create_and_run_then_poll(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)
    backend.queue(Turn.text("Hi!"))

    started = client.beta.threads.create_and_run(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Say hi."}]}
    )
    assert (
        started.status == "completed" if backend.scripted else started.status in ("queued", "in_progress", "completed")
    )
    assert started.model == LEGACY_MODEL
    run = client.beta.threads.runs.poll(started.id, thread_id=started.thread_id)

    assert (run.id, run.status) == (started.id, "completed")
    (answer, user) = client.beta.threads.messages.list(run.thread_id).data
    assert (user.role, text(user)) == ("user", "Say hi.")
    assert_answer(backend, answer, "Hi!")
    assert [run.id for run in client.beta.threads.runs.list(run.thread_id)] == [run.id]


# --- a long thread -------------------------------------------------------------------------------


def test_a_thread_of_25_messages(backend: Backend) -> None:
    client = backend.client
    contents = [f"Note {n}: remember the number {n * 7}." for n in range(25)]
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)

    thread = client.beta.threads.create(messages=[{"role": "user", "content": c} for c in contents])

    # more than the Conversations API takes in one request (20 items): sent in order, in batches
    batches = [r.json["items"] for r in backend.sent if r.method == "POST" and r.path.endswith("/items")]
    assert [len(batch) for batch in batches] == [20, 5]
    assert [item["content"][0]["text"] for batch in batches for item in batch] == contents
    backend.queue(Turn.text("I remember all 25 notes."))
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"

    listed = client.beta.threads.messages.list(thread.id, limit=100)
    assert listed.has_more is False
    *users, answer = listed.data[::-1]
    assert [text(m) for m in users] == contents
    assert {(m.role, m.status) for m in users} == {("user", "completed")}
    assert answer.run_id == run.id
    assert_answer(backend, answer, "I remember all 25 notes.")
    assert [m.id for m in client.beta.threads.messages.list(thread.id, limit=100, order="asc").data] == [
        m.id for m in listed.data[::-1]
    ]


# --- function calling ----------------------------------------------------------------------------


def test_function_calling_with_submit_tool_outputs_and_poll(backend: Backend) -> None:
    client = backend.client
    assistant = client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS, tools=[WEATHER_TOOL])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "What is the weather in Paris?"}])
    backend.queue(Turn.function_calls(("get_weather", {"city": "Paris"})), Turn.text("It is 22 °C and sunny in Paris."))

    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, tool_choice=FORCE_WEATHER
    )
    assert (run.status, run.model) == ("requires_action", LEGACY_MODEL)
    assert run.required_action is not None
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    assert (call.type, call.function.name) == ("function", "get_weather")
    if backend.scripted:
        assert call.function.arguments == '{"city":"Paris"}'

    done = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": "22 °C, sunny"}]
    )

    # the outputs went upstream with the next turn, under the backend's model name
    first, after_outputs = backend.responses_sent()[-2:]
    assert (first["model"], first["tool_choice"], first["tools"]) == (
        backend.model,
        {"type": "function", "name": "get_weather"},
        [WEATHER_RESPONSE_TOOL],
    )
    assert after_outputs["model"] == backend.model
    assert after_outputs["input"] == [{"type": "function_call_output", "call_id": call.id, "output": "22 °C, sunny"}]
    if not backend.scripted and done.status == "requires_action":
        # a forced tool choice holds for every turn of the run: a live model may call it again
        assert done.required_action is not None
        assert {c.function.name for c in done.required_action.submit_tool_outputs.tool_calls} == {"get_weather"}
        return
    assert done.status == "completed"
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    assert [(step.type, step.status) for step in steps] == [
        ("tool_calls", "completed"),
        ("message_creation", "completed"),
    ]
    tool_calls = steps[0].step_details
    assert tool_calls.type == "tool_calls"
    (detail,) = tool_calls.tool_calls
    assert detail.type == "function"
    assert (detail.id, detail.function.name, detail.function.output) == (call.id, "get_weather", "22 °C, sunny")
    answer = client.beta.threads.messages.list(thread.id).data[0]
    assert answer.run_id == run.id
    assert_answer(backend, answer, "It is 22 °C and sunny in Paris.")


# --- async ---------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_create_and_poll(backend: Backend) -> None:
    async with backend.async_client() as client:
        assistant = await client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)
        thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Say hello."}])
        backend.queue(Turn.text("Hello, async!"))

        run = await client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)

        assert (run.status, run.model, assistant.model) == ("completed", LEGACY_MODEL, LEGACY_MODEL)
        answer, user = (await client.beta.threads.messages.list(thread.id)).data
        assert (text(user), answer.run_id) == ("Say hello.", run.id)
        assert_answer(backend, answer, "Hello, async!")
    assert_sent_as_mapped(backend, backend.responses_sent())


@pytest.mark.anyio
async def test_async_stream_with_an_event_handler(backend: Backend) -> None:
    async with backend.async_client() as client:
        assistant = await client.beta.assistants.create(model=LEGACY_MODEL, instructions=INSTRUCTIONS)
        thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Greet me."}])
        backend.queue(Turn.text("Hello there, friend!"))
        handler = AsyncRecorder()

        async with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
        ) as stream:
            await stream.until_done()

        run: Run = await stream.get_final_run()
        assert (run.status, run.model) == ("completed", LEGACY_MODEL)
        (answer,) = (await client.beta.threads.messages.list(thread.id, run_id=run.id)).data
        assert_answer(backend, answer, "Hello there, friend!")
    assert_stream_hooks(backend, handler.hooks, text(answer), ["Hello", " there", ",", " friend", "!"])
    body = backend.responses_sent()[-1]
    assert (body["model"], body["stream"]) == (backend.model, True)
