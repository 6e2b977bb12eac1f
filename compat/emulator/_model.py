"""The rule-based model that answers when no turn is queued.

Rules:
- when the context ends with ``function_call_output`` items, answer a text quoting them:
  ``The results are: get_current_temperature: 57; get_rain_probability: 0.06.``;
- when it ends with a user message and ``tool_choice`` allows it, call every function tool whose name or
  description shares a meaningful word with the message (only the first when ``parallel_tool_calls`` is
  false), filling the required arguments from their JSON schema; a named ``tool_choice`` always calls that
  tool, ``required`` calls the first tool when none matches;
- with ``text.format`` ``json_schema``, answer JSON valid against the schema; with ``json_object``, a small
  JSON object;
- otherwise echo the user's message: ``You said: <message>``;
- a text longer than ``max_output_tokens`` words comes back ``incomplete`` and cut at that length.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from ._items import Item
from ._params import CreateParams
from ._turns import FunctionCall, Turn

_COMMON_WORDS = frozenset(
    {
        "about",
        "after",
        "again",
        "also",
        "and",
        "any",
        "are",
        "can",
        "could",
        "current",
        "did",
        "does",
        "for",
        "from",
        "get",
        "gets",
        "give",
        "have",
        "how",
        "into",
        "its",
        "just",
        "know",
        "like",
        "list",
        "make",
        "many",
        "more",
        "much",
        "need",
        "please",
        "set",
        "should",
        "show",
        "some",
        "tell",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "this",
        "use",
        "using",
        "want",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    }
)
_LOCATION = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)*, [A-Z]{2})\b")
_PLACE_AFTER_IN = re.compile(r"\b(?:in|at|for|of) ((?:[A-Z][\w-]*)(?: [A-Z][\w-]*)*)")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w-]+(?: [A-Z][\w-]+)*)")


def default_turn(*, context: list[Item], params: CreateParams) -> Turn:
    """The turn the emulator plays when nothing is queued."""
    outputs = _trailing_outputs(context)
    if outputs:
        return _limited(_quote_outputs(outputs, context), params)
    message = last_user_text(context)
    calls = _choose_calls(message, params)
    if calls:
        return Turn(calls=tuple(calls))
    return _limited(_answer_text(message, params), params)


def last_user_text(context: list[Item]) -> str:
    """The text of the last user message of the context ("" when there is none)."""
    for item in reversed(context):
        if item["type"] == "message" and item["role"] == "user":
            parts = cast("list[Item]", item["content"])
            return " ".join(part["text"] for part in parts if part["type"] == "input_text")
    return ""


def _trailing_outputs(context: list[Item]) -> list[Item]:
    outputs: list[Item] = []
    for item in reversed(context):
        if item["type"] != "function_call_output":
            break
        outputs.insert(0, item)
    return outputs


def _quote_outputs(outputs: list[Item], context: list[Item]) -> str:
    names = {item["call_id"]: item["name"] for item in context if item["type"] == "function_call"}
    quoted = "; ".join(f"{names.get(item['call_id'], item['call_id'])}: {_output_text(item)}" for item in outputs)
    return f"The results are: {quoted}."


def _output_text(item: Item) -> str:
    output = item["output"]
    if isinstance(output, str):
        return output
    parts = cast("list[Item]", output)
    return " ".join(str(part.get("text", "")) for part in parts)


def _limited(text: str, params: CreateParams) -> Turn:
    words = text.split(" ")
    if params.max_output_tokens is not None and len(words) > params.max_output_tokens:
        return Turn.incomplete("max_output_tokens", text=" ".join(words[: params.max_output_tokens]))
    return Turn.text(text)


def _answer_text(message: str, params: CreateParams) -> str:
    fmt = cast("dict[str, Any]", params.text["format"])
    if fmt["type"] == "json_schema":
        return json.dumps(example_for_schema(fmt["schema"], message), separators=(",", ":"))
    if fmt["type"] == "json_object":
        return json.dumps({"message": message}, separators=(",", ":"))
    return f"You said: {message}" if message else "Hello! How can I help you today?"


def _choose_calls(message: str, params: CreateParams) -> list[FunctionCall]:
    functions = [tool for tool in params.tools if tool.get("type") == "function"]
    choice = params.tool_choice
    if not functions or choice == "none" or not message:
        return []
    if isinstance(choice, dict):
        named = cast("dict[str, Any]", choice).get("name")
        chosen = [tool for tool in functions if tool["name"] == named]
    else:
        chosen = [tool for tool in functions if _words(message) & _tool_words(tool)]
        if not chosen and choice == "required":
            chosen = functions[:1]
    if not params.parallel_tool_calls:
        chosen = chosen[:1]
    return [_call_for(tool, message) for tool in chosen]


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if len(word) > 2 and word not in _COMMON_WORDS}


def _tool_words(tool: dict[str, Any]) -> set[str]:
    return _words(str(tool["name"]).replace("_", " ")) | _words(str(tool.get("description") or ""))


def _call_for(tool: dict[str, Any], message: str) -> FunctionCall:
    arguments = _required_arguments(cast("dict[str, Any]", tool.get("parameters") or {}), message)
    return FunctionCall(name=tool["name"], arguments=json.dumps(arguments, separators=(",", ":")))


def _required_arguments(schema: dict[str, Any], message: str) -> dict[str, Any]:
    properties = cast("dict[str, Any]", schema.get("properties") or {})
    required = cast("list[str]", schema.get("required") or [])
    return {key: example_for_schema(properties.get(key, {}), message) for key in required}


def example_for_schema(schema: object, message: str) -> Any:
    """A value valid against a (strict-mode subset) JSON schema, with strings taken from the message."""
    if not isinstance(schema, dict):
        return noun_from(message)
    node = cast("dict[str, Any]", schema)
    if "enum" in node:
        return cast("list[Any]", node["enum"])[0]
    if "anyOf" in node:
        return example_for_schema(cast("list[Any]", node["anyOf"])[0], message)
    kind = node.get("type", "string")
    if isinstance(kind, list):
        kind = cast("list[str]", kind)[0]
    return _example_of_type(kind, node, message)


def _example_of_type(kind: str, node: dict[str, Any], message: str) -> Any:
    if kind == "object":
        properties = cast("dict[str, Any]", node.get("properties") or {})
        return {key: example_for_schema(child, message) for key, child in properties.items()}
    if kind == "array":
        return [example_for_schema(node.get("items", {}), message)]
    simple: dict[str, Any] = {"integer": 0, "number": 0, "boolean": False, "null": None}
    return simple[kind] if kind in simple else noun_from(message)


def noun_from(message: str) -> str:
    """A place (``San Francisco, CA``), else a capitalised phrase, else ``unknown``."""
    for pattern in (_LOCATION, _PLACE_AFTER_IN, _CAPITALISED):
        found = pattern.search(message)
        if found:
            return found.group(1)
    return "unknown"
