"""Reading the recorded legacy Assistants traffic in ``shared/realwire/p6_legacy_assistants`` and comparing
the shim's objects with it.

The openai-dotnet recordings keep JSON bodies parsed and SSE bodies as lists of raw lines; the ruby-openai
cassettes keep raw body strings. :func:`differences` compares a recorded object with the shim's
``to_dict()`` of the same object: the same keys at every level, and the same values, except where a value
is expected to differ between two runs of the same exchange (ids, timestamps, model names, token counts,
text chunking), which are compared by kind.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import yaml
from conftest import shared_path

LEGACY = ("realwire", "p6_legacy_assistants")

_TOKEN_COUNTS = frozenset({"prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens", "reasoning_tokens"})
_ID_PREFIX = re.compile(r"^[a-z]+(?=[_-])")
_PREFIX_ALIASES = {"conv": "thread"}
"""A thread is its conversation: the shim keeps the conversation's id (``conv_...``) as the thread id."""


def _path(name: str) -> Path:
    """The recording ``name``; without it the test is skipped, or failed when ``CI`` is set."""
    return shared_path(*LEGACY, name)


def dotnet_entries(name: str) -> list[dict[str, Any]]:
    """The ``Entries`` of an openai-dotnet session recording (``openai-dotnet__<name>.json``)."""
    document = json.loads(_path(f"openai-dotnet__{name}.json").read_text())
    return cast(list[dict[str, Any]], document["Entries"])


def dotnet_body(name: str, method: str, uri_suffix: str, *, nth: int = 0) -> Any:
    """The response body of the ``nth`` entry whose method and URI (without query) match."""
    matches = [
        entry["ResponseBody"]
        for entry in dotnet_entries(name)
        if entry["RequestMethod"] == method and re.search(uri_suffix + "$", entry["RequestUri"].split("?")[0])
    ]
    return matches[nth]


def dotnet_objects(name: str, object_type: str) -> list[dict[str, Any]]:
    """Every JSON response body of a recording whose ``object`` is ``object_type``, in order."""
    bodies = [entry["ResponseBody"] for entry in dotnet_entries(name)]
    return [b for b in bodies if isinstance(b, dict) and cast(dict[str, Any], b).get("object") == object_type]


def dotnet_stream(name: str, uri_suffix: str) -> list[tuple[str, Any]]:
    """The legacy events of the SSE body answering the request whose URI ends with ``uri_suffix``."""
    for entry in dotnet_entries(name):
        body = entry["ResponseBody"]
        if isinstance(body, list) and re.search(uri_suffix + "$", entry["RequestUri"].split("?")[0]):
            return parse_events("".join(str(line) for line in cast(list[object], body)))
    raise LookupError(uri_suffix)


def ruby_streams(name: str) -> list[tuple[str, list[tuple[str, Any]]]]:
    """``(OpenAI-Beta header, events)`` of every SSE body in a ruby-openai cassette."""
    document = yaml.safe_load(_path(f"ruby-openai__{name}.yml").read_text())
    streams: list[tuple[str, list[tuple[str, Any]]]] = []
    for interaction in document["http_interactions"]:
        text = interaction["response"]["body"]["string"]
        if "event: " in text:
            headers = {key.lower(): value for key, value in interaction["request"]["headers"].items()}
            streams.append((headers.get("openai-beta", [""])[0], parse_events(text)))
    return streams


def parse_events(body: str) -> list[tuple[str, Any]]:
    """``(event name, data)`` pairs of a legacy SSE body; ``done`` carries ``None``."""
    events: list[tuple[str, Any]] = []
    for block in body.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.strip().splitlines() if ": " in line)
        if "event" in lines:
            data = lines.get("data", "")
            events.append((lines["event"], None if data == "[DONE]" else json.loads(data)))
    return events


def collapse(names: list[str]) -> list[str]:
    """Runs of one ``*.delta`` event become ``<name>...`` (chunking differs from run to run)."""
    out: list[str] = []
    for name, group in itertools.groupby(names):
        count = len(list(group))
        out.extend([f"{name}..."] if name.endswith(".delta") else [name] * count)
    return out


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _prefix(value: object) -> object:
    if not isinstance(value, str):
        return _kind(value)
    match = _ID_PREFIX.match(value)
    prefix = match.group(0) if match else value
    return _PREFIX_ALIASES.get(prefix, prefix)


def _by_kind(key: str, path: str) -> bool:
    """Timestamps, model names, token counts and streamed text fragments are compared by kind."""
    if key.endswith("_at") or key in _TOKEN_COUNTS or key == "model":
        return True
    return key in ("value", "arguments") and ".delta" in path


def _scalar(key: str, path: str, recorded: object, actual: object) -> str | None:
    """The difference between two leaf values, if any."""
    if key == "id" or key.endswith("_id"):
        same = _prefix(recorded) == _prefix(actual)
    elif _by_kind(key, path):
        same = _kind(recorded) == _kind(actual)
    else:
        same = recorded == actual and _kind(recorded) == _kind(actual)
    return None if same else f"{path}: recorded {recorded!r}, got {actual!r}"


def differences(recorded: object, actual: object, path: str = "", key: str = "") -> list[str]:
    """Every difference between a recorded JSON value and the shim's, recursively (see the module docstring)."""
    if isinstance(recorded, Mapping) and isinstance(actual, Mapping):
        rec = cast(Mapping[str, object], recorded)
        act = cast(Mapping[str, object], actual)
        out = [f"{path}.{name}: missing" for name in sorted(rec.keys() - act.keys())]
        out += [f"{path}.{name}: not recorded" for name in sorted(act.keys() - rec.keys())]
        for name in sorted(rec.keys() & act.keys()):
            out += differences(rec[name], act[name], f"{path}.{name}", name)
        return out
    if isinstance(recorded, list) and isinstance(actual, list):
        rec_items = cast(list[object], recorded)
        act_items = cast(list[object], actual)
        if len(rec_items) != len(act_items):
            return [f"{path}: recorded {len(rec_items)} items, got {len(act_items)}"]
        out: list[str] = []
        for index, (r, a) in enumerate(zip(rec_items, act_items, strict=True)):
            out += differences(r, a, f"{path}[{index}]", key)
        return out
    difference = _scalar(key, path, recorded, actual)
    return [difference] if difference else []


def _matches(difference: str, pattern: str) -> bool:
    """Whether a difference matches a pattern in which only ``*`` is a wildcard."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), difference) is not None


def without_accepted(found: list[str], accepted: Mapping[str, str]) -> list[str]:
    """``found`` minus the differences matching an accepted pattern (``*`` wildcards, pattern → reason)."""
    return [d for d in found if not any(_matches(d, pattern) for pattern in accepted)]


def stream_differences(
    recorded: list[tuple[str, Any]], actual: list[tuple[str, Any]], accepted: Mapping[str, str]
) -> list[str]:
    """Differences of two legacy event sequences: collapsed names, then each event's data.

    Events pair up by position once the names agree; within a run of ``*.delta`` events the first is
    compared with the recorded first and every later one with the recorded second (the first of a run
    announces a block or a tool call, the later ones only add to it).
    """
    rec_names = collapse([name for name, _ in recorded])
    act_names = collapse([name for name, _ in actual])
    if rec_names != act_names:
        return [f"event sequence: recorded {rec_names}, got {act_names}"]
    found: list[str] = []
    for (rec_name, rec_run), (_, act_run) in zip(_runs(recorded), _runs(actual), strict=True):
        for position, (_, data) in enumerate(act_run):
            reference = rec_run[min(position, 1, len(rec_run) - 1)][1]
            found += differences(reference, data, rec_name)
    return without_accepted(found, accepted)


def _runs(events: list[tuple[str, Any]]) -> list[tuple[str, list[tuple[str, Any]]]]:
    """Events grouped like :func:`collapse`: a run of one ``*.delta`` name is one group."""
    runs: list[tuple[str, list[tuple[str, Any]]]] = []
    for name, group in itertools.groupby(events, key=lambda event: event[0]):
        items = list(group)
        if name.endswith(".delta"):
            runs.append((name, items))
        else:
            runs.extend((name, [item]) for item in items)
    return runs
