"""The rule-based model that answers when no turn is queued.

Rules:
- when the context ends with ``function_call_output`` items, answer a text quoting them:
  ``The results are: get_current_temperature: 57; get_rain_probability: 0.06.``;
- when it ends with a user message and ``tool_choice`` allows it, call every function tool whose name or
  description shares a meaningful word with the message (only the first when ``parallel_tool_calls`` is
  false), filling the required arguments from their JSON schema; a named ``tool_choice`` always calls that
  tool, ``required`` calls the first tool when none matches;
- otherwise, with a ``file_search`` tool whose vector stores hold text sharing a meaningful word with the
  message (``Library.search`` over those words), search with the message as the query and answer, for each
  file among the best hits (at most three), the sentence of its best chunk sharing the most words with the
  message, cited by a ``file_citation`` before the sentence's final punctuation;
- otherwise, with a ``code_interpreter`` tool and a message asking to compute or run code (one of the words
  ``calculate``, ``compute``, ``evaluate``, ``plot``, ``chart``, ``graph``, ``python``, ``code``, ``execute``,
  ``run``): for a plot/chart/graph, code that draws it, a small PNG shown as the image and ``Here is the
  chart.``; for an arithmetic expression in the message (``12 * (3 + 4)``), that expression as the code, its
  value as the logs and ``The result is 84.``; else code printing the message and ``The code ran and
  printed: <message>``;
- with ``text.format`` ``json_schema``, answer JSON valid against the schema; with ``json_object``, a small
  JSON object;
- otherwise echo the user's message: ``You said: <message>``;
- a text longer than ``max_output_tokens`` words comes back ``incomplete`` and cut at that length.
"""

from __future__ import annotations

import ast
import json
import re
import struct
import zlib
from collections.abc import Callable
from typing import Any, cast

from ._items import Item
from ._library import Library, SearchHit
from ._params import CreateParams
from ._turns import FileCitation, FunctionCall, Turn

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


_CODE_WORDS = re.compile(r"\b(calculate|compute|evaluate|plot|chart|graph|python|code|execute|run)\b", re.IGNORECASE)
_PLOT_WORDS = re.compile(r"\b(plot|chart|graph)\b", re.IGNORECASE)
_EXPRESSION = re.compile(r"[\d.]+(?:\s*(?:\*\*|[-+*/%^])\s*\(*\s*[\d.]+\s*\)*)+|\([\d\s.+*/%^()-]+\)")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_MAX_CITED_FILES = 3
_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}


def default_turn(*, context: list[Item], params: CreateParams, library: Library | None = None) -> Turn:
    """The turn the emulator plays when nothing is queued (``library`` backs the built-in tools)."""
    outputs = _trailing_outputs(context)
    if outputs:
        return _limited(_quote_outputs(outputs, context), params)
    message = last_user_text(context)
    calls = _choose_calls(message, params)
    if calls:
        return Turn(calls=tuple(calls))
    builtin = _builtin_turn(message, params, library) if library is not None and message else None
    if builtin is not None:
        return builtin
    return _limited(_answer_text(message, params), params)


def _builtin_turn(message: str, params: CreateParams, library: Library) -> Turn | None:
    if params.tool_choice == "none":
        return None
    kinds = {tool.get("type") for tool in params.tools}
    if "file_search" in kinds:
        turn = _file_search_turn(message, params, library)
        if turn is not None:
            return turn
    if "code_interpreter" in kinds and _CODE_WORDS.search(message):
        return _code_turn(message)
    return None


def _file_search_turn(message: str, params: CreateParams, library: Library) -> Turn | None:
    wanted = _words(message)
    store_ids = [
        store_id
        for tool in params.tools
        if tool.get("type") == "file_search"
        for store_id in cast("list[str]", tool.get("vector_store_ids") or [])
    ]
    hits = library.search(store_ids, " ".join(sorted(wanted))) if wanted and store_ids else []
    best: dict[str, SearchHit] = {}
    for hit in hits:
        best.setdefault(hit.file_id, hit)
    if not best:
        return None
    sentences: list[str] = []
    citations: list[FileCitation] = []
    for hit in list(best.values())[:_MAX_CITED_FILES]:
        sentence = _best_sentence(hit.text, wanted)
        prefix = " ".join(sentences)
        sentences.append(sentence)
        index = len(prefix) + (1 if prefix else 0) + len(sentence.rstrip(".!?"))
        citations.append(FileCitation(hit.file_id, hit.filename, index))
    return Turn.file_search(answer=" ".join(sentences), queries=[message], citations=citations)


def _best_sentence(text: str, wanted: set[str]) -> str:
    sentences = [match.group(0).strip() for match in _SENTENCE.finditer(text) if match.group(0).strip()]
    return max(sentences, key=lambda sentence: len(_words(sentence) & wanted), default=text.strip())


def _code_turn(message: str) -> Turn:
    if _PLOT_WORDS.search(message):
        code = (
            "import matplotlib.pyplot as plt\n\n"
            f"# {message}\n"
            "plt.plot([0, 1, 2, 3], [0, 1, 4, 9], marker='o')\n"
            "plt.title('Chart')\n"
            "plt.show()"
        )
        return Turn.code_interpreter(code=code, image=("chart.png", tiny_png()), answer="Here is the chart.")
    expression = _EXPRESSION.search(message)
    value = _evaluate(expression.group(0)) if expression else None
    if expression is not None and value is not None:
        code = expression.group(0).strip().replace("^", "**")
        return Turn.code_interpreter(code=code, logs=value, answer=f"The result is {value}.")
    return Turn.code_interpreter(
        code=f"print({message!r})", logs=message, answer=f"The code ran and printed: {message}"
    )


def _evaluate(expression: str) -> str | None:
    """The value of an arithmetic expression (numbers and ``+ - * / % ** ^``), ``None`` if it has none."""
    try:
        tree = ast.parse(expression.strip().replace("^", "**"), mode="eval")
        value = _value(tree.body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _value(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 64:
            raise ValueError("exponent too large")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _value(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    raise ValueError("not arithmetic")


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid, deterministic white PNG: the chart the default model shows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


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
