"""The legacy streaming cookbook with the built-in tools: an ``AssistantEventHandler`` subclass (and its async
twin) over a code interpreter run that draws a chart, and over a retrieval run.

- the code interpreter's input and logs arrive as tool call deltas;
- ``on_image_file_done`` downloads the chart there and then, by the file id the block shows;
- ``on_message_done`` replaces each citation marker in place by a footnote naming the cited file;
- the run leaves the same messages and steps as a polled run of the same scripted turn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openai.types.beta.threads import ImageFile, Message, Text, TextDelta
from openai.types.beta.threads.runs import ToolCall, ToolCallDelta
from typing_extensions import override

import compat
from compat import AssistantEventHandler, AsyncAssistantEventHandler
from compat.emulator import Emulator, Turn

from .conftest import make_client, make_emulator

PNG = b"\x89PNG\r\n\x1a\nchart-bytes"
CODE = "plt.plot(x, x**2)\nplt.savefig('/mnt/data/chart.png')"
CHART_ANSWER = "Here is the chart."
POLICY = "The warranty lasts two years from the date of purchase. Returns are accepted within 30 days."
MARKER = "【4:0†policy.txt】"
Hook = tuple[Any, ...]
Objects = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def chart_turn() -> Turn:
    return Turn.code_interpreter(code=CODE, logs="saved", image=("chart.png", PNG), answer=CHART_ANSWER)


def retrieval_turn() -> Turn:
    return Turn.file_search(answer="The warranty lasts two years.")


# --- the cookbook's handler ---------------------------------------------------------------------------


def code_delta(delta: ToolCallDelta) -> Hook:
    """What the cookbook prints of a code interpreter delta: its input fragment and its logs."""
    assert delta.type == "code_interpreter" and delta.code_interpreter is not None
    logs = [output.logs for output in delta.code_interpreter.outputs or [] if output.type == "logs"]
    return ("on_tool_call_delta", delta.index, delta.code_interpreter.input, logs)


def footnotes(message: Message, filenames: dict[str, str]) -> tuple[str, list[str]]:
    """The cookbook's ``on_message_done``: each marker replaced in place by ``[n]``, a footnote per cited file."""
    block = message.content[0]
    assert block.type == "text"
    value = block.text.value
    citations: list[str] = []
    for index, annotation in enumerate(block.text.annotations):
        value = value.replace(annotation.text, f"[{index}]")
        if annotation.type == "file_citation":
            citations.append(f"[{index}] {filenames[annotation.file_citation.file_id]}")
    return value, citations


def cited_ids(message: Message) -> list[str]:
    return [
        annotation.file_citation.file_id
        for block in message.content
        if block.type == "text"
        for annotation in block.text.annotations
        if annotation.type == "file_citation"
    ]


class Handler(AssistantEventHandler):
    """The cookbook's handler: records each hook, downloads the chart it is shown, footnotes the citations."""

    def __init__(self, client: compat.OpenAI, *, download: bool = True) -> None:
        super().__init__()
        self.client = client
        self.download = download
        self.hooks: list[Hook] = []

    @override
    def on_text_created(self, text: Text) -> None:
        self.hooks.append(("on_text_created", text.value))

    @override
    def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        self.hooks.append(("on_text_delta", delta.value, snapshot.value))

    @override
    def on_text_done(self, text: Text) -> None:
        self.hooks.append(("on_text_done", text.value))

    @override
    def on_tool_call_created(self, tool_call: ToolCall) -> None:
        self.hooks.append(("on_tool_call_created", tool_call.type, tool_call.id))

    @override
    def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> None:
        self.hooks.append(code_delta(delta))

    @override
    def on_tool_call_done(self, tool_call: ToolCall) -> None:
        self.hooks.append(("on_tool_call_done", tool_call.type, tool_call.id))

    @override
    def on_image_file_done(self, image_file: ImageFile) -> None:
        if not self.download:
            self.hooks.append(("on_image_file_done", image_file.file_id))
            return
        # mid-stream: the chart is downloaded as soon as the message shows it
        data = self.client.files.content(image_file.file_id).read()
        self.hooks.append(("on_image_file_done", image_file.file_id, data))

    @override
    def on_message_done(self, message: Message) -> None:
        filenames = {file_id: self.client.files.retrieve(file_id).filename for file_id in cited_ids(message)}
        self.hooks.append(("on_message_done", message.id, footnotes(message, filenames)))


class AsyncHandler(AsyncAssistantEventHandler):
    """The same handler for ``AsyncOpenAI``."""

    def __init__(self, client: compat.AsyncOpenAI) -> None:
        super().__init__()
        self.client = client
        self.hooks: list[Hook] = []

    @override
    async def on_text_created(self, text: Text) -> None:
        self.hooks.append(("on_text_created", text.value))

    @override
    async def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        self.hooks.append(("on_text_delta", delta.value, snapshot.value))

    @override
    async def on_text_done(self, text: Text) -> None:
        self.hooks.append(("on_text_done", text.value))

    @override
    async def on_tool_call_created(self, tool_call: ToolCall) -> None:
        self.hooks.append(("on_tool_call_created", tool_call.type, tool_call.id))

    @override
    async def on_tool_call_delta(self, delta: ToolCallDelta, snapshot: ToolCall) -> None:
        self.hooks.append(code_delta(delta))

    @override
    async def on_tool_call_done(self, tool_call: ToolCall) -> None:
        self.hooks.append(("on_tool_call_done", tool_call.type, tool_call.id))

    @override
    async def on_image_file_done(self, image_file: ImageFile) -> None:
        content = await self.client.files.content(image_file.file_id)
        self.hooks.append(("on_image_file_done", image_file.file_id, content.read()))

    @override
    async def on_message_done(self, message: Message) -> None:
        filenames = {file_id: (await self.client.files.retrieve(file_id)).filename for file_id in cited_ids(message)}
        self.hooks.append(("on_message_done", message.id, footnotes(message, filenames)))


def merged(last: Hook, hook: Hook) -> Hook | None:
    """``last`` and ``hook`` as one hook when both are text deltas, or both code input deltas (checking that
    each text snapshot is the text so far); ``None`` otherwise."""
    if last[:1] == hook[:1] == ("on_text_delta",):
        assert hook[2] == last[2] + hook[1]
        return ("on_text_delta", last[1] + hook[1], hook[2])
    if last[:1] == hook[:1] == ("on_tool_call_delta",) and last[2] is not None and hook[2] is not None:
        name, index, code, logs = last
        return (name, index, code + hook[2], logs + hook[3])
    return None


def collapsed(hooks: list[Hook]) -> list[Hook]:
    """The hooks with each run of text deltas, and of code input deltas, joined into one (the runs being of
    several deltas, as the emulator streams them)."""
    out: list[Hook] = []
    joined = 0
    for hook in hooks:
        both = merged(out[-1], hook) if out else None
        if both is None:
            if hook[0] == "on_text_delta" and (not out or out[-1][0] != "on_text_delta"):
                assert hook[1] == hook[2]
            out.append(hook)
        else:
            out[-1] = both
            joined += 1
    assert joined > 0
    return out


def chart_hooks(image_file: Hook) -> list[Hook]:
    """The hooks of the chart run, ``image_file`` being what ``on_image_file_done`` recorded."""
    return [
        ("on_tool_call_created", "code_interpreter", "ci_0005"),
        ("on_tool_call_delta", 0, CODE, []),
        ("on_text_created", "Here"),
        ("on_text_delta", CHART_ANSWER, CHART_ANSWER),
        ("on_text_done", CHART_ANSWER),
        image_file,
        ("on_message_done", "msg_0007", (CHART_ANSWER, [])),
        # the chart's file id comes from the message: the code step's outputs follow it
        ("on_tool_call_delta", 0, None, ["saved"]),
        # the SDK calls it again at each step and run completion after the call
        ("on_tool_call_done", "code_interpreter", "ci_0005"),
        ("on_tool_call_done", "code_interpreter", "ci_0005"),
        ("on_tool_call_done", "code_interpreter", "ci_0005"),
    ]


RETRIEVAL_HOOKS: list[Hook] = [
    ("on_tool_call_created", "file_search", "fs_0006"),
    ("on_tool_call_done", "file_search", "fs_0006"),
    ("on_text_created", "The"),
    ("on_text_delta", f"The warranty lasts two years{MARKER}.", f"The warranty lasts two years{MARKER}."),
    ("on_text_done", f"The warranty lasts two years{MARKER}."),
    ("on_message_done", "msg_0007", ("The warranty lasts two years[0].", ["[0] policy.txt"])),
    ("on_tool_call_done", "file_search", "fs_0006"),
    ("on_tool_call_done", "file_search", "fs_0006"),
]


# --- setups, and the polled run to compare with ------------------------------------------------------


def chart_setup(client: compat.OpenAI) -> tuple[str, str]:
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Plot y = x^2"}])
    return assistant.id, thread.id


def retrieval_setup(client: compat.OpenAI) -> tuple[str, str]:
    vector_store = client.vector_stores.create(name="Policies")
    client.vector_stores.files.upload_and_poll(vector_store_id=vector_store.id, file=("policy.txt", POLICY.encode()))
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [vector_store.id]}},
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "How long does the warranty last?"}])
    return assistant.id, thread.id


async def async_chart_setup(client: compat.AsyncOpenAI) -> tuple[str, str]:
    assistant = await client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Plot y = x^2"}])
    return assistant.id, thread.id


async def async_retrieval_setup(client: compat.AsyncOpenAI) -> tuple[str, str]:
    vector_store = await client.vector_stores.create(name="Policies")
    await client.vector_stores.files.upload_and_poll(
        vector_store_id=vector_store.id, file=("policy.txt", POLICY.encode())
    )
    assistant = await client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [vector_store.id]}},
    )
    thread = await client.beta.threads.create(
        messages=[{"role": "user", "content": "How long does the warranty last?"}]
    )
    return assistant.id, thread.id


def objects(client: compat.OpenAI, thread_id: str, run_id: str) -> Objects:
    """The run's steps and the thread's messages, oldest first."""
    steps = client.beta.threads.runs.steps.list(run_id, thread_id=thread_id, order="asc").data
    messages = client.beta.threads.messages.list(thread_id, order="asc").data
    return [s.model_dump() for s in steps], [m.model_dump() for m in messages]


async def async_objects(client: compat.AsyncOpenAI, thread_id: str, run_id: str) -> Objects:
    steps = (await client.beta.threads.runs.steps.list(run_id, thread_id=thread_id, order="asc")).data
    messages = (await client.beta.threads.messages.list(thread_id, order="asc")).data
    return [s.model_dump() for s in steps], [m.model_dump() for m in messages]


def polled(tmp_path: Path, turn: Turn, setup: Callable[[compat.OpenAI], tuple[str, str]]) -> Objects:
    """What a polled run of ``turn`` leaves, on a fresh emulator and store with the same setup."""
    emulator = make_emulator()
    with make_client(emulator, tmp_path / "polled.db") as client:
        assistant_id, thread_id = setup(client)
        emulator.queue(turn)
        run = client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id)
        assert run.status == "completed"
        return objects(client, thread_id, run.id)


def assert_chart_objects(found: Objects) -> None:
    """The chart run's objects: the code step shows the chart as an image output, the message as a block."""
    steps, messages = found
    code, _ = steps
    (call,) = code["step_details"]["tool_calls"]
    assert call["code_interpreter"] == {
        "input": CODE,
        "outputs": [{"type": "image", "image": {"file_id": "cfile_0006"}}, {"type": "logs", "logs": "saved"}],
    }
    assert messages[-1]["content"] == [
        {"type": "text", "text": {"value": CHART_ANSWER, "annotations": []}},
        {"type": "image_file", "image_file": {"file_id": "cfile_0006", "detail": None}},
    ]


def assert_retrieval_objects(found: Objects) -> None:
    """The retrieval run's objects: a file search step, and the answer citing the policy by its marker."""
    steps, messages = found
    assert [step["step_details"]["type"] for step in steps] == ["tool_calls", "message_creation"]
    (text,) = messages[-1]["content"]
    assert text["text"]["value"] == f"The warranty lasts two years{MARKER}."
    (annotation,) = text["text"]["annotations"]
    assert (annotation["type"], annotation["text"]) == ("file_citation", MARKER)


# --- the chart -----------------------------------------------------------------------------------------


def test_a_handler_downloads_the_chart_as_the_message_shows_it(
    client: compat.OpenAI, emulator: Emulator, tmp_path: Path
) -> None:
    assistant_id, thread_id = chart_setup(client)
    emulator.queue(chart_turn())
    handler = Handler(client)
    with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    ) as stream:
        stream.until_done()

    assert collapsed(handler.hooks) == chart_hooks(("on_image_file_done", "cfile_0006", PNG))
    run = stream.get_final_run()
    assert run.status == "completed"
    found = objects(client, thread_id, run.id)
    assert found == polled(tmp_path, chart_turn(), chart_setup)
    assert_chart_objects(found)


def test_the_chart_hooks_then_the_download(client: compat.OpenAI, emulator: Emulator, tmp_path: Path) -> None:
    assistant_id, thread_id = chart_setup(client)
    emulator.queue(chart_turn())
    handler = Handler(client, download=False)
    with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    ) as stream:
        stream.until_done()

    assert collapsed(handler.hooks) == chart_hooks(("on_image_file_done", "cfile_0006"))
    run = stream.get_final_run()
    found = objects(client, thread_id, run.id)
    assert found == polled(tmp_path, chart_turn(), chart_setup)
    assert_chart_objects(found)
    assert client.files.content("cfile_0006").read() == PNG


@pytest.mark.anyio
async def test_an_async_handler_downloads_the_chart_as_the_message_shows_it(
    async_client: compat.AsyncOpenAI, emulator: Emulator, tmp_path: Path
) -> None:
    assistant_id, thread_id = await async_chart_setup(async_client)
    emulator.queue(chart_turn())
    handler = AsyncHandler(async_client)
    async with async_client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    ) as stream:
        await stream.until_done()

    assert collapsed(handler.hooks) == chart_hooks(("on_image_file_done", "cfile_0006", PNG))
    run = await stream.get_final_run()
    found = await async_objects(async_client, thread_id, run.id)
    assert found == polled(tmp_path, chart_turn(), chart_setup)
    assert_chart_objects(found)


# --- retrieval -----------------------------------------------------------------------------------------


def test_a_handler_footnotes_the_citations_when_the_message_is_done(
    client: compat.OpenAI, emulator: Emulator, tmp_path: Path
) -> None:
    assistant_id, thread_id = retrieval_setup(client)
    emulator.queue(retrieval_turn())
    handler = Handler(client)
    with client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    ) as stream:
        stream.until_done()

    assert collapsed(handler.hooks) == RETRIEVAL_HOOKS
    run = stream.get_final_run()
    assert run.status == "completed"
    found = objects(client, thread_id, run.id)
    assert found == polled(tmp_path, retrieval_turn(), retrieval_setup)
    assert_retrieval_objects(found)


@pytest.mark.anyio
async def test_an_async_handler_footnotes_the_citations(
    async_client: compat.AsyncOpenAI, emulator: Emulator, tmp_path: Path
) -> None:
    assistant_id, thread_id = await async_retrieval_setup(async_client)
    emulator.queue(retrieval_turn())
    handler = AsyncHandler(async_client)
    async with async_client.beta.threads.runs.stream(
        thread_id=thread_id, assistant_id=assistant_id, event_handler=handler
    ) as stream:
        await stream.until_done()

    assert collapsed(handler.hooks) == RETRIEVAL_HOOKS
    run = await stream.get_final_run()
    found = await async_objects(async_client, thread_id, run.id)
    assert found == polled(tmp_path, retrieval_turn(), retrieval_setup)
    assert_retrieval_objects(found)
