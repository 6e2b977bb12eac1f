"""Readers for the real recordings in ``../shared/realwire`` (VCR yaml and dotnet SessionRecords)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from conftest import REALWIRE

FOLDERS = ("p1_responses_function_calls", "p2_responses_streaming", "p3_conversations", "p4_background", "p5_errors")


@dataclass
class Interaction:
    """One recorded request and its answer: a JSON body or a list of SSE events."""

    method: str
    path: str
    query: dict[str, list[str]]
    request: Any
    status: int
    body: Any
    events: list[dict[str, Any]] | None


def recordings() -> list[Path]:
    """Every replayable recording (vercel fixtures hold no request and are read separately)."""
    return sorted(
        path
        for folder in FOLDERS
        for path in (REALWIRE / folder).glob("*")
        if path.suffix in (".json", ".yaml", ".yml") and not path.name.startswith("vercel-ai__")
    )


def load(path: Path) -> list[Interaction]:
    """The interactions of one recording, in order."""
    if path.suffix == ".json":
        return [_dotnet(entry) for entry in json.loads(path.read_text())["Entries"]]
    cassette = yaml.safe_load(path.read_text())
    entries = cassette.get("interactions") or cassette.get("http_interactions") or []
    return [_vcr(interaction) for interaction in entries]


def parse_sse(text: str) -> list[dict[str, Any]]:
    """The ``data:`` payloads of an SSE body."""
    return [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:") and line[5:].strip()]


def _split(uri: str) -> tuple[str, dict[str, list[str]]]:
    url = urlsplit(uri)
    return url.path, parse_qs(url.query)


def _dotnet(entry: dict[str, Any]) -> Interaction:
    path, query = _split(entry["RequestUri"])
    body = entry["ResponseBody"]
    events = parse_sse("".join(body)) if isinstance(body, list) else None
    return Interaction(
        entry["RequestMethod"],
        path,
        query,
        entry.get("RequestBody"),
        entry["StatusCode"],
        None if events is not None else body,
        events,
    )


def _vcr(interaction: dict[str, Any]) -> Interaction:
    request, response = interaction["request"], interaction["response"]
    path, query = _split(request["uri"])
    status = response["status"]["code"] if isinstance(response["status"], dict) else response["status"]
    text = _text(response.get("body") or {})
    if "parsed_body" in response:
        body: Any = response["parsed_body"]
        events = None
    elif text.lstrip().startswith(("event:", "data:")):
        body, events = None, parse_sse(text)
    else:
        body, events = (json.loads(text) if text.strip() else None), None
    return Interaction(request["method"].upper(), path, query, _request_body(request), status, body, events)


def _request_body(request: dict[str, Any]) -> Any:
    if "parsed_body" in request:
        return request["parsed_body"]
    text = _text(request.get("body"))
    return json.loads(text) if text.strip() else None


def _text(body: Any) -> str:
    if body is None:
        return ""
    raw = body.get("string", "") if isinstance(body, dict) else body
    if isinstance(raw, bytes):
        return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode()
    return str(raw)
