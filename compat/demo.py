# pyright: reportDeprecated=false
# (the demo is legacy Assistants code on purpose: the SDK marks those methods deprecated, and our types carry that)
"""The weather example of the Assistants function-calling guide, run through ``compat.OpenAI``.

Both forms of the guide: polling (``create_and_poll`` / ``submit_tool_outputs_and_poll``) and streaming (an
``AssistantEventHandler`` that answers ``thread.run.requires_action`` with ``submit_tool_outputs_stream``).
Offline by default: the client talks to an in-process :class:`compat.emulator.Emulator` (scripted to call
both functions, then to answer from their outputs, once per example) and keeps its state in a temporary
SQLite store. With ``live=True`` it talks to OpenAI with ``OPENAI_API_KEY`` and the default store.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
from openai import AssistantEventHandler
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Run
from openai.types.beta.threads.required_action_function_tool_call import RequiredActionFunctionToolCall
from typing_extensions import override

from ._client import OpenAI
from .emulator import Emulator, EmulatorTransport, Turn

__all__ = ["TOOLS", "run_streaming_weather", "run_weather", "weather_client"]

INSTRUCTIONS = "You are a weather bot. Use the provided functions to answer questions."
USER_MESSAGE = "What's the weather in San Francisco today and the likelihood it'll rain?"
MODEL = "gpt-4o"

TOOLS: list[Any] = [
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


OFFLINE_ANSWER = "It is 57°F in San Francisco today, with a 6% chance of rain."


def offline_turns() -> list[Turn]:
    """What the emulated model answers, for each example: both function calls, then a reply from their outputs."""
    calls = Turn.function_calls(
        ("get_current_temperature", {"location": "San Francisco, CA", "unit": "Fahrenheit"}),
        ("get_rain_probability", {"location": "San Francisco, CA"}),
    )
    return [calls, Turn.text(OFFLINE_ANSWER)] * 2


@contextmanager
def weather_client(*, live: bool = False) -> Generator[OpenAI, None, None]:
    """A ``compat.OpenAI`` for the demo: live against OpenAI, or offline on an emulator and a temporary store."""
    if live:
        client = OpenAI()
        try:
            yield client
        finally:
            client.close()
        return
    emulator = Emulator()
    emulator.queue(*offline_turns())
    with tempfile.TemporaryDirectory(prefix="assistants-compat-demo-") as directory:
        client = OpenAI(
            api_key="offline",
            base_url="http://emulator.local/v1",
            http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
            store=f"sqlite:///{Path(directory) / 'state.db'}",
        )
        try:
            yield client
        finally:
            client.close()


def run_weather(client: OpenAI, echo: Callable[..., None] = print) -> list[Any]:
    """The guide's polling example verbatim (but for the client), printing as it goes; returns the messages."""
    assistant = client.beta.assistants.create(
        instructions=INSTRUCTIONS,
        model=MODEL,
        tools=TOOLS,
    )
    thread = client.beta.threads.create()
    message = client.beta.threads.messages.create(
        thread_id=thread.id,
        role="user",
        content=USER_MESSAGE,
    )
    echo(f"user: {message.content[0].text.value if message.content[0].type == 'text' else message.content[0]}")

    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
    )
    echo(f"run {run.id}: {run.status}")

    if run.status == "completed":
        messages = client.beta.threads.messages.list(thread_id=thread.id)
        return _print_messages(list(messages), echo)
    if run.status != "requires_action" or run.required_action is None:
        echo(f"run ended {run.status}")
        return []

    tool_outputs = _tool_outputs(run.required_action.submit_tool_outputs.tool_calls, echo)
    if tool_outputs:
        run = client.beta.threads.runs.submit_tool_outputs_and_poll(
            thread_id=thread.id,
            run_id=run.id,
            tool_outputs=tool_outputs,
        )
        echo("Tool outputs submitted successfully.")
    else:
        echo("No tool outputs to submit.")

    echo(f"run {run.id}: {run.status}")
    if run.status != "completed":
        return []
    messages = client.beta.threads.messages.list(thread_id=thread.id)
    return _print_messages(list(messages), echo)


def _print_messages(messages: list[Any], echo: Callable[..., None]) -> list[Any]:
    for message in messages:
        for part in message.content:
            text = part.text.value if part.type == "text" else str(part)
            echo(f"{message.role}: {text}")
    return messages


def run_streaming_weather(client: OpenAI, echo: Callable[..., None] = print) -> str:
    """The guide's streaming example (but for the client): the answer is printed as it streams; returns it."""
    assistant = client.beta.assistants.create(instructions=INSTRUCTIONS, model=MODEL, tools=TOOLS)
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=USER_MESSAGE)
    echo(f"user: {USER_MESSAGE}")
    streamed: list[str] = []

    class EventHandler(AssistantEventHandler):
        @override
        def on_event(self, event: AssistantStreamEvent) -> None:
            # the run's tool calls come with the requires_action event
            if event.event == "thread.run.requires_action":
                self.handle_requires_action(event.data)

        def handle_requires_action(self, run: Run) -> None:
            assert run.required_action is not None
            tool_outputs = _tool_outputs(run.required_action.submit_tool_outputs.tool_calls, echo)
            with client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=run.thread_id, run_id=run.id, tool_outputs=tool_outputs, event_handler=EventHandler()
            ) as stream:
                echo("assistant: ", end="")
                for text in stream.text_deltas:
                    streamed.append(text)
                    echo(text, end="", flush=True)
                echo()

    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=EventHandler()
    ) as stream:
        stream.until_done()
    return "".join(streamed)


def _tool_outputs(tool_calls: list[RequiredActionFunctionToolCall], echo: Callable[..., None]) -> list[Any]:
    """The weather functions' answers to the run's tool calls, as the guide computes them."""
    tool_outputs: list[Any] = []
    for tool in tool_calls:
        echo(f"tool call {tool.function.name}({tool.function.arguments})")
        if tool.function.name == "get_current_temperature":
            tool_outputs.append({"tool_call_id": tool.id, "output": "57"})
        elif tool.function.name == "get_rain_probability":
            tool_outputs.append({"tool_call_id": tool.id, "output": "0.06"})
    return tool_outputs
