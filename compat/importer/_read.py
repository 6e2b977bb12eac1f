"""Reading saved legacy objects: files in, validated SDK objects (and each message's item) out.

Rules:

- a path is a ``.json`` or ``.jsonl`` file, or a directory whose ``.json`` and ``.jsonl`` files are read,
  recursively, in sorted order;
- a JSON file holds one document, a JSONL file one document per non-blank line;
- a document is a legacy object recognised by its ``object`` field (``assistant``, ``thread``,
  ``thread.message``, ``thread.run``, ``thread.run.step``), a list page of them (``{"object": "list",
  "data": [...]}``), a JSON array of them, or a thread export (:data:`EXPORT_FORMAT`);
- every object is validated with the SDK's own type (``openai.types.beta...``), and every message turned into
  its conversation item (:func:`message_to_item`) now, so that a file either reads completely or not at all;
  a message without ``status`` (the API stopped sending it) is ``completed``;
- a list page whose objects run from the newest to the oldest (as the legacy lists answered by default) is
  read oldest first;
- errors name the file and where: ``line N`` of a JSONL file, ``line N column C`` of a JSON syntax error, and
  the JSON path (``$.data[3].content[0].type``) of an object that does not validate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pydantic
from openai.types.beta import Assistant, Thread
from openai.types.beta.threads import Message, Run, Text
from openai.types.beta.threads.runs import RunStep

from ..translate.legacy import legacy_run

__all__ = ["EXPORT_FORMAT", "BadFile", "Saved", "input_files", "message_to_item", "read_file"]

EXPORT_FORMAT = "assistants-thread-export/v1"
"""A thread export: ``{"format": EXPORT_FORMAT, "thread": {...}, "messages": [...], "runs": [...],
"steps": [...]}`` (each list optional, in any order; the objects as the legacy API returned them)."""

_SUFFIXES = (".json", ".jsonl")
_MARKER = re.compile(r"【\d+:\d+†(.*)】")
_CONTENT_TYPES = ("text", "image_file", "image_url", "refusal")
_EXPORT_LISTS = ("messages", "runs", "steps")
_EXPORT_OBJECTS = {"messages": "thread.message", "runs": "thread.run", "steps": "thread.run.step"}

Item = dict[str, Any]


class BadFile(Exception):
    """A file that cannot be imported: its path, where in it, and why."""

    def __init__(self, path: Path, where: str, reason: str) -> None:
        super().__init__(f"{path}: {where}: {reason}" if where else f"{path}: {reason}")
        self.path = path
        self.where = where
        self.reason = reason


@dataclass
class Saved:
    """The legacy objects of some files, in the order read (messages with their items)."""

    assistants: list[Assistant] = field(default_factory=list[Assistant])
    threads: list[Thread] = field(default_factory=list[Thread])
    messages: list[tuple[Message, Item]] = field(default_factory=list[tuple[Message, Item]])
    runs: list[Run] = field(default_factory=list[Run])
    steps: list[RunStep] = field(default_factory=list[RunStep])

    def extend(self, other: Saved) -> None:
        """Add ``other``'s objects after these."""
        self.assistants += other.assistants
        self.threads += other.threads
        self.messages += other.messages
        self.runs += other.runs
        self.steps += other.steps

    def count(self) -> int:
        """How many objects there are."""
        return sum(map(len, (self.assistants, self.threads, self.messages, self.runs, self.steps)))


def input_files(paths: Sequence[Path]) -> list[Path]:
    """The files to read: files as given, and the ``.json`` / ``.jsonl`` files under directories, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
        else:
            files.append(path)
    return files


def read_file(path: Path) -> Saved:
    """The legacy objects of one file; :class:`BadFile` when any part of it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadFile(path, "", f"cannot read: {error}") from error
    saved = Saved()
    if path.suffix == ".jsonl":
        # lines end at "\n" only: JSON strings may hold U+2028 and other characters splitlines() splits at
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                _read_document(saved, path, _parse(path, line, f"line {number}"), f"line {number}: $")
        return saved
    _read_document(saved, path, _parse(path, text, ""), "$")
    return saved


def _parse(path: Path, text: str, where: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        at = f"column {error.colno}" if where else f"line {error.lineno} column {error.colno}"
        raise BadFile(path, f"{where} {at}".strip(), f"not JSON: {error.msg}") from error
    except RecursionError as error:
        raise BadFile(path, where, "not JSON a reader can take: nested too deeply") from error


def _read_document(saved: Saved, path: Path, document: object, where: str) -> None:
    if isinstance(document, list):
        for index, value in enumerate(cast("list[object]", document)):
            _read_object(saved, path, value, f"{where}[{index}]")
        return
    data = _mapping(path, document, where)
    if data.get("format") == EXPORT_FORMAT:
        for key, value in _export_objects(path, data, where):
            _read_object(saved, path, value, key)
        return
    if data.get("object") == "list":
        values = data.get("data")
        if not isinstance(values, list):
            raise BadFile(path, f"{where}.data", "a list page needs a 'data' array")
        for index, value in _oldest_first(cast("list[object]", values)):
            _read_object(saved, path, value, f"{where}.data[{index}]")
        return
    _read_object(saved, path, data, where)


def _export_objects(path: Path, data: Mapping[str, Any], where: str) -> Iterator[tuple[str, object]]:
    """The objects of a thread export, each with its JSON path; the export's lists must name its thread."""
    unknown = sorted(set(data) - {"format", "thread", *_EXPORT_LISTS})
    if unknown:
        raise BadFile(path, f"{where}.{unknown[0]}", f"unknown key in an {EXPORT_FORMAT} export")
    thread = _mapping(path, data.get("thread"), f"{where}.thread")
    yield f"{where}.thread", _expecting(path, thread, "thread", f"{where}.thread")
    for key in _EXPORT_LISTS:
        values = data.get(key, [])
        if not isinstance(values, list):
            raise BadFile(path, f"{where}.{key}", "expected an array")
        for index, value in _oldest_first(cast("list[object]", values)):
            at = f"{where}.{key}[{index}]"
            item = _expecting(path, _mapping(path, value, at), _EXPORT_OBJECTS[key], at)
            if item.get("thread_id") != thread.get("id"):
                raise BadFile(path, f"{at}.thread_id", f"{item.get('thread_id')!r} is not the export's thread")
            yield at, item


def _expecting(path: Path, data: Mapping[str, Any], kind: str, where: str) -> Mapping[str, Any]:
    if data.get("object") != kind:
        raise BadFile(path, f"{where}.object", f"expected {kind!r}, got {data.get('object')!r}")
    return data


def _oldest_first(values: list[object]) -> list[tuple[int, object]]:
    """A page's objects with their indexes, oldest first: a page runs newest first (the lists' default), unless
    its ``created_at`` stamps rise; objects of one second keep their page order (reversed with the page)."""
    indexed = list(enumerate(values))
    objects = [cast("Mapping[str, object]", v) for v in values if isinstance(v, Mapping)]
    stamps = [t for v in objects if isinstance(t := v.get("created_at"), int)]
    rising = len(stamps) == len(values) and stamps == sorted(stamps) and stamps[:1] != stamps[-1:]
    return indexed if rising else indexed[::-1]


def _mapping(path: Path, value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadFile(path, where, "expected a JSON object")
    return cast("Mapping[str, Any]", value)


def _read_object(saved: Saved, path: Path, value: object, where: str) -> None:
    data = _mapping(path, value, where)
    kind = data.get("object")
    try:
        if kind == "assistant":
            saved.assistants.append(Assistant.model_validate(data))
        elif kind == "thread":
            saved.threads.append(Thread.model_validate(data))
        elif kind == "thread.message":
            _check_content_types(path, data, where)
            # the API stopped sending a message's status; such messages were complete
            message = Message.model_validate({"status": "completed", **data})
            saved.messages.append((message, message_to_item(message)))
        elif kind == "thread.run":
            saved.runs.append(legacy_run(data))
        elif kind == "thread.run.step":
            saved.steps.append(RunStep.model_validate(data))
        else:
            raise BadFile(path, f"{where}.object", f"not a legacy object: {kind!r}")
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        at = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
        raise BadFile(path, f"{where}{at}", f"{first['msg']} ({kind})") from error
    except UnsupportedContent as error:
        raise BadFile(path, f"{where}.content[{error.index}]", str(error)) from error


def _check_content_types(path: Path, data: Mapping[str, Any], where: str) -> None:
    """An unknown content type named as such (the SDK's union would report a missing field of each)."""
    content = data.get("content")
    for index, part in enumerate(cast("list[object]", content) if isinstance(content, list) else []):
        kind = cast("Mapping[str, Any]", part).get("type") if isinstance(part, Mapping) else None
        if kind not in _CONTENT_TYPES:
            expected = ", ".join(map(repr, _CONTENT_TYPES))
            raise BadFile(path, f"{where}.content[{index}].type", f"expected one of {expected}, got {kind!r}")


class UnsupportedContent(ValueError):
    """A message content part the Conversations API has no item for."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index


def message_to_item(message: Message) -> Item:
    """The conversation item of a saved message.

    Rules:

    - ``text`` → ``input_text`` (user) or ``output_text`` (assistant, its citation markers taken out and
      its annotations as Responses ones: :func:`_unmarked`); ``refusal`` (assistant) → ``refusal``;
    - ``image_file`` / ``image_url`` (user) → ``input_image`` with the file id or URL and the detail
      (``auto`` when none);
    - images in an assistant message have no item form: :class:`UnsupportedContent`, as for any other part;
    - a message without content becomes one empty text part (an item needs one).
    """
    assistant = message.role == "assistant"
    parts = [_part(index, part, assistant=assistant) for index, part in enumerate(message.content)]
    if not parts:
        parts = [_text_part("", [], assistant=assistant)]
    return {"type": "message", "role": message.role, "content": parts}


def _part(index: int, part: Any, *, assistant: bool) -> Item:
    kind = part.type
    if kind == "text" and assistant:
        text, annotations = _unmarked(part.text)
        return _text_part(text, annotations, assistant=True)
    if kind == "text":
        return _text_part(part.text.value, [], assistant=False)
    if kind == "refusal" and assistant:
        return {"type": "refusal", "refusal": part.refusal}
    if kind in ("image_file", "image_url") and not assistant:
        image = part.image_file if kind == "image_file" else part.image_url
        source = {"file_id": image.file_id} if kind == "image_file" else {"image_url": image.url}
        return {"type": "input_image", **source, "detail": image.detail or "auto"}
    whose = "an assistant" if assistant else "a user"
    raise UnsupportedContent(index, f"{kind} content in {whose} message has no Conversations item form")


def _unmarked(text: Text) -> tuple[str, list[Item]]:
    """An assistant's text without its citation markers, and its annotations at their places in it.

    A ``file_citation`` whose marker (``【4:0†notes.txt】``) is in the text at its span becomes a Responses
    citation of that file name at the marker's place, the marker taken out: the shim puts it back when it
    answers the message. Other annotations keep their file and start.
    """
    value = text.value
    kept: list[str] = []
    annotations: list[Item] = []
    at = removed = 0
    for annotation in sorted(text.annotations, key=lambda a: a.start_index):
        start = annotation.start_index - removed
        if annotation.type == "file_path":
            annotations.append({"type": "file_path", "file_id": annotation.file_path.file_id, "index": start})
            continue
        marker = annotation.text
        name = _MARKER.fullmatch(marker)
        filename = name.group(1) if name else ""
        if marker and value[annotation.start_index : annotation.end_index] == marker and annotation.start_index >= at:
            kept.append(value[at : annotation.start_index])
            at = annotation.end_index
            removed += len(marker)
        file_id = annotation.file_citation.file_id
        annotations.append({"type": "file_citation", "file_id": file_id, "filename": filename, "index": start})
    kept.append(value[at:])
    return "".join(kept), annotations


def _text_part(text: str, annotations: list[Item], *, assistant: bool) -> Item:
    if assistant:
        return {"type": "output_text", "text": text, "annotations": annotations}
    return {"type": "input_text", "text": text}
