"""The server-sent events of a streamed response, derived from its snapshots and final state.

Order (as recorded from the live service): ``response.created``, ``response.queued`` (background only),
``response.in_progress``, then per output item ``response.output_item.added``, its content events and
``response.output_item.done``, then the terminal ``response.completed`` / ``response.incomplete`` /
``response.failed`` (a failure is preceded by an ``error`` event).

Built-in tool items, as recorded:

- ``file_search_call``: added with ``queries: []`` and ``results: null``, then
  ``response.file_search_call.in_progress``, ``.searching``, ``.completed`` (``item_id``, ``output_index``);
- ``code_interpreter_call``: added with ``code: ""`` and ``outputs`` ``[]`` (``null`` when not included), then
  ``response.code_interpreter_call.in_progress``, the code in ``response.code_interpreter_call_code.delta``
  events (one per word) and ``.done``, then ``response.code_interpreter_call.interpreting`` and ``.completed``;
- ``response.output_text.annotation.added`` (``annotation_index``, ``annotation``): a ``file_citation`` right
  after the delta that ends at its ``index`` (the text is cut into deltas there), a ``container_file_citation``
  after the last delta (the live service sends them once the text is written, the empty-span image citation
  included).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any, cast

from ._items import Item

Event = dict[str, Any]

_TERMINAL = {
    "completed": "response.completed",
    "incomplete": "response.incomplete",
    "failed": "response.failed",
}


def response_events(*, start: dict[str, Any], final: dict[str, Any]) -> list[Event]:
    """Every event of a stream, numbered from 0; ``start`` is the response as first announced."""
    events: list[Event] = [{"type": "response.created", "response": copy.deepcopy(start)}]
    if start["status"] == "queued":
        events.append({"type": "response.queued", "response": copy.deepcopy(start)})
    running = {**copy.deepcopy(start), "status": "in_progress"}
    events.append({"type": "response.in_progress", "response": running})
    for index, item in enumerate(cast("list[Item]", final["output"])):
        events.extend(_item_events(item, index))
    if final["status"] == "failed":
        events.append({"type": "error", "error": _error_event_body(final["error"])})
    events.append({"type": _TERMINAL.get(final["status"], "response.completed"), "response": final})
    return [{"type": event["type"], "sequence_number": number, **event} for number, event in enumerate(events)]


def encode_event(event: Event) -> bytes:
    """One event in SSE framing: ``event: <type>`` and ``data: <json>`` lines, then a blank line."""
    data = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    return f"event: {event['type']}\ndata: {data}\n\n".encode()


def split_text(text: str) -> list[str]:
    """The deltas of a text: one per word, each with its leading whitespace (at least one delta)."""
    return re.findall(r"\s*\w+|\s*[^\w\s]+|\s+$", text) or [text]


def _error_event_body(error: dict[str, Any]) -> dict[str, Any]:
    return {"type": error["code"], "code": error["code"], "message": error["message"], "param": None}


def _item_events(item: Item, index: int) -> Iterator[Event]:
    yield {"type": "response.output_item.added", "output_index": index, "item": _pending(item)}
    if item["type"] == "message":
        for content_index, part in enumerate(cast("list[Item]", item["content"])):
            yield from _part_events(item["id"], index, content_index, part)
    elif item["type"] == "function_call":
        yield from _argument_events(item, index)
    elif item["type"] == "reasoning":
        for summary_index, part in enumerate(cast("list[Item]", item["summary"])):
            yield from _summary_events(item["id"], index, summary_index, part["text"])
    elif item["type"] == "file_search_call":
        where = {"item_id": item["id"], "output_index": index}
        for phase in ("in_progress", "searching", "completed"):
            yield {"type": f"response.file_search_call.{phase}", **where}
    elif item["type"] == "code_interpreter_call":
        yield from _code_events(item, index)
    yield {"type": "response.output_item.done", "output_index": index, "item": item}


def _pending(item: Item) -> Item:
    pending = copy.deepcopy(item)
    if item["type"] == "message":
        pending.update(status="in_progress", content=[])
    elif item["type"] == "function_call":
        pending.update(status="in_progress", arguments="")
    elif item["type"] == "reasoning":
        pending["summary"] = []
    elif item["type"] == "file_search_call":
        pending.update(status="in_progress", queries=[], results=None)
    elif item["type"] == "code_interpreter_call":
        pending.update(status="in_progress", code="", outputs=None if item["outputs"] is None else [])
    return pending


def _code_events(item: Item, index: int) -> Iterator[Event]:
    where = {"item_id": item["id"], "output_index": index}
    yield {"type": "response.code_interpreter_call.in_progress", **where}
    for delta in split_text(item["code"]):
        yield {
            "type": "response.code_interpreter_call_code.delta",
            **where,
            "delta": delta,
            "obfuscation": _obfuscation(item["id"], delta),
        }
    yield {"type": "response.code_interpreter_call_code.done", **where, "code": item["code"]}
    yield {"type": "response.code_interpreter_call.interpreting", **where}
    yield {"type": "response.code_interpreter_call.completed", **where}


def _part_events(item_id: str, index: int, content_index: int, part: Item) -> Iterator[Event]:
    where = {"item_id": item_id, "output_index": index, "content_index": content_index}
    if part["type"] == "refusal":
        yield {"type": "response.content_part.added", **where, "part": {"type": "refusal", "refusal": ""}}
        for delta in split_text(part["refusal"]):
            yield {"type": "response.refusal.delta", **where, "delta": delta}
        yield {"type": "response.refusal.done", **where, "refusal": part["refusal"]}
    else:
        empty: Item = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
        yield {"type": "response.content_part.added", **where, "part": empty}
        yield from _text_events(where, part)
        yield {"type": "response.output_text.done", **where, "text": part["text"], "logprobs": []}
    yield {"type": "response.content_part.done", **where, "part": part}


def _text_events(where: dict[str, Any], part: Item) -> Iterator[Event]:
    """The text deltas, each annotation placed after the delta where it belongs (see the module docstring)."""
    annotations = cast("list[Item]", part.get("annotations") or [])
    deltas = _split_at_citations(part["text"], annotations)
    after = [_annotation_position(annotation, deltas) for annotation in annotations]
    pending = 0
    for number, delta in enumerate(deltas):
        yield {
            "type": "response.output_text.delta",
            **where,
            "delta": delta,
            "logprobs": [],
            "obfuscation": _obfuscation(where["item_id"], delta),
        }
        while pending < len(annotations) and after[pending] <= number:
            yield {
                "type": "response.output_text.annotation.added",
                **where,
                "annotation_index": pending,
                "annotation": annotations[pending],
            }
            pending += 1


def _split_at_citations(text: str, annotations: list[Item]) -> list[str]:
    """The deltas of a text, one ending exactly at each ``file_citation`` index (as the model's tokens do)."""
    cuts = sorted({0, len(text)} | {a["index"] for a in annotations if a.get("type") == "file_citation"})
    segments = [text[start:end] for start, end in itertools.pairwise(cuts) if 0 <= start < end <= len(text)]
    return [delta for segment in segments for delta in split_text(segment)] or split_text(text)


def _annotation_position(annotation: Item, deltas: list[str]) -> int:
    """The number of the delta an annotation follows: the one reaching its ``index``, else the last."""
    if annotation.get("type") != "file_citation":
        return len(deltas) - 1
    written = 0
    for number, delta in enumerate(deltas):
        written += len(delta)
        if written >= annotation["index"]:
            return number
    return len(deltas) - 1


def _argument_events(item: Item, index: int) -> Iterator[Event]:
    where = {"item_id": item["id"], "output_index": index}
    for delta in split_text(item["arguments"]):
        yield {
            "type": "response.function_call_arguments.delta",
            **where,
            "delta": delta,
            "obfuscation": _obfuscation(item["id"], delta),
        }
    yield {"type": "response.function_call_arguments.done", **where, "arguments": item["arguments"]}


def _summary_events(item_id: str, index: int, summary_index: int, text: str) -> Iterator[Event]:
    where = {"item_id": item_id, "output_index": index, "summary_index": summary_index}
    yield {
        "type": "response.reasoning_summary_part.added",
        **where,
        "part": {"type": "summary_text", "text": ""},
    }
    for delta in split_text(text):
        yield {
            "type": "response.reasoning_summary_text.delta",
            **where,
            "delta": delta,
            "obfuscation": _obfuscation(item_id, delta),
        }
    yield {"type": "response.reasoning_summary_text.done", **where, "text": text}
    yield {
        "type": "response.reasoning_summary_part.done",
        **where,
        "part": {"type": "summary_text", "text": text},
    }


def _obfuscation(item_id: str, delta: str) -> str:
    # The live service pads deltas to hide their length; a hash keeps the padding deterministic.
    digest = hashlib.sha256(f"{item_id}:{delta}".encode()).hexdigest()
    return digest[: max(2, 16 - len(delta))]
