"""Model turns from a JSON script: what ``--script FILE`` reads, for demos and other languages' tests.

A script is a JSON list of turns, played in order by the next responses; past its end the rule-based
default model answers. One turn is an object of one of these forms::

    {"text": "Sunny, 22 °C."}
    {"function_calls": [{"name": "get_weather", "arguments": {"location": "Paris"}}], "text": "Let me check."}
    {"refusal": "I can't help with that."}
    {"incomplete": "max_output_tokens", "text": "The answer was cut"}
    {"failure": {"code": "server_error", "message": "The model crashed."}}
    {"file_search": {"queries": ["Travis favorite food"], "answer": "Travis's favorite food is pizza.",
                     "citations": ["file-abc", {"file_id": "file-def", "filename": "foods.txt", "index": 31}]}}
    {"code_interpreter": {"code": "2 + 2", "logs": "4", "answer": "2 + 2 is 4.",
                          "image": {"filename": "chart.png", "data": "<base64>"},
                          "files": [{"filename": "out.csv", "data": "<base64>"}]}}

Rules:

- ``text`` is a string; alone it is one assistant message, beside ``function_calls`` or ``incomplete`` the
  message before the calls or the partial output.
- ``function_calls`` is a non-empty list of ``{"name", "arguments", "call_id"?}``; ``arguments`` is an
  object or a JSON string (several calls are parallel calls).
- ``incomplete`` is ``max_output_tokens`` or ``content_filter``.
- ``failure`` needs ``code`` and ``message`` (strings) and takes ``http_status`` (an integer): the request
  itself then fails with that status instead of the response failing.
- ``file_search`` needs ``answer`` (a non-empty string) and takes ``queries`` (a list of strings; default: the
  user's message), ``citations`` (a list of file ids or ``{"file_id", "filename"?, "index"?}``; default: the
  files of the best results) and ``results`` (a list of ``{"file_id", "filename", "text", "score"?,
  "attributes"?, "vector_store_id"?}``; default: what the request's vector stores hold), as
  ``Turn.file_search`` does.
- ``code_interpreter`` needs ``code`` and ``answer`` (non-empty strings) and takes ``logs`` (a string),
  ``image`` (``{"filename", "data"}``) and ``files`` (a list of them), ``data`` being the file's bytes in
  base64, as ``Turn.code_interpreter`` does.
- Any other key, a missing or ill-typed value, or two kinds in one turn raise :class:`ScriptError` naming
  the turn by its index in the list (``turn 2: ...``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast, get_args

from ._turns import FileCitation, FileSearchResult, FileSpec, FunctionCall, IncompleteReason, Turn

__all__ = ["ScriptError", "load_script", "turns_from_script"]

_T = TypeVar("_T")
_KINDS = ("text", "function_calls", "refusal", "incomplete", "failure", "file_search", "code_interpreter")
_ALSO_TAKES_TEXT = ("function_calls", "incomplete")


class ScriptError(ValueError):
    """A script that is not a list of valid turns; the message names the file and the turn."""


def load_script(path: str | Path) -> list[Turn]:
    """The turns of the JSON script at ``path``."""
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScriptError(f"cannot read the script {source}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise ScriptError(f"the script {source} is not valid JSON: {exc}") from exc
    try:
        return turns_from_script(data)
    except ScriptError as exc:
        raise ScriptError(f"{source}: {exc}") from None


def turns_from_script(data: object) -> list[Turn]:
    """The turns of a parsed script (a list of turn objects)."""
    if not isinstance(data, list):
        raise ScriptError(f"a script is a JSON list of turns, not {_kind(data)}")
    turns: list[Turn] = []
    for index, entry in enumerate(cast("list[object]", data)):
        try:
            turns.append(_turn(entry))
        except ScriptError as exc:
            raise ScriptError(f"turn {index}: {exc}") from None
    return turns


def _turn(entry: object) -> Turn:
    if not isinstance(entry, Mapping):
        raise ScriptError(f'expected an object such as {{"text": "..."}}, got {_kind(entry)}')
    fields = cast("Mapping[str, Any]", entry)
    kinds = [key for key in _KINDS if key in fields and key != "text"] or (["text"] if "text" in fields else [])
    if len(kinds) != 1:
        found = f"{' and '.join(kinds)} together" if kinds else "none of them"
        raise ScriptError(f"a turn has exactly one of {', '.join(_KINDS)}; got {found}")
    kind = kinds[0]
    allowed = {kind, "text"} if kind in _ALSO_TAKES_TEXT else {kind}
    unknown = sorted(str(key) for key in fields if key not in allowed)
    if unknown:
        raise ScriptError(f"unknown key {unknown[0]!r} in a {kind!r} turn (it takes {', '.join(sorted(allowed))})")
    text = fields.get("text")
    if text is not None and not isinstance(text, str):
        raise ScriptError(f"'text' must be a string, got {_kind(text)}")
    value = fields[kind]
    if kind == "function_calls":
        return Turn.function_calls(*_calls(value), text=text)
    if kind == "incomplete":
        return Turn.incomplete(_reason(value), text=text or "")
    return _BUILDERS[kind](value)


def _text(value: object) -> Turn:
    return Turn.text(_string(value, "text"))


def _refusal(value: object) -> Turn:
    return Turn.refusal(_string(value, "refusal"))


def _calls(value: object) -> list[FunctionCall]:
    if not isinstance(value, list):
        raise ScriptError(f"'function_calls' must be a non-empty list, got {_kind(value)}")
    calls = cast("list[object]", value)
    if not calls:
        raise ScriptError("'function_calls' must be a non-empty list, got an empty list")
    return [_call(call, f"function_calls[{index}]") for index, call in enumerate(calls)]


def _call(value: object, where: str) -> FunctionCall:
    if not isinstance(value, Mapping):
        raise ScriptError(f"'{where}' must be an object with 'name' and 'arguments', got {_kind(value)}")
    call = cast("Mapping[str, Any]", value)
    unknown = sorted(str(key) for key in call if key not in ("name", "arguments", "call_id"))
    if unknown:
        raise ScriptError(f"unknown key {unknown[0]!r} in '{where}' (it takes name, arguments, call_id)")
    name = _string(call.get("name"), f"{where}.name")
    arguments = call.get("arguments", {})
    if isinstance(arguments, str):
        try:
            json.loads(arguments)
        except ValueError:
            raise ScriptError(f"'{where}.arguments' is a string but not JSON: {arguments!r}") from None
        text = arguments
    elif isinstance(arguments, Mapping):
        text = json.dumps(dict(cast("Mapping[str, Any]", arguments)), separators=(",", ":"))
    else:
        raise ScriptError(f"'{where}.arguments' must be an object or a JSON string, got {_kind(arguments)}")
    call_id = call.get("call_id")
    if call_id is not None:
        call_id = _string(call_id, f"{where}.call_id")
    return FunctionCall(name=name, arguments=text, call_id=call_id)


def _reason(value: object) -> IncompleteReason:
    reasons = get_args(IncompleteReason)
    if value not in reasons:
        raise ScriptError(f"'incomplete' must be one of {', '.join(reasons)}, got {value!r}")
    return cast(IncompleteReason, value)


def _failure(value: object) -> Turn:
    if not isinstance(value, Mapping):
        raise ScriptError(f"'failure' must be an object with 'code' and 'message', got {_kind(value)}")
    failure = cast("Mapping[str, Any]", value)
    unknown = sorted(str(key) for key in failure if key not in ("code", "message", "http_status"))
    if unknown:
        raise ScriptError(f"unknown key {unknown[0]!r} in 'failure' (it takes code, message, http_status)")
    status = failure.get("http_status")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599):
        raise ScriptError(f"'failure.http_status' must be an HTTP error status (400-599), got {status!r}")
    return Turn.failure(
        code=_string(failure.get("code"), "failure.code"),
        message=_string(failure.get("message"), "failure.message"),
        http_status=status,
    )


def _fields(value: object, where: str, *, required: tuple[str, ...], optional: tuple[str, ...]) -> Mapping[str, Any]:
    """The keys of an object of the script, checked against those it takes."""
    takes = ", ".join((*required, *optional))
    if not isinstance(value, Mapping):
        raise ScriptError(
            f"'{where}' must be an object with {' and '.join(repr(key) for key in required)}, got {_kind(value)}"
        )
    fields = cast("Mapping[str, Any]", value)
    unknown = sorted(str(key) for key in fields if key not in (*required, *optional))
    if unknown:
        raise ScriptError(f"unknown key {unknown[0]!r} in '{where}' (it takes {takes})")
    return fields


def _file_search(value: object) -> Turn:
    fields = _fields(value, "file_search", required=("answer",), optional=("queries", "citations", "results"))
    return Turn.file_search(
        answer=_string(fields.get("answer"), "file_search.answer"),
        queries=_each(fields, "queries", "file_search", _string) or [],
        citations=_each(fields, "citations", "file_search", _citation),
        results=_each(fields, "results", "file_search", _result),
    )


def _citation(value: object, where: str) -> str | FileCitation:
    if isinstance(value, str):
        return _string(value, where)
    fields = _fields(value, where, required=("file_id",), optional=("filename", "index"))
    filename = fields.get("filename")
    index = fields.get("index")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
        raise ScriptError(f"'{where}.index' must be a non-negative integer, got {_kind(index)}")
    return FileCitation(
        file_id=_string(fields.get("file_id"), f"{where}.file_id"),
        filename=None if filename is None else _string(filename, f"{where}.filename"),
        index=index,
    )


def _result(value: object, where: str) -> FileSearchResult:
    fields = _fields(
        value,
        where,
        required=("file_id", "filename", "text"),
        optional=("score", "attributes", "vector_store_id"),
    )
    score = fields.get("score", 1.0)
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise ScriptError(f"'{where}.score' must be a number, got {_kind(score)}")
    attributes = fields.get("attributes", {})
    if not isinstance(attributes, Mapping):
        raise ScriptError(f"'{where}.attributes' must be an object, got {_kind(attributes)}")
    store = fields.get("vector_store_id")
    return FileSearchResult(
        file_id=_string(fields.get("file_id"), f"{where}.file_id"),
        filename=_string(fields.get("filename"), f"{where}.filename"),
        text=_string(fields.get("text"), f"{where}.text"),
        score=float(score),
        attributes=dict(cast("Mapping[str, Any]", attributes)),
        vector_store_id=None if store is None else _string(store, f"{where}.vector_store_id"),
    )


def _code_interpreter(value: object) -> Turn:
    fields = _fields(value, "code_interpreter", required=("code", "answer"), optional=("logs", "image", "files"))
    logs = fields.get("logs")
    if logs is not None and not isinstance(logs, str):
        raise ScriptError(f"'code_interpreter.logs' must be a string, got {_kind(logs)}")
    image = fields.get("image")
    return Turn.code_interpreter(
        code=_string(fields.get("code"), "code_interpreter.code"),
        answer=_string(fields.get("answer"), "code_interpreter.answer"),
        logs=logs,
        image=None if image is None else _file(image, "code_interpreter.image"),
        files=_each(fields, "files", "code_interpreter", _file) or [],
    )


def _file(value: object, where: str) -> FileSpec:
    fields = _fields(value, where, required=("filename", "data"), optional=())
    filename = _string(fields.get("filename"), f"{where}.filename")
    data = fields.get("data")
    if not isinstance(data, str):
        raise ScriptError(f"'{where}.data' must be the file's bytes in base64, got {_kind(data)}")
    try:
        return filename, base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ScriptError(f"'{where}.data' is not valid base64") from None


def _each(fields: Mapping[str, Any], key: str, where: str, parse: Callable[[object, str], _T]) -> list[_T] | None:
    """Each entry of the list at ``key`` of the object at ``where``, parsed; ``None`` when absent."""
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise ScriptError(f"'{where}.{key}' must be a list, got {_kind(value)}")
    return [parse(entry, f"{where}.{key}[{index}]") for index, entry in enumerate(cast("list[object]", value))]


def _string(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ScriptError(f"'{where}' must be a non-empty string, got {_kind(value)}")
    return value


def _kind(value: object) -> str:
    """How a JSON value is named in the errors: ``a list``, ``an object``, ``null``, ``the string 'x'``."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, Mapping):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


_BUILDERS: dict[str, Callable[[object], Turn]] = {
    "text": _text,
    "refusal": _refusal,
    "failure": _failure,
    "file_search": _file_search,
    "code_interpreter": _code_interpreter,
}
