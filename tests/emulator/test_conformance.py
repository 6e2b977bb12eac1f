"""Replays the requests of real recordings against the emulator and compares the answers' shapes.

For every recording in ``../shared/realwire`` (p1 to p5) a fresh emulator is scripted with turns that
reproduce the recorded outputs (same texts, same calls with the same ``call_id``), every recorded request is
replayed (recorded ids swapped for the emulator's), and each answer is checked against the recording:
status code, the keys of every object (each key the emulator sends was seen in some recording of that object
type, each key every recording has is sent), JSON types, enum values (object, status, type, role), the SSE
event type sequence (runs of deltas collapsed) and the error envelope. Emulator payloads are also checked
against the required properties of the OpenAPI schemas.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from compat.emulator import Emulator, Turn, counter_ids, fixed_clock

from ._recordings import REALWIRE, Interaction, load, parse_sse, recordings

# Without the recordings every test here is skipped, or failed when CI is set (see tests/conftest.py).
pytestmark = pytest.mark.usefixtures("realwire")

# Recorded answers the emulator does not reproduce, with the reason.
KNOWN_GAPS = {
    (
        "pydantic-ai__test_openai_responses_thinking_with_modified_history.yaml",
        1,
    ): "reasoning items without their following item are not validated",
}

TERMINAL = ("completed", "incomplete", "failed", "cancelled")


def _kind(value: dict[str, Any], parent: str) -> str:
    for key in ("object", "type"):
        if isinstance(value.get(key), str):
            return f"{key}={value[key]}"
    return parent


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string", type(None): "null"}[type(value)]


def _walk(value: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        kind = _kind(value, where)
        yield kind, value
        for key, child in value.items():
            if key not in ("parameters", "schema", "metadata", "arguments"):
                yield from _walk(child, f"{kind}.{key}")
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child, where + "[]")


class Shapes:
    """Keys and JSON types seen per object kind."""

    def __init__(self) -> None:
        self.key_sets: dict[str, list[frozenset[str]]] = defaultdict(list)
        self.types: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(self, payload: Any) -> None:
        for kind, value in _walk(payload, "root"):
            self.key_sets[kind].append(frozenset(value))
            for key, child in value.items():
                self.types[kind, key].add(_json_type(child))

    def problems(self, payload: Any) -> list[str]:
        found: list[str] = []
        for kind, value in _walk(payload, "root"):
            seen = self.key_sets.get(kind)
            if not seen:
                continue
            union, common = frozenset().union(*seen), frozenset.intersection(*seen)
            found += [f"{kind}: unexpected key {key!r}" for key in sorted(set(value) - union)]
            found += [f"{kind}: missing key {key!r}" for key in sorted(common - set(value))]
            for key, child in value.items():
                recorded = self.types.get((kind, key), set())
                if recorded and _json_type(child) not in recorded | {"null"} and "null" not in recorded:
                    found.append(f"{kind}.{key}: type {_json_type(child)} not in {sorted(recorded)}")
        return found


@cache
def recorded_shapes() -> Shapes:
    shapes = Shapes()
    for path in recordings():
        for interaction in load(path):
            shapes.add(interaction.body)
            for event in interaction.events or []:
                shapes.add(event)
    return shapes


def turn_for(body: dict[str, Any]) -> Turn:
    """A turn reproducing a recorded response's output."""
    if body.get("status") == "failed":
        error = body.get("error") or {}
        return Turn.failure(code=error.get("code", "server_error"), message=error.get("message", "failed"))
    texts, calls, reasoning = [], [], None
    for item in body.get("output") or []:
        if item["type"] == "message":
            texts += [part.get("text", "") for part in item["content"] if part["type"] == "output_text"]
        elif item["type"] == "function_call":
            calls.append((item["name"], item["arguments"], item["call_id"]))
        elif item["type"] == "reasoning":
            reasoning = " ".join(part["text"] for part in item.get("summary", []))
    if (body.get("incomplete_details") or {}).get("reason"):
        return Turn.incomplete(body["incomplete_details"]["reason"], text=" ".join(texts))
    if calls:
        return Turn.function_calls(*calls, text=texts[0] if texts else None, reasoning=reasoning)
    return Turn.text(*(texts or [""]), reasoning=reasoning)


def _final_body(interaction: Interaction) -> dict[str, Any] | None:
    if interaction.events:
        return interaction.events[-1].get("response")
    return interaction.body if isinstance(interaction.body, dict) else None


class Replay:
    """Replays one recording against a fresh emulator."""

    def __init__(self, interactions: list[Interaction]) -> None:
        self.interactions = interactions
        models = {i.request["model"] for i in interactions if isinstance(i.request, dict) and "model" in i.request}
        missing = {i.request["model"] for i in interactions if i.body and "model_not_found" in json.dumps(i.body)}
        self.emulator = Emulator(
            ids=counter_ids(),
            clock=fixed_clock(),
            models=((models - missing) | {"gpt-4o"}) if missing else None,
            api_key="sk-good" if any(i.status == 401 for i in interactions) else None,
        )
        self.ids: dict[str, str] = {}
        self.model = next(iter(sorted(models - missing)), "gpt-4o")

    def prepare(self, index: int) -> None:
        """Script the turn a recorded POST /responses produced, and seed responses made before recording."""
        interaction = self.interactions[index]
        for response_id in re.findall(r"resp_\w+", interaction.path):
            if response_id not in self.ids:
                seeded = self.emulator.handle("POST", "/v1/responses", body={"model": self.model, "input": "Hello!"})
                self.ids[response_id] = seeded.body["id"]
        if interaction.method != "POST" or not interaction.path.endswith("/responses") or interaction.status != 200:
            return
        final = _final_body(interaction) or {}
        polls = 1
        for later in self.interactions[index + 1 :]:
            if final.get("status") in TERMINAL:
                break
            answer = _final_body(later) or {}
            if answer.get("id") == final.get("id") and later.method == "GET":
                polls += 0 if answer.get("status") in TERMINAL else 1
                final = answer
        self.emulator.background_polls = polls
        self.emulator.queue(turn_for(final))

    def send(self, interaction: Interaction) -> tuple[int, Any, list[dict[str, Any]] | None]:
        path = self._swap(interaction.path)
        query = {k: [self._swap(v) for v in values] for k, values in interaction.query.items()}
        body = json.loads(self._swap(json.dumps(interaction.request))) if interaction.request is not None else None
        if isinstance(body, dict) and body.get("stream") is False:
            body.pop("stream")
        answer = self.emulator.handle(
            interaction.method,
            path,
            query=query,
            body=body,
            headers={"authorization": "Bearer sk-bad" if interaction.status == 401 else "Bearer sk-good"},
        )
        if answer.stream is None:
            return answer.status, answer.body, None
        return answer.status, None, parse_sse(b"".join(answer.stream).decode())

    def learn(self, recorded: Any, ours: Any) -> None:
        """Map the recorded ids to the emulator's, walking both answers side by side."""
        if isinstance(recorded, dict) and isinstance(ours, dict):
            if isinstance(recorded.get("id"), str) and isinstance(ours.get("id"), str):
                self.ids.setdefault(recorded["id"], ours["id"])
            for key in recorded.keys() & ours.keys():
                self.learn(recorded[key], ours[key])
        elif isinstance(recorded, list) and isinstance(ours, list):
            for left, right in zip(recorded, ours, strict=False):
                self.learn(left, right)

    def _swap(self, text: str) -> str:
        for recorded, ours in self.ids.items():
            text = text.replace(recorded, ours)
        return text


def _collapse(types: list[str]) -> list[str]:
    collapsed: list[str] = []
    for kind in types:
        if not (kind.endswith(".delta") and collapsed and collapsed[-1] == kind):
            collapsed.append(kind)
    return collapsed


def _enum_fields(value: Any) -> Any:
    if isinstance(value, dict):
        picked = {k: value[k] for k in ("object", "type", "role") if k in value}
        if "output" in value:
            picked["output"] = [_enum_fields(item) for item in value["output"] or []]
        if "data" in value:
            picked["data"] = [_enum_fields(item) for item in value["data"] or []]
        return picked
    return None


@pytest.mark.parametrize("path", recordings() or [REALWIRE / "absent"], ids=lambda p: p.name)
def test_replay_matches_recording(path: Path) -> None:
    interactions = load(path)
    replay = Replay(interactions)
    shapes = recorded_shapes()
    problems: list[str] = []
    for index, interaction in enumerate(interactions):
        if (path.name, index) in KNOWN_GAPS:
            continue
        replay.prepare(index)
        status, body, events = replay.send(interaction)
        where = f"#{index} {interaction.method} {interaction.path}"
        if (status >= 400) != (interaction.status >= 400) or (status >= 400 and status != interaction.status):
            problems.append(f"{where}: status {status}, recorded {interaction.status}: {body}")
            continue
        replay.learn(
            _final_body(interaction) or interaction.body, body if events is None else events[-1].get("response")
        )
        problems += [f"{where}: {p}" for p in shapes.problems(body if events is None else events)]
        problems += _compare(where, interaction, body, events)
    assert problems == []


def _compare(where: str, interaction: Interaction, body: Any, events: list[dict[str, Any]] | None) -> list[str]:
    if interaction.events is not None:
        if events is None:
            return [f"{where}: recorded a stream, emulator answered JSON"]
        recorded = _collapse([e["type"] for e in interaction.events])
        ours = _collapse([e["type"] for e in events])
        if interaction.query.get("starting_after"):
            return [] if recorded[-1] == ours[-1] else [f"{where}: resumed stream ends {ours[-1]}"]
        return [] if recorded == ours else [f"{where}: events {ours} != recorded {recorded}"]
    if interaction.status >= 400:
        ok = set(body) == {"error"} and set(body["error"]) == set(interaction.body["error"])
        return [] if ok else [f"{where}: error envelope {body}"]
    recorded_enums, our_enums = _enum_fields(interaction.body), _enum_fields(body)
    return [] if recorded_enums == our_enums else [f"{where}: {our_enums} != recorded {recorded_enums}"]


def test_error_event_matches_vercel_fixture() -> None:
    chunks = (REALWIRE / "p5_errors" / "vercel-ai__openai-error.1.chunks.txt").read_text().splitlines()
    recorded = [json.loads(line) for line in chunks if line.strip()]
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    error = recorded[2]["error"]
    emulator.queue(Turn.failure(code=error["code"], message=error["message"]))
    answer = emulator.handle("POST", "/v1/responses", body={"model": "gpt-5-nano", "input": "x", "stream": True})
    assert answer.stream is not None
    ours = parse_sse(b"".join(answer.stream).decode())
    assert [e["type"] for e in ours] == [e["type"] for e in recorded]
    assert ours[2] == {**recorded[2], "sequence_number": 2}
    assert set(ours[3]["response"]) >= set(recorded[3]["response"]) - {"reasoning"}
    assert ours[3]["response"]["error"] == recorded[3]["response"]["error"]


def _schemas(name: str) -> dict[str, Any]:
    spec = yaml.safe_load((REALWIRE / "openapi" / name).read_text())
    return spec["components"]["schemas"]


def _required(schema: dict[str, Any]) -> set[str]:
    required = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        required |= set(part.get("required", []))
    return required


def test_payloads_have_the_openapi_required_properties() -> None:
    responses, conversations = _schemas("extract_responses.yaml"), _schemas("extract_conversations.yaml")
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    conversation = emulator.handle("POST", "/v1/conversations", body={"items": [{"role": "user", "content": "Hi"}]})
    conv_id = conversation.body["id"]
    response = emulator.handle(
        "POST", "/v1/responses", body={"model": "gpt-4o", "input": "Hi", "conversation": conv_id}
    )
    items = emulator.handle("GET", f"/v1/conversations/{conv_id}/items")
    input_items = emulator.handle("GET", f"/v1/responses/{response.body['id']}/input_items")
    deleted = emulator.handle("DELETE", f"/v1/conversations/{conv_id}")
    error = emulator.handle("GET", "/v1/responses/resp_missing")
    checks = [
        (responses["Response"], response.body),
        (conversations["ConversationResource"], conversation.body),
        (conversations["ConversationItemList"], items.body),
        (responses["ResponseItemList"], input_items.body),
        (conversations["DeletedConversationResource"], deleted.body),
        (responses["Error"], error.body["error"]),
    ]
    for schema, payload in checks:
        assert _required(schema) <= set(payload), sorted(_required(schema) - set(payload))
