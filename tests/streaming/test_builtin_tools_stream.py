"""Recorded Responses streams with built-in tools (``shared/realwire/p7_builtin_tools``) translated into
legacy events, compared with the real legacy streams (``p6_legacy_assistants``, ``p8_legacy_builtin_tools``)
and with the polled translation of the same response."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any, cast

import pytest
import yaml
from conftest import shared_path
from openai import AssistantEventHandler
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Message, MessageDeltaEvent
from openai.types.beta.threads.runs import RunStep, RunStepDeltaEvent
from openai.types.responses import ResponseOutputMessage, ResponseStreamEvent
from translate._runs import NOW, in_progress_run, message_dict, step_dict
from translate._sse import parse_sse, to_events
from translate.test_stream import assert_legacy_sequence

from compat.translate import from_responses
from compat.translate.stream import RunStreamState

from . import _legacy_recordings as rec

CONTENT = from_responses.FILE_SEARCH_RESULT_CONTENT

RUN = in_progress_run([{"type": "file_search"}, {"type": "code_interpreter"}])

STREAMS = [
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolStreaming.json",
    "openai-dotnet__ResponsesToolTests_CodeInterpreterToolStreamingWithFiles.json",
    "openai-dotnet__ResponsesToolTests_FileSearchCallStreaming.json",
    "pydantic-ai__test_openai_responses_code_execution_download_file_stream.yaml",
    "pydantic-ai__test_openai_responses_code_execution_return_image_stream.yaml",
    "pydantic-ai__test_openai_responses_model_file_search_tool_stream.yaml",
    "pydantic-ai__test_openai_responses_thinking_with_code_execution_tool_stream.yaml",
    "vercel-ai__openai-code-interpreter-tool.1.chunks.txt",
    "vercel-ai__openai-file-search-tool.1.chunks.txt",
    "vercel-ai__openai-file-search-tool.2.chunks.txt",
]


def recorded(name: str) -> list[ResponseStreamEvent]:
    """The (first) Responses stream of a p7 recording."""
    path = shared_path("realwire", "p7_builtin_tools", name)
    if name.endswith(".chunks.txt"):
        return to_events(parse_sse(path.read_text()))
    if path.suffix == ".json":
        bodies = ["".join(e["ResponseBody"]) for e in json.loads(path.read_text())["Entries"]]
    else:
        interactions = yaml.safe_load(path.read_text())["interactions"]
        bodies = [(i["response"].get("body") or {}).get("string") for i in interactions]
    return to_events(parse_sse(next(b for b in bodies if isinstance(b, str) and "response.created" in b)))


def translate(
    events: list[ResponseStreamEvent], *, include: tuple[str, ...] = ()
) -> tuple[RunStreamState, list[AssistantStreamEvent]]:
    numbers = itertools.count(1)
    state = RunStreamState(
        run=RUN, prior_usage=None, new_step_id=lambda: f"step_{next(numbers)}", clock=lambda: NOW, include=include
    )
    legacy: list[AssistantStreamEvent] = []
    for event in events:
        legacy += state.handle_event(event)
    return state, legacy


def dump(event: AssistantStreamEvent) -> dict[str, Any]:
    """Snapshots whole; deltas with only the fields they set, since clients merge exactly those."""
    is_delta = isinstance(event.data, (MessageDeltaEvent, RunStepDeltaEvent))
    return {"event": event.event, "data": event.data.model_dump(exclude_unset=is_delta)}


# -- every recorded stream ------------------------------------------------------------------------


def streamed_content(legacy: list[AssistantStreamEvent]) -> dict[str, list[dict[str, Any]]]:
    """Every message's content blocks as a client accumulates them from the deltas (text values appended,
    annotations collected, image blocks as sent)."""
    messages: dict[str, dict[int, dict[str, Any]]] = {}
    for event in legacy:
        if event.event != "thread.message.delta":
            continue
        blocks = messages.setdefault(event.data.id, {})
        for block in event.data.delta.content or []:
            if block.type == "image_file":
                assert block.image_file is not None
                blocks[block.index] = {"type": "image_file", "image_file": {"file_id": block.image_file.file_id}}
            elif block.type == "text" and block.text is not None:
                text = blocks.setdefault(block.index, {"type": "text", "value": "", "annotations": []})
                text["value"] += block.text.value or ""
                for annotation in block.text.annotations or []:
                    fields = annotation.model_dump(exclude={"index"}, exclude_none=True)
                    fields.get("file_citation", {}).pop("quote", None)
                    text["annotations"].append(fields)
    return {message_id: [blocks[i] for i in sorted(blocks)] for message_id, blocks in messages.items()}


def final_content(message: Message) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for block in message.model_dump(exclude_none=True)["content"]:
        if block["type"] == "text":
            blocks.append(
                {"type": "text", "value": block["text"]["value"], "annotations": block["text"]["annotations"]}
            )
        else:
            blocks.append(block)
    return blocks


def streamed_code(legacy: list[AssistantStreamEvent]) -> dict[str, dict[str, Any]]:
    """Each code interpreter step's input and outputs as accumulated from its step deltas."""
    steps: dict[str, dict[str, Any]] = {}
    for event in legacy:
        if event.event != "thread.run.step.delta":
            continue
        details = event.data.delta.step_details
        assert details is not None and details.type == "tool_calls"
        for call in details.tool_calls or []:
            if call.type == "code_interpreter" and call.code_interpreter is not None:
                step = steps.setdefault(event.data.id, {"input": "", "outputs": []})
                step["input"] += call.code_interpreter.input or ""
                step["outputs"] += [o.model_dump(exclude={"index"}) for o in call.code_interpreter.outputs or []]
    return steps


@pytest.mark.parametrize("name", STREAMS)
def test_recorded_stream_ends_as_the_polled_translation(name: str) -> None:
    state, legacy = translate(recorded(name), include=(CONTENT,))
    final = state.final_response
    assert state.done and final is not None
    assert_legacy_sequence(legacy)

    step_ids = iter([step.id for step in state.steps])
    polled = from_responses.response_to_steps(
        run=RUN, response=final, new_step_id=lambda: next(step_ids), now=NOW, include=(CONTENT,)
    )
    assert state.steps == polled
    messages = [
        from_responses.output_message_to_message(
            item=item, thread_id="thread_1", run_id="run_1", assistant_id="asst_1", created_at=NOW
        )
        for item in final.output
        if isinstance(item, ResponseOutputMessage)
    ]
    assert state.messages == messages
    usage = from_responses.usage_to_run_usage(final.usage)
    assert state.run == from_responses.response_to_run(run=RUN, response=final, usage=usage, now=NOW)
    # what a client accumulates from the deltas is the final message: markers where they belong
    assert streamed_content(legacy) == {m.id: final_content(m) for m in messages}
    code_steps = {
        step.id: step.model_dump()["step_details"]["tool_calls"][0]["code_interpreter"]
        for step in polled
        if step.step_details.type == "tool_calls" and step.step_details.tool_calls[0].type == "code_interpreter"
    }
    assert streamed_code(legacy) == code_steps
    # and the step events carry the final snapshots
    ended = {e.data.id: e.data for e in legacy if e.event in ("thread.run.step.completed", "thread.run.step.failed")}
    assert [ended[step.id] for step in polled] == [
        step.model_copy(update={"usage": ended[step.id].usage}) for step in polled
    ]


class _Events:
    def __init__(self, events: list[AssistantStreamEvent]) -> None:
        self._events = events

    def __iter__(self) -> Iterator[AssistantStreamEvent]:
        return iter(self._events)

    def close(self) -> None:
        pass


@pytest.mark.parametrize("name", STREAMS)
def test_the_sdk_event_handler_accumulates_the_final_objects(name: str) -> None:
    """``AssistantEventHandler`` merges the deltas into the messages and code interpreter calls we end with."""
    state, legacy = translate(recorded(name))
    handler = AssistantEventHandler()
    handler._init(_Events(legacy))  # type: ignore[arg-type]
    handler.until_done()

    assert handler.get_final_messages() == state.messages
    # the handler keeps the ``created`` step and merges deltas into it: file search results (never in a
    # delta, as in the legacy stream) are only in the ``completed`` snapshot
    snapshots = {step.id: _calls(step) for step in handler.get_final_run_steps() if step.type == "tool_calls"}
    assert snapshots == {step.id: _calls(step) for step in state.steps if step.type == "tool_calls"}


def _calls(step: RunStep) -> list[dict[str, Any]]:
    details = step.step_details.model_dump()
    calls = cast(list[dict[str, Any]], details["tool_calls"])
    for call in calls:
        call.pop("index", None)
        for output in (call.get("code_interpreter") or {}).get("outputs") or []:
            output.pop("index", None)
        if call["type"] == "file_search":
            call["file_search"]["results"] = None
    return calls


# -- file search, event by event ------------------------------------------------------------------


def _text_delta(text: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": "thread.message.delta",
        "data": {
            "id": TRAVIS_MESSAGE,
            "object": "thread.message.delta",
            "delta": {"content": [{"index": 0, "type": "text", "text": text}]},
        },
    }


TRAVIS_MESSAGE = "msg_083ce8e7bd81902a0069bb31272c748190a3170c14dd455c9c"
TRAVIS_CALL = "fs_083ce8e7bd81902a0069bb31259740819092a62e3d7869cc04"
TRAVIS_FILE = "file-NCKrwcbrD1Z2ucn4Mhe1yX"
MARKER = "【4:0†test_favorite_foods.txt】"


def test_file_search_stream_event_by_event() -> None:
    """openai-dotnet ``FileSearchCallStreaming`` (no results asked): the events of the legacy
    ``FileSearchStreamingWorks`` stream, the citation's marker streamed where it stands."""
    state, legacy = translate(recorded("openai-dotnet__ResponsesToolTests_FileSearchCallStreaming.json"))
    final = state.final_response
    assert final is not None and final.usage is not None

    ranking = {"ranker": "default_2024_08_21", "score_threshold": 0.0}
    call = {"id": TRAVIS_CALL, "type": "file_search", "file_search": {"ranking_options": ranking, "results": []}}
    opened = step_dict("step_1", {"type": "tool_calls", "tool_calls": []}, "in_progress")
    message_step = {"type": "message_creation", "message_creation": {"message_id": TRAVIS_MESSAGE}}
    annotation = {
        "type": "file_citation",
        "text": MARKER,
        "start_index": 31,
        "end_index": 31 + len(MARKER),
        "file_citation": {"file_id": TRAVIS_FILE},
    }
    text = {"value": f"Travis's favorite food is pizza{MARKER}.", "annotations": [annotation]}
    usage = from_responses.usage_to_run_usage(final.usage)
    assert usage is not None
    assert [dump(event) for event in legacy] == [
        {"event": "thread.run.step.created", "data": opened},
        {"event": "thread.run.step.in_progress", "data": opened},
        {
            "event": "thread.run.step.delta",
            "data": {
                "id": "step_1",
                "object": "thread.run.step.delta",
                "delta": {"step_details": {"type": "tool_calls", "tool_calls": [{"index": 0, **call}]}},
            },
        },
        {
            "event": "thread.run.step.completed",
            "data": step_dict("step_1", {"type": "tool_calls", "tool_calls": [call]}, "completed"),
        },
        {"event": "thread.run.step.created", "data": step_dict("step_2", message_step, "in_progress")},
        {"event": "thread.run.step.in_progress", "data": step_dict("step_2", message_step, "in_progress")},
        {"event": "thread.message.created", "data": message_dict(TRAVIS_MESSAGE, "in_progress", [])},
        {"event": "thread.message.in_progress", "data": message_dict(TRAVIS_MESSAGE, "in_progress", [])},
        _text_delta({"value": "Tr", "annotations": []}),
        *[_text_delta({"value": piece}) for piece in ("avis", "'s", " favorite", " food", " is", " pizza")],
        _text_delta(
            {
                "value": MARKER,
                "annotations": [{"index": 0, **annotation, "file_citation": {"file_id": TRAVIS_FILE, "quote": ""}}],
            }
        ),
        _text_delta({"value": "."}),
        {
            "event": "thread.message.completed",
            "data": message_dict(TRAVIS_MESSAGE, "completed", [{"type": "text", "text": text}]),
        },
        {
            "event": "thread.run.step.completed",
            "data": step_dict("step_2", message_step, "completed", usage.model_dump()),
        },
        {"event": "thread.run.completed", "data": state.run.model_dump()},
    ]


def _names(events: list[str]) -> list[str]:
    """Event names with runs of message deltas folded into one."""
    return [name for name, _ in itertools.groupby(events)]


def _keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _keys(item) for key, item in cast(dict[str, Any], value).items()}
    if isinstance(value, list):
        items = cast(list[Any], value)
        return [_keys(items[0])] if items else []
    return type(value).__name__


def test_file_search_stream_has_the_shape_of_the_legacy_stream() -> None:
    """Event order and delta shapes of the legacy ``FileSearchStreamingWorks`` stream (p6)."""
    recorded_legacy = rec.dotnet_stream("AssistantsTests_FileSearchStreamingWorks", "/runs")
    _, legacy = translate(recorded("openai-dotnet__ResponsesToolTests_FileSearchCallStreaming.json"))

    run_events = ("thread.run.created", "thread.run.queued", "thread.run.in_progress", "done")
    assert _names([e.event for e in legacy]) == _names([n for n, _ in recorded_legacy if n not in run_events])
    step_deltas = [data for name, data in recorded_legacy if name == "thread.run.step.delta"]
    ours = [dump(e)["data"] for e in legacy if e.event == "thread.run.step.delta"]
    assert [_keys(d["delta"]) for d in ours] == [_keys(d["delta"]) for d in step_deltas]
    marker_deltas = [
        d for n, d in recorded_legacy if n == "thread.message.delta" and "【" in json.dumps(d, ensure_ascii=False)
    ]
    ours_marker = [dump(e)["data"] for e in legacy if e.event == "thread.message.delta" and "【" in str(e.data)]
    assert [_keys(d["delta"]) for d in ours_marker] == [_keys(d["delta"]) for d in marker_deltas]


def test_file_search_result_content_only_when_the_include_asks() -> None:
    events = recorded("vercel-ai__openai-file-search-tool.2.chunks.txt")
    with_content, _ = translate(events, include=(CONTENT,))
    without, _ = translate(events)

    def results(state: RunStreamState) -> list[dict[str, Any]]:
        return state.steps[0].model_dump(exclude_none=True)["step_details"]["tool_calls"][0]["file_search"]["results"]

    [result] = results(with_content)
    assert set(result) == {"file_id", "file_name", "score", "attributes", "content"}
    assert result["content"][0]["text"].startswith("AI 1\n\nAI\nGenerative artificial intelligence")
    assert results(without) == [{k: v for k, v in result.items() if k != "content"}]


# -- code interpreter -----------------------------------------------------------------------------


def test_code_interpreter_stream_event_by_event() -> None:
    """The code is streamed as ``input`` deltas, then one delta with the outputs, then the step ends;
    the written file is a ``file_path`` annotation delta."""
    events = recorded("pydantic-ai__test_openai_responses_code_execution_download_file_stream.yaml")
    state, legacy = translate(events)
    code_deltas = [e.delta for e in events if e.type == "response.code_interpreter_call_code.delta"]
    [step, _] = state.steps
    call_id = _only_call_id(step)

    def step_delta(call: dict[str, Any]) -> dict[str, Any]:
        return {
            "event": "thread.run.step.delta",
            "data": {
                "id": "step_1",
                "object": "thread.run.step.delta",
                "delta": {"step_details": {"type": "tool_calls", "tool_calls": [{"index": 0, **call}]}},
            },
        }

    ci = "code_interpreter"
    opened = step_dict("step_1", {"type": "tool_calls", "tool_calls": []}, "in_progress")
    dumped = [dump(event) for event in legacy]
    assert dumped[: 4 + len(code_deltas)] == [
        {"event": "thread.run.step.created", "data": opened},
        {"event": "thread.run.step.in_progress", "data": opened},
        step_delta({"type": ci, "id": call_id, ci: {"input": "", "outputs": []}}),
        *[step_delta({"type": ci, ci: {"input": piece}}) for piece in code_deltas],
        step_delta(
            {"type": ci, ci: {"outputs": [{"index": 0, "type": "logs", "logs": "'/mnt/data/numbers_and_squares.csv'"}]}}
        ),
    ]
    assert dumped[4 + len(code_deltas)] == {"event": "thread.run.step.completed", "data": step.model_dump()}
    annotation_deltas = [
        d for d in dumped if d["event"] == "thread.message.delta" and "annotations" in str(d) and "file_path" in str(d)
    ]
    [message] = state.messages
    start, end = _span(message)
    assert (start, end) == (57, 98)
    assert [d["data"]["delta"]["content"] for d in annotation_deltas] == [
        [
            {
                "index": 0,
                "type": "text",
                "text": {
                    "annotations": [
                        {
                            "index": 0,
                            "type": "file_path",
                            "text": "sandbox:/mnt/data/numbers_and_squares.csv",
                            "start_index": start,
                            "end_index": end,
                            "file_path": {"file_id": "cfile_6a503793ad68819185972c63815155f7"},
                        }
                    ]
                },
            }
        ]
    ]


def _only_call_id(step: RunStep) -> str:
    details = step.step_details
    assert details.type == "tool_calls"
    return details.tool_calls[0].id


def _span(message: Message) -> tuple[int, int]:
    block = message.content[0]
    assert block.type == "text"
    [annotation] = block.text.annotations
    assert block.text.value[annotation.start_index : annotation.end_index] == annotation.text
    return annotation.start_index, annotation.end_index


def test_a_step_showing_an_image_ends_with_the_response() -> None:
    """The image's file id comes with the message's citation: the step's outputs and end follow it."""
    state, legacy = translate(recorded("pydantic-ai__test_openai_responses_code_execution_return_image_stream.yaml"))
    image = "cfile_68dd937c234081919ee5238a16b4fd87"

    tail = [dump(event) for event in legacy[-5:]]
    assert [event["event"] for event in tail] == [
        "thread.message.completed",
        "thread.run.step.delta",
        "thread.run.step.completed",
        "thread.run.step.completed",
        "thread.run.completed",
    ]
    assert tail[1]["data"]["delta"]["step_details"]["tool_calls"] == [
        {
            "index": 0,
            "type": "code_interpreter",
            "code_interpreter": {
                "outputs": [
                    {"index": 0, "type": "image", "image": {"file_id": image}},
                    {"index": 1, "type": "logs", "logs": "'/mnt/data/y_eq_x_squared_plot.png'"},
                ]
            },
        }
    ]
    assert tail[2]["data"] == state.steps[0].model_dump()
    image_deltas = [
        block
        for e in legacy
        if e.event == "thread.message.delta"
        for block in e.data.delta.model_dump(exclude_unset=True)["content"]
        if block["type"] == "image_file"
    ]
    assert image_deltas == [{"index": 1, "type": "image_file", "image_file": {"file_id": image}}]


def _legacy_sse(name: str) -> list[tuple[str, Any]]:
    path = shared_path("realwire", "p8_legacy_builtin_tools", name)
    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        body = interaction["response"]["body"]["string"]
        if isinstance(body, str) and "event: " in body:
            return rec.parse_events(body)
    raise LookupError(name)


def test_code_interpreter_deltas_have_the_shape_of_the_legacy_ones() -> None:
    """The announcement, an ``input`` delta and the ``logs`` delta as the 2024 legacy stream sent them
    (openllmetry ``test_streaming_new_assistant``)."""
    recorded_legacy = _legacy_sse("openllmetry__test_assistant_test_streaming_new_assistant.2024-03.yaml")
    theirs = [d["delta"]["step_details"]["tool_calls"][0] for n, d in recorded_legacy if n == "thread.run.step.delta"]
    _, legacy = translate(recorded("pydantic-ai__test_openai_responses_code_execution_download_file_stream.yaml"))
    ours = [
        dump(e)["data"]["delta"]["step_details"]["tool_calls"][0] for e in legacy if e.event == "thread.run.step.delta"
    ]

    def kinds(calls: list[dict[str, Any]]) -> list[Any]:
        return [_keys(calls[0]), _keys(calls[1]), _keys(calls[-1])]

    assert kinds(ours) == kinds(theirs)
    assert theirs[-1]["code_interpreter"]["outputs"][0]["type"] == ours[-1]["code_interpreter"]["outputs"][0]["type"]


def test_a_part_after_a_shown_image_takes_the_next_index() -> None:
    """An image shown by the first part is the block after it; the next part's blocks come after that."""
    image = {
        "type": "container_file_citation",
        "container_id": "cntr_1",
        "file_id": "cfile_1",
        "filename": "cfile_1.png",
        "start_index": 0,
        "end_index": 0,
    }
    first = {"type": "output_text", "text": "A chart:", "annotations": [image], "logprobs": []}
    second = {"type": "output_text", "text": "done", "annotations": [], "logprobs": []}
    item = {"id": "msg_1", "type": "message", "role": "assistant", "status": "completed", "content": [first, second]}
    opened = {**item, "status": "in_progress", "content": []}
    response = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": "completed",
        "model": "gpt-4o",
        "output": [item],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }
    where = {"item_id": "msg_1", "output_index": 0}
    empty = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
    payloads: list[dict[str, Any]] = [
        {"type": "response.output_item.added", "output_index": 0, "item": opened},
        {"type": "response.content_part.added", **where, "content_index": 0, "part": empty},
        {"type": "response.output_text.delta", **where, "content_index": 0, "delta": "A chart:"},
        {
            "type": "response.output_text.annotation.added",
            **where,
            "content_index": 0,
            "annotation_index": 0,
            "annotation": image,
        },
        {"type": "response.content_part.added", **where, "content_index": 1, "part": empty},
        {"type": "response.output_text.delta", **where, "content_index": 1, "delta": "done"},
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {"type": "response.completed", "response": response},
    ]
    state, legacy = translate(to_events([{**p, "sequence_number": n} for n, p in enumerate(payloads)]))

    deltas = [
        e.data.delta.model_dump(exclude_unset=True)["content"] for e in legacy if e.event == "thread.message.delta"
    ]
    assert deltas == [
        [{"index": 0, "type": "text", "text": {"value": "A chart:", "annotations": []}}],
        [{"index": 1, "type": "image_file", "image_file": {"file_id": "cfile_1"}}],
        [{"index": 2, "type": "text", "text": {"value": "done", "annotations": []}}],
    ]
    [message] = state.messages
    assert [block.model_dump(exclude_none=True) for block in message.content] == [
        {"type": "text", "text": {"value": "A chart:", "annotations": []}},
        {"type": "image_file", "image_file": {"file_id": "cfile_1"}},
        {"type": "text", "text": {"value": "done", "annotations": []}},
    ]
