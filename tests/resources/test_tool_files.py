"""Files for the built-in tools as the legacy API handled them: inline vector stores on assistants and threads,
message attachments going to the thread's vector store or to the code interpreter of its runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

import compat
from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock

SEVEN_DAYS: Any = {"anchor": "last_active_at", "days": 7}


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


def upload(client: compat.OpenAI, name: str, text: str) -> str:
    return client.files.create(file=(name, text.encode()), purpose="assistants").id


def sent(emulator: Emulator, method: str, path_start: str) -> list[Any]:
    return [r.json for r in emulator.requests if r.method == method and r.path.startswith(path_start)]


def test_an_assistants_inline_vector_store_is_made_and_named(client: compat.OpenAI, emulator: Emulator) -> None:
    file_id = upload(client, "guide.txt", "The warranty lasts two years.")
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [file_id], "metadata": {"team": "docs"}}]}},
    )

    assert sent(emulator, "POST", "/vector_stores") == [{"file_ids": [file_id], "metadata": {"team": "docs"}}]
    vector_store = client.vector_stores.list().data[0]
    assert assistant.tool_resources is not None and assistant.tool_resources.file_search is not None
    assert assistant.tool_resources.file_search.vector_store_ids == [vector_store.id]
    assert client.beta.assistants.retrieve(assistant.id).tool_resources == assistant.tool_resources


def test_a_threads_inline_vector_store_expires_as_the_legacy_ones_did(
    client: compat.OpenAI, emulator: Emulator
) -> None:
    file_id = upload(client, "notes.txt", "Meeting on Tuesday.")
    thread = client.beta.threads.create(
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [file_id]}]}},
    )

    assert sent(emulator, "POST", "/vector_stores") == [{"file_ids": [file_id], "expires_after": SEVEN_DAYS}]
    assert thread.tool_resources is not None and thread.tool_resources.file_search is not None
    (vector_store_id,) = thread.tool_resources.file_search.vector_store_ids or []
    assert client.beta.threads.retrieve(thread.id).tool_resources == thread.tool_resources
    assert client.vector_stores.retrieve(vector_store_id).expires_after is not None


def test_file_search_attachments_fill_the_threads_vector_store(client: compat.OpenAI, emulator: Emulator) -> None:
    first = upload(client, "a.txt", "alpha")
    second = upload(client, "b.txt", "beta")
    thread = client.beta.threads.create()
    search: Any = [{"type": "file_search"}]

    message = client.beta.threads.messages.create(
        thread.id, role="user", content="Read this", attachments=[{"file_id": first, "tools": search}]
    )
    client.beta.threads.messages.create(
        thread.id, role="user", content="And this", attachments=[{"file_id": second, "tools": search}]
    )

    assert [a.model_dump() for a in message.attachments or []] == [{"file_id": first, "tools": search}]
    resources = client.beta.threads.retrieve(thread.id).tool_resources
    assert resources is not None and resources.file_search is not None
    (vector_store_id,) = resources.file_search.vector_store_ids or []
    assert sent(emulator, "POST", "/vector_stores") == [
        {"file_ids": [first], "expires_after": SEVEN_DAYS},
        {"file_id": second},
    ]
    files = client.vector_stores.files.list(vector_store_id).data
    assert sorted(f.id for f in files) == sorted([first, second])
    listed = client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
    assert listed.attachments == message.attachments


def test_code_interpreter_attachments_go_into_every_later_runs_container(
    client: compat.OpenAI, emulator: Emulator
) -> None:
    data_file = upload(client, "data.csv", "x,y\n1,2\n")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = client.beta.threads.create(
        messages=[
            {
                "role": "user",
                "content": "Plot it",
                "attachments": [{"file_id": data_file, "tools": [{"type": "code_interpreter"}]}],
            }
        ]
    )
    emulator.queue(Turn.text("Done."), Turn.text("Again."))

    for _ in range(2):
        run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        assert run.status == "completed"

    tools = [body["tools"] for body in sent(emulator, "POST", "/responses")]
    assert tools == [[{"type": "code_interpreter", "container": {"type": "auto", "file_ids": [data_file]}}]] * 2
    # not shown in the thread's tool resources, as in the legacy API
    assert client.beta.threads.retrieve(thread.id).tool_resources is not None
    assert client.beta.threads.retrieve(thread.id).tool_resources.code_interpreter is None  # type: ignore[union-attr]
    first = client.beta.threads.messages.list(thread.id, order="asc").data[0]
    assert [a.file_id for a in first.attachments or []] == [data_file]


def test_attachments_on_an_unknown_thread_move_no_file(client: compat.OpenAI, emulator: Emulator) -> None:
    file_id = upload(client, "a.txt", "alpha")
    before = len(emulator.requests)
    with pytest.raises(openai.NotFoundError) as caught:
        client.beta.threads.messages.create(
            "conv_missing",
            role="user",
            content="x",
            attachments=[{"file_id": file_id, "tools": [{"type": "file_search"}]}],
        )
    assert caught.value.body == {
        "message": "No thread found with id 'conv_missing'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert [r.path for r in emulator.requests[before:]] == ["/conversations/conv_missing"]


class Processing(httpx2.BaseTransport):
    """The emulator, except that the first read of each vector store says its files are still processing."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = EmulatorTransport(emulator)
        self.seen: set[str] = set()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        response = self.inner.handle_request(request)
        path = request.url.path
        if request.method != "GET" or not path.startswith("/v1/vector_stores/vs_") or path in self.seen:
            return response
        self.seen.add(path)
        body = json.loads(response.read())
        counts = {**body["file_counts"], "in_progress": 1, "completed": 0}
        return httpx2.Response(200, json={**body, "status": "in_progress", "file_counts": counts}, request=request)


def test_a_run_waits_for_the_files_attached_to_its_thread(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("compat.ops._files._POLL_SECONDS", 0.01)
    client = compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=Processing(emulator)),
        store=f"sqlite:///{tmp_path / 'state.db'}",
    )
    file_id = upload(client, "policy.txt", "The warranty lasts two years.")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "file_search"}])
    thread = client.beta.threads.create(
        messages=[
            {
                "role": "user",
                "content": "Warranty?",
                "attachments": [{"file_id": file_id, "tools": [{"type": "file_search"}]}],
            }
        ]
    )
    emulator.queue(Turn.text("Two years."), Turn.text("Still two years."))
    (vector_store_id,) = client.beta.threads.retrieve(thread.id).tool_resources.file_search.vector_store_ids  # type: ignore[union-attr]
    before = len(emulator.requests)

    for _ in range(2):
        client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)

    calls = [
        f"{r.method} {r.path}" for r in emulator.requests[before:] if r.path != f"/conversations/{thread.id}/items"
    ]
    # read until processed (once said to be processing), then the run; the second run does not wait again
    assert calls == [f"GET /vector_stores/{vector_store_id}"] * 2 + ["POST /responses", "POST /responses"]


class Meanwhile(httpx2.BaseTransport):
    """The emulator, running ``action`` once, just before the first vector store made with files."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = EmulatorTransport(emulator)
        self.action: Any = None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        making = request.method == "POST" and request.url.path == "/v1/vector_stores"
        if self.action is not None and making and "file_ids" in json.loads(request.content):
            action, self.action = self.action, None
            action()
        return self.inner.handle_request(request)


def test_attachments_follow_a_vector_store_given_to_the_thread_meanwhile(emulator: Emulator, tmp_path: Path) -> None:
    transport = Meanwhile(emulator)
    store = f"sqlite:///{tmp_path / 'state.db'}"
    client = compat.OpenAI(
        api_key="test", base_url="http://127.0.0.1:9/v1", http_client=httpx2.Client(transport=transport), store=store
    )
    other = compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=store,
    )
    file_id = upload(client, "a.txt", "alpha")
    theirs = client.vector_stores.create(name="given").id
    thread = client.beta.threads.create()
    transport.action = lambda: other.beta.threads.update(
        thread.id, tool_resources={"file_search": {"vector_store_ids": [theirs]}}
    )

    client.beta.threads.messages.create(
        thread.id, role="user", content="x", attachments=[{"file_id": file_id, "tools": [{"type": "file_search"}]}]
    )

    resources = client.beta.threads.retrieve(thread.id).tool_resources
    assert resources is not None and resources.file_search is not None
    assert resources.file_search.vector_store_ids == [theirs]
    assert [f.id for f in client.vector_stores.files.list(theirs).data] == [file_id]
    # the vector store made for the attachment in the meantime is deleted
    assert [v.id for v in client.vector_stores.list().data] == [theirs]


def test_a_run_refused_for_its_assistant_moves_no_file(client: compat.OpenAI, emulator: Emulator) -> None:
    file_id = upload(client, "a.txt", "alpha")
    thread = client.beta.threads.create()
    before = len(emulator.requests)
    attachments: Any = [{"file_id": file_id, "tools": [{"type": "file_search"}, {"type": "code_interpreter"}]}]

    with pytest.raises(openai.NotFoundError):
        client.beta.threads.runs.create(
            thread.id,
            assistant_id="asst_missing",
            additional_messages=[{"role": "user", "content": "x", "attachments": attachments}],
        )

    assert emulator.requests[before:] == []
    assert client.beta.threads.retrieve(thread.id).tool_resources == thread.tool_resources


def test_a_thread_that_cannot_be_made_leaves_no_vector_store(client: compat.OpenAI, emulator: Emulator) -> None:
    file_id = upload(client, "a.txt", "alpha")
    search: Any = [{"type": "file_search"}]

    with pytest.raises(openai.NotFoundError):
        client.beta.threads.create(
            messages=[{"role": "user", "content": "x", "attachments": [{"file_id": "file-missing", "tools": search}]}],
            tool_resources={"file_search": {"vector_stores": [{"file_ids": [file_id]}]}},
        )

    assert client.vector_stores.list().data == []
    deleted = [r.path for r in emulator.requests if r.method == "DELETE"]
    assert [path.split("/")[1] for path in deleted] == ["vector_stores", "conversations"]
