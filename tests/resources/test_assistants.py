"""``client.beta.assistants``: assistants in the local store, sync and async, with legacy errors."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from compat import AsyncOpenAI, OpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport
from compat.store.sqlite import SQLiteStore

NOW = 1_700_000_100


def _deterministic(client: OpenAI | AsyncOpenAI) -> None:
    counter = itertools.count(1)
    client.compat_context.ids = lambda prefix: f"{prefix}_{next(counter):04d}"
    client.compat_context.clock = lambda: NOW


@pytest.fixture
def client(tmp_path: Path, emulator: Emulator) -> OpenAI:
    http = httpx2.Client(transport=EmulatorTransport(emulator))
    client = OpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=http,
        store=SQLiteStore(str(tmp_path / "s.db")),
        max_retries=0,
    )
    _deterministic(client)
    return client


@pytest.fixture
def async_client(tmp_path: Path, emulator: Emulator) -> AsyncOpenAI:
    http = httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator))
    client = AsyncOpenAI(
        api_key="test",
        base_url="http://emulator.test/v1",
        http_client=http,
        store=SQLiteStore(str(tmp_path / "a.db")),
        max_retries=0,
    )
    _deterministic(client)
    return client


def _assistant(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "asst_0001",
        "object": "assistant",
        "created_at": NOW,
        "name": None,
        "description": None,
        "model": "gpt-4o",
        "instructions": None,
        "tools": [],
        "top_p": 1.0,
        "temperature": 1.0,
        "reasoning_effort": None,
        "tool_resources": {"code_interpreter": None, "file_search": None},
        "metadata": {},
        "response_format": "auto",
    }
    return {**base, **fields}


def test_create_has_the_legacy_defaults_and_sends_nothing(client: OpenAI, emulator: Emulator) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")

    assert assistant.model_dump() == _assistant()
    assert emulator.requests == []
    assert client.beta.assistants.retrieve("asst_0001") == assistant


def test_create_keeps_every_field_and_defaults_function_tools_to_non_strict(client: OpenAI) -> None:
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        name="Math tutor",
        description="helps",
        instructions="Be brief.",
        metadata={"team": "math"},
        reasoning_effort="low",
        response_format={"type": "json_object"},
        temperature=0.2,
        top_p=0.5,
        tool_resources={"code_interpreter": {"file_ids": ["file_1"]}},
        tools=[
            {"type": "code_interpreter"},
            {"type": "function", "function": {"name": "add", "parameters": {"type": "object"}}},
            {"type": "function", "function": {"name": "sub", "strict": True}},
        ],
    )

    assert assistant.model_dump(exclude_unset=True) == {
        "id": "asst_0001",
        "object": "assistant",
        "created_at": NOW,
        "name": "Math tutor",
        "description": "helps",
        "model": "gpt-4o",
        "instructions": "Be brief.",
        "tools": [
            {"type": "code_interpreter"},
            {"type": "function", "function": {"name": "add", "parameters": {"type": "object"}, "strict": False}},
            {
                "type": "function",
                "function": {"name": "sub", "parameters": {"type": "object", "properties": {}}, "strict": True},
            },
        ],
        "top_p": 0.5,
        "temperature": 0.2,
        "reasoning_effort": "low",
        "tool_resources": {"code_interpreter": {"file_ids": ["file_1"]}},
        "metadata": {"team": "math"},
        "response_format": {"type": "json_object"},
    }


def test_update_changes_only_the_given_fields(client: OpenAI) -> None:
    client.beta.assistants.create(model="gpt-4o", name="a", metadata={"x": "1", "y": "2"}, temperature=0.3)

    updated = client.beta.assistants.update("asst_0001", name="b", metadata={"z": "3"})

    assert updated.model_dump() == _assistant(name="b", metadata={"z": "3"}, temperature=0.3)
    assert client.beta.assistants.retrieve("asst_0001") == updated


def test_delete_then_retrieve_is_the_legacy_404(client: OpenAI) -> None:
    client.beta.assistants.create(model="gpt-4o")

    deleted = client.beta.assistants.delete("asst_0001")

    assert deleted.model_dump() == {"id": "asst_0001", "object": "assistant.deleted", "deleted": True}
    with pytest.raises(openai.NotFoundError) as caught:
        client.beta.assistants.retrieve("asst_0001")
    assert caught.value.status_code == 404
    assert caught.value.body == {
        "message": "No assistant found with id 'asst_0001'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    with pytest.raises(openai.NotFoundError, match=r"No assistant found with id 'asst_0001'\."):
        client.beta.assistants.delete("asst_0001")
    with pytest.raises(openai.NotFoundError, match=r"No assistant found with id 'asst_x'\."):
        client.beta.assistants.update("asst_x", name="n")


def test_list_pages_with_limit_order_after_and_before(client: OpenAI) -> None:
    for _ in range(5):
        client.beta.assistants.create(model="gpt-4o")

    first = client.beta.assistants.list(limit=2)
    assert [a.id for a in first.data] == ["asst_0005", "asst_0004"]
    assert (first.first_id, first.last_id, first.has_more) == ("asst_0005", "asst_0004", True)
    assert [a.id for a in first] == [f"asst_000{n}" for n in (5, 4, 3, 2, 1)]

    ascending = client.beta.assistants.list(order="asc", after="asst_0002", limit=2)
    assert [a.id for a in ascending.data] == ["asst_0003", "asst_0004"]
    assert ascending.has_more is True
    before = client.beta.assistants.list(order="asc", before="asst_0003")
    assert [a.id for a in before.data] == ["asst_0001", "asst_0002"]
    assert before.has_more is False


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"temperature": 3}, "temperature"),
        ({"top_p": -0.1}, "top_p"),
        ({"tools": [{"type": "browser"}]}, "tools[0].type"),
        ({"metadata": {"k": "v" * 513}}, "metadata.k"),
        (
            {"tool_resources": {"file_search": {"vector_stores": [{"file_ids": ["f"]}, {"file_ids": ["g"]}]}}},
            "tool_resources.file_search.vector_stores",
        ),
        ({"extra_body": {"x": 1}}, "extra_body"),
        ({"limit": 0}, None),
    ],
)
def test_bad_arguments_are_legacy_400s_and_store_nothing(
    client: OpenAI, kwargs: dict[str, Any], param: str | None
) -> None:
    if param is None:
        with pytest.raises(openai.BadRequestError) as caught:
            client.beta.assistants.list(**kwargs)
        assert caught.value.param == "limit"
        return
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.assistants.create(model="gpt-4o", **kwargs)
    assert caught.value.status_code == 400
    assert caught.value.param == param
    assert client.beta.assistants.list().data == []


@pytest.mark.anyio
async def test_async_client_gives_the_same_objects(client: OpenAI, async_client: AsyncOpenAI) -> None:
    client.beta.assistants.create(model="gpt-4o", name="one")
    client.beta.assistants.create(model="gpt-4o", name="two")
    client.beta.assistants.update("asst_0002", metadata={"k": "v"})
    assistants = async_client.beta.assistants
    await assistants.create(model="gpt-4o", name="one")
    await assistants.create(model="gpt-4o", name="two")
    await assistants.update("asst_0002", metadata={"k": "v"})

    page = await assistants.list(limit=1)
    assert page.model_dump() == client.beta.assistants.list(limit=1).model_dump()
    assert [a.id async for a in assistants.list(limit=1)] == ["asst_0002", "asst_0001"]
    assert (await assistants.retrieve("asst_0001")) == client.beta.assistants.retrieve("asst_0001")
    assert (await assistants.delete("asst_0001")) == client.beta.assistants.delete("asst_0001")
    with pytest.raises(openai.NotFoundError):
        await assistants.retrieve("asst_0001")
