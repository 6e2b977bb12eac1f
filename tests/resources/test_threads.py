"""``client.beta.threads``: threads are conversations; initial messages become items, 20 per request."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from compat import AsyncOpenAI, OpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, counter_ids, fixed_clock
from compat.emulator._emulator import RecordedRequest
from compat.store import StoredRecord
from compat.store.sqlite import SQLiteStore

NOW = 1_700_000_100
CONVERSATION_TIME = 1_700_000_000


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(str(tmp_path / "s.db")).for_tenant("tests")


def _deterministic(client: OpenAI | AsyncOpenAI) -> None:
    counter = itertools.count(1)
    client.compat_context.ids = lambda prefix: f"{prefix}_{next(counter):04d}"
    client.compat_context.clock = lambda: NOW


def _client(transport: httpx2.BaseTransport, store: SQLiteStore) -> OpenAI:
    client = OpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=httpx2.Client(transport=transport),
        store=store,
        max_retries=0,
    )
    _deterministic(client)
    return client


@pytest.fixture
def client(emulator: Emulator, store: SQLiteStore) -> OpenAI:
    return _client(EmulatorTransport(emulator), store)


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


def _thread(thread_id: str = "conv_0001", **fields: Any) -> dict[str, Any]:
    base = {"id": thread_id, "object": "thread", "created_at": CONVERSATION_TIME, "metadata": {}}
    return {**base, "tool_resources": {"code_interpreter": None, "file_search": None}, **fields}


def _request(method: str, path: str, body: Any = None, **query: list[str]) -> RecordedRequest:
    return RecordedRequest(method=method, path=path, query=query, json=body)


def test_create_is_a_conversation(client: OpenAI, emulator: Emulator) -> None:
    thread = client.beta.threads.create()

    assert thread.model_dump() == _thread()
    assert emulator.requests == [_request("POST", "/conversations", {})]


def test_create_with_messages_adds_items_and_their_records(
    client: OpenAI, emulator: Emulator, store: SQLiteStore
) -> None:
    thread = client.beta.threads.create(
        messages=[
            {"role": "user", "content": "Hello, assistant!", "metadata": {"n": "1"}},
            {"role": "assistant", "content": "Hi there, user."},
        ],
        metadata={"topic": "greetings"},
        tool_resources={"code_interpreter": {"file_ids": ["file_1"]}},
    )

    assert thread.model_dump(exclude_unset=True) == {
        "id": "conv_0001",
        "object": "thread",
        "created_at": CONVERSATION_TIME,
        "metadata": {"topic": "greetings"},
        "tool_resources": {"code_interpreter": {"file_ids": ["file_1"]}},
    }
    assert emulator.requests == [
        _request("POST", "/conversations", {"metadata": {"topic": "greetings"}}),
        _request(
            "POST",
            "/conversations/conv_0001/items",
            {
                "items": [
                    {
                        "type": "message",
                        "role": "user",
                        "content": [{"type": "input_text", "text": "Hello, assistant!"}],
                    },
                    {
                        "type": "message",
                        "role": "assistant",
                        "content": [{"type": "output_text", "text": "Hi there, user.", "annotations": []}],
                    },
                ]
            },
        ),
    ]
    assert [
        (r.id, r.group_id, r.data["metadata"]) for r in store.list("message", parent_id="conv_0001", order="asc")
    ] == [
        ("msg_0002", "", {"n": "1"}),
        ("msg_0003", "", {}),
    ]
    messages = client.beta.threads.messages.list(thread.id, order="asc")
    assert [(m.role, m.content[0].text.value, m.metadata) for m in messages.data] == [  # type: ignore[union-attr]
        ("user", "Hello, assistant!", {"n": "1"}),
        ("assistant", "Hi there, user.", {}),
    ]
    assert client.beta.threads.retrieve(thread.id) == thread


def test_45_initial_messages_go_in_batches_of_20(client: OpenAI, emulator: Emulator, store: SQLiteStore) -> None:
    client.beta.threads.create(messages=[{"role": "user", "content": f"m{n}"} for n in range(45)])

    batches = [len(r.json["items"]) for r in emulator.requests if r.path.endswith("/items")]
    assert batches == [20, 20, 5]
    assert len(store.list("message", parent_id="conv_0001")) == 45
    assert [m.content[0].text.value for m in client.beta.threads.messages.list("conv_0001", order="asc", limit=100)][  # type: ignore[union-attr]
        ::11
    ] == ["m0", "m11", "m22", "m33", "m44"]


@pytest.mark.parametrize(
    ("messages", "param"),
    [
        ([{"role": "user", "content": "ok"}, {"role": "system", "content": "no"}], "messages[1].role"),
        ([{"role": "user", "content": [{"type": "audio"}]}], "messages[0].content[0].type"),
        ([{"role": "user", "content": ""}], "messages[0].content"),
        (
            [{"role": "assistant", "content": [{"type": "image_file", "image_file": {"file_id": "f"}}]}],
            "messages[0].content[0].type",
        ),
        ([{"role": "user", "content": "x", "metadata": {"k": 1}}], "messages[0].metadata.k"),
        ([{"role": "user", "content": "x", "attachments": [{"tools": []}]}], "messages[0].attachments[0].file_id"),
        ([{"role": "user"}], "messages[0].content"),
        ([{"role": "user", "content": "x", "file_ids": []}], "messages[0].file_ids"),
    ],
)
def test_bad_messages_send_and_store_nothing(
    client: OpenAI, emulator: Emulator, store: SQLiteStore, messages: list[Any], param: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.create(messages=messages)

    assert caught.value.param == param
    assert emulator.requests == []
    assert store.list("message", parent_id="conv_0001") == []


@pytest.mark.parametrize(
    ("file_search", "param"),
    [
        ({"vector_stores": [{"file_ids": ["f"]}, {"file_ids": ["g"]}]}, "tool_resources.file_search.vector_stores"),
        ({"vector_stores": [{"file_ids": ["f"], "name": "x"}]}, "tool_resources.file_search.vector_stores[0].name"),
        (
            {"vector_stores": [{"chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 50}}}]},
            "tool_resources.file_search.vector_stores[0].chunking_strategy.static.max_chunk_size_tokens",
        ),
        # one vector store at most, given or made
        (
            {"vector_store_ids": ["vs_1"], "vector_stores": [{"file_ids": ["f"]}]},
            "tool_resources.file_search.vector_stores",
        ),
    ],
)
def test_bad_inline_vector_stores_send_nothing(
    client: OpenAI, emulator: Emulator, file_search: dict[str, Any], param: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.create(tool_resources={"file_search": file_search})
    assert caught.value.param == param
    assert emulator.requests == []


class _FailingItems(httpx2.BaseTransport):
    """The emulator, except that the second ``items.create`` answers a 500."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = EmulatorTransport(emulator)
        self.item_calls = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST" and request.url.path.endswith("/items"):
            self.item_calls += 1
            if self.item_calls == 2:
                return httpx2.Response(500, json={"error": {"message": "boom", "type": "server_error"}})
        return self.inner.handle_request(request)


def test_a_failed_items_request_deletes_the_conversation(emulator: Emulator, store: SQLiteStore) -> None:
    client = _client(_FailingItems(emulator), store)

    with pytest.raises(openai.InternalServerError):
        client.beta.threads.create(messages=[{"role": "user", "content": f"m{n}"} for n in range(25)])

    assert [(r.method, r.path) for r in emulator.requests] == [
        ("POST", "/conversations"),
        ("POST", "/conversations/conv_0001/items"),
        ("DELETE", "/conversations/conv_0001"),
    ]
    assert store.get("thread", "conv_0001") is None
    assert store.list("message", parent_id="conv_0001") == []


def test_retrieve_unknown_thread_is_the_legacy_404(client: OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.beta.threads.retrieve("conv_nope")
    assert caught.value.body == {
        "message": "No thread found with id 'conv_nope'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    with pytest.raises(openai.NotFoundError, match=r"No thread found with id 'conv_nope'\."):
        client.beta.threads.delete("conv_nope")
    with pytest.raises(openai.NotFoundError, match=r"No thread found with id 'conv_nope'\."):
        client.beta.threads.update("conv_nope", metadata={"a": "b"})


def test_a_native_conversation_is_a_thread_without_tool_resources(client: OpenAI) -> None:
    conversation = client.conversations.create(metadata={"made": "natively"})

    assert client.beta.threads.retrieve(conversation.id).model_dump() == _thread(metadata={"made": "natively"})


def test_update_sets_metadata_on_the_conversation_and_tool_resources_in_the_store(
    client: OpenAI, emulator: Emulator
) -> None:
    client.beta.threads.create(metadata={"a": "1"})

    updated = client.beta.threads.update(
        "conv_0001", metadata={"b": "2"}, tool_resources={"file_search": {"vector_store_ids": ["vs_1"]}}
    )

    assert updated.model_dump(exclude_unset=True) == {
        "id": "conv_0001",
        "object": "thread",
        "created_at": CONVERSATION_TIME,
        "metadata": {"b": "2"},
        "tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}},
    }
    assert emulator.requests[-1] == _request("POST", "/conversations/conv_0001", {"metadata": {"b": "2"}})
    assert client.beta.threads.retrieve("conv_0001") == updated
    assert client.conversations.retrieve("conv_0001").metadata == {"b": "2"}


def test_delete_removes_the_conversation_and_every_record(client: OpenAI, store: SQLiteStore) -> None:
    client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    store.put(StoredRecord(kind="run", id="run_1", parent_id="conv_0001", created_at=NOW, data={}))
    store.put(StoredRecord(kind="step", id="step_1", parent_id="run_1", created_at=NOW, data={}))

    deleted = client.beta.threads.delete("conv_0001")

    assert deleted.model_dump() == {"id": "conv_0001", "object": "thread.deleted", "deleted": True}
    assert store.get("thread", "conv_0001") is None
    assert store.list("message", parent_id="conv_0001") == []
    assert store.list("run", parent_id="conv_0001") == []
    assert store.list("step", parent_id="run_1") == []
    with pytest.raises(openai.NotFoundError):
        client.conversations.retrieve("conv_0001")


@pytest.mark.anyio
async def test_async_client_gives_the_same_objects(
    client: OpenAI, emulator: Emulator, async_client: AsyncOpenAI, async_emulator: Emulator
) -> None:
    messages: list[Any] = [{"role": "user", "content": f"m{n}"} for n in range(21)]
    sync_thread = client.beta.threads.create(messages=messages, metadata={"k": "v"})

    thread = await async_client.beta.threads.create(messages=messages, metadata={"k": "v"})

    assert thread == sync_thread
    assert async_emulator.requests == emulator.requests
    assert (await async_client.beta.threads.retrieve(thread.id)) == thread
    updated = await async_client.beta.threads.update(thread.id, metadata={"k": "w"})
    assert updated.metadata == {"k": "w"}
    assert (await async_client.beta.threads.delete(thread.id)).deleted is True
    with pytest.raises(openai.NotFoundError, match="No thread found"):
        await async_client.beta.threads.retrieve(thread.id)
