"""The docs' streaming function-calling (weather) example through ``compat``, and the streaming surface."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from openai.types.beta.threads import Message, Run
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
