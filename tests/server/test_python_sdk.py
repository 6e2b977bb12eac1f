"""The stock Python ``openai`` SDK (no compat import) against the server: the Assistants function-calling
guide's weather example, polling and streaming, sync and async, with two parallel tool calls."""

# The guide's code is kept as the guide wrote it (the weather tools, the loops over tool calls, the handler).

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import pytest
from openai import AssistantEventHandler, AsyncAssistantEventHandler
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Run
from typing_extensions import override

from compat.emulator import Emulator, Turn

from .conftest import API_KEY

# the SDK marks every legacy method deprecated, as it should: legacy code calls them anyway
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

INSTRUCTIONS = "You are a weather bot. Use the provided functions to answer questions."
QUESTION = "What's the weather in San Francisco today and the likelihood it'll rain?"
ANSWER = "It is 57°F in San Francisco today, with a 6% chance of rain."

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


@pytest.fixture
def weather_turns(emulator: Emulator) -> Emulator:
    """The model calls both functions at once, then answers from their outputs."""
    emulator.queue(
        Turn.function_calls(
            ("get_current_temperature", {"location": "San Francisco, CA", "unit": "Fahrenheit"}),
            ("get_rain_probability", {"location": "San Francisco, CA"}),
        ),
        Turn.text(ANSWER),
    )
    return emulator


@pytest.fixture
def client(server: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(api_key=API_KEY, base_url=server, max_retries=0) as sdk:
        yield sdk


@pytest.fixture
async def async_client(server: str) -> Any:
    async with openai.AsyncOpenAI(api_key=API_KEY, base_url=server, max_retries=0) as sdk:
        yield sdk


def tool_outputs_sent(emulator: Emulator) -> list[str]:
    """The function outputs the server passed on to the model."""
    return [
        item["output"]
        for request in emulator.requests
        if request.path == "/responses"
        and isinstance(request.json, dict)
        and isinstance(request.json.get("input"), list)
        for item in request.json["input"]
        if isinstance(item, dict) and item.get("type") == "function_call_output"
    ]


def guide_tool_outputs(run: Run) -> list[Any]:
    assert run.required_action is not None
    tool_outputs = []
    for tool in run.required_action.submit_tool_outputs.tool_calls:
        if tool.function.name == "get_current_temperature":
            tool_outputs.append({"tool_call_id": tool.id, "output": "57"})
        elif tool.function.name == "get_rain_probability":
            tool_outputs.append({"tool_call_id": tool.id, "output": "0.06"})
    return tool_outputs


# --- polling -----------------------------------------------------------------------------------------


def test_polling_sync(client: openai.OpenAI, weather_turns: Emulator) -> None:
    assistant = client.beta.assistants.create(instructions=INSTRUCTIONS, model="gpt-4o", tools=TOOLS)
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)

    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    tool_outputs = guide_tool_outputs(run)
    assert len(tool_outputs) == 2
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id, run_id=run.id, tool_outputs=tool_outputs
    )
    assert run.status == "completed"
    messages = client.beta.threads.messages.list(thread_id=thread.id)
    assert [(m.role, m.content[0].text.value) for m in messages if m.content[0].type == "text"] == [
        ("assistant", ANSWER),
        ("user", QUESTION),
    ]
    assert sorted(tool_outputs_sent(weather_turns)) == ["0.06", "57"]


@pytest.mark.anyio
async def test_polling_async(async_client: openai.AsyncOpenAI, weather_turns: Emulator) -> None:
    client = async_client
    assistant = await client.beta.assistants.create(instructions=INSTRUCTIONS, model="gpt-4o", tools=TOOLS)
    thread = await client.beta.threads.create()
    await client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)

    run = await client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    run = await client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id, run_id=run.id, tool_outputs=guide_tool_outputs(run)
    )
    assert run.status == "completed"
    messages = [m async for m in client.beta.threads.messages.list(thread_id=thread.id, order="asc")]
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content[0].type == "text"
    assert messages[1].content[0].text.value == ANSWER
    steps = await client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc")
    assert [step.type for step in steps.data] == ["tool_calls", "message_creation"]


def test_create_and_run_poll_sync(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Hello from a new thread."))
    assistant = client.beta.assistants.create(instructions=INSTRUCTIONS, model="gpt-4o")
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Hi!"}]}
    )
    assert run.status == "completed"
    (reply, _) = client.beta.threads.messages.list(thread_id=run.thread_id).data
    assert reply.content[0].type == "text"
    assert reply.content[0].text.value == "Hello from a new thread."


# --- streaming ---------------------------------------------------------------------------------------


def test_streaming_sync_with_the_guides_event_handler(client: openai.OpenAI, weather_turns: Emulator) -> None:
    assistant = client.beta.assistants.create(instructions=INSTRUCTIONS, model="gpt-4o", tools=TOOLS)
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)
    streamed: list[str] = []
    runs: list[Run] = []

    class EventHandler(AssistantEventHandler):
        @override
        def on_event(self, event: AssistantStreamEvent) -> None:
            # Retrieve events that are denoted with 'requires_action'
            # since these will have our tool_calls
            if event.event == "thread.run.requires_action":
                run_id = event.data.id  # Retrieve the run ID from the event data
                self.handle_requires_action(event.data, run_id)

        def handle_requires_action(self, data: Run, run_id: str) -> None:
            tool_outputs = guide_tool_outputs(data)
            # Submit all tool_outputs at the same time
            self.submit_tool_outputs(tool_outputs, run_id)

        def submit_tool_outputs(self, tool_outputs: list[Any], run_id: str) -> None:
            assert self.current_run is not None
            # Use the submit_tool_outputs_stream helper
            with client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=self.current_run.thread_id,
                run_id=self.current_run.id,
                tool_outputs=tool_outputs,
                event_handler=EventHandler(),
            ) as stream:
                for text in stream.text_deltas:
                    streamed.append(text)
                runs.append(stream.get_final_run())

    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=EventHandler()
    ) as stream:
        stream.until_done()

    assert "".join(streamed) == ANSWER
    assert [run.status for run in runs] == ["completed"]
    assert sorted(tool_outputs_sent(weather_turns)) == ["0.06", "57"]


@pytest.mark.anyio
async def test_streaming_async_with_an_event_handler(async_client: openai.AsyncOpenAI, weather_turns: Emulator) -> None:
    client = async_client
    assistant = await client.beta.assistants.create(instructions=INSTRUCTIONS, model="gpt-4o", tools=TOOLS)
    thread = await client.beta.threads.create()
    await client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)
    streamed: list[str] = []
    snapshots: list[str] = []

    class EventHandler(AsyncAssistantEventHandler):
        @override
        async def on_event(self, event: AssistantStreamEvent) -> None:
            if event.event == "thread.run.requires_action":
                await self.handle_requires_action(event.data)

        @override
        async def on_text_done(self, text: Any) -> None:
            snapshots.append(text.value)

        async def handle_requires_action(self, data: Run) -> None:
            async with client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=data.thread_id,
                run_id=data.id,
                tool_outputs=guide_tool_outputs(data),
                event_handler=EventHandler(),
            ) as stream:
                async for text in stream.text_deltas:
                    streamed.append(text)

    async with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=EventHandler()
    ) as stream:
        await stream.until_done()

    assert "".join(streamed) == ANSWER
    assert snapshots == [ANSWER]
    runs = await client.beta.threads.runs.list(thread_id=thread.id)
    assert [run.status for run in runs.data] == ["completed"]


def test_stream_true_iterates_legacy_events(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Streamed."))
    assistant = client.beta.assistants.create(instructions=INSTRUCTIONS, model="gpt-4o")
    events = list(
        client.beta.threads.create_and_run(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Hi"}]}, stream=True
        )
    )
    assert events[0].event == "thread.created"
    assert events[-1].event == "thread.run.completed"


def test_errors_raise_the_sdks_exceptions(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client.beta.threads.runs.retrieve("run_missing", thread_id="thread_missing")
    assert missing.value.status_code == 404
    assert missing.value.body is not None
    with pytest.raises(openai.BadRequestError) as bad:
        client.beta.assistants.create(model="gpt-4o", temperature=5)
    assert bad.value.param == "temperature"
