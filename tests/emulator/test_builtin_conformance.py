"""Streams of built-in tool calls compared with the real recordings in ``../shared/realwire/p7_builtin_tools``.

Every recorded stream whose request has a ``file_search`` or ``code_interpreter`` tool is read (dotnet
SessionRecords, pydantic-ai cassettes, vercel-ai chunk files). For each recorded built-in call, the emulator
is scripted with a turn carrying the same call and the message that follows it (same queries, code, text and
citations), streamed with the recorded tools and ``include``, and compared:

- the event types of each item, in order, runs of deltas collapsed to one;
- the number of text characters streamed before each ``response.output_text.annotation.added``;
- the built-in item as ``response.output_item.added`` announces it (ids aside);
- the keys of every event type, of the built-in items as added and done, and of the annotations.

Where the recorded output is one built-in call and its answer (after an optional reasoning item), the whole
event sequence is compared too, and the echoed tools. The recordings are read at test time, never copied.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
import yaml

from compat.emulator import (
    Emulator,
    EmulatorTransport,
    FileCitation,
    FileSearchResult,
    Turn,
    counter_ids,
    fixed_clock,
)
from compat.emulator._model import tiny_png

from ._recordings import REALWIRE, load, parse_sse

# Without the recordings every test here is skipped, or failed when CI is set (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("realwire")

FOLDER = "p7_builtin_tools"
STREAMS = (
    "openai-dotnet__ResponsesToolTests_FileSearchCallStreaming.json",
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolStreaming.json",
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolStreamingWithFiles.json",
    "pydantic-ai__test_openai_responses_model_file_search_tool_stream.yaml",
    "pydantic-ai__test_openai_responses_code_execution_download_file_stream.yaml",
    "pydantic-ai__test_openai_responses_code_execution_return_image_stream.yaml",
    "pydantic-ai__test_openai_responses_thinking_with_code_execution_tool_stream.yaml",
    "vercel-ai__openai-file-search-tool.1.chunks.txt",
    "vercel-ai__openai-file-search-tool.2.chunks.txt",
    "vercel-ai__openai-code-interpreter-tool.1.chunks.txt",
)
# One built-in call and its answer, after an optional reasoning item: comparable event for event.
WHOLE = (
    "openai-dotnet__ResponsesToolTests_FileSearchCallStreaming.json",
    "pydantic-ai__test_openai_responses_model_file_search_tool_stream.yaml",
    "pydantic-ai__test_openai_responses_code_execution_download_file_stream.yaml",
    "pydantic-ai__test_openai_responses_code_execution_return_image_stream.yaml",
)
BUILTIN = ("file_search_call", "code_interpreter_call")
PNG = tiny_png()


@dataclass
class Recorded:
    """One recorded stream: the request's tools and ``include``, and the events."""

    name: str
    tools: list[dict[str, Any]]
    include: list[str]
    events: list[dict[str, Any]]

    @property
    def output(self) -> list[dict[str, Any]]:
        """The output items of the terminal response."""
        return self.events[-1]["response"]["output"]


def _read(name: str) -> Recorded:
    path = REALWIRE / FOLDER / name
    if name.endswith(".chunks.txt"):
        return _chunks(name, path)
    for request, events in _streams(path):
        if any(tool.get("type") in ("file_search", "code_interpreter") for tool in request.get("tools", [])):
            return Recorded(name, request["tools"], request.get("include") or [], events)
    raise AssertionError(f"{name} has no stream of a request with a built-in tool")


def _streams(path: Path) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The JSON requests answered with SSE, and their events (uploads and downloads are passed over)."""
    if path.suffix == ".json":
        for interaction in load(path):
            if interaction.events and isinstance(interaction.request, dict):
                yield interaction.request, interaction.events
        return
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        request, body = interaction["request"].get("parsed_body"), interaction["response"].get("body") or {}
        text = body.get("string") if isinstance(body, dict) else None
        if isinstance(request, dict) and isinstance(text, str) and "data:" in text:
            yield request, parse_sse(text)


def _chunks(name: str, path: Path) -> Recorded:
    """A vercel-ai chunk file: no request is kept, so ``include`` is read off the items the stream shows."""
    events = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    include: list[str] = []
    for event in events:
        item = event.get("item") or {}
        if event["type"] == "response.output_item.added" and item.get("outputs") == []:
            include.append("code_interpreter_call.outputs")
        if event["type"] == "response.output_item.done" and item.get("results") is not None:
            include.append("file_search_call.results")
    return Recorded(name, events[0]["response"]["tools"], sorted(set(include)), events)


def _client(emulator: Emulator) -> openai.OpenAI:
    http = httpx2.Client(transport=EmulatorTransport(emulator))
    return openai.OpenAI(api_key="test", base_url="http://emulator.local/v1", http_client=http, max_retries=0)


def _replayed_tools(tools: list[dict[str, Any]], client: openai.OpenAI) -> list[dict[str, Any]]:
    """The recorded tools, their containers ours: a ``cntr_`` id made here, ``auto`` without unknown files."""
    replayed: list[dict[str, Any]] = []
    for tool in tools:
        if tool.get("type") == "code_interpreter":
            own = client.containers.create(name="replay").id if isinstance(tool.get("container"), str) else None
            replayed.append({**tool, "container": own or {"type": "auto"}})
        else:
            replayed.append(tool)
    return replayed


def _stream(recorded: Recorded, turn: Turn) -> list[dict[str, Any]]:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    emulator.queue(turn)
    with _client(emulator) as client:
        stream = client.responses.create(
            model="gpt-4o-mini",
            input="Replay",
            tools=_replayed_tools(recorded.tools, client),  # type: ignore[arg-type]
            include=recorded.include,  # type: ignore[arg-type]
            stream=True,
        )
        return [event.model_dump(exclude_unset=True) for event in stream]


def _pairs(output: list[dict[str, Any]]) -> Iterator[tuple[int, int | None]]:
    """Each built-in call's output index with that of the message answering it (before the next call)."""
    for index, item in enumerate(output):
        if item["type"] not in BUILTIN:
            continue
        answer = None
        for later in range(index + 1, len(output)):
            if output[later]["type"] in BUILTIN:
                break
            if output[later]["type"] == "message":
                answer = later
                break
        yield index, answer


def _turn(call: dict[str, Any], message: dict[str, Any] | None) -> Turn:
    """A turn with the recorded call and the message answering it."""
    part = message["content"][0] if message else {"text": "Done.", "annotations": []}
    annotations: list[dict[str, Any]] = part["annotations"]
    if call["type"] == "file_search_call":
        citations = [
            FileCitation(a["file_id"], a["filename"], a["index"]) for a in annotations if a["type"] == "file_citation"
        ]
        results = None if call.get("results") is None else [FileSearchResult(**r) for r in call["results"]]
        return Turn.file_search(queries=call["queries"], answer=part["text"], citations=citations, results=results)
    logs = next((o["logs"] for o in call.get("outputs") or [] if o["type"] == "logs"), None)
    cited = [a for a in annotations if a["type"] == "container_file_citation"]
    image = next(((a["filename"], PNG) for a in cited if a["start_index"] == a["end_index"]), None)
    files = [(a["filename"], b"written") for a in cited if a["start_index"] != a["end_index"]]
    return Turn.code_interpreter(code=call["code"], logs=logs, image=image, files=files, answer=part["text"])


def _collapsed(events: list[dict[str, Any]]) -> list[str]:
    types: list[str] = []
    for event in events:
        if not (types and types[-1] == event["type"] and event["type"].endswith(".delta")):
            types.append(event["type"])
    return types


def _of_item(events: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    return [event for event in events if event.get("output_index") == index]


def _citation_offsets(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Each annotation's type with the number of text characters streamed before it."""
    written = 0
    offsets: list[tuple[str, int]] = []
    for event in events:
        if event["type"] == "response.output_text.delta":
            written += len(event["delta"])
        elif event["type"] == "response.output_text.annotation.added":
            offsets.append((event["annotation"]["type"], written))
    return offsets


def _pending_item(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The item as first announced, without its ids (``outputs`` is ``[]`` only when they are included)."""
    item = events[0]["item"]
    return {key: value for key, value in item.items() if key not in ("id", "container_id")}


def _replays(recorded: Recorded) -> Iterator[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """For each recorded call and answer: a label, the recorded events of both, and the emulator's."""
    for call, answer in _pairs(recorded.output):
        ours = _stream(recorded, _turn(recorded.output[call], None if answer is None else recorded.output[answer]))
        yield f"output[{call}]", _of_item(recorded.events, call), _of_item(ours, 0)
        if answer is not None:
            yield f"output[{answer}]", _of_item(recorded.events, answer), _of_item(ours, 1)


@pytest.mark.parametrize("name", STREAMS)
def test_item_events_match_the_recording(name: str) -> None:
    recorded = _read(name)
    compared = 0
    for label, theirs, ours in _replays(recorded):
        assert _collapsed(ours) == _collapsed(theirs), label
        assert _citation_offsets(ours) == _citation_offsets(theirs), label
        if theirs[0]["item"]["type"] in BUILTIN:  # newer recordings' messages also carry a ``phase``
            assert _pending_item(ours) == _pending_item(theirs), label
        compared += 1
    assert compared >= 2


@pytest.mark.parametrize("name", WHOLE)
def test_whole_stream_matches_the_recording(name: str) -> None:
    recorded = _read(name)
    [(call, answer)] = list(_pairs(recorded.output))
    assert answer is not None
    turn = _turn(recorded.output[call], recorded.output[answer])
    if recorded.output[0]["type"] == "reasoning":
        turn = dataclasses.replace(turn, reasoning="")

    ours = _stream(recorded, turn)

    assert _collapsed(ours) == _collapsed(recorded.events)
    assert _citation_offsets(ours) == _citation_offsets(recorded.events)
    assert ours[-1]["response"]["tools"] == recorded.events[-1]["response"]["tools"]


def _key_sets(events: list[dict[str, Any]]) -> dict[str, set[frozenset[str]]]:
    """The keys of each event type, of built-in items (by type and event) and of annotations (by type)."""
    keys: dict[str, set[frozenset[str]]] = defaultdict(set)
    for event in events:
        keys[event["type"]].add(frozenset(event))
        item = event.get("item") or {}
        if item.get("type") in BUILTIN:
            keys[f"{event['type']}:{item['type']}"].add(frozenset(item))
        annotation = event.get("annotation")
        if annotation is not None:
            keys[f"annotation:{annotation['type']}"].add(frozenset(annotation))
    return keys


def test_event_fields_match_the_recordings() -> None:
    theirs: dict[str, set[frozenset[str]]] = defaultdict(set)
    ours: dict[str, set[frozenset[str]]] = defaultdict(set)
    for name in STREAMS:
        recorded = _read(name)
        for kind, sets in _key_sets(recorded.events).items():
            theirs[kind] |= sets
        for _label, _recorded, replayed in _replays(recorded):
            for kind, sets in _key_sets(replayed).items():
                ours[kind] |= sets

    assert sorted(ours) == sorted(kind for kind in theirs if kind in ours)
    for kind, sets in ours.items():
        assert sets <= theirs[kind], kind
    assert {kind for kind in theirs if kind.startswith(("response.file_search", "response.code_interpreter"))} <= set(
        ours
    )


ANSWERS = (
    "openai-dotnet__ResponsesToolTests_FileSearch.json",
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolWithContainerIdFromContainerApi.json",
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolWithEmptyFileIds.json",
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolWithUploadedFileIds.json",
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolWithoutFileIds.json",
    "pydantic-ai__test_openai_responses_model_file_search_tool.yaml",
    "pydantic-ai__test_openai_responses_model_file_search_tool_with_results.yaml",
    "pydantic-ai__test_openai_responses_code_execution_return_image.yaml",
    "pydantic-ai__test_openai_responses_code_execution_download_file.yaml",
    "pydantic-ai__test_openai_code_execution_files.yaml",
    "pydantic-ai__test_openai_responses_thinking_with_code_interpreter_tool.yaml",
)


def _answers(path: Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """The JSON requests with a built-in tool answered with a response object, and that response."""
    if path.suffix == ".json":
        pairs = [(i.request, i.body) for i in load(path)]
    else:
        pairs = [(i["request"].get("parsed_body"), i["response"].get("parsed_body")) for i in _interactions(path)]
    for request, body in pairs:
        if not (isinstance(request, dict) and isinstance(body, dict) and body.get("object") == "response"):
            continue
        if any(tool.get("type") in ("file_search", "code_interpreter") for tool in request.get("tools", [])):
            yield request, body


def _interactions(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text())["interactions"]


def _shape(value: Any) -> Any:
    """Keys and JSON types all the way down; ``outputs`` as the set of its entries' shapes.

    A scripted call has at most one logs and one image output, where the live service may log several times.
    """
    if isinstance(value, dict):
        return {
            key: sorted({json.dumps(_shape(o)) for o in child}) if key == "outputs" and child else _shape(child)
            for key, child in sorted(value.items())
        }
    if isinstance(value, list):
        return [_shape(child) for child in value]
    return type(value).__name__


def _created(request: dict[str, Any], turn: Turn) -> dict[str, Any]:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    emulator.queue(turn)
    with _client(emulator) as client:
        response = client.responses.create(
            model="gpt-4o-mini",
            input="Replay",
            tools=_replayed_tools(request["tools"], client),  # type: ignore[arg-type]
            include=request.get("include") or [],
        )
        return response.model_dump(exclude_unset=True)


@pytest.mark.parametrize("name", ANSWERS)
def test_answer_items_match_the_recording(name: str) -> None:
    compared = 0
    for request, body in _answers(REALWIRE / FOLDER / name):
        output: list[dict[str, Any]] = body["output"]
        for call, answer in _pairs(output):
            message = None if answer is None else output[answer]
            ours = _created(request, _turn(output[call], message))["output"]
            assert _shape(ours[0]) == _shape(output[call]), f"output[{call}]"
            if message is not None:
                theirs = message["content"][0]["annotations"]
                mine = ours[1]["content"][0]["annotations"]
                assert [_shape(a) for a in mine] == [_shape(a) for a in theirs], f"output[{answer}]"
                spans = [(a["type"], a.get("index"), a.get("start_index"), a.get("end_index")) for a in theirs]
                assert [(a["type"], a.get("index"), a.get("start_index"), a.get("end_index")) for a in mine] == spans
            compared += 1
    assert compared >= 1
