"""Streamed responses: exact SSE sequences, errors, dropped connections."""

from __future__ import annotations

from typing import Any

import httpx2
import openai
import pytest

from compat.emulator import Emulator, EmulatorTransport, Turn


def _events(client: openai.OpenAI, **params: Any) -> list[dict[str, Any]]:
    stream = client.responses.create(model="gpt-4o", input=params.pop("input", "Hi"), stream=True, **params)
    return [event.model_dump(exclude_unset=True, by_alias=True) for event in stream]


def _types(events: list[dict[str, Any]]) -> list[str]:
    return [event["type"] for event in events]


def test_text_stream_whole_sequence(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Hello there!"))
    events = _events(client)
    assert [event["sequence_number"] for event in events] == list(range(len(events)))
    created, in_progress = events[0]["response"], events[1]["response"]
    assert (created["status"], created["output"], created["usage"]) == ("in_progress", [], None)
    assert in_progress == created
    where = {"item_id": "msg_0003", "output_index": 0, "content_index": 0}
    assert events[2:-1] == [
        {
            "type": "response.output_item.added",
            "sequence_number": 2,
            "output_index": 0,
            "item": {"id": "msg_0003", "type": "message", "status": "in_progress", "content": [], "role": "assistant"},
        },
        {
            "type": "response.content_part.added",
            "sequence_number": 3,
            **where,
            "part": {"type": "output_text", "annotations": [], "logprobs": [], "text": ""},
        },
        {
            "type": "response.output_text.delta",
            "sequence_number": 4,
            **where,
            "delta": "Hello",
            "logprobs": [],
            "obfuscation": events[4]["obfuscation"],
        },
        {
            "type": "response.output_text.delta",
            "sequence_number": 5,
            **where,
            "delta": " there",
            "logprobs": [],
            "obfuscation": events[5]["obfuscation"],
        },
        {
            "type": "response.output_text.delta",
            "sequence_number": 6,
            **where,
            "delta": "!",
            "logprobs": [],
            "obfuscation": events[6]["obfuscation"],
        },
        {"type": "response.output_text.done", "sequence_number": 7, **where, "text": "Hello there!", "logprobs": []},
        {
            "type": "response.content_part.done",
            "sequence_number": 8,
            **where,
            "part": {"type": "output_text", "annotations": [], "logprobs": [], "text": "Hello there!"},
        },
        {
            "type": "response.output_item.done",
            "sequence_number": 9,
            "output_index": 0,
            "item": {
                "id": "msg_0003",
                "type": "message",
                "status": "completed",
                "content": [{"type": "output_text", "annotations": [], "logprobs": [], "text": "Hello there!"}],
                "role": "assistant",
            },
        },
    ]
    assert events[-1]["type"] == "response.completed"
    assert events[-1]["response"] == client.responses.retrieve("resp_0002").model_dump(
        exclude_unset=True, by_alias=True
    )
    assert all(isinstance(events[i]["obfuscation"], str) for i in (4, 5, 6))


def test_raw_sse_framing(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Hi"))
    with client.responses.with_streaming_response.create(model="gpt-4o", input="x", stream=True) as raw:
        assert raw.headers["content-type"] == "text/event-stream; charset=utf-8"
        text = "".join(raw.iter_text())
    blocks = text.strip("\n").split("\n\n")
    assert [block.split("\n")[0] for block in blocks] == [
        "event: response.created",
        "event: response.in_progress",
        "event: response.output_item.added",
        "event: response.content_part.added",
        "event: response.output_text.delta",
        "event: response.output_text.done",
        "event: response.content_part.done",
        "event: response.output_item.done",
        "event: response.completed",
    ]
    assert all(block.split("\n")[1].startswith('data: {"type":') for block in blocks)
    assert "[DONE]" not in text


def test_parallel_function_call_stream(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.function_calls(("a", {"x": 1}, "call_1"), ("b", '{"y":"two words"}', "call_2")))
    events = _events(client)
    assert _types(events) == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        *["response.function_call_arguments.delta"] * 5,
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.output_item.added",
        *["response.function_call_arguments.delta"] * 6,
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert events[2]["item"] == {
        "id": "fc_0003",
        "type": "function_call",
        "status": "in_progress",
        "arguments": "",
        "call_id": "call_1",
        "name": "a",
    }
    deltas = [e["delta"] for e in events if e["type"].endswith("arguments.delta") and e["output_index"] == 1]
    assert "".join(deltas) == '{"y":"two words"}'
    assert events[8] == {
        "type": "response.function_call_arguments.done",
        "sequence_number": 8,
        "item_id": "fc_0003",
        "output_index": 0,
        "arguments": '{"x":1}',
    }


def test_reasoning_and_refusal_streams(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Ok", reasoning="Hmm"), Turn.refusal("No"))
    assert _types(_events(client))[2:] == [
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    refusal = _events(client)
    assert _types(refusal)[2:] == [
        "response.output_item.added",
        "response.content_part.added",
        "response.refusal.delta",
        "response.refusal.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert refusal[4]["delta"] == "No"


def test_incomplete_stream(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.incomplete("max_output_tokens", text="Cut short"))
    events = _events(client)
    assert events[-1]["type"] == "response.incomplete"
    assert events[-1]["response"]["incomplete_details"] == {"reason": "max_output_tokens"}
    assert events[-2]["item"]["status"] == "incomplete"


def test_failed_stream_sends_error_then_response_failed(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.failure(code="server_error", message="boom"))
    seen: list[str] = []
    with pytest.raises(openai.APIError) as caught:
        for event in client.responses.create(model="gpt-4o", input="x", stream=True):
            seen.append(event.type)
    assert seen == ["response.created", "response.in_progress"]
    assert caught.value.message == "boom"
    assert caught.value.body == {"type": "server_error", "code": "server_error", "message": "boom", "param": None}
    emulator.queue(Turn.failure(code="server_error", message="boom"))
    with client.responses.with_streaming_response.create(model="gpt-4o", input="x", stream=True) as raw:
        lines = [line for line in raw.iter_lines() if line.startswith("event:")]
    assert lines == ["event: response.created", "event: response.in_progress", "event: error", "event: response.failed"]


def test_400_on_a_stream_is_plain_json(emulator: Emulator) -> None:
    http = httpx2.Client(transport=EmulatorTransport(emulator))
    answer = http.post(
        "http://emulator.local/v1/responses", json={"model": "gpt-4o", "input": "x", "stream": True, "temperature": 3}
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {
        "error": {
            "message": "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.",
            "type": "invalid_request_error",
            "param": "temperature",
            "code": "decimal_above_max_value",
        }
    }


def test_dropped_connection_mid_stream(client: openai.OpenAI, emulator: Emulator) -> None:
    conversation = client.conversations.create()
    emulator.queue(Turn.text("one two three").cut_after(3))
    seen: list[str] = []
    with pytest.raises(openai.APIConnectionError) as caught:
        for event in client.responses.create(model="gpt-4o", input="Hi", stream=True, conversation=conversation.id):
            seen.append(event.type)
    assert seen == ["response.created", "response.in_progress", "response.output_item.added"]
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)
    # The server finishes the response anyway and frees the conversation.
    assert client.responses.retrieve("resp_0003").status == "completed"
    assert [item["role"] for item in emulator.conversation_items(conversation.id)] == ["user", "assistant"]


def test_stream_helper_accumulates(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.function_calls(("lookup", {"q": "x"}), text="Let me check."))
    with client.responses.stream(model="gpt-4o", input="x") as stream:
        final = stream.get_final_response()
    assert [item.type for item in final.output] == ["message", "function_call"]
    assert final.output_text == "Let me check."
