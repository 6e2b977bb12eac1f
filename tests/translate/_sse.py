"""Reading the recorded Responses streams in ``shared/realwire`` (VCR yaml and openai-dotnet json)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from conftest import REALWIRE
from openai._models import construct_type
from openai.types.responses import ResponseStreamEvent


def parse_sse(body: str) -> list[dict[str, Any]]:
    """The JSON ``data:`` payloads of an SSE body, in order (a bare JSON-lines body is read too)."""
    payloads: list[dict[str, Any]] = []
    for line in body.splitlines():
        text = line[len("data:") :].strip() if line.startswith("data:") else line.strip()
        if text.startswith("{"):
            payloads.append(json.loads(text))
    return payloads


def to_events(payloads: list[dict[str, Any]]) -> list[ResponseStreamEvent]:
    """The payloads as the SDK's stream events, built the way the SDK's own stream builds them.

    Strict validation is not usable: real streams predate fields the SDK now requires
    (``sequence_number`` in 2025-03, ``usage.input_tokens_details.cache_write_tokens``). Each event must
    still be the union member named by its ``type``.
    """
    events: list[ResponseStreamEvent] = []
    for payload in payloads:
        event: ResponseStreamEvent = construct_type(type_=ResponseStreamEvent, value=payload)  # type: ignore[arg-type]
        declared = type(event).model_fields["type"].annotation
        assert payload["type"] in getattr(declared, "__args__", ()), payload["type"]
        events.append(event)
    return events


def _bodies(path: Path) -> Iterator[str]:
    if path.suffix == ".json":
        for entry in json.loads(path.read_text())["Entries"]:
            body = entry.get("ResponseBody")
            if isinstance(body, list):
                yield "\n".join(str(line) for line in body)
            elif isinstance(body, str):
                yield body
        return
    document = yaml.safe_load(path.read_text())
    for interaction in document.get("interactions") or document.get("http_interactions") or []:
        body = interaction["response"].get("body")
        text = body.get("string") if isinstance(body, dict) else body
        if isinstance(text, str):
            yield text


def recorded_streams(folder: str) -> list[tuple[str, str]]:
    """``(id, body)`` for every SSE body recorded under ``realwire/<folder>``."""
    streams: list[tuple[str, str]] = []
    for path in sorted((REALWIRE / folder).glob("*")):
        for number, body in enumerate(_bodies(path)):
            if "response.created" in body and "data:" in body:
                streams.append((f"{path.stem}#{number}", body))
    return streams
