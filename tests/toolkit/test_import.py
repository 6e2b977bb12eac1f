"""``assistants-compat import``: saved legacy objects brought back over the emulator, with their ids.

The saved objects are shaped as the legacy API returned them (fields, ids and values of the recordings in
``../shared/realwire/p6_legacy_assistants``), generated here; one test reads every legacy object of those
recordings at test time.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from openai.types.beta import Assistant, Thread, ThreadDeleted
from openai.types.beta.threads import Message
from openai.types.beta.threads.runs import RunStep

from compat import AsyncOpenAI, OpenAI
from compat.cli import main
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock, serve
from compat.emulator._emulator import RecordedRequest
from compat.importer import EXPORT_FORMAT, Report, import_saved, read_paths
from compat.ops import _aliases
from compat.store import Store, open_store
from compat.translate.legacy import legacy_run

KEY = "sk-test-import"
BASE_URL = "http://emulator.local/v1"
NOW = 1_700_000_000
T0 = 1761861545
THREAD = "thread_OS44jZFnGgFsgkVM85h4FzVY"
ASSISTANT = "asst_0s6U9WqQrHOr3C1PRnAcQuwo"
RUN = "run_aiOgmOSxtqwaLG3JZAhGsAgR"
FILE = "file-DLCAr5NoVMw44WT3FrWWva"
MESSAGES = 45


# -- saved objects, shaped as the legacy API returned them ------------------------------------------------


def msg_id(n: int) -> str:
    return f"msg_Xu4xJ0nh9SQZqLuEN7MS{n:04d}"


def saved_assistant() -> dict[str, Any]:
    return {
        "id": ASSISTANT,
        "object": "assistant",
        "created_at": T0 - 60,
        "name": "Math tutor",
        "description": None,
        "model": "gpt-4o",
        "instructions": "You are a personal math tutor.",
        "tools": [{"type": "code_interpreter"}],
        "top_p": 1.0,
        "temperature": 1.0,
        "reasoning_effort": None,
        "tool_resources": {"code_interpreter": {"file_ids": []}},
        "metadata": {},
        "response_format": "auto",
    }


def saved_thread() -> dict[str, Any]:
    return {
        "id": THREAD,
        "object": "thread",
        "created_at": T0,
        "metadata": {"customer": "c-42"},
        "tool_resources": {"code_interpreter": {"file_ids": [FILE]}},
    }


def saved_message(n: int) -> dict[str, Any]:
    """Message ``n`` (0-based): users ask on even numbers, the assistant answers on odd ones (the last one
    with a file citation); no ``status``, as the API last sent them."""
    user = n % 2 == 0
    text: dict[str, Any] = {"value": f"Question {n}" if user else f"Answer {n}", "annotations": []}
    if n == 1:
        marker = "\u30104:0\u2020notes.txt\u3011"
        text = {
            "value": f"Answer 1{marker}.",
            "annotations": [
                {
                    "type": "file_citation",
                    "text": marker,
                    "start_index": 8,
                    "end_index": 8 + len(marker),
                    "file_citation": {"file_id": FILE},
                }
            ],
        }
    return {
        "id": msg_id(n),
        "object": "thread.message",
        "created_at": T0 + n,
        "assistant_id": None if user else ASSISTANT,
        "thread_id": THREAD,
        "run_id": None if user else RUN,
        "role": "user" if user else "assistant",
        "content": [{"type": "text", "text": text}],
        "attachments": [{"file_id": FILE, "tools": [{"type": "code_interpreter"}]}] if n == 0 else [],
        "metadata": {"n": str(n)},
    }


def saved_run() -> dict[str, Any]:
    return {
        "id": RUN,
        "object": "thread.run",
        "created_at": T0 + 1,
        "assistant_id": ASSISTANT,
        "thread_id": THREAD,
        "status": "completed",
        "started_at": T0 + 1,
        "expires_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": T0 + 2,
        "required_action": None,
        "last_error": None,
        "model": "gpt-4o",
        "instructions": "You are a personal math tutor.",
        "tools": [{"type": "code_interpreter"}],
        "tool_resources": {},
        "metadata": {},
        "temperature": 1.0,
        "top_p": 1.0,
        "reasoning_effort": None,
        "max_completion_tokens": None,
        "max_prompt_tokens": None,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "incomplete_details": None,
        "usage": {"prompt_tokens": 4276, "completion_tokens": 205, "total_tokens": 4481},
        "response_format": "auto",
        "tool_choice": "auto",
        "parallel_tool_calls": True,
    }


def saved_steps() -> list[dict[str, Any]]:
    base = {
        "object": "thread.run.step",
        "run_id": RUN,
        "assistant_id": ASSISTANT,
        "thread_id": THREAD,
        "status": "completed",
        "cancelled_at": None,
        "expires_at": None,
        "failed_at": None,
        "last_error": None,
        "usage": {"prompt_tokens": 2956, "completion_tokens": 120, "total_tokens": 3076},
    }
    call = {
        "id": "call_7AkAk6cv3v5YzeUrebYyQJWo",
        "type": "code_interpreter",
        "code_interpreter": {"input": "1 + 1", "outputs": [{"type": "logs", "logs": "2"}]},
    }
    return [
        {
            **base,
            "id": "step_bJ2U7q0YMc5lC2zY3o99BKcm",
            "created_at": T0 + 1,
            "completed_at": T0 + 1,
            "type": "tool_calls",
            "step_details": {"type": "tool_calls", "tool_calls": [call]},
        },
        {
            **base,
            "id": "step_zvZ3KGI9zefRnbkR9amo18dT",
            "created_at": T0 + 2,
            "completed_at": T0 + 2,
            "type": "message_creation",
            "step_details": {"type": "message_creation", "message_creation": {"message_id": msg_id(1)}},
        },
    ]


def saved_export() -> dict[str, Any]:
    """A thread export, its messages newest first (as ``messages.list`` answered by default)."""
    return {
        "format": EXPORT_FORMAT,
        "thread": saved_thread(),
        "messages": [saved_message(n) for n in reversed(range(MESSAGES))],
        "runs": [saved_run()],
        "steps": saved_steps(),
    }


def write_saved(directory: Path) -> Path:
    """The assistant as a JSONL list page, the thread as an export; the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    page = {"object": "list", "data": [saved_assistant()], "first_id": ASSISTANT, "last_id": ASSISTANT}
    (directory / "assistants.jsonl").write_text(json.dumps(page) + "\n")
    (directory / "threads").mkdir(exist_ok=True)
    (directory / "threads" / f"{THREAD}.json").write_text(json.dumps(saved_export(), indent=2))
    return directory


# -- what the legacy surface answers after the import ------------------------------------------------------


def expected_message(n: int) -> Message:
    """The message as the shim answers it: as saved, with the completion time of an assistant's message (its
    creation, as the shim derives it when the saved message has none)."""
    data = {"status": "completed", **saved_message(n)}
    if data["role"] == "assistant":
        data["completed_at"] = data["created_at"]
    return Message.model_validate(data)


def expected_thread(**changes: Any) -> Thread:
    return Thread.model_validate({**saved_thread(), **changes})


# -- clients -------------------------------------------------------------------------------------------------


class FlakyItems(httpx2.BaseTransport):
    """The emulator, but the ``fail_on``-th ``POST .../items`` fails: before it arrives, or after (answer lost)."""

    def __init__(self, emulator: Emulator, *, fail_on: int, answer_lost: bool) -> None:
        self.inner = EmulatorTransport(emulator)
        self.fail_on = fail_on
        self.answer_lost = answer_lost
        self.posts = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST" and request.url.path.endswith("/items"):
            self.posts += 1
            if self.posts == self.fail_on:
                if self.answer_lost:
                    self.inner.handle_request(request)
                raise httpx2.ReadTimeout("the answer was lost", request=request)
        return self.inner.handle_request(request)


def legacy_ids() -> Callable[[str], str]:
    counters: dict[str, itertools.count[int]] = {}
    return lambda prefix: f"{prefix}_{next(counters.setdefault(prefix, itertools.count(1))):04d}"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock(NOW))


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.db'}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def sync_client(transport: httpx2.BaseTransport, store: Store) -> OpenAI:
    client = OpenAI(
        api_key=KEY, base_url=BASE_URL, max_retries=0, store=store, http_client=httpx2.Client(transport=transport)
    )
    client.compat_context.ids = legacy_ids()
    client.compat_context.clock = fixed_clock(NOW)
    return client


@pytest.fixture
def client(emulator: Emulator, store: Store) -> OpenAI:
    return sync_client(EmulatorTransport(emulator), store)


def import_dir(client: OpenAI, directory: Path, **options: Any) -> Report:
    saved, bad = read_paths([directory])
    assert bad == []
    return import_saved(client, saved, **options)


def requests_of(emulator: Emulator) -> list[tuple[str, str, int | None]]:
    """Each request: method, path, and how many items it added."""
    return [(r.method, r.path, _items(r)) for r in emulator.requests]


def _items(request: RecordedRequest) -> int | None:
    return len(request.json["items"]) if isinstance(request.json, dict) and "items" in request.json else None


def imported(**counts: int) -> Counter[str]:
    """Counts per kind (a ``Counter``: kinds counted zero times compare equal to absent ones)."""
    return Counter(counts)


# -- tests -----------------------------------------------------------------------------------------------------


def test_the_import_writes_the_thread_in_chunks_of_20_oldest_first(
    client: OpenAI, emulator: Emulator, tmp_path: Path
) -> None:
    report = import_dir(client, write_saved(tmp_path / "saved"))

    assert report == Report(imported=imported(assistant=1, thread=1, message=45, run=1, step=2))
    assert requests_of(emulator) == [
        ("POST", "/conversations", None),
        ("POST", "/conversations/conv_0001/items", 20),
        ("POST", "/conversations/conv_0001/items", 20),
        ("POST", "/conversations/conv_0001/items", 5),
    ]
    assert emulator.requests[0].json == {"metadata": {"customer": "c-42"}}
    assert emulator.requests[1].json == {
        "items": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Question 0"}]},
            {
                "type": "message",
                "role": "assistant",
                "content": [
                    {
                        "type": "output_text",
                        "text": "Answer 1.",
                        "annotations": [
                            {"type": "file_citation", "file_id": FILE, "filename": "notes.txt", "index": 8}
                        ],
                    }
                ],
            },
            *[
                {
                    "type": "message",
                    "role": "user" if n % 2 == 0 else "assistant",
                    "content": [
                        {"type": "input_text", "text": f"Question {n}"}
                        if n % 2 == 0
                        else {"type": "output_text", "text": f"Answer {n}", "annotations": []}
                    ],
                }
                for n in range(2, 20)
            ],
        ]
    }


def test_old_ids_resolve_on_every_method(client: OpenAI, tmp_path: Path) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))
    threads = client.beta.threads

    assert client.beta.assistants.retrieve(ASSISTANT) == Assistant.model_validate(saved_assistant())
    assert threads.retrieve(THREAD) == expected_thread()
    first = threads.messages.list(THREAD, order="asc", limit=3)
    assert first.data == [expected_message(n) for n in range(3)]
    assert (first.first_id, first.last_id, first.has_more) == (msg_id(0), msg_id(2), True)
    assert threads.messages.list(THREAD, order="asc", limit=2, after=msg_id(2)).data == [
        expected_message(3),
        expected_message(4),
    ]
    assert [m.id for m in threads.messages.list(THREAD)] == [msg_id(n) for n in reversed(range(MESSAGES))]
    assert threads.messages.list(THREAD, run_id=RUN, limit=1).data == [expected_message(43)]
    assert threads.messages.retrieve(msg_id(1), thread_id=THREAD) == expected_message(1)
    assert threads.runs.list(THREAD).data == [legacy_run(saved_run())]
    assert threads.runs.retrieve(RUN, thread_id=THREAD) == legacy_run(saved_run())
    steps = [RunStep.model_validate(step) for step in saved_steps()]
    assert threads.runs.steps.list(RUN, thread_id=THREAD, order="asc").data == steps
    assert threads.runs.steps.retrieve(steps[1].id, thread_id=THREAD, run_id=RUN) == steps[1]
    assert threads.with_raw_response.retrieve(THREAD).parse() == expected_thread()
    with pytest.raises(openai.NotFoundError) as missing:
        threads.messages.retrieve("msg_unknown", thread_id=THREAD)
    assert missing.value.body == {
        "message": "No message found with id 'msg_unknown'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_a_new_run_on_the_old_thread_continues_its_conversation(
    client: OpenAI, emulator: Emulator, tmp_path: Path
) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))
    emulator.requests.clear()
    threads = client.beta.threads

    message = threads.messages.create(THREAD, role="user", content="And the last question?")
    run = threads.runs.create_and_poll(thread_id=THREAD, assistant_id=ASSISTANT)

    assert message.thread_id == THREAD
    assert (run.thread_id, run.status, run.assistant_id) == (THREAD, "completed", ASSISTANT)
    (response,) = [r for r in emulator.requests if r.path == "/responses"]
    assert response.json is not None
    assert response.json["conversation"] == "conv_0001"
    assert response.json["instructions"] == "You are a personal math tutor."
    history = [item["content"][0]["text"] for item in emulator.conversation_items("conv_0001")[:3]]
    assert history == ["Question 0", "Answer 1.", "Question 2"]
    newest = threads.messages.list(THREAD, limit=2).data
    assert [(m.thread_id, m.role, m.run_id) for m in newest] == [
        (THREAD, "assistant", run.id),
        (THREAD, "user", None),
    ]
    assert newest[1] == message
    assert [r.id for r in threads.runs.list(THREAD)] == [run.id, RUN]
    assert {s.thread_id for s in threads.runs.steps.list(run.id, thread_id=THREAD)} == {THREAD}


def test_streamed_events_name_the_old_thread(client: OpenAI, tmp_path: Path) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))

    with client.beta.threads.runs.stream(thread_id=THREAD, assistant_id=ASSISTANT) as stream:
        events = list(stream)

    thread_ids = {getattr(event.data, "thread_id", None) for event in events} - {None}
    assert thread_ids == {THREAD}
    assert events[-1].event == "thread.run.completed"


def test_old_ids_resolve_for_their_tenant_only(
    client: OpenAI, emulator: Emulator, store: Store, tmp_path: Path
) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))
    other = OpenAI(
        api_key="sk-another-key",
        base_url=BASE_URL,
        max_retries=0,
        store=store,
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
    )

    with pytest.raises(openai.NotFoundError) as missing:
        other.beta.threads.retrieve(THREAD)
    assert missing.value.body["message"] == f"No thread found with id '{THREAD}'."  # type: ignore[index]
    assert client.beta.threads.retrieve(THREAD) == expected_thread()


def test_update_and_delete_the_old_thread(client: OpenAI, tmp_path: Path) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))
    threads = client.beta.threads

    assert threads.update(THREAD, metadata={"customer": "c-43"}) == expected_thread(metadata={"customer": "c-43"})
    assert threads.delete(THREAD) == ThreadDeleted(id=THREAD, object="thread.deleted", deleted=True)
    with pytest.raises(openai.NotFoundError) as missing:
        threads.retrieve(THREAD)
    assert missing.value.body == {
        "message": f"No thread found with id '{THREAD}'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_ids_the_conversations_api_made_cost_no_look_up(
    client: OpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))
    looked_up: list[list[str]] = []
    resolve = _aliases.resolve

    def counting(store: Store, ids: Iterable[str], thread_id: str) -> _aliases.Aliases | None:
        looked_up.append(list(ids))
        return resolve(store, ids, thread_id)

    monkeypatch.setattr(_aliases, "resolve", counting)
    threads = client.beta.threads
    thread = threads.create(messages=[{"role": "user", "content": "Hello"}])
    threads.messages.list(thread.id)
    threads.runs.create_and_poll(thread_id=thread.id, assistant_id=ASSISTANT)
    assert looked_up == []

    with pytest.raises(openai.NotFoundError):
        threads.messages.list("thread_neverImported", after="msg_x")
    threads.messages.list(THREAD, after=msg_id(3), limit=1)
    assert looked_up == [["thread_neverImported", "msg_x"], [THREAD, msg_id(3)]]


def test_progress_counts_every_object(client: OpenAI, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    saved, _ = read_paths([write_saved(tmp_path / "saved")])

    import_saved(client, saved, progress=lambda done, total: seen.append((done, total)))

    assert seen == [(1, 50), (21, 50), (41, 50), (46, 50), (50, 50)]


def test_a_second_import_sends_nothing(client: OpenAI, emulator: Emulator, tmp_path: Path) -> None:
    directory = write_saved(tmp_path / "saved")
    import_dir(client, directory)
    sent = len(emulator.requests)

    report = import_dir(client, directory)

    assert len(emulator.requests) == sent
    assert report == Report(skipped=imported(assistant=1, thread=1, message=45, run=1, step=2))


@pytest.mark.parametrize("answer_lost", [False, True], ids=["never-arrived", "answer-lost"])
def test_an_interrupted_import_resumes_without_duplicates(
    emulator: Emulator, store: Store, tmp_path: Path, answer_lost: bool
) -> None:
    directory = write_saved(tmp_path / "saved")
    flaky = sync_client(FlakyItems(emulator, fail_on=2, answer_lost=answer_lost), store)

    first = import_dir(flaky, directory)

    assert first.imported == imported(assistant=1)
    assert first.failed == imported(thread=1, message=45, run=1, step=2)
    assert first.failures == [f"thread {THREAD}: Request timed out."]
    client = sync_client(EmulatorTransport(emulator), store)
    with pytest.raises(openai.NotFoundError):
        client.beta.threads.retrieve(THREAD)
    emulator.requests.clear()

    second = import_dir(client, directory)

    assert second == Report(imported=imported(thread=1, message=45, run=1, step=2), skipped=imported(assistant=1))
    resent = [("POST", "/conversations/conv_0001/items", 20)] if not answer_lost else []
    assert requests_of(emulator) == [
        ("GET", "/conversations/conv_0001/items", None),
        *resent,
        ("POST", "/conversations/conv_0001/items", 5),
    ]
    texts = [item["content"][0]["text"] for item in emulator.conversation_items("conv_0001")]
    assert texts == [
        "Answer 1." if n == 1 else saved_message(n)["content"][0]["text"]["value"] for n in range(MESSAGES)
    ]
    listed = client.beta.threads.messages.list(THREAD, order="asc", limit=100).data
    assert listed == [expected_message(n) for n in range(MESSAGES)]


def test_a_dry_run_writes_nothing(client: OpenAI, emulator: Emulator, store: Store, tmp_path: Path) -> None:
    report = import_dir(client, write_saved(tmp_path / "saved"), dry_run=True)

    assert report == Report(dry_run=True, imported=imported(assistant=1, thread=1, message=45, run=1, step=2))
    assert emulator.requests == []
    tenant = store.for_tenant(client.compat_context.store.tenant)
    assert [tenant.list(kind) for kind in ("alias", "assistant", "thread", "message", "run", "step")] == [[]] * 6


def test_bad_files_are_named_with_their_line_and_nothing_of_them_is_imported(
    client: OpenAI, emulator: Emulator, store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    video = {**saved_message(0), "content": [{"type": "video", "video": {}}]}
    lines = [saved_thread(), saved_message(0), video]
    (bad / "a.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    (bad / "b.json").write_text('{\n  "object": "thread",\n  "id": \n}')
    assistant_image = {**saved_message(1), "content": [{"type": "image_file", "image_file": {"file_id": FILE}}]}
    (bad / "c.json").write_text(json.dumps({"object": "list", "data": [saved_message(0), assistant_image]}))

    saved, errors = read_paths([bad])

    assert [str(error) for error in errors] == [
        f"{bad / 'a.jsonl'}: line 3: $.content[0].type: expected one of 'text', 'image_file', 'image_url', "
        "'refusal', got 'video'",
        f"{bad / 'b.json'}: line 4 column 1: not JSON: Expecting value",
        f"{bad / 'c.json'}: $.data[1].content[0]: image_file content in an assistant message has no Conversations "
        "item form",
    ]
    assert saved.count() == 0
    assert import_saved(client, saved) == Report()
    assert emulator.requests == []
    with pytest.raises(openai.NotFoundError):
        client.beta.threads.retrieve(THREAD)


def test_objects_without_their_thread_fail_with_the_reason(client: OpenAI, tmp_path: Path) -> None:
    directory = tmp_path / "saved"
    directory.mkdir()
    (directory / "messages.json").write_text(json.dumps([saved_message(0)]))

    report = import_dir(client, directory)

    assert report == Report(
        failed=imported(message=1), failures=[f"message {msg_id(0)}: its thread {THREAD} is not in the input"]
    )


@pytest.mark.anyio
async def test_the_async_client_resolves_old_ids_too(
    client: OpenAI, emulator: Emulator, store: Store, tmp_path: Path
) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))
    async_client = AsyncOpenAI(
        api_key=KEY,
        base_url=BASE_URL,
        max_retries=0,
        store=store,
        http_client=httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator)),
    )
    threads = async_client.beta.threads

    assert await threads.retrieve(THREAD) == expected_thread()
    assert [m.id async for m in threads.messages.list(THREAD, order="asc", limit=7)] == [
        msg_id(n) for n in range(MESSAGES)
    ]
    assert await threads.messages.retrieve(msg_id(1), thread_id=THREAD) == expected_message(1)
    assert await threads.runs.retrieve(RUN, thread_id=THREAD) == legacy_run(saved_run())
    assert (await threads.runs.steps.list(RUN, thread_id=THREAD, order="asc")).data == [
        RunStep.model_validate(step) for step in saved_steps()
    ]


def test_the_command_line_imports_once(
    emulator: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_BASE_URL", "COMPAT_STORE_URL", "COMPAT_TENANT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    directory = write_saved(tmp_path / "saved")
    (tmp_path / "bad.jsonl").write_text("{}\n")
    store_url = f"sqlite:///{tmp_path / 'cli.db'}"
    server = serve(emulator)
    try:
        command = ["import", str(directory), "--store", store_url, "--upstream", server.base_url, "--tenant", "team"]
        dry = main([*command, "--dry-run"])
        dry_out = capsys.readouterr().out
        first = main(command)
        first_out = capsys.readouterr().out
        again = main([command[0], str(tmp_path / "bad.jsonl"), *command[1:], "--quiet"])
        again_out, again_err = capsys.readouterr()
        with OpenAI(api_key=KEY, base_url=server.base_url, store=store_url, tenant="team") as client:
            retrieved = client.beta.threads.retrieve(THREAD)
    finally:
        server.close()

    assert (dry, first, again) == (0, 0, 1)
    assert dry_out.splitlines() == [
        "would import: 1 assistant, 1 thread, 45 messages, 1 run, 2 steps",
        "skipped (imported before): 0 assistants, 0 threads, 0 messages, 0 runs, 0 steps",
        "failed: 0 assistants, 0 threads, 0 messages, 0 runs, 0 steps, 0 bad files",
    ]
    assert first_out.splitlines()[0] == "imported: 1 assistant, 1 thread, 45 messages, 1 run, 2 steps"
    assert again_out.splitlines() == [
        "imported: 0 assistants, 0 threads, 0 messages, 0 runs, 0 steps",
        "skipped (imported before): 1 assistant, 1 thread, 45 messages, 1 run, 2 steps",
        "failed: 0 assistants, 0 threads, 0 messages, 0 runs, 0 steps, 1 bad file",
        f"  {tmp_path / 'bad.jsonl'}: line 1: $.object: not a legacy object: None",
    ]
    assert (
        again_err
        == f"assistants-compat import: {tmp_path / 'bad.jsonl'}: line 1: $.object: not a legacy object: None\n"
    )
    assert retrieved == expected_thread()


def test_every_legacy_object_of_the_recordings_reads(realwire: Path, tmp_path: Path) -> None:
    """Each recording's legacy objects (answers, list pages) as one JSONL file: every one validates."""
    directory = tmp_path / "recorded"
    directory.mkdir()
    names = sorted((realwire / "p6_legacy_assistants").glob("openai-dotnet__*.json"))
    names += sorted((realwire / "p8_legacy_builtin_tools").glob("openai-dotnet__*.json"))
    expected = 0
    for path in names:
        bodies = [entry.get("ResponseBody") for entry in json.loads(path.read_text())["Entries"]]
        legacy = [b for b in bodies if isinstance(b, dict) and _is_legacy(b)]
        expected += sum(len(b["data"]) if b["object"] == "list" else 1 for b in legacy)
        (directory / f"{path.stem}.jsonl").write_text("".join(json.dumps(b) + "\n" for b in legacy))

    saved, errors = read_paths([directory])

    assert errors == []
    assert saved.count() == expected > 150


def _is_legacy(body: dict[str, Any]) -> bool:
    kinds = ("assistant", "thread", "thread.message", "thread.run", "thread.run.step")
    if body.get("object") == "list":
        return bool(body["data"]) and all(isinstance(b, dict) and b.get("object") in kinds for b in body["data"])
    return body.get("object") in kinds


def test_the_command_line_stops_without_a_key_or_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "COMPAT_STORE_URL", "COMPAT_TENANT"):
        monkeypatch.delenv(name, raising=False)
    directory = write_saved(tmp_path / "saved")
    store_url = f"sqlite:///{tmp_path / 'cli.db'}"

    no_key = main(["import", str(directory), "--store", store_url, "--quiet"])
    no_key_err = capsys.readouterr().err
    no_store = main(["import", str(directory), "--store", "mysql://db/compat"])
    no_store_err = capsys.readouterr().err

    assert (no_key, no_store) == (2, 2)
    assert no_key_err == (
        "assistants-compat import: Missing credentials. Please pass an `api_key`, `workload_identity`, "
        "`admin_api_key`, or set the `OPENAI_API_KEY` or `OPENAI_ADMIN_KEY` environment variable.\n"
    )
    assert no_store_err == (
        "assistants-compat import: cannot open the store: unsupported store URL 'mysql://db/compat': "
        "use sqlite:///path/state.db or postgresql://...\n"
    )


def test_messages_of_one_second_keep_their_order(client: OpenAI, emulator: Emulator, tmp_path: Path) -> None:
    export = saved_export()
    for message in export["messages"]:
        message["created_at"] = T0  # one second, as threads.create stamped its messages
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "thread.json").write_text(json.dumps(export))
    (tmp_path / "saved" / "assistant.json").write_text(json.dumps(saved_assistant()))

    import_dir(client, tmp_path / "saved")

    listed = client.beta.threads.messages.list(THREAD, order="asc", limit=100).data
    assert [m.id for m in listed] == [msg_id(n) for n in range(MESSAGES)]


def test_jsonl_lines_end_at_newlines_only(client: OpenAI, tmp_path: Path) -> None:
    assistant = {**saved_assistant(), "instructions": "Keep\u2028this\u2029together\x85."}
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "assistants.jsonl").write_text(json.dumps(assistant, ensure_ascii=False) + "\r\n")

    saved, bad = read_paths([tmp_path / "saved"])

    assert bad == []
    assert [a.instructions for a in saved.assistants] == ["Keep\u2028this\u2029together\x85."]


def test_a_too_deep_file_is_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    saved, bad = read_paths([tmp_path / "deep.json"])
    assert saved.count() == 0
    assert [str(b) for b in bad] == [f"{tmp_path / 'deep.json'}: not JSON a reader can take: nested too deeply"]


def test_errors_name_the_old_thread_even_unquoted(client: OpenAI, emulator: Emulator, tmp_path: Path) -> None:
    import_dir(client, write_saved(tmp_path / "saved"))
    lookup: Any = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    client.beta.assistants.update(ASSISTANT, tools=[lookup])
    emulator.queue(Turn.function_calls(("lookup", {}, "call_1")))
    run = client.beta.threads.runs.create(THREAD, assistant_id=ASSISTANT)
    assert run.status == "requires_action"

    with pytest.raises(openai.BadRequestError) as refused:
        client.beta.threads.runs.create(THREAD, assistant_id=ASSISTANT)

    assert refused.value.body["message"] == f"Thread {THREAD} already has an active run {run.id}."  # type: ignore[index]


def test_a_store_password_is_never_printed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status = main(["import", str(tmp_path), "--store", "mysql://admin:S3cretPW@db.example/compat"])
    err = capsys.readouterr().err
    assert status == 2
    assert "S3cretPW" not in err and "admin:***@db.example" in err


def test_an_older_message_found_after_an_interruption_fails_its_thread(
    emulator: Emulator, store: Store, tmp_path: Path
) -> None:
    directory = write_saved(tmp_path / "saved")
    flaky = sync_client(FlakyItems(emulator, fail_on=2, answer_lost=False), store)
    import_dir(flaky, directory)
    export = saved_export()
    oldest = {**saved_message(0), "id": "msg_oldest", "created_at": T0 - 100, "attachments": []}
    export["messages"].append(oldest)
    (directory / "threads" / f"{THREAD}.json").write_text(json.dumps(export))
    client = sync_client(EmulatorTransport(emulator), store)
    emulator.requests.clear()

    report = import_dir(client, directory)

    assert report.failures == [
        f"thread {THREAD}: message msg_oldest is older than messages of this thread imported before; "
        "it cannot be put before them"
    ]
    assert [r.method for r in emulator.requests if r.method == "POST"] == []
