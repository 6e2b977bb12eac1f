"""Replays the recorded ``/files``, ``/vector_stores`` and ``/containers`` traffic (p7) against the emulator.

Every request of those endpoints in the openai-dotnet and ruby-openai recordings of
``../shared/realwire/p7_builtin_tools`` is replayed on a fresh emulator: recorded ids are swapped for the
emulator's, objects a recording uses without creating them (a vector store made by an earlier test run) are
created first, and uploads whose multipart body was not kept are rebuilt from the recorded answer (same name,
purpose and size). Each answer is compared with the recording:

- the status code; error bodies in full;
- per object: every key the recording has is sent, and every key sent was seen in some recording of that
  object kind (older recordings have fewer keys); JSON types agree where neither is null;
- the values of ``object`` and ``status`` everywhere, except for the gaps listed in ``KNOWN_GAPS``;
- raw file content, byte for byte.

The search page and the vector-store file content page have no real recording (the ruby-openai search
cassettes are synthetic), so they are checked against the OpenAPI schema's required properties.
"""

from __future__ import annotations

import base64
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from compat.emulator import Emulator, counter_ids, fixed_clock

from ._recordings import REALWIRE, Interaction, load

pytestmark = pytest.mark.usefixtures("realwire")

P7 = REALWIRE / "p7_builtin_tools"
LIBRARY_PATH = re.compile(r"/v1/(files|vector_stores|containers)(/|$)")
RECORDED_ID = re.compile(r"\b(?:file-|vs_|vsfb_|cntr_|cfile_)[A-Za-z0-9_]+")
SKIPPED_KEYS = ("metadata", "attributes")

KNOWN_GAPS = {
    (
        "openai-dotnet__VectorStoresTests_CanApplyChunkingStrategyStatic.json",
        6,
    ): "a list right after creating the store still shows in_progress files; the emulator completes them on any read",
    (
        "ruby-openai__vector_store_file_batches_list.yml",
        0,
    ): "a transient 500 of the live service",
}


def library_recordings() -> list[Path]:
    """The recordings holding requests to the library endpoints."""
    paths = [*P7.glob("openai-dotnet__*.json"), *P7.glob("ruby-openai__vector_store*.yml")]
    return sorted(path for path in paths if any(LIBRARY_PATH.match(i.path) for i in load(path)))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string", type(None): "null"}[type(value)]


def _walk(value: Any, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        kind = f"object={value['object']}" if isinstance(value.get("object"), str) else kind
        yield kind, value
        for key, child in value.items():
            if key not in SKIPPED_KEYS:
                yield from _walk(child, f"{kind}.{key}")
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child, kind + "[]")


@cache
def recorded_keys() -> dict[str, frozenset[str]]:
    """Every key seen per object kind, over all the library recordings."""
    seen: dict[str, set[str]] = defaultdict(set)
    for path in library_recordings():
        for interaction in load(path):
            if LIBRARY_PATH.match(interaction.path):
                for kind, value in _walk(interaction.body, "root"):
                    seen[kind] |= set(value)
    return {kind: frozenset(keys) for kind, keys in seen.items()}


def shape_problems(recorded: Any, ours: Any, kind: str = "root") -> list[str]:
    """How ``ours`` differs in shape from ``recorded`` (see the module docstring)."""
    if recorded is None or ours is None:
        return []
    if _json_type(recorded) != _json_type(ours):
        return [f"{kind}: {_json_type(ours)} instead of {_json_type(recorded)}"]
    if isinstance(recorded, list):
        return shape_problems(recorded[0], ours[0], kind + "[]") if recorded and ours else []
    if not isinstance(recorded, dict):
        return []
    kind = f"object={recorded['object']}" if isinstance(recorded.get("object"), str) else kind
    found = [f"{kind}: missing key {key!r}" for key in sorted(set(recorded) - set(ours))]
    allowed = recorded_keys().get(kind, frozenset(recorded))
    found += [f"{kind}: unexpected key {key!r}" for key in sorted(set(ours) - allowed)]
    for key in ("object", "status"):
        if isinstance(recorded.get(key), str) and recorded[key] != ours.get(key):
            found.append(f"{kind}.{key}: {ours.get(key)!r} instead of {recorded[key]!r}")
    for key in set(recorded) & set(ours) - set(SKIPPED_KEYS):
        found += shape_problems(recorded[key], ours[key], f"{kind}.{key}")
    return found


class Replay:
    """One recording replayed on a fresh emulator, with the recorded ids mapped to the emulator's."""

    def __init__(self, interactions: list[Interaction]) -> None:
        self.emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
        self.interactions = interactions
        self.ids: dict[str, str] = {}

    def send(self, index: int) -> tuple[int, Any]:
        """Replay interaction ``index``; its status and body (bytes for raw content)."""
        interaction = self.interactions[index]
        path = RECORDED_ID.sub(lambda m: self._known(m[0], interaction.path), interaction.path)
        query = {key: [self.ids.get(v, v) for v in values] for key, values in interaction.query.items()}
        body, headers = self._body(index)
        answer = self.emulator.handle(interaction.method, path, query=query, body=body, headers=headers)
        if isinstance(answer.body, dict) and isinstance(interaction.body, dict):
            self._learn(interaction.body, answer.body)
        return answer.status, answer.body

    def _learn(self, recorded: dict[str, Any], ours: dict[str, Any]) -> None:
        for key in ("id", "vector_store_id", "container_id"):
            if isinstance(recorded.get(key), str) and isinstance(ours.get(key), str):
                self.ids.setdefault(recorded[key], ours[key])

    def _known(self, recorded_id: str, path: str) -> str:
        """The emulator's id for ``recorded_id``, creating the object when the recording never did."""
        if recorded_id not in self.ids:
            self.ids[recorded_id] = self._create(recorded_id, path)
        return self.ids[recorded_id]

    def _create(self, recorded_id: str, path: str) -> str:
        emulator, library = self.emulator, self.emulator.library
        owner = (RECORDED_ID.findall(path) or [""])[0]
        if recorded_id.startswith("vs_"):
            return emulator.handle("POST", "/v1/vector_stores", body={}).body["id"]
        if recorded_id.startswith("cntr_"):
            return library.new_container(name="seeded")
        if recorded_id.startswith("cfile_"):
            return library.add_container_file(self.ids[owner], filename="seed.txt", data=b"seed", source="user").id
        upload = library.add_file(filename="seed.txt", data=b"seed text").id
        if recorded_id.startswith("vsfb_"):
            batch = emulator.handle(
                "POST", f"/v1/vector_stores/{self.ids[owner]}/file_batches", body={"file_ids": [upload]}
            )
            emulator.handle("GET", f"/v1/vector_stores/{self.ids[owner]}")
            return batch.body["id"]
        if owner.startswith("vs_"):
            emulator.handle("POST", f"/v1/vector_stores/{self.ids[owner]}/files", body={"file_id": upload})
            emulator.handle("GET", f"/v1/vector_stores/{self.ids[owner]}")
        return upload

    def _body(self, index: int) -> tuple[Any, dict[str, str]]:
        interaction = self.interactions[index]
        request = interaction.request
        if isinstance(request, list):
            return _multipart_lines([str(line) for line in request])
        if request is None and interaction.method == "POST" and interaction.path.endswith("/files"):
            return self._rebuilt_upload(index)
        if request is None:
            return None, {}
        # ids in a body are plain uploads when the recording never made them (path "" names no owner)
        return json.loads(RECORDED_ID.sub(lambda m: self._known(m[0], ""), json.dumps(request))), {}

    def _rebuilt_upload(self, index: int) -> tuple[bytes, dict[str, str]]:
        answer = self.interactions[index].body
        filename = answer.get("filename") or answer["path"].rsplit("/", 1)[-1]
        data = self._later_content(answer["id"]) or b"x" * answer["bytes"]
        fields = [("file", filename, data)]
        if "purpose" in answer:
            fields.append(("purpose", None, answer["purpose"].encode()))
        return _multipart(fields)

    def _later_content(self, recorded_id: str) -> bytes | None:
        for later in self.interactions:
            if later.path.endswith(f"{recorded_id}/content") and isinstance(later.body, str):
                return later.body.encode()
        return None


def _multipart(fields: list[tuple[str, str | None, bytes]]) -> tuple[bytes, dict[str, str]]:
    boundary = "replayed-boundary"
    parts = b""
    for name, filename, value in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        parts += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
    return parts + f"--{boundary}--\r\n".encode(), {"content-type": f"multipart/form-data; boundary={boundary}"}


def _multipart_lines(lines: list[str]) -> tuple[bytes, dict[str, str]]:
    """A recorded multipart body (lines, file bytes as ``b64:``) back to bytes, with its content type."""
    raw = b"".join(base64.b64decode(line[4:]) if line.startswith("b64:") else line.encode() for line in lines)
    boundary = lines[0].strip().removeprefix("--")
    return raw, {"content-type": f"multipart/form-data; boundary={boundary}"}


def _replay_problems(path: Path) -> list[str]:
    interactions = load(path)
    replay = Replay(interactions)
    problems: list[str] = []
    for index, interaction in enumerate(interactions):
        if not LIBRARY_PATH.match(interaction.path) or (path.name, index) in KNOWN_GAPS:
            continue
        where = f"#{index} {interaction.method} {interaction.path}"
        status, body = replay.send(index)
        if status != interaction.status:
            problems.append(f"{where}: status {status} instead of {interaction.status}: {body}")
        elif status >= 400:
            problems += [f"{where}: error body {body}"] if body != interaction.body else []
        elif isinstance(body, bytes):
            problems += [f"{where}: content {body!r}"] if body.decode() != interaction.body else []
        else:
            problems += [f"{where}: {problem}" for problem in shape_problems(interaction.body, body)]
    return problems


@pytest.mark.parametrize("path", library_recordings(), ids=lambda path: path.name)
def test_replay_matches_recording(path: Path) -> None:
    assert _replay_problems(path) == []


def test_every_object_kind_is_covered() -> None:
    kinds = {kind for kind in recorded_keys() if kind.startswith("object=")}
    assert kinds >= {
        "object=file",
        "object=list",
        "object=vector_store",
        "object=vector_store.deleted",
        "object=vector_store.file",
        "object=vector_store.file.deleted",
        "object=vector_store.file_batch",
        "object=container",
        "object=container.deleted",
        "object=container.file",
        "object=container.file.deleted",
    }


def test_shape_check_catches_drift() -> None:
    recorded = {"object": "file", "id": "file-1", "bytes": 3, "status": "processed"}
    ours = {"object": "file", "id": "file-2", "bytes": "3", "status": "uploaded", "colour": "red"}
    assert shape_problems(recorded, ours) == [
        "object=file: unexpected key 'colour'",
        "object=file.status: 'uploaded' instead of 'processed'",
        "object=file.bytes: string instead of number",
    ]
    assert shape_problems(recorded, {"object": "file", "id": "x", "bytes": 1}) == [
        "object=file: missing key 'status'",
        "object=file.status: None instead of 'processed'",
    ]


def _schemas() -> dict[str, Any]:
    return json.loads((REALWIRE / "openapi" / "openapi.json").read_text())["components"]["schemas"]


def test_pages_without_recordings_have_the_openapi_required_properties() -> None:
    schemas = _schemas()
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    upload = emulator.library.add_file(filename="a.txt", data=b"alpha beta")
    store = emulator.handle("POST", "/v1/vector_stores", body={"file_ids": [upload.id]}).body["id"]
    search = emulator.handle("POST", f"/v1/vector_stores/{store}/search", body={"query": "alpha"}).body
    content = emulator.handle("GET", f"/v1/vector_stores/{store}/files/{upload.id}/content").body
    checks = [
        ("VectorStoreSearchResultsPage", search),
        ("VectorStoreSearchResultItem", search["data"][0]),
        ("VectorStoreFileContentResponse", content),
    ]
    for name, payload in checks:
        required = set(schemas[name].get("required", []))
        assert required <= set(payload), (name, sorted(required - set(payload)))
        assert set(payload) <= set(schemas[name]["properties"]), (
            name,
            sorted(set(payload) - set(schemas[name]["properties"])),
        )
    assert search["object"] == "vector_store.search_results.page"
    assert content["object"] == "vector_store.file_content.page"
