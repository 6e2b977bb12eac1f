"""Upstreams that deviate from OpenAI's answers (other Responses + Conversations servers), and the legacy
rule for runs with nothing to answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

import compat
from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock


class Rewriting(httpx2.BaseTransport):
    """The emulator's transport, with requests and JSON answers rewritten on the way."""

    def __init__(
        self,
        emulator: Emulator,
        request: Callable[[httpx2.Request], httpx2.Request] = lambda r: r,
        answer: Callable[[httpx2.Request, Any], Any] = lambda r, body: body,
    ) -> None:
        self.inner = EmulatorTransport(emulator)
        self.rewrite_request = request
        self.rewrite_answer = answer

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        response = self.inner.handle_request(self.rewrite_request(request))
        if not response.headers.get("content-type", "").startswith("application/json"):
            return response
        body = self.rewrite_answer(request, json.loads(response.read()))
        return httpx2.Response(response.status_code, json=body, request=request)


def client_over(transport: httpx2.BaseTransport, tmp_path: Path) -> compat.OpenAI:
    return compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=transport),
        store=f"sqlite:///{tmp_path / 'state.db'}",
        max_retries=0,
    )


def test_paging_stops_when_the_server_ignores_after(tmp_path: Path) -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())

    def drop_after(request: httpx2.Request) -> httpx2.Request:
        url = request.url.copy_remove_param("after")
        return httpx2.Request(request.method, url, headers=request.headers, content=request.content)

    client = client_over(Rewriting(emulator, request=drop_after), tmp_path)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": f"m{n}"} for n in range(5)])
    before = len(emulator.requests)
    messages = list(client.beta.threads.messages.list(thread.id, limit=2))
    assert 2 <= len(messages) <= 5
    assert len(emulator.requests) - before < 10, "a bounded number of requests, not a loop"


def test_items_without_status_are_completed_messages(tmp_path: Path) -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())

    def null_status(request: httpx2.Request, body: Any) -> Any:
        for item in body.get("data", []) if isinstance(body, dict) else []:
            if isinstance(item, dict) and "status" in item:
                item["status"] = None
        return body

    client = client_over(Rewriting(emulator, answer=null_status), tmp_path)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    (message,) = client.beta.threads.messages.list(thread.id).data
    assert (message.status, message.role) == ("completed", "user")


def test_an_unknown_model_is_not_an_unknown_thread(tmp_path: Path) -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())

    class ModelGone(Rewriting):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            if request.method == "POST" and request.url.path.endswith("/responses"):
                error = {
                    "message": "The model `gpt-4` does not exist or you do not have access to it.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "model_not_found",
                }
                return httpx2.Response(404, json={"error": error}, request=request)
            return super().handle_request(request)

    client = client_over(ModelGone(emulator), tmp_path)
    assistant = client.beta.assistants.create(model="gpt-4", instructions="Help.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    with pytest.raises(openai.NotFoundError) as caught:
        client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    assert "model `gpt-4` does not exist" in caught.value.message
    assert client.beta.threads.runs.list(thread.id).data == []


def test_a_run_with_nothing_to_answer_is_refused(tmp_path: Path) -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    client = client_over(EmulatorTransport(emulator), tmp_path)
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    message = "Run creation requires a Thread with a user message or an assistant with instructions."
    refusals: list[Callable[[], object]] = [
        lambda: client.beta.threads.runs.create(thread.id, assistant_id=assistant.id),
        lambda: client.beta.threads.create_and_run(assistant_id=assistant.id),
        lambda: client.beta.threads.create_and_run(
            assistant_id=assistant.id, thread={"messages": [{"role": "assistant", "content": "hi"}]}
        ),
    ]
    for refused in refusals:
        with pytest.raises(openai.BadRequestError) as caught:
            refused()
        assert caught.value.message == f"Error code: 400 - {message}"
    assert client.beta.threads.runs.list(thread.id).data == []
    assert not [r for r in emulator.requests if r.path == "/responses"]
    # instructions, a user message or additional messages are each enough
    emulator.queue(Turn.text("a"), Turn.text("b"), Turn.text("c"))
    runs = client.beta.threads.runs
    assert runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, instructions="Hi.").status == (
        "completed"
    )
    extra: Any = [{"role": "user", "content": "hello"}]
    assert runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, additional_messages=extra).status == (
        "completed"
    )
    other = client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    assert runs.create_and_poll(thread_id=other.id, assistant_id=assistant.id).status == "completed"


def test_a_server_that_requires_input_gets_an_empty_one_from_then_on(tmp_path: Path) -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock(), require_input=True)
    client = client_over(EmulatorTransport(emulator), tmp_path)
    assistant = client.beta.assistants.create(model="provider/model", instructions="Be brief.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    emulator.queue(Turn.text("one"), Turn.text("two"))

    first = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()

    assert (first.status, stream.get_final_run().status) == ("completed", "completed")
    bodies = [r.json for r in emulator.requests if r.method == "POST" and r.path == "/responses"]
    # refused once without input, then sent with an empty one, the stream too
    assert [body.get("input") for body in bodies] == [None, [], []]
    assert [m.content[0].text.value for m in client.beta.threads.messages.list(thread.id).data] == ["two", "one", "hi"]  # type: ignore[union-attr]
