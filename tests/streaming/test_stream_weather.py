"""The docs' streaming function-calling (weather) example through ``compat``, and the streaming surface."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Message, MessageDelta, Run, Text, TextDelta
from openai.types.beta.threads.runs import RunStep, RunStepDelta, ToolCall, ToolCallDelta
from typing_extensions import override

import compat
from compat import AssistantEventHandler
from compat.emulator import Emulator, Turn

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
