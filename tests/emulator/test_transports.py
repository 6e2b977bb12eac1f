"""The async transport and the real HTTP server, driven through the SDK."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx2
import openai
import pytest

from compat.emulator import Emulator, Turn, counter_ids, fixed_clock, serve


@pytest.mark.anyio
async def test_async_client(async_client: openai.AsyncOpenAI, emulator: Emulator) -> None:
    conversation = await async_client.conversations.create(metadata={"a": "b"})
    emulator.queue(Turn.function_calls(("f", {"x": 1}, "call_1")), Turn.text("All done."))
    first = await async_client.responses.create(model="gpt-4o", input="Go", conversation=conversation.id)
    assert [item.type for item in first.output] == ["function_call"]
    stream = await async_client.responses.create(
        model="gpt-4o",
        input=[{"type": "function_call_output", "call_id": "call_1", "output": "ok"}],
        conversation=conversation.id,
        stream=True,
    )
    types = [event.type async for event in stream]
    assert types[0] == "response.created" and types[-1] == "response.completed"
    items = await async_client.conversations.items.list(conversation.id)
    assert [item.type for item in items.data] == ["message", "function_call_output", "function_call", "message"]


def test_over_real_http() -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    server = serve(emulator)
    try:
        assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/v1")
        client = openai.OpenAI(api_key="test", base_url=server.base_url, max_retries=0)
        conversation = client.conversations.create(items=[{"role": "user", "content": "Hello"}])
        assert client.conversations.retrieve(conversation.id) == conversation
        response = client.responses.create(model="gpt-4o", input="What now?", conversation=conversation.id)
        assert response.output_text == "You said: What now?"
        emulator.queue(Turn.text("streamed over http"))
        stream = client.responses.create(model="gpt-4o", input="x", stream=True)
        assert [event.type for event in stream][-1] == "response.completed"
        emulator.queue(Turn.text("never finished").cut_after(2))
        with pytest.raises(openai.APIConnectionError) as cut:
            list(client.responses.create(model="gpt-4o", input="x", stream=True))
        assert cut.value.message == "Connection error."
        assert isinstance(cut.value.__cause__, httpx2.RemoteProtocolError)
        with pytest.raises(openai.NotFoundError) as missing:
            client.responses.retrieve("resp_missing")
        assert missing.value.status_code == 404
        assert missing.value.body == {
            "message": "Response with id 'resp_missing' not found.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
        assert [request.path for request in emulator.requests] == [
            "/conversations",
            f"/conversations/{conversation.id}",
            "/responses",
            "/responses",
            "/responses",
            "/responses/resp_missing",
        ]
        client.close()
    finally:
        server.close()


def test_command_line_server() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "compat.emulator", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "emulator listening on http://127.0.0.1:" in line
        base_url = line.strip().rsplit(" ", 1)[-1]
        client = openai.OpenAI(api_key="test", base_url=base_url, max_retries=0)
        deadline = time.monotonic() + 10
        while True:
            try:
                conversation = client.conversations.create()
                break
            except openai.APIConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert json.loads(conversation.model_dump_json())["object"] == "conversation"
        client.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stderr is not None
        process.stderr.close()
