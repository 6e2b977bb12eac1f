"""The docs' streaming function-calling (weather) example through ``compat``, and the streaming surface."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from openai.lib.streaming import AssistantStreamManager
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.assistant_stream_event import (
    ErrorEvent,
    ThreadMessageCompleted,
    ThreadMessageCreated,
    ThreadMessageDelta,
    ThreadRunCompleted,
    ThreadRunCreated,
    ThreadRunFailed,
    ThreadRunInProgress,
    ThreadRunQueued,
    ThreadRunStepCompleted,
    ThreadRunStepCreated,
)
from openai.types.beta.threads import Message, MessageDelta, Run, Text, TextDelta
from openai.types.beta.threads.runs import RunStep, RunStepDelta, ToolCall, ToolCallDelta
from typing_extensions import override

import compat
from compat import AssistantEventHandler, AsyncAssistantEventHandler
from compat.emulator import Emulator, Turn

from .conftest import NOW, make_client, make_emulator

ANSWER = "It is 57°F in San Francisco with a 6% chance of rain."
QUESTION = "What's the weather in San Francisco today and the likelihood it'll rain?"

WEATHER_TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_temperature",
            "description": "Get the current temperature for a specific location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "The city and state, e.g., San Francisco, CA"},
                    "unit": {
                        "type": "string",
                        "enum": ["Celsius", "Fahrenheit"],
                        "description": "The temperature unit to use. Infer this from the user's location.",
                    },
                },
                "required": ["location", "unit"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_rain_probability",
            "description": "Get the probability of rain for a specific location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "The city and state, e.g., San Francisco, CA"}
                },
                "required": ["location"],
            },
        },
    },
]

OUTER_EVENTS = [
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.run.step.delta...",
    "thread.run.requires_action",
]
INNER_EVENTS = [
    "thread.run.step.completed",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.delta...",
    "thread.message.completed",
    "thread.run.step.completed",
    "thread.run.completed",
]


def queue_weather(emulator: Emulator) -> None:
    emulator.queue(
        Turn.function_calls(
            ("get_current_temperature", {"location": "San Francisco, CA", "unit": "Fahrenheit"}),
            ("get_rain_probability", {"location": "San Francisco, CA"}),
        ),
        Turn.text(ANSWER),
    )


def collapse(names: list[str]) -> list[str]:
    """Runs of one ``*.delta`` event become ``<name>...``."""
    out: list[str] = []
    for name, group in itertools.groupby(names):
        out.append(f"{name}..." if name.endswith(".delta") else name)
        if not name.endswith(".delta"):
            out.extend([name] * (len(list(group)) - 1))
    return out


def weather_outputs(run: Run) -> list[Any]:
    assert run.required_action is not None
    outputs: list[Any] = []
    for tool in run.required_action.submit_tool_outputs.tool_calls:
        if tool.function.name == "get_current_temperature":
            outputs.append({"tool_call_id": tool.id, "output": "57"})
        elif tool.function.name == "get_rain_probability":
            outputs.append({"tool_call_id": tool.id, "output": "0.06"})
    return outputs


def message_texts(messages: list[Message]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for message in messages:
        block = message.content[0]
        assert block.type == "text"
        out.append((message.role, block.text.value))
    return out


# --- whole legacy objects, as the emulator's deterministic ids, clock and usage make them -----------

WEATHER_INSTRUCTIONS = "You are a weather bot."
WEATHER_RUN_TOOLS: list[Any] = [
    {"type": "function", "function": {**tool["function"], "strict": False}} for tool in WEATHER_TOOLS
]
TEMPERATURE_ARGUMENTS = '{"location":"San Francisco, CA","unit":"Fahrenheit"}'
RAIN_ARGUMENTS = '{"location":"San Francisco, CA"}'
GREETING = "Hi there, nice to meet you."


def usage(prompt: int, completion: int) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_token_details": {"cached_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


def run_dict(instructions: str, tools: list[Any], **changes: Any) -> dict[str, Any]:
    """``run_0001`` of ``asst_0001`` on ``conv_0001``, ``in_progress``, with ``changes``."""
    return {
        "id": "run_0001",
        "object": "thread.run",
        "assistant_id": "asst_0001",
        "thread_id": "conv_0001",
        "status": "in_progress",
        "created_at": NOW,
        "started_at": NOW,
        "expires_at": NOW + 600,
        "cancelled_at": None,
        "completed_at": None,
        "failed_at": None,
        "incomplete_details": None,
        "instructions": instructions,
        "last_error": None,
        "max_completion_tokens": None,
        "max_prompt_tokens": None,
        "metadata": {},
        "model": "gpt-4o",
        "parallel_tool_calls": True,
        "reasoning_effort": None,
        "required_action": None,
        "response_format": "auto",
        "temperature": 1.0,
        "top_p": 1.0,
        "tool_choice": "auto",
        "tool_resources": {},
        "tools": tools,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "usage": None,
        **changes,
    }


def chat_run(**changes: Any) -> dict[str, Any]:
    return run_dict("Be brief.", [], **changes)


def weather_run(**changes: Any) -> dict[str, Any]:
    return run_dict(WEATHER_INSTRUCTIONS, WEATHER_RUN_TOOLS, **changes)


def step_dict(
    step_id: str, details: dict[str, Any], status: str, usage: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "id": step_id,
        "object": "thread.run.step",
        "assistant_id": "asst_0001",
        "run_id": "run_0001",
        "thread_id": "conv_0001",
        "type": details["type"],
        "status": status,
        "created_at": NOW,
        "cancelled_at": None,
        "completed_at": NOW if status == "completed" else None,
        "expired_at": None,
        "failed_at": NOW if status == "failed" else None,
        "last_error": None,
        "metadata": None,
        "step_details": details,
        "usage": usage,
    }


def message_step(step_id: str, message_id: str, status: str, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    details = {"type": "message_creation", "message_creation": {"message_id": message_id}}
    return step_dict(step_id, details, status, usage)


def assistant_message(message_id: str, text: str | None) -> dict[str, Any]:
    """The run's message: ``in_progress`` and empty without ``text``, else completed with it."""
    return {
        "id": message_id,
        "object": "thread.message",
        "assistant_id": "asst_0001",
        "run_id": "run_0001",
        "thread_id": "conv_0001",
        "role": "assistant",
        "status": "in_progress" if text is None else "completed",
        "created_at": NOW,
        "completed_at": None if text is None else NOW,
        "incomplete_at": None,
        "incomplete_details": None,
        "attachments": [],
        "metadata": {},
        "content": [] if text is None else [{"type": "text", "text": {"value": text, "annotations": []}}],
    }


def user_message(message_id: str, text: str) -> dict[str, Any]:
    return {
        **assistant_message(message_id, text),
        "role": "user",
        "assistant_id": None,
        "run_id": None,
        "completed_at": None,
    }


def dumped(events: list[AssistantStreamEvent]) -> list[tuple[str, dict[str, Any]]]:
    """``(event, data)``: snapshots whole, deltas with the fields they set (what clients merge)."""
    return [(e.event, e.data.model_dump(exclude_unset=e.event.endswith(".delta"))) for e in events]


def text_deltas(message_id: str, pieces: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The ``thread.message.delta`` events of one text part; the first also opens its annotations."""
    out: list[tuple[str, dict[str, Any]]] = []
    for position, piece in enumerate(pieces):
        text: dict[str, Any] = {"annotations": [], "value": piece} if position == 0 else {"value": piece}
        content = [{"index": 0, "type": "text", "text": text}]
        out.append(
            (
                "thread.message.delta",
                {"id": message_id, "object": "thread.message.delta", "delta": {"content": content}},
            )
        )
    return out


def call_deltas(
    step_id: str, index: int, call_id: str, name: str, pieces: list[str]
) -> list[tuple[str, dict[str, Any]]]:
    """The ``thread.run.step.delta`` events of one function call: its announcement, then its arguments."""
    announced = {
        "index": index,
        "type": "function",
        "id": call_id,
        "function": {"name": name, "arguments": "", "output": None},
    }
    calls = [announced] + [{"index": index, "type": "function", "function": {"arguments": piece}} for piece in pieces]
    return [
        (
            "thread.run.step.delta",
            {
                "id": step_id,
                "object": "thread.run.step.delta",
                "delta": {"step_details": {"type": "tool_calls", "tool_calls": [call]}},
            },
        )
        for call in calls
    ]


def delta_pieces(events: list[tuple[str, dict[str, Any]]], index: int | None = None) -> list[str]:
    """The text (``index`` None) or argument (of call ``index``) fragments the deltas carried, in order."""
    pieces: list[str] = []
    for name, data in events:
        if name == "thread.message.delta" and index is None:
            pieces += [block["text"]["value"] for block in data["delta"]["content"]]
        elif name == "thread.run.step.delta" and index is not None:
            for call in data["delta"]["step_details"]["tool_calls"]:
                if call["index"] == index and "id" not in call:
                    pieces.append(call["function"]["arguments"])
    return pieces


def chat_opening(message_id: str) -> list[tuple[str, dict[str, Any]]]:
    """A chat run's events up to its first text delta."""
    queued = chat_run(status="queued", started_at=None)
    opened = message_step("step_0001", message_id, "in_progress")
    return [
        ("thread.run.created", queued),
        ("thread.run.queued", queued),
        ("thread.run.in_progress", chat_run()),
        ("thread.run.step.created", opened),
        ("thread.run.step.in_progress", opened),
        ("thread.message.created", assistant_message(message_id, None)),
        ("thread.message.in_progress", assistant_message(message_id, None)),
    ]


# --- 1. the docs' example, sync -------------------------------------------------------------------


def test_docs_weather_example(client: compat.OpenAI, emulator: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    queue_weather(emulator)
    assistant = client.beta.assistants.create(
        instructions="You are a weather bot. Use the provided functions to answer questions.",
        model="gpt-4o",
        tools=WEATHER_TOOLS,
    )
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)

    class EventHandler(AssistantEventHandler):
        @override
        def on_event(self, event: Any) -> None:
            # Retrieve events that are denoted with 'requires_action'
            # since these will have our tool_calls
            if event.event == "thread.run.requires_action":
                run_id = event.data.id  # Retrieve the run ID from the event data
                self.handle_requires_action(event.data, run_id)

        def handle_requires_action(self, data: Any, run_id: str) -> None:
            tool_outputs: list[Any] = []

            for tool in data.required_action.submit_tool_outputs.tool_calls:
                if tool.function.name == "get_current_temperature":
                    tool_outputs.append({"tool_call_id": tool.id, "output": "57"})
                elif tool.function.name == "get_rain_probability":
                    tool_outputs.append({"tool_call_id": tool.id, "output": "0.06"})

            # Submit all tool_outputs at the same time
            self.submit_tool_outputs(tool_outputs, run_id)

        def submit_tool_outputs(self, tool_outputs: Any, run_id: str) -> None:
            # Use the submit_tool_outputs_stream helper
            assert self.current_run is not None
            with client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=self.current_run.thread_id,
                run_id=self.current_run.id,
                tool_outputs=tool_outputs,
                event_handler=EventHandler(),
            ) as stream:
                for text in stream.text_deltas:
                    print(text, end="", flush=True)
                print()

    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=EventHandler()
    ) as stream:
        stream.until_done()

    assert capsys.readouterr().out == ANSWER + "\n"
    messages = list(client.beta.threads.messages.list(thread_id=thread.id))
    assert message_texts(messages) == [("assistant", ANSWER), ("user", QUESTION)]
    runs = list(client.beta.threads.runs.list(thread_id=thread.id))
    assert [r.status for r in runs] == ["completed"]
    assert messages[0].run_id == runs[0].id
    assert messages[0].assistant_id == assistant.id


# --- 1b. every hook, in order, sync -----------------------------------------------------------------


class Recorder:
    """What a recording handler saw: ``(hook, detail)`` tuples and, per stream, the event names."""

    def __init__(self) -> None:
        self.hooks: list[tuple[str, Any]] = []
        self.streams: list[list[str]] = []
        self.arguments: dict[int, list[str]] = {0: [], 1: []}
        self.text: list[str] = []


def _detail(hook: str, arg: Any) -> Any:  # noqa: C901 - one branch per hook
    if hook == "on_event":
        return arg.event
    if hook in ("on_run_step_created", "on_run_step_done"):
        return (arg.id, arg.type, arg.status)
    if hook == "on_run_step_delta":
        return arg.step_details.type if arg.step_details is not None else None
    if hook in ("on_tool_call_created", "on_tool_call_done"):
        return (arg.function.name, arg.function.arguments, arg.function.output)
    if hook == "on_tool_call_delta":
        return arg.index
    if hook in ("on_message_created", "on_message_done"):
        return (arg.id, arg.status)
    if hook == "on_message_delta":
        return None
    if hook in ("on_text_created", "on_text_done"):
        return arg.value
    if hook == "on_text_delta":
        return "delta"
    if hook in ("on_exception", "on_end", "on_timeout"):
        return type(arg).__name__ if arg is not None else None
    raise AssertionError(hook)


def expected_hooks(n_temp: int, n_rain: int, n_text: int) -> list[tuple[str, Any]]:
    """The whole hook sequence of the weather exchange, outer and (nested) inner stream.

    ``n_*`` are the numbers of argument / text deltas after the first of each (the emulator's chunking).
    """
    temp_args = '{"location":"San Francisco, CA","unit":"Fahrenheit"}'
    rain_args = '{"location":"San Francisco, CA"}'
    step_delta = ("on_event", "thread.run.step.delta")
    tools_delta = ("on_run_step_delta", "tool_calls")
    message_delta = [("on_event", "thread.message.delta"), ("on_text_delta", "delta"), ("on_message_delta", None)]
    return [
        # the outer stream, up to requires_action
        ("on_event", "thread.run.created"),
        ("on_event", "thread.run.queued"),
        ("on_event", "thread.run.in_progress"),
        ("on_event", "thread.run.step.created"),
        ("on_run_step_created", ("step_0001", "tool_calls", "in_progress")),
        ("on_event", "thread.run.step.in_progress"),
        step_delta,
        ("on_tool_call_created", ("get_current_temperature", "", None)),
        tools_delta,
        *[step_delta, ("on_tool_call_delta", 0), tools_delta] * n_temp,
        step_delta,
        ("on_tool_call_done", ("get_current_temperature", temp_args, None)),
        ("on_tool_call_created", ("get_rain_probability", "", None)),
        tools_delta,
        *[step_delta, ("on_tool_call_delta", 1), tools_delta] * n_rain,
        ("on_event", "thread.run.requires_action"),
        # the inner stream, opened in the outer one's on_event
        ("on_event", "thread.run.step.completed"),
        ("on_run_step_done", ("step_0001", "tool_calls", "completed")),
        ("on_event", "thread.run.queued"),
        ("on_event", "thread.run.in_progress"),
        ("on_event", "thread.run.step.created"),
        ("on_run_step_created", ("step_0002", "message_creation", "in_progress")),
        ("on_event", "thread.run.step.in_progress"),
        ("on_event", "thread.message.created"),
        ("on_message_created", ("msg_0011", "in_progress")),
        ("on_event", "thread.message.in_progress"),
        ("on_event", "thread.message.delta"),
        ("on_text_created", "It"),
        ("on_text_delta", "delta"),
        ("on_message_delta", None),
        *message_delta * n_text,
        ("on_event", "thread.message.completed"),
        ("on_text_done", ANSWER),
        ("on_message_done", ("msg_0011", "completed")),
        ("on_event", "thread.run.step.completed"),
        ("on_run_step_done", ("step_0002", "message_creation", "completed")),
        ("on_event", "thread.run.completed"),
        ("on_end", None),
        # back in the outer stream: the SDK closes its last tool call at the end
        ("on_tool_call_done", ("get_rain_probability", rain_args, None)),
        ("on_end", None),
    ]


class RecordingHandler(AssistantEventHandler):
    """The docs' handler, recording every hook; submits outputs through a nested stream like the docs."""

    def __init__(self, client: compat.OpenAI, recorder: Recorder) -> None:
        super().__init__()
        self.client = client
        self.recorder = recorder
        self.events: list[str] = []
        recorder.streams.append(self.events)

    def _record(self, hook: str, arg: Any = None) -> None:
        self.recorder.hooks.append((hook, _detail(hook, arg)))
        if hook == "on_tool_call_delta":
            self.recorder.arguments[arg.index].append(arg.function.arguments or "")
        if hook == "on_text_delta":
            self.recorder.text.append(arg.value or "")

    @override
    def on_event(self, event: AssistantStreamEvent) -> None:
        self._record("on_event", event)
        self.events.append(event.event)
        if event.event == "thread.run.requires_action":
            assert self.current_run is not None
            with self.client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=self.current_run.thread_id,
                run_id=self.current_run.id,
                tool_outputs=weather_outputs(event.data),
                event_handler=RecordingHandler(self.client, self.recorder),
            ) as stream:
                for text in stream.text_deltas:
                    print(text, end="", flush=True)
                print()

    @override
    def on_run_step_created(self, run_step: RunStep) -> None:
        self._record("on_run_step_created", run_step)

    @override
    def on_run_step_delta(self, delta: RunStepDelta, snapshot: RunStep) -> None:
        self._record("on_run_step_delta", delta)

    @override
    def on_run_step_done(self, run_step: RunStep) -> None:
        self._record("on_run_step_done", run_step)

    @override
    def on_tool_call_created(self, tool_call: ToolCall) -> None:
        self._record("on_tool_call_created", tool_call)

    @override
    def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> None:
        self._record("on_tool_call_delta", delta)

    @override
    def on_tool_call_done(self, tool_call: ToolCall) -> None:
        self._record("on_tool_call_done", tool_call)

    @override
    def on_message_created(self, message: Message) -> None:
        self._record("on_message_created", message)

    @override
    def on_message_delta(self, delta: MessageDelta, snapshot: Message) -> None:
        self._record("on_message_delta", delta)

    @override
    def on_message_done(self, message: Message) -> None:
        self._record("on_message_done", message)

    @override
    def on_text_created(self, text: Text) -> None:
        self._record("on_text_created", text)

    @override
    def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        self._record("on_text_delta", delta)

    @override
    def on_text_done(self, text: Text) -> None:
        self._record("on_text_done", text)

    @override
    def on_end(self) -> None:
        self._record("on_end")

    @override
    def on_exception(self, exception: Exception) -> None:
        self._record("on_exception", exception)

    @override
    def on_timeout(self) -> None:
        self._record("on_timeout")


def setup_weather(client: compat.OpenAI, emulator: Emulator) -> tuple[str, str]:
    queue_weather(emulator)
    assistant = client.beta.assistants.create(
        model="gpt-4o", instructions="You are a weather bot.", tools=WEATHER_TOOLS
    )
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)
    return assistant.id, thread.id


def test_weather_hooks_and_events(
    client: compat.OpenAI, emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assistant_id, thread_id = setup_weather(client, emulator)
    recorder = Recorder()
    with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=RecordingHandler(client, recorder)
    ) as stream:
        stream.until_done()

    assert capsys.readouterr().out == ANSWER + "\n"
    outer, inner = recorder.streams
    assert collapse(outer) == OUTER_EVENTS
    assert collapse(inner) == INNER_EVENTS
    hooks = recorder.hooks
    n_temp = hooks.count(("on_tool_call_delta", 0))
    n_rain = hooks.count(("on_tool_call_delta", 1))
    n_text = hooks.count(("on_text_delta", "delta")) - 1
    assert n_temp > 0 and n_rain > 0 and n_text > 0
    assert hooks == expected_hooks(n_temp, n_rain, n_text)
    assert "".join(recorder.arguments[0]) == '{"location":"San Francisco, CA","unit":"Fahrenheit"}'
    assert "".join(recorder.arguments[1]) == '{"location":"San Francisco, CA"}'
    assert "".join(recorder.text) == ANSWER
    messages = list(client.beta.threads.messages.list(thread_id=thread_id))
    assert message_texts(messages) == [("assistant", ANSWER), ("user", QUESTION)]


# --- 2. the docs' example, async --------------------------------------------------------------------


@pytest.mark.anyio
async def test_docs_weather_example_async(
    async_client: compat.AsyncOpenAI, emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    client = async_client
    queue_weather(emulator)
    assistant = await client.beta.assistants.create(
        instructions="You are a weather bot. Use the provided functions to answer questions.",
        model="gpt-4o",
        tools=WEATHER_TOOLS,
    )
    thread = await client.beta.threads.create()
    await client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)
    streams: list[list[str]] = []

    class EventHandler(AsyncAssistantEventHandler):
        def __init__(self) -> None:
            super().__init__()
            self.events: list[str] = []
            streams.append(self.events)

        @override
        async def on_event(self, event: Any) -> None:
            self.events.append(event.event)
            if event.event == "thread.run.requires_action":
                run_id = event.data.id
                await self.handle_requires_action(event.data, run_id)

        async def handle_requires_action(self, data: Any, run_id: str) -> None:
            tool_outputs: list[Any] = []
            for tool in data.required_action.submit_tool_outputs.tool_calls:
                if tool.function.name == "get_current_temperature":
                    tool_outputs.append({"tool_call_id": tool.id, "output": "57"})
                elif tool.function.name == "get_rain_probability":
                    tool_outputs.append({"tool_call_id": tool.id, "output": "0.06"})
            await self.submit_tool_outputs(tool_outputs, run_id)

        async def submit_tool_outputs(self, tool_outputs: Any, run_id: str) -> None:
            assert self.current_run is not None
            async with client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=self.current_run.thread_id,
                run_id=self.current_run.id,
                tool_outputs=tool_outputs,
                event_handler=EventHandler(),
            ) as stream:
                async for text in stream.text_deltas:
                    print(text, end="", flush=True)
                print()

    async with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=EventHandler()
    ) as stream:
        await stream.until_done()

    assert capsys.readouterr().out == ANSWER + "\n"
    outer, inner = streams
    assert collapse(outer) == OUTER_EVENTS
    assert collapse(inner) == INNER_EVENTS
    messages = [m async for m in client.beta.threads.messages.list(thread_id=thread.id)]
    assert message_texts(messages) == [("assistant", ANSWER), ("user", QUESTION)]
    run = await client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=messages[0].run_id or "")
    assert run.status == "completed"


# --- 3. runs.create(stream=True) and the stream managers --------------------------------------------


def setup_chat(client: compat.OpenAI, emulator: Emulator, *turns: Turn) -> tuple[str, str]:
    emulator.queue(*turns)
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Hello?")
    return assistant.id, thread.id


def test_create_stream_yields_sdk_events(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(client, emulator, Turn.text("Hi there, nice to meet you."))
    stream = client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id, stream=True)
    assert isinstance(stream, openai.Stream)
    with stream:
        events = list(stream)
    kinds = [
        ThreadRunCreated,
        ThreadRunQueued,
        ThreadRunInProgress,
        ThreadRunStepCreated,
    ]
    for event, kind in zip(events, kinds, strict=False):
        assert isinstance(event, kind)
    assert any(isinstance(e, ThreadMessageCreated) for e in events)
    assert any(isinstance(e, ThreadMessageDelta) for e in events)
    assert isinstance(events[-3], ThreadMessageCompleted)
    assert isinstance(events[-2], ThreadRunStepCompleted)
    assert isinstance(events[-1], ThreadRunCompleted)
    assert events[-1].data.status == "completed"
    data = dumped(events)
    pieces = delta_pieces(data)
    assert "".join(pieces) == GREETING
    assert len(pieces) > 1
    answered = usage(12, 8)
    completed = chat_run(status="completed", completed_at=NOW, expires_at=None, usage=answered)
    assert data == [
        *chat_opening("msg_0004"),
        *text_deltas("msg_0004", pieces),
        ("thread.message.completed", assistant_message("msg_0004", GREETING)),
        ("thread.run.step.completed", message_step("step_0001", "msg_0004", "completed", answered)),
        ("thread.run.completed", completed),
    ]
    assert client.beta.threads.runs.retrieve(thread_id=thread_id, run_id="run_0001").model_dump() == completed


def test_create_stream_close_stops_iteration(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(client, emulator, Turn.text("Hi there, nice to meet you."))
    stream = client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id, stream=True)
    first = next(iter(stream))
    assert isinstance(first, ThreadRunCreated)
    assert first.data.model_dump() == chat_run(status="queued", started_at=None)
    stream.close()
    assert list(stream) == []


def test_create_stream_closed_early_frees_the_thread(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(client, emulator, Turn.text("Hi there, nice to meet you."))
    stream = client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id, stream=True)
    run_id = next(iter(stream)).data.id
    stream.close()
    run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=run_id)
    assert run.model_dump() == chat_run(
        status="failed",
        started_at=None,  # closed after thread.run.created: the run never started
        expires_at=None,
        failed_at=NOW,
        last_error={"code": "server_error", "message": "The stream was closed before the run finished."},
    )
    assert list(client.beta.threads.runs.steps.list(thread_id=thread_id, run_id=run_id)) == []
    later = client.beta.threads.messages.create(thread_id=thread_id, role="user", content="Still there?")
    assert [m.model_dump() for m in client.beta.threads.messages.list(thread_id=thread_id)] == [
        user_message(later.id, "Still there?"),
        user_message("msg_0002", "Hello?"),
    ]


def test_manager_created_now_entered_later(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(client, emulator, Turn.text("Hi there, nice to meet you."))
    manager = client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id)
    assert isinstance(manager, AssistantStreamManager)
    assert list(client.beta.threads.runs.list(thread_id=thread_id)) == []
    client.beta.threads.messages.create(thread_id=thread_id, role="user", content="One more thing.")
    with manager as stream:
        assert "".join(stream.text_deltas) == "Hi there, nice to meet you."
        run = stream.get_final_run()
        assert run.status == "completed"
        assert stream.current_run is not None
        assert stream.current_run.id == run.id
        messages = stream.get_final_messages()
        assert [m.content[0].text.value for m in messages if m.content[0].type == "text"] == [
            "Hi there, nice to meet you."
        ]
        # the SDK keeps each step as its ``created`` snapshot (plus deltas), as with the legacy API
        steps = stream.get_final_run_steps()
        assert [(s.type, s.status) for s in steps] == [("message_creation", "in_progress")]
    stored = client.beta.threads.runs.steps.list(thread_id=thread_id, run_id=run.id)
    assert [(s.id, s.type, s.status) for s in stored] == [(steps[0].id, "message_creation", "completed")]
    assert client.beta.threads.messages.retrieve(thread_id=thread_id, message_id=messages[0].id).model_dump() == (
        messages[0].model_dump()
    )
    assert client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=run.id).model_dump() == run.model_dump()


def test_create_and_stream(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(client, emulator, Turn.text("Hi there, nice to meet you."))
    with client.beta.threads.runs.create_and_stream(thread_id=thread_id, assistant_id=assistant_id) as stream:
        stream.until_done()
        run = stream.get_final_run()
        messages = stream.get_final_messages()
    answered = usage(12, 8)
    completed = chat_run(status="completed", completed_at=NOW, expires_at=None, usage=answered)
    assert run.model_dump() == completed
    assert [m.model_dump() for m in messages] == [assistant_message("msg_0004", GREETING)]
    assert client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=run.id).model_dump() == completed
    assert [s.model_dump() for s in client.beta.threads.runs.steps.list(thread_id=thread_id, run_id=run.id)] == [
        message_step("step_0001", "msg_0004", "completed", answered)
    ]


def test_submit_tool_outputs_stream_true(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_weather(client, emulator)
    with client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id, stream=True) as stream:
        events = list(stream)
    assert collapse([e.event for e in events]) == OUTER_EVENTS
    run = events[-1].data
    assert isinstance(run, Run)
    assert run.status == "requires_action"
    with client.beta.threads.runs.submit_tool_outputs(
        thread_id=thread_id, run_id=run.id, tool_outputs=weather_outputs(run), stream=True
    ) as stream:
        inner_events = list(stream)
    assert collapse([e.event for e in inner_events]) == INNER_EVENTS

    outer = dumped(events)
    temperature, rain = delta_pieces(outer, 0), delta_pieces(outer, 1)
    assert ("".join(temperature), "".join(rain)) == (TEMPERATURE_ARGUMENTS, RAIN_ARGUMENTS)
    queued = weather_run(status="queued", started_at=None)
    opened = step_dict("step_0001", {"type": "tool_calls", "tool_calls": []}, "in_progress")
    calls = [
        ("call_0005", "get_current_temperature", TEMPERATURE_ARGUMENTS, "57"),
        ("call_0007", "get_rain_probability", RAIN_ARGUMENTS, "0.06"),
    ]
    required = {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
                for call_id, name, arguments, _ in calls
            ]
        },
    }
    assert outer == [
        ("thread.run.created", queued),
        ("thread.run.queued", queued),
        ("thread.run.in_progress", weather_run()),
        ("thread.run.step.created", opened),
        ("thread.run.step.in_progress", opened),
        *call_deltas("step_0001", 0, "call_0005", "get_current_temperature", temperature),
        *call_deltas("step_0001", 1, "call_0007", "get_rain_probability", rain),
        ("thread.run.requires_action", weather_run(status="requires_action", required_action=required)),
    ]

    inner = dumped(inner_events)
    answer = delta_pieces(inner)
    assert "".join(answer) == ANSWER
    tool_calls = [
        {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments, "output": output}}
        for call_id, name, arguments, output in calls
    ]
    closed = step_dict("step_0001", {"type": "tool_calls", "tool_calls": tool_calls}, "completed", usage(30, 34))
    writing = message_step("step_0002", "msg_0011", "in_progress")
    completed = weather_run(status="completed", completed_at=NOW, expires_at=None, usage=usage(30 + 84, 34 + 16))
    assert inner == [
        ("thread.run.step.completed", closed),
        ("thread.run.queued", weather_run(status="queued")),
        ("thread.run.in_progress", weather_run()),
        ("thread.run.step.created", writing),
        ("thread.run.step.in_progress", writing),
        ("thread.message.created", assistant_message("msg_0011", None)),
        ("thread.message.in_progress", assistant_message("msg_0011", None)),
        *text_deltas("msg_0011", answer),
        ("thread.message.completed", assistant_message("msg_0011", ANSWER)),
        ("thread.run.step.completed", message_step("step_0002", "msg_0011", "completed", usage(84, 16))),
        ("thread.run.completed", completed),
    ]


# --- 4. streamed and polled runs end identical -----------------------------------------------------


def _drive_polled(client: compat.OpenAI, assistant_id: str, thread_id: str) -> str:
    run = client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id)
    assert run.status == "requires_action"
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread_id, run_id=run.id, tool_outputs=weather_outputs(run)
    )
    assert run.status == "completed"
    return run.id


def _drive_streamed(client: compat.OpenAI, assistant_id: str, thread_id: str) -> str:
    with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id) as stream:
        stream.until_done()
        run = stream.get_final_run()
    assert run.status == "requires_action"
    with client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread_id, run_id=run.id, tool_outputs=weather_outputs(run)
    ) as stream:
        stream.until_done()
        assert stream.get_final_run().status == "completed"
    return run.id


def _final_state(client: compat.OpenAI, thread_id: str, run_id: str) -> dict[str, Any]:
    return {
        "run": client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=run_id).model_dump(),
        "steps": [s.model_dump() for s in client.beta.threads.runs.steps.list(thread_id=thread_id, run_id=run_id)],
        "messages": [m.model_dump() for m in client.beta.threads.messages.list(thread_id=thread_id)],
    }


def test_streamed_and_polled_runs_end_identical(tmp_path: Path) -> None:
    states: list[dict[str, Any]] = []
    for name, drive in (("polled", _drive_polled), ("streamed", _drive_streamed)):
        emulator = make_emulator()
        with make_client(emulator, tmp_path / f"{name}.db") as client:
            assistant_id, thread_id = setup_weather(client, emulator)
            run_id = drive(client, assistant_id, thread_id)
            states.append(_final_state(client, thread_id, run_id))
    polled, streamed = states
    assert streamed["run"] == polled["run"]
    assert streamed["steps"] == polled["steps"]
    assert streamed["messages"] == polled["messages"]


# --- 5. a connection cut mid-stream -----------------------------------------------------------------

CUT_RUN = chat_run(
    status="failed",
    expires_at=None,
    failed_at=NOW,
    last_error={"code": "server_error", "message": "The stream was interrupted: Connection error."},
)


def test_connection_cut_fails_the_run(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(
        client, emulator, Turn.text("Hello there, how are you doing today?").cut_after(5)
    )
    seen: list[AssistantStreamEvent] = []
    stream = client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id, stream=True)
    with pytest.raises(openai.APIConnectionError) as caught, stream:
        for event in stream:
            seen.append(event)
    assert isinstance(caught.value, openai.APIError)
    assert isinstance(caught.value.request, httpx2.Request)
    assert caught.value.message == "Connection error."
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)
    # cut after 5 Responses events: created, in_progress, output_item.added, content_part.added, one delta
    assert dumped(seen) == [*chat_opening("msg_0004"), *text_deltas("msg_0004", ["Hello"])]
    runs = list(client.beta.threads.runs.list(thread_id=thread_id))
    assert len(runs) == 1
    run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=runs[0].id)
    assert run.model_dump() == CUT_RUN
    assert runs[0].model_dump() == CUT_RUN

    emulator.queue(Turn.text("Back again."))
    client.beta.threads.messages.create(thread_id=thread_id, role="user", content="Are you there?")
    again = client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id)
    assert again.status == "completed"
    latest = client.beta.threads.messages.list(thread_id=thread_id, limit=1).data[0]
    assert message_texts([latest]) == [("assistant", "Back again.")]


def test_connection_cut_through_the_event_handler(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(
        client, emulator, Turn.text("Hello there, how are you doing today?", cut_after_events=5)
    )
    recorder = Recorder()
    # the SDK's stream manager re-raises the transport error behind an APIConnectionError, as it does live
    with (
        pytest.raises(httpx2.RemoteProtocolError),
        client.beta.threads.runs.stream(
            thread_id=thread_id, assistant_id=assistant_id, event_handler=RecordingHandler(client, recorder)
        ) as stream,
    ):
        stream.until_done()
    assert recorder.hooks[-2:] == [("on_exception", "RemoteProtocolError"), ("on_end", None)]
    assert ("on_timeout", None) not in recorder.hooks
    assert [run.model_dump() for run in client.beta.threads.runs.list(thread_id=thread_id)] == [CUT_RUN]


def test_a_cut_stream_keeps_the_step_and_message_it_announced(client: compat.OpenAI, emulator: Emulator) -> None:
    """The stream announced step_0001 and msg_0004 as the run's; once the run failed they stay its own:
    the step is listed, failed (as a failed response's open step is), and the message names the run."""
    assistant_id, thread_id = setup_chat(
        client, emulator, Turn.text("Hello there, how are you doing today?").cut_after(5)
    )
    stream = client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id, stream=True)
    announced: list[tuple[str, str]] = []
    with pytest.raises(openai.APIConnectionError), stream:
        announced.extend((e.event, e.data.id) for e in stream if e.event.endswith(".created"))
    assert announced == [
        ("thread.run.created", "run_0001"),
        ("thread.run.step.created", "step_0001"),
        ("thread.message.created", "msg_0004"),
    ]

    steps = client.beta.threads.runs.steps.list(thread_id=thread_id, run_id="run_0001")
    assert [(s.id, s.type, s.status, s.failed_at) for s in steps] == [("step_0001", "message_creation", "failed", NOW)]
    messages = client.beta.threads.messages.list(thread_id=thread_id)
    assert [(m.id, m.run_id, m.assistant_id) for m in messages if m.role == "assistant"] == [
        ("msg_0004", "run_0001", "asst_0001")
    ]


# --- 6. a failed response --------------------------------------------------------------------------


def test_failure_turn_streamed_as_legacy(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant_id, thread_id = setup_chat(client, emulator, Turn.failure(code="server_error", message="boom"))
    events = list(client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id, stream=True))
    queued = chat_run(status="queued", started_at=None)
    failed_run = chat_run(
        status="failed", expires_at=None, failed_at=NOW, last_error={"code": "server_error", "message": "boom"}
    )
    error = {"code": "server_error", "message": "boom", "param": None, "type": "server_error", "misalignment": None}
    assert dumped(events) == [
        ("thread.run.created", queued),
        ("thread.run.queued", queued),
        ("thread.run.in_progress", chat_run()),
        ("thread.run.failed", failed_run),
        ("error", error),
    ]
    names = [e.event for e in events]
    failed = next(e for e in events if isinstance(e, ThreadRunFailed))
    assert failed.data.last_error is not None
    assert failed.data.last_error.model_dump() == {"code": "server_error", "message": "boom"}
    assert names[-2:] == ["thread.run.failed", "error"]
    error = events[-1]
    assert isinstance(error, ErrorEvent)
    assert (error.data.code, error.data.message) == ("server_error", "boom")
    run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=failed.data.id)
    assert run.last_error is not None
    assert run.last_error.model_dump() == {"code": "server_error", "message": "boom"}
    assert run.model_dump() == failed_run
    assert list(client.beta.threads.runs.steps.list(thread_id=thread_id, run_id=run.id)) == []
