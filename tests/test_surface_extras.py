"""Legacy surface around the core: page classes, pydantic models as arguments, ``client.beta.vector_stores``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from openai.pagination import AsyncCursorPage, SyncCursorPage
from openai.types.beta import Assistant, AssistantToolParam
from openai.types.beta.threads import Message, Run
from openai.types.beta.threads.runs import RunStep
from openai.types.shared import FunctionDefinition
from pydantic import BaseModel

import compat
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


def clients(emulator: Emulator, tmp_path: Path) -> tuple[compat.OpenAI, compat.AsyncOpenAI]:
    store = f"sqlite:///{tmp_path / 'state.db'}"
    options: dict[str, Any] = {"api_key": "test", "base_url": "http://127.0.0.1:9/v1", "store": store}
    sync = compat.OpenAI(http_client=httpx2.Client(transport=EmulatorTransport(emulator)), **options)
    async_ = compat.AsyncOpenAI(http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator)), **options)
    return sync, async_


@pytest.mark.anyio
async def test_list_pages_are_the_sdks_parameterized_page_classes(emulator: Emulator, tmp_path: Path) -> None:
    client, async_client = clients(emulator, tmp_path)
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    emulator.queue(Turn.text("hello"))
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    pages: list[tuple[Any, Any, type[Any]]] = [
        (client.beta.assistants.list(), await async_client.beta.assistants.list(), Assistant),
        (
            client.beta.threads.messages.list(thread.id),
            await async_client.beta.threads.messages.list(thread.id),
            Message,
        ),
        (client.beta.threads.runs.list(thread.id), await async_client.beta.threads.runs.list(thread.id), Run),
        (
            client.beta.threads.runs.steps.list(run.id, thread_id=thread.id),
            await async_client.beta.threads.runs.steps.list(run.id, thread_id=thread.id),
            RunStep,
        ),
    ]
    for sync_page, async_page, model in pages:
        assert isinstance(sync_page, SyncCursorPage[model])  # type: ignore[valid-type]
        assert isinstance(async_page, AsyncCursorPage[model])  # type: ignore[valid-type]
        assert sync_page.data and all(isinstance(item, model) for item in sync_page.data)
        assert sync_page.to_dict() == async_page.to_dict()


class MessageSpec(BaseModel):
    role: str
    content: str


class ThreadSpec(BaseModel):
    """A caller's own model of the ``thread`` argument."""

    messages: list[MessageSpec]
    metadata: dict[str, str]


def test_pydantic_models_are_accepted_as_the_sdk_accepts_them(emulator: Emulator, tmp_path: Path) -> None:
    client, _ = clients(emulator, tmp_path)
    function = FunctionDefinition(name="lookup", description="Looks things up.")
    tool: AssistantToolParam = {"type": "function", "function": function}  # type: ignore[typeddict-item]
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.", tools=[tool])
    assert assistant.tools[0].model_dump() == {
        "type": "function",
        "function": {
            "name": "lookup",
            "description": "Looks things up.",
            "parameters": {"type": "object", "properties": {}},
            "strict": False,
        },
    }
    emulator.queue(Turn.text("hello"))
    thread: Any = ThreadSpec(messages=[MessageSpec(role="user", content="hi")], metadata={"from": "model"})
    run = client.beta.threads.create_and_run_poll(assistant_id=assistant.id, thread=thread)
    assert run.status == "completed"
    assert client.beta.threads.retrieve(run.thread_id).metadata == {"from": "model"}


def test_beta_vector_stores_is_the_clients(emulator: Emulator, tmp_path: Path) -> None:
    client, async_client = clients(emulator, tmp_path)
    assert client.beta.vector_stores is client.vector_stores
    assert async_client.beta.vector_stores is async_client.vector_stores
    assert isinstance(client.beta.vector_stores, openai.resources.vector_stores.VectorStores)


def test_none_for_limit_and_order_means_the_defaults(emulator: Emulator, tmp_path: Path) -> None:
    """The SDK sends no ``None`` query value, so the legacy API used its defaults."""
    client, _ = clients(emulator, tmp_path)
    for name in ("a", "b"):
        client.beta.assistants.create(model="gpt-4o", name=name)
    page = client.beta.assistants.list(limit=None, order=None)  # type: ignore[arg-type]
    assert [a.name for a in page.data] == ["b", "a"]


def test_async_list_refuses_an_empty_id_when_called(emulator: Emulator, tmp_path: Path) -> None:
    """As the SDK's: the ValueError comes from ``list(...)`` itself, before anything is awaited."""
    _, async_client = clients(emulator, tmp_path)
    with pytest.raises(ValueError, match="Expected a non-empty value for `thread_id` but received ''"):
        async_client.beta.threads.runs.list("")


@pytest.mark.anyio
async def test_legacy_streams_have_a_response_as_the_sdks_do(emulator: Emulator, tmp_path: Path) -> None:
    client, async_client = clients(emulator, tmp_path)
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Help.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    emulator.queue(Turn.text("one"), Turn.text("two"))
    stream = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id, stream=True)
    assert (stream.response.status_code, stream.response.headers["content-type"]) == (200, "text/event-stream")
    assert [e.event for e in stream][-1] == "thread.run.completed"
    stream.response.close()
    async_stream = await async_client.beta.threads.runs.create(thread.id, assistant_id=assistant.id, stream=True)
    assert async_stream.response.status_code == 200
    assert [e.event async for e in async_stream][-1] == "thread.run.completed"
    await async_stream.response.aclose()
