"""Model turns from a JSON script: what ``--script FILE`` reads, for demos and other languages' tests.

A script is a JSON list of turns, played in order by the next responses; past its end the rule-based
default model answers. One turn is an object of one of these forms::

    {"text": "Sunny, 22 °C."}
    {"function_calls": [{"name": "get_weather", "arguments": {"location": "Paris"}}], "text": "Let me check."}
    {"refusal": "I can't help with that."}
    {"incomplete": "max_output_tokens", "text": "The answer was cut"}
    {"failure": {"code": "server_error", "message": "The model crashed."}}

Rules:

- ``text`` is a string; alone it is one assistant message, beside ``function_calls`` or ``incomplete`` the
  message before the calls or the partial output.
- ``function_calls`` is a non-empty list of ``{"name", "arguments", "call_id"?}``; ``arguments`` is an
  object or a JSON string (several calls are parallel calls).
- ``incomplete`` is ``max_output_tokens`` or ``content_filter``.
- ``failure`` needs ``code`` and ``message`` (strings) and takes ``http_status`` (an integer): the request
  itself then fails with that status instead of the response failing.
- Any other key, a missing or ill-typed value, or two kinds in one turn raise :class:`ScriptError` naming
  the turn by its index in the list (``turn 2: ...``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast, get_args

from ._turns import FunctionCall, IncompleteReason, Turn

__all__ = ["ScriptError", "load_script", "turns_from_script"]

_KINDS = ("text", "function_calls", "refusal", "incomplete", "failure")
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
    if kind == "text":
        return Turn.text(_string(value, "text"))
    if kind == "function_calls":
        return Turn.function_calls(*_calls(value), text=text)
    if kind == "refusal":
        return Turn.refusal(_string(value, "refusal"))
    if kind == "incomplete":
        return Turn.incomplete(_reason(value), text=text or "")
    return _failure(value)


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
