"""The weather example of the Assistants function-calling guide, run through ``compat.OpenAI``.

Offline by default: the client talks to an in-process :class:`compat.emulator.Emulator` (scripted to call
both functions, then to answer from their outputs) and keeps its state in a temporary SQLite store. With
``live=True`` it talks to OpenAI with ``OPENAI_API_KEY`` and the default store.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

from ._client import OpenAI
from .emulator import Emulator, EmulatorTransport, Turn

__all__ = ["TOOLS", "run_weather", "weather_client"]

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


def offline_turns() -> list[Turn]:
    """What the emulated model answers: both function calls, then a reply built from their outputs."""
    return [
        Turn.function_calls(
            ("get_current_temperature", {"location": "San Francisco, CA", "unit": "Fahrenheit"}),
            ("get_rain_probability", {"location": "San Francisco, CA"}),
        ),
        Turn.text("It is 57°F in San Francisco today, with a 6% chance of rain."),
    ]


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


def run_weather(client: OpenAI, echo: Callable[[str], None] = print) -> list[Any]:
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

    tool_outputs: list[Any] = []
    for tool in run.required_action.submit_tool_outputs.tool_calls:
        echo(f"tool call {tool.function.name}({tool.function.arguments})")
        if tool.function.name == "get_current_temperature":
            tool_outputs.append({"tool_call_id": tool.id, "output": "57"})
        elif tool.function.name == "get_rain_probability":
            tool_outputs.append({"tool_call_id": tool.id, "output": "0.06"})

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


def _print_messages(messages: list[Any], echo: Callable[[str], None]) -> list[Any]:
    for message in messages:
        for part in message.content:
            text = part.text.value if part.type == "text" else str(part)
            echo(f"{message.role}: {text}")
    return messages
