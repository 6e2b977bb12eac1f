"""``truncation_strategy: last_messages``: only the thread's last N messages reach the model; the thread keeps
everything, and the conversation stays usable by runs without truncation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

import compat
from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock

LOOKUP: Any = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
LAST_TWO: Any = {"type": "last_messages", "last_messages": 2}
HISTORY: Any = [
    {"role": "user", "content": "one"},
    {"role": "assistant", "content": "two"},
    {"role": "user", "content": "three"},
    {"role": "assistant", "content": "four"},
    {"role": "user", "content": "five"},
]


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


@pytest.fixture
def client(emulator: Emulator, tmp_path: Path) -> compat.OpenAI:
    return compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=f"sqlite:///{tmp_path / 'state.db'}",
    )


def model_requests(emulator: Emulator) -> list[dict[str, Any]]:
    return [r.json for r in emulator.requests if r.method == "POST" and r.path == "/responses"]


def texts(client: compat.OpenAI, thread_id: str) -> list[str]:
    messages = client.beta.threads.messages.list(thread_id, order="asc", limit=100).data
    return [part.text.value for message in messages for part in message.content if part.type == "text"]


def test_only_the_last_messages_reach_the_model_and_the_thread_keeps_all(
    client: compat.OpenAI, emulator: Emulator
) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = client.beta.threads.create(messages=HISTORY)
    emulator.queue(Turn.text("six"))

    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, truncation_strategy=LAST_TWO
    )

    assert run.status == "completed"
    assert run.truncation_strategy.model_dump() == {"type": "last_messages", "last_messages": 2}
    assert model_requests(emulator) == [
        {
            "model": "gpt-4o",
            "instructions": "Be brief.",
            "input": [
                {"type": "message", "role": "assistant", "content": "four"},
                {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "five"}]},
            ],
            "store": True,
        }
    ]
    assert texts(client, thread.id) == ["one", "two", "three", "four", "five", "six"]
    answer = client.beta.threads.messages.list(thread.id, limit=1).data[0]
    step = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data[0]
    assert step.step_details.type == "message_creation"
    assert step.step_details.message_creation.message_id == answer.id
    assert (answer.run_id, answer.assistant_id) == (run.id, assistant.id)


def test_tool_turns_follow_the_previous_response_and_leave_the_thread_usable(
    client: compat.OpenAI, emulator: Emulator
) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.", tools=[LOOKUP])
    thread = client.beta.threads.create(messages=HISTORY)
    emulator.queue(Turn.function_calls(("lookup", {}, "call_1")), Turn.text("found it"), Turn.text("again"))

    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        truncation_strategy={"type": "last_messages", "last_messages": 1},
    )
    assert run.status == "requires_action"
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": "call_1", "output": "42"}]
    )
    assert run.status == "completed"

    first, second = model_requests(emulator)
    assert first["input"] == [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "five"}]}]
    assert "conversation" not in second
    previous = client.responses.retrieve(second["previous_response_id"])
    assert [(item.type, getattr(item, "call_id", None)) for item in previous.output] == [("function_call", "call_1")]
    assert second["input"] == [{"type": "function_call_output", "call_id": "call_1", "output": "42"}]
    kinds = [item["type"] for item in emulator.conversation_items(thread.id)]
    assert kinds == [*["message"] * 5, "function_call", "function_call_output", "message"]

    # a run without truncation reads the whole conversation, call and output included
    later = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert later.status == "completed"
    assert model_requests(emulator)[-1]["conversation"] == thread.id
    assert texts(client, thread.id)[-2:] == ["found it", "again"]


def test_additional_messages_count_among_the_last_messages(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=HISTORY)
    emulator.queue(Turn.text("ok"))

    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        truncation_strategy=LAST_TWO,
        additional_messages=[{"role": "user", "content": "extra", "metadata": {"k": "v"}}],
    )

    assert run.status == "completed"
    assert model_requests(emulator)[0]["input"] == [
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "five"}]},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "extra"}]},
    ]
    extra = client.beta.threads.messages.list(thread.id, limit=2).data[1]
    assert (extra.metadata, extra.content[0].type) == ({"k": "v"}, "text")
    assert texts(client, thread.id)[-2:] == ["extra", "ok"]


def test_streamed_and_polled_truncated_runs_leave_the_same_thread(tmp_path: Path) -> None:
    threads: list[list[str]] = []
    for streamed in (False, True):
        emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
        client = compat.OpenAI(
            api_key="test",
            base_url="http://127.0.0.1:9/v1",
            http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
            store=f"sqlite:///{tmp_path / f'{streamed}.db'}",
        )
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create(messages=HISTORY)
        emulator.queue(Turn.text("six"))
        if streamed:
            with client.beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=assistant.id, truncation_strategy=LAST_TWO
            ) as stream:
                stream.until_done()
            message_id = stream.get_final_messages()[0].id
        else:
            client.beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id, truncation_strategy=LAST_TWO
            )
            message_id = client.beta.threads.messages.list(thread.id, limit=1).data[0].id
        assert client.beta.threads.messages.retrieve(message_id, thread_id=thread.id).content[0].type == "text"
        threads.append([f"{m.id}:{m.role}" for m in client.beta.threads.messages.list(thread.id).data])
    assert threads[0] == threads[1]


def test_last_messages_needs_its_count(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=HISTORY)
    sent = len(emulator.requests)
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.create(
            thread.id,
            assistant_id=assistant.id,
            truncation_strategy={"type": "last_messages"},  # pyright: ignore[reportArgumentType]
        )
    assert caught.value.param == "truncation_strategy.last_messages"
    assert len(emulator.requests) == sent


def test_truncation_is_sent_only_when_asked_to_other_servers(client: compat.OpenAI, emulator: Emulator) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=HISTORY)
    emulator.queue(Turn.text("a"), Turn.text("b"))

    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, truncation_strategy={"type": "auto"}
    )

    assert [body.get("truncation") for body in model_requests(emulator)] == [None, "auto"]


@pytest.mark.parametrize(
    ("base_url", "setting", "sent"),
    [
        ("https://api.openai.com/v1", None, "auto"),
        ("https://example.openai.azure.com/v1", None, "auto"),
        ("http://127.0.0.1:8321/v1", None, None),
        ("http://127.0.0.1:8321/v1", "1", "auto"),
        ("https://api.openai.com/v1", "0", None),
    ],
)
def test_the_legacy_default_truncation_goes_to_openai(
    emulator: Emulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    base_url: str,
    setting: str | None,
    sent: str | None,
) -> None:
    if setting is not None:
        monkeypatch.setenv("COMPAT_AUTO_TRUNCATION", setting)
    client = compat.OpenAI(
        api_key="test",
        base_url=base_url,
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=f"sqlite:///{tmp_path / 'state.db'}",
    )
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=HISTORY)
    emulator.queue(Turn.text("a"))
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert model_requests(emulator)[0].get("truncation") == sent


class IgnoringAfter(httpx2.BaseTransport):
    """The emulator, as a server that ignores ``after`` on item lists (it answers from the start again)."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = EmulatorTransport(emulator)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET" and "/items" in request.url.path and "after" in request.url.params:
            request = httpx2.Request("GET", request.url.copy_remove_param("after"), headers=request.headers)
        return self.inner.handle_request(request)


def test_the_window_never_repeats_an_item_on_a_server_that_ignores_after(emulator: Emulator, tmp_path: Path) -> None:
    client = compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=IgnoringAfter(emulator)),
        store=f"sqlite:///{tmp_path / 'state.db'}",
    )
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": f"m{n}"} for n in range(20)])
    for n in range(20, 110):
        client.beta.threads.messages.create(thread.id, role="user", content=f"m{n}")
    emulator.queue(Turn.text("ok"))

    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        truncation_strategy={"type": "last_messages", "last_messages": 105},
    )

    assert run.status == "completed"
    sent = [part["text"] for item in model_requests(emulator)[0]["input"] for part in item["content"]]
    # the newest 100 items are all such a server can list: each once, oldest first
    assert sent == [f"m{n}" for n in range(10, 110)]
