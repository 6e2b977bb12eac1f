"""The weather example of the Assistants function-calling guide, run verbatim through ``compat.OpenAI``.

Recorded against the emulator's HTTP server (``pytest tests/e2e --record-mode=rewrite``) and replayed from
``cassettes/test_weather``: the whole legacy objects and every request the shim sent are pinned, as it sent
them (captured on its HTTP client) and as the cassette holds them, and every interaction of the cassette must
be played.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from vcr.record_mode import RecordMode

import compat
from compat.emulator import Emulator, Turn

pytestmark = pytest.mark.vcr

INSTRUCTIONS = "You are a weather bot. Use the provided functions to answer questions."
QUESTION = "What's the weather in San Francisco today and the likelihood it'll rain?"

TEMPERATURE_PARAMETERS: dict[str, Any] = {
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
}
RAIN_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "location": {"type": "string", "description": "The city and state, e.g., San Francisco, CA"},
    },
    "required": ["location"],
}
T = 1_700_000_000
TEMPERATURE_ARGUMENTS = '{"location":"San Francisco, CA","unit":"Fahrenheit"}'
RAIN_ARGUMENTS = '{"location":"San Francisco, CA"}'
LEGACY_TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_temperature",
            "description": "Get the current temperature for a specific location",
            "parameters": TEMPERATURE_PARAMETERS,
            "strict": False,
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_rain_probability",
            "description": "Get the probability of rain for a specific location",
            "parameters": RAIN_PARAMETERS,
            "strict": False,
        },
    },
]
RESPONSES_TOOLS: list[dict[str, Any]] = [{"type": "function", **tool["function"]} for tool in LEGACY_TOOLS]
USER_MESSAGE: dict[str, Any] = {
    "id": "msg_0002",
    "object": "thread.message",
    "created_at": T,
    "completed_at": None,
    "incomplete_at": None,
    "incomplete_details": None,
    "assistant_id": None,
    "run_id": None,
    "thread_id": "conv_0001",
    "role": "user",
    "status": "completed",
    "attachments": [],
    "metadata": {},
    "content": [{"type": "text", "text": {"value": QUESTION, "annotations": []}}],
}
CALLS = Turn.function_calls(
    ("get_current_temperature", {"location": "San Francisco, CA", "unit": "Fahrenheit"}),
    ("get_rain_probability", {"location": "San Francisco, CA"}),
)


def sent(requests: list[httpx2.Request]) -> list[tuple[str, str, Any]]:
    """Every request the shim sent, in order, as (method, path with query, JSON body)."""
    out: list[tuple[str, str, Any]] = []
    for request in requests:
        assert request.url.host == "127.0.0.1"
        body = json.loads(request.content) if request.content else None
        out.append((request.method, request.url.raw_path.decode(), body))
    return out


def recorded(cassette: Any) -> list[tuple[str, str, Any]]:
    """Every request of the cassette as (method, path with query, JSON body); no credentials in it."""
    out: list[tuple[str, str, Any]] = []
    for request in cassette.requests:
        assert request.host == "127.0.0.1"
        assert "authorization" not in {name.lower() for name in request.headers}
        body = json.loads(request.body) if request.body else None
        query = "&".join(f"{name}={value}" for name, value in request.query)
        out.append((request.method, request.path + (f"?{query}" if query else ""), body))
    return out


def assert_cassette_played(cassette: Any, requests: list[httpx2.Request]) -> None:
    """Replaying, every interaction of the cassette answered exactly one of the shim's requests."""
    if cassette.record_mode != RecordMode.NONE:
        return  # recording: the cassette is being written from these very requests
    assert len(cassette) > 0
    assert cassette.all_played, f"{len(cassette) - len(cassette.play_counts)} interactions were not played"
    assert cassette.play_count == len(cassette) == len(requests)


def run_object(**changes: Any) -> dict[str, Any]:
    """The legacy run of the weather assistant on the weather thread, with ``changes``."""
    return {
        "id": "run_0002",
        "object": "thread.run",
        "assistant_id": "asst_0001",
        "thread_id": "conv_0001",
        "created_at": T,
        "started_at": T,
        "cancelled_at": None,
        "failed_at": None,
        "incomplete_details": None,
        "instructions": INSTRUCTIONS,
        "last_error": None,
        "max_completion_tokens": None,
        "max_prompt_tokens": None,
        "metadata": {},
        "model": "gpt-4o",
        "parallel_tool_calls": True,
        "reasoning_effort": None,
        "response_format": "auto",
        "temperature": 1.0,
        "top_p": 1.0,
        "tool_choice": "auto",
        "tool_resources": {},
        "tools": LEGACY_TOOLS,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        **changes,
    }


def usage(prompt: int, completion: int) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_token_details": {"cached_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


def test_weather_polling(
    legacy_client: compat.OpenAI, legacy_emulator: Emulator, legacy_requests: list[httpx2.Request], vcr: Any
) -> None:
    legacy_emulator.queue(CALLS)  # then the emulator's model answers from the tool outputs
    client = legacy_client
    printed: list[Any] = []

    # --- the guide's code, verbatim but for the client ---
    assistant = client.beta.assistants.create(
        instructions=INSTRUCTIONS,
        model="gpt-4o",
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "get_current_temperature",
                    "description": "Get the current temperature for a specific location",
                    "parameters": TEMPERATURE_PARAMETERS,
                },
            },
            {
                "type": "function",
                "function": {
                    "name": "get_rain_probability",
                    "description": "Get the probability of rain for a specific location",
                    "parameters": RAIN_PARAMETERS,
                },
            },
        ],
    )
    thread = client.beta.threads.create()
    message = client.beta.threads.messages.create(
        thread_id=thread.id,
        role="user",
        content=QUESTION,
    )
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
    )
    first = run
    if run.status == "completed":
        messages = client.beta.threads.messages.list(thread_id=thread.id)
        printed.append(messages)
    else:
        printed.append(run.status)

    tool_outputs: list[Any] = []
    assert run.required_action is not None
    for tool in run.required_action.submit_tool_outputs.tool_calls:
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
        printed.append("Tool outputs submitted successfully.")
    else:
        printed.append("No tool outputs to submit.")

    if run.status == "completed":
        messages = client.beta.threads.messages.list(thread_id=thread.id)
        printed.append(messages)
    else:
        printed.append(run.status)
    # --- end of the guide's code ---

    steps = client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id)

    assert printed[:2] == ["requires_action", "Tool outputs submitted successfully."]
    assert assistant.model_dump() == {
        "id": "asst_0001",
        "object": "assistant",
        "created_at": T,
        "name": None,
        "description": None,
        "instructions": INSTRUCTIONS,
        "model": "gpt-4o",
        "metadata": {},
        "reasoning_effort": None,
        "response_format": "auto",
        "temperature": 1.0,
        "top_p": 1.0,
        "tool_resources": {"code_interpreter": None, "file_search": None},
        "tools": LEGACY_TOOLS,
    }
    assert thread.model_dump() == {
        "id": "conv_0001",
        "object": "thread",
        "created_at": T,
        "metadata": {},
        "tool_resources": {"code_interpreter": None, "file_search": None},
    }
    assert message.model_dump() == USER_MESSAGE
    assert first.model_dump() == run_object(
        status="requires_action",
        completed_at=None,
        expires_at=T + 600,
        required_action={
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {
                "tool_calls": [
                    {
                        "id": "call_0005",
                        "type": "function",
                        "function": {"name": "get_current_temperature", "arguments": TEMPERATURE_ARGUMENTS},
                    },
                    {
                        "id": "call_0007",
                        "type": "function",
                        "function": {"name": "get_rain_probability", "arguments": RAIN_ARGUMENTS},
                    },
                ]
            },
        },
        usage=None,
    )
    assert run.model_dump() == run_object(
        status="completed",
        completed_at=T,
        expires_at=None,
        required_action=None,
        usage=usage(130, 48),
    )
    assert [m.model_dump() for m in messages.data] == [
        {
            "id": "msg_0011",
            "object": "thread.message",
            "created_at": T,
            "completed_at": T,
            "incomplete_at": None,
            "incomplete_details": None,
            "assistant_id": "asst_0001",
            "run_id": "run_0002",
            "thread_id": "conv_0001",
            "role": "assistant",
            "status": "completed",
            "attachments": [],
            "metadata": {},
            "content": [
                {
                    "type": "text",
                    "text": {
                        "value": "The results are: get_current_temperature: 57; get_rain_probability: 0.06.",
                        "annotations": [],
                    },
                }
            ],
        },
        USER_MESSAGE,
    ]
    step_common = {
        "object": "thread.run.step",
        "assistant_id": "asst_0001",
        "run_id": "run_0002",
        "thread_id": "conv_0001",
        "status": "completed",
        "created_at": T,
        "completed_at": T,
        "cancelled_at": None,
        "expired_at": None,
        "failed_at": None,
        "last_error": None,
        "metadata": None,
    }
    assert [s.model_dump() for s in steps.data] == [
        {
            **step_common,
            "id": "step_0004",
            "type": "message_creation",
            "step_details": {"type": "message_creation", "message_creation": {"message_id": "msg_0011"}},
            "usage": usage(92, 14),
        },
        {
            **step_common,
            "id": "step_0003",
            "type": "tool_calls",
            "step_details": {
                "type": "tool_calls",
                "tool_calls": [
                    {
                        "id": "call_0005",
                        "type": "function",
                        "function": {
                            "name": "get_current_temperature",
                            "arguments": TEMPERATURE_ARGUMENTS,
                            "output": "57",
                        },
                    },
                    {
                        "id": "call_0007",
                        "type": "function",
                        "function": {"name": "get_rain_probability", "arguments": RAIN_ARGUMENTS, "output": "0.06"},
                    },
                ],
            },
            "usage": usage(38, 34),
        },
    ]

    response_body = {
        "conversation": "conv_0001",
        "instructions": INSTRUCTIONS,
        "model": "gpt-4o",
        "parallel_tool_calls": True,
        "tools": RESPONSES_TOOLS,
    }
    expected = [
        ("POST", "/v1/conversations", {}),
        (
            "POST",
            "/v1/conversations/conv_0001/items",
            {"items": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": QUESTION}]}]},
        ),
        ("POST", "/v1/responses", response_body),
        (
            "POST",
            "/v1/responses",
            {
                **response_body,
                "input": [
                    {"type": "function_call_output", "call_id": "call_0005", "output": "57"},
                    {"type": "function_call_output", "call_id": "call_0007", "output": "0.06"},
                ],
            },
        ),
        ("GET", "/v1/conversations/conv_0001/items?limit=21&order=desc", None),
    ]
    assert sent(legacy_requests) == expected
    assert recorded(vcr) == expected
    assert_cassette_played(vcr, legacy_requests)


def test_structured_outputs_strict_function(
    legacy_client: compat.OpenAI, legacy_emulator: Emulator, legacy_requests: list[httpx2.Request], vcr: Any
) -> None:
    legacy_emulator.queue(CALLS)
    client = legacy_client
    strict_parameters = {**TEMPERATURE_PARAMETERS, "additionalProperties": False}

    assistant = client.beta.assistants.create(
        instructions=INSTRUCTIONS,
        model="gpt-4o-2024-08-06",
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "get_current_temperature",
                    "description": "Get the current temperature for a specific location",
                    "parameters": strict_parameters,
                    "strict": True,
                },
            },
            {
                "type": "function",
                "function": {
                    "name": "get_rain_probability",
                    "description": "Get the probability of rain for a specific location",
                    "parameters": RAIN_PARAMETERS,
                },
            },
        ],
    )
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content=QUESTION)
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)

    assert run.status == "requires_action"
    assert [tool.model_dump() for tool in assistant.tools] == [
        {
            **LEGACY_TOOLS[0],
            "function": {**LEGACY_TOOLS[0]["function"], "parameters": strict_parameters, "strict": True},
        },
        LEGACY_TOOLS[1],
    ]
    expected = [
        ("POST", "/v1/conversations", {}),
        (
            "POST",
            "/v1/conversations/conv_0001/items",
            {"items": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": QUESTION}]}]},
        ),
        (
            "POST",
            "/v1/responses",
            {
                "conversation": "conv_0001",
                "instructions": INSTRUCTIONS,
                "model": "gpt-4o-2024-08-06",
                "parallel_tool_calls": True,
                "tools": [{**RESPONSES_TOOLS[0], "parameters": strict_parameters, "strict": True}, RESPONSES_TOOLS[1]],
            },
        ),
    ]
    assert sent(legacy_requests) == expected
    assert recorded(vcr) == expected
    assert_cassette_played(vcr, legacy_requests)
