"""``client.beta.threads.messages``: messages are conversation items; metadata lives in the store."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from compat import AsyncOpenAI, OpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.emulator._emulator import RecordedRequest
from compat.store.records import MessageRecord
from compat.store.sqlite import SQLiteStore

NOW = 1_700_000_100
CONVERSATION_TIME = 1_700_000_000
THREAD = "conv_0001"


def _deterministic(client: OpenAI | AsyncOpenAI) -> None:
    counter = itertools.count(1)
    client.compat_context.ids = lambda prefix: f"{prefix}_{next(counter):04d}"
    client.compat_context.clock = lambda: NOW


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(str(tmp_path / "s.db")).for_tenant("tests")


@pytest.fixture
def client(emulator: Emulator, store: SQLiteStore) -> OpenAI:
    client = OpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=store,
        max_retries=0,
    )
    _deterministic(client)
    return client


@pytest.fixture
def async_emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


@pytest.fixture
def async_client(tmp_path: Path, async_emulator: Emulator) -> AsyncOpenAI:
    client = AsyncOpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(async_emulator)),
        store=SQLiteStore(str(tmp_path / "a.db")),
        max_retries=0,
    )
    _deterministic(client)
    return client


def _text_message(message_id: str, role: str, text: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": message_id,
        "object": "thread.message",
        "created_at": NOW,
        "assistant_id": None,
        "thread_id": THREAD,
        "run_id": None,
        "role": role,
        "content": [{"type": "text", "text": {"value": text, "annotations": []}}],
        "attachments": [],
        "metadata": {},
        "status": "completed",
        "completed_at": NOW if role == "assistant" else None,
        "incomplete_at": None,
        "incomplete_details": None,
    }
    return {**base, **fields}


def _ids(page: Any) -> list[str]:
    return [message.id for message in page.data]


def test_create_user_message(client: OpenAI, emulator: Emulator, store: SQLiteStore) -> None:
    client.beta.threads.create()

    message = client.beta.threads.messages.create(THREAD, role="user", content="Hello, world!", metadata={"k": "v"})

    assert message.model_dump() == _text_message("msg_0002", "user", "Hello, world!", metadata={"k": "v"})
    assert emulator.requests[-1] == RecordedRequest(
        method="POST",
        path=f"/conversations/{THREAD}/items",
        query={},
        json={
            "items": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hello, world!"}]}]
        },
    )
    record = store.get("message", "msg_0002")
    assert record is not None
    assert MessageRecord.from_row(record) == MessageRecord(created_at=NOW, metadata={"k": "v"})
    assert client.beta.threads.messages.retrieve("msg_0002", thread_id=THREAD) == message


def test_create_assistant_message_and_images(client: OpenAI, emulator: Emulator) -> None:
    client.beta.threads.create()

    assistant = client.beta.threads.messages.create(THREAD, role="assistant", content=[{"type": "text", "text": "Hi."}])
    images = client.beta.threads.messages.create(
        THREAD,
        role="user",
        content=[
            {"type": "image_file", "image_file": {"file_id": "file_1", "detail": "low"}},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        ],
    )

    assert assistant.model_dump() == _text_message("msg_0002", "assistant", "Hi.")
    assert [r.json["items"][0]["content"] for r in emulator.requests[-2:]] == [
        [{"type": "output_text", "text": "Hi.", "annotations": []}],
        [
            {"type": "input_image", "file_id": "file_1", "detail": "low"},
            {"type": "input_image", "image_url": "https://example.com/cat.png", "detail": "auto"},
        ],
    ]
    assert images.model_dump()["content"] == [
        {"type": "image_file", "image_file": {"file_id": "file_1", "detail": "low"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "auto"}},
    ]


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"role": "system", "content": "x"}, "role"),
        ({"role": "user", "content": []}, "content"),
        ({"role": "user", "content": [{"type": "text"}]}, "content[0].text"),
        (
            {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u", "detail": "max"}}]},
            "content[0].image_url.detail",
        ),
        ({"role": "assistant", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}, "content[0].type"),
        ({"role": "user", "content": "x", "attachments": [{"file_id": ""}]}, "attachments[0].file_id"),
        ({"role": "user", "content": "x", "metadata": {str(n): "v" for n in range(17)}}, "metadata"),
    ],
)
def test_bad_messages_send_and_store_nothing(
    client: OpenAI, emulator: Emulator, store: SQLiteStore, kwargs: dict[str, Any], param: str
) -> None:
    client.beta.threads.create()
    sent = len(emulator.requests)

    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.messages.create(THREAD, **kwargs)

    assert caught.value.param == param
    assert len(emulator.requests) == sent
    assert store.list("message", parent_id=THREAD) == []


def test_empty_attachments_are_accepted(client: OpenAI) -> None:
    client.beta.threads.create()
    message = client.beta.threads.messages.create(THREAD, role="user", content="x", attachments=[])
    assert message.attachments == []


def test_unknown_thread_and_message_are_legacy_404s(client: OpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match=r"No thread found with id 'conv_x'\."):
        client.beta.threads.messages.create("conv_x", role="user", content="x")
    with pytest.raises(openai.NotFoundError, match=r"No thread found with id 'conv_x'\."):
        client.beta.threads.messages.list("conv_x")
    client.beta.threads.create()
    for call in (
        lambda: client.beta.threads.messages.retrieve("msg_x", thread_id=THREAD),
        lambda: client.beta.threads.messages.update("msg_x", thread_id=THREAD, metadata={}),
        lambda: client.beta.threads.messages.delete("msg_x", thread_id=THREAD),
    ):
        with pytest.raises(openai.NotFoundError) as caught:
            call()
        assert caught.value.body == {
            "message": "No message found with id 'msg_x'.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }


def test_update_replaces_metadata_in_the_store_only(client: OpenAI, emulator: Emulator) -> None:
    client.beta.threads.create()
    client.beta.threads.messages.create(THREAD, role="user", content="x", metadata={"a": "1"})
    sent = len(emulator.requests)

    updated = client.beta.threads.messages.update("msg_0002", thread_id=THREAD, metadata={"b": "2"})

    assert updated.model_dump() == _text_message("msg_0002", "user", "x", metadata={"b": "2"})
    assert [(r.method, r.path) for r in emulator.requests[sent:]] == [
        ("GET", f"/conversations/{THREAD}/items/msg_0002")
    ]
    assert client.beta.threads.messages.retrieve("msg_0002", thread_id=THREAD) == updated


def test_delete_removes_the_item_and_the_record(client: OpenAI, emulator: Emulator, store: SQLiteStore) -> None:
    client.beta.threads.create()
    client.beta.threads.messages.create(THREAD, role="user", content="x")

    deleted = client.beta.threads.messages.delete("msg_0002", thread_id=THREAD)

    assert deleted.model_dump() == {"id": "msg_0002", "object": "thread.message.deleted", "deleted": True}
    assert emulator.conversation_items(THREAD) == []
    assert store.get("message", "msg_0002") is None


def test_native_items_get_the_conversation_time_and_other_items_are_skipped(client: OpenAI) -> None:
    client.beta.threads.create(messages=[{"role": "user", "content": "legacy"}])
    client.conversations.items.create(
        THREAD,
        items=[
            {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "ok"},
            {"type": "message", "role": "developer", "content": "be nice"},
            {"type": "message", "role": "assistant", "content": "native"},
        ],
    )

    page = client.beta.threads.messages.list(THREAD)

    assert [m.model_dump() for m in page.data] == [
        _text_message("msg_0006", "assistant", "native", created_at=CONVERSATION_TIME, completed_at=CONVERSATION_TIME),
        _text_message("msg_0002", "user", "legacy"),
    ]
    assert page.has_more is False
    with pytest.raises(openai.NotFoundError, match=r"No message found with id 'msg_0005'\."):
        client.beta.threads.messages.retrieve("msg_0005", thread_id=THREAD)


@pytest.fixture
def mixed_thread(client: OpenAI) -> list[str]:
    """A thread of 6 messages with function-call items between them; the message ids, oldest first."""
    client.beta.threads.create()
    ids: list[str] = []
    for n in range(6):
        ids.append(client.beta.threads.messages.create(THREAD, role="user", content=f"m{n}").id)
        client.conversations.items.create(
            THREAD, items=[{"type": "function_call", "call_id": f"call_{n}", "name": "f", "arguments": "{}"}]
        )
    return ids


def test_list_pages_over_skipped_items_with_exact_has_more(client: OpenAI, mixed_thread: list[str]) -> None:
    messages = client.beta.threads.messages
    newest_first = mixed_thread[::-1]

    first = messages.list(THREAD, limit=2)
    assert (_ids(first), first.has_more) == (newest_first[:2], True)
    assert (first.first_id, first.last_id) == (newest_first[0], newest_first[1])  # pyright: ignore[reportAttributeAccessIssue]
    last = messages.list(THREAD, limit=2, after=newest_first[3])
    assert (_ids(last), last.has_more) == (newest_first[4:], False)
    exact = messages.list(THREAD, limit=6)
    assert (_ids(exact), exact.has_more) == (newest_first, False)
    assert [m.id for m in messages.list(THREAD, limit=2)] == newest_first
    ascending = messages.list(THREAD, order="asc", limit=4)
    assert (_ids(ascending), ascending.has_more) == (mixed_thread[:4], True)


def test_list_before_is_emulated(client: OpenAI, mixed_thread: list[str]) -> None:
    messages = client.beta.threads.messages

    desc = messages.list(THREAD, before=mixed_thread[2], limit=2)
    assert (_ids(desc), desc.has_more) == ([mixed_thread[4], mixed_thread[3]], True)
    asc = messages.list(THREAD, order="asc", before=mixed_thread[2])
    assert (_ids(asc), asc.has_more) == (mixed_thread[:2], False)
    between = messages.list(THREAD, order="asc", after=mixed_thread[0], before=mixed_thread[4])
    assert (_ids(between), between.has_more) == (mixed_thread[1:4], False)


def test_list_with_an_unknown_cursor_is_a_400(client: OpenAI, mixed_thread: list[str]) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.messages.list(THREAD, before="msg_nope")
    assert caught.value.param == "before"
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.messages.list(THREAD, after="msg_nope")
    assert caught.value.param == "after"


def test_list_by_run_id_uses_the_records(client: OpenAI, store: SQLiteStore, mixed_thread: list[str]) -> None:
    for message_id in mixed_thread[1::2]:
        meta = MessageRecord(created_at=NOW, run_id="run_1", assistant_id="asst_1")
        store.put(meta.to_row(message_id=message_id, thread_id=THREAD))

    page = client.beta.threads.messages.list(THREAD, run_id="run_1", limit=2)

    assert (_ids(page), page.has_more) == ([mixed_thread[5], mixed_thread[3]], True)
    assert {(m.run_id, m.assistant_id) for m in page.data} == {("run_1", "asst_1")}
    assert [m.id for m in client.beta.threads.messages.list(THREAD, run_id="run_1", limit=2)] == mixed_thread[5::-2]
    assert client.beta.threads.messages.list(THREAD, run_id="run_other").data == []


def test_a_message_cannot_be_added_while_a_run_is_active(client: OpenAI, emulator: Emulator) -> None:
    assistant = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "lookup please"}])
    emulator.queue(Turn.function_calls(("lookup", {})))
    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"

    with pytest.raises(
        openai.BadRequestError, match=f"Can't add messages to {thread.id} while a run {run.id} is active."
    ):
        client.beta.threads.messages.create(thread.id, role="user", content="more")


@pytest.mark.anyio
async def test_async_client_gives_the_same_objects(
    client: OpenAI, emulator: Emulator, async_client: AsyncOpenAI, async_emulator: Emulator
) -> None:
    def build_sync() -> None:
        client.beta.threads.create(messages=[{"role": "user", "content": f"m{n}"} for n in range(3)])
        client.beta.threads.messages.create(THREAD, role="assistant", content="a", metadata={"k": "v"})

    build_sync()
    messages = async_client.beta.threads.messages
    await async_client.beta.threads.create(messages=[{"role": "user", "content": f"m{n}"} for n in range(3)])
    created = await messages.create(THREAD, role="assistant", content="a", metadata={"k": "v"})

    assert created == client.beta.threads.messages.retrieve(created.id, thread_id=THREAD)
    page = await messages.list(THREAD, limit=2, order="asc")
    assert page.model_dump() == client.beta.threads.messages.list(THREAD, limit=2, order="asc").model_dump()
    assert [m.id async for m in messages.list(THREAD, limit=1)] == [
        m.id for m in client.beta.threads.messages.list(THREAD)
    ]
    before = await messages.list(THREAD, before=created.id)
    assert before.model_dump() == client.beta.threads.messages.list(THREAD, before=created.id).model_dump()
    updated = await messages.update(created.id, thread_id=THREAD, metadata={"k": "w"})
    assert updated.metadata == {"k": "w"}
    assert (await messages.delete(created.id, thread_id=THREAD)).deleted is True
    with pytest.raises(openai.NotFoundError, match="No message found"):
        await messages.retrieve(created.id, thread_id=THREAD)
    assert async_emulator.requests[:2] == emulator.requests[:2]
