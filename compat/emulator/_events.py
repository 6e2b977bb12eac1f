"""The server-sent events of a streamed response, derived from its snapshots and final state.

Order (as recorded from the live service): ``response.created``, ``response.queued`` (background only),
``response.in_progress``, then per output item ``response.output_item.added``, its content events and
``response.output_item.done``, then the terminal ``response.completed`` / ``response.incomplete`` /
``response.failed`` (a failure is preceded by an ``error`` event).
"""

from __future__ import annotations

import copy
import hashlib
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
    yield {"type": "response.output_item.done", "output_index": index, "item": item}


def _pending(item: Item) -> Item:
    pending = copy.deepcopy(item)
    if item["type"] == "message":
        pending.update(status="in_progress", content=[])
    elif item["type"] == "function_call":
        pending.update(status="in_progress", arguments="")
    elif item["type"] == "reasoning":
        pending["summary"] = []
    return pending


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
        for delta in split_text(part["text"]):
            yield {
                "type": "response.output_text.delta",
                **where,
                "delta": delta,
                "logprobs": [],
                "obfuscation": _obfuscation(item_id, delta),
            }
        yield {"type": "response.output_text.done", **where, "text": part["text"], "logprobs": []}
    yield {"type": "response.content_part.done", **where, "part": part}


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
