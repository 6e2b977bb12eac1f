"""The checks of legacy arguments: every given argument is checked here before anything is sent or stored.

The parameter table (:mod:`compat.params`) names a validator for each parameter, and
:func:`compat.params.check` runs them all for every legacy method alike; operations and translators then
take their arguments as valid. A validator is called as ``validator(value, param, args)``: the value, the
name the legacy API used for it in errors (``messages[0].metadata``), and every argument of the call (for
rules that span two, such as a message's ``role`` and ``content``). It raises ``openai.BadRequestError``
with the legacy wording, or returns. ``None`` reaches a validator only where the spec does not allow null
(:func:`compat.params.check` lets ``None`` mean the default elsewhere), and is then refused as a type.

Rules (limits from the legacy OpenAPI spec, wording as the API answered, code in brackets):

- a value of the wrong JSON type: ``Invalid type for 'temperature': expected a number, but got a string
  instead.`` [``invalid_type``]; a pydantic model is checked as its JSON, which the SDK sent for it (the
  operations read the SDK's own types of ``tools``, ``response_format``, ``tool_choice`` and
  ``truncation_strategy``; any other model is refused, naming where it sits);
- a value outside an enum: ``Invalid value: 'extreme'. Supported values are: 'low', 'medium', and
  'high'.`` [``invalid_value``];
- a field the object does not have: ``Unknown parameter: 'tools[0].function.foo'.``
  [``unknown_parameter``]; a required one missing: ``Missing required parameter:
  'tool_outputs[0].tool_call_id'.`` [``missing_required_parameter``];
- lengths and counts: ``Invalid 'name': string too long. Expected a string with maximum length 256, but
  got a string with length 257 instead.`` [``string_above_max_length``], ``... array too long ...``
  [``array_above_max_length``], ``... empty string ...`` [``empty_string``], ``... empty array ...``
  [``empty_array``], ``... too many properties ...`` [``object_above_max_properties``];
- ranges: ``Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3
  instead.`` [``decimal_above_max_value``], and the ``decimal_below_min_value``,
  ``integer_below_min_value`` and ``integer_above_max_value`` alike;
- a pattern: ``Invalid 'tools[0].function.name': string does not match pattern. Expected a string that
  matches the pattern '^[a-zA-Z0-9_-]+$'.`` [``invalid_value``].

Message content is checked here with the legacy wording; the conversion
(:mod:`compat.translate.to_conversations`) then runs once as well, for what the Conversations API cannot hold
(images in assistant messages).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, cast

import openai
import pydantic
from openai.lib.streaming import AssistantEventHandler, AsyncAssistantEventHandler
from openai.types.beta import AssistantToolChoice, CodeInterpreterTool, FileSearchTool, FunctionTool
from openai.types.beta.assistant_tool_choice_function import AssistantToolChoiceFunction
from openai.types.beta.file_search_tool import FileSearch, FileSearchRankingOptions
from openai.types.beta.threads.run import TruncationStrategy
from openai.types.shared import (
    FunctionDefinition,
    ResponseFormatJSONObject,
    ResponseFormatJSONSchema,
    ResponseFormatText,
)
from openai.types.shared.response_format_json_schema import JSONSchema

from ._errors import bad_request
from .translate.to_conversations import message_to_item

__all__ = [
    "REASONING_EFFORTS",
    "Validator",
    "as_json",
    "attachments",
    "boolean",
    "event_handler",
    "include",
    "integer_at_least",
    "invalid_type",
    "invalid_value",
    "json_kind",
    "limit",
    "message_content",
    "metadata",
    "missing",
    "model",
    "number_between",
    "order",
    "reasoning_effort",
    "response_format",
    "role",
    "string",
    "thread",
    "thread_messages",
    "tool_choice",
    "tool_outputs",
    "tool_resources",
    "tools",
    "truncation_strategy",
    "unknown",
]

Validator = Callable[[object, str, Mapping[str, Any]], None]

REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")
"""The legacy ``reasoning_effort`` values (the spec's ``ReasoningEffort``, as the installed SDK types it)."""

_FUNCTION_NAME = re.compile(r"^[a-zA-Z0-9_-]+$")
_FILE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"

# --- the legacy sentences -----------------------------------------------------------------------------


def json_kind(value: object) -> str:
    """How the API names a JSON value's type in its errors (``a boolean``, ``an integer``, ``null``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (Mapping, pydantic.BaseModel)):
        return "an object"
    return "an array" if isinstance(value, (list, tuple)) else f"a {type(value).__name__}"


def _listing(values: Sequence[str], conjunction: str) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'``: as the API lists values (serial comma from three)."""
    quoted = [f"'{value}'" for value in values]
    if len(quoted) <= 2:
        return f" {conjunction} ".join(quoted)
    return ", ".join(quoted[:-1]) + f", {conjunction} {quoted[-1]}"


def _number_text(value: float) -> str:
    return json.dumps(value)


def invalid_type(param: str, expected: str, value: object) -> openai.BadRequestError:
    """``Invalid type for 'x': expected a string, but got an integer instead.``"""
    return bad_request(
        f"Invalid type for '{param}': expected {expected}, but got {json_kind(value)} instead.",
        param=param,
        code="invalid_type",
    )


def invalid_value(param: str, value: object, supported: Sequence[str]) -> openai.BadRequestError:
    """``Invalid value: 'x'. Supported values are: 'a' and 'b'.``"""
    return bad_request(
        f"Invalid value: '{value}'. Supported values are: {_listing(supported, 'and')}.",
        param=param,
        code="invalid_value",
    )


def missing(param: str) -> openai.BadRequestError:
    """``Missing required parameter: 'x'.``"""
    return bad_request(f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter")


def unknown(param: str) -> openai.BadRequestError:
    """``Unknown parameter: 'x'.``"""
    return bad_request(f"Unknown parameter: '{param}'.", param=param, code="unknown_parameter")


def _too_long(param: str, what: str, maximum: int, length: int) -> openai.BadRequestError:
    return bad_request(
        f"Invalid '{param}': {what} too long. Expected {'a' if what == 'string' else 'an'} {what} with maximum "
        f"length {maximum}, but got {'a' if what == 'string' else 'an'} {what} with length {length} instead.",
        param=param,
        code=f"{what}_above_max_length",
    )


def _empty(param: str, what: str) -> openai.BadRequestError:
    article = "a" if what == "string" else "an"
    return bad_request(
        f"Invalid '{param}': empty {what}. Expected {article} {what} with minimum length 1, but got an empty "
        f"{what} instead.",
        param=param,
        code=f"empty_{what}",
    )


def _out_of_range(param: str, kind: str, value: float, *, low: float | None, high: float | None) -> None:
    """Raise the legacy range error when ``value`` (an ``integer`` or a ``decimal``) is outside its bounds."""
    if low is not None and value < low:
        bound, limit_text, code = "below minimum", f">= {_number_text(low)}", f"{kind}_below_min_value"
    elif high is not None and value > high:
        bound, limit_text, code = "above maximum", f"<= {_number_text(high)}", f"{kind}_above_max_value"
    else:
        return
    raise bad_request(
        f"Invalid '{param}': {kind} {bound} value. Expected a value {limit_text}, but got "
        f"{_number_text(value)} instead.",
        param=param,
        code=code,
    )


# --- JSON shapes ------------------------------------------------------------------------------------------


def as_json(value: object) -> object:
    """A pydantic model as the JSON the SDK sends for it; anything else as it is."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", exclude_unset=True)
    return value


Models = tuple[type[pydantic.BaseModel], ...]

_TOOL_MODELS: Models = (
    CodeInterpreterTool,
    FileSearchTool,
    FunctionTool,
    FunctionDefinition,
    FileSearch,
    FileSearchRankingOptions,
)
_FORMAT_MODELS: Models = (ResponseFormatText, ResponseFormatJSONObject, ResponseFormatJSONSchema, JSONSchema)
_CHOICE_MODELS: Models = (AssistantToolChoice, AssistantToolChoiceFunction)


def _readable(value: object, param: str, models: Models = ()) -> None:
    """Refuse, naming where it sits, a pydantic model the operations cannot read in place of its JSON.

    The SDK sent a model as its JSON; the operations read JSON, and the SDK's own types of the parameter
    (``models``: ``tools=assistant.tools``), so any other model is a 400 rather than a failure later.
    """
    if isinstance(value, pydantic.BaseModel):
        if isinstance(value, models):
            return
        raise bad_request(
            f"Invalid type for '{param}': expected an object, but got a {type(value).__name__} model instead; "
            "pass its model_dump().",
            param=param,
            code="invalid_type",
        )
    if isinstance(value, Mapping):
        for key, item in cast("Mapping[object, object]", value).items():
            _readable(item, f"{param}.{key}", models)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(cast("Sequence[object]", value)):
            _readable(item, f"{param}[{index}]", models)


def _object(value: object, param: str, fields: Collection[str] | None = None) -> Mapping[str, object]:
    """An object; with ``fields``, one without any other field."""
    value = as_json(value)
    if not isinstance(value, Mapping):
        raise invalid_type(param, "an object", value)
    data = cast("Mapping[object, object]", value)
    if fields is not None:
        for key in data:
            if key not in fields:
                raise unknown(f"{param}.{key}")
    return cast("Mapping[str, object]", data)


def _array(value: object, param: str, *, max_items: int | None = None, non_empty: bool = False) -> Sequence[object]:
    """An array (a list or a tuple), of at most ``max_items``, at least one when ``non_empty``."""
    if not isinstance(value, (list, tuple)):
        raise invalid_type(param, "an array", value)
    items = cast("Sequence[object]", value)
    if max_items is not None and len(items) > max_items:
        raise _too_long(param, "array", max_items, len(items))
    if non_empty and not items:
        raise _empty(param, "array")
    return items


def _string(value: object, param: str, *, max_length: int | None = None, non_empty: bool = False) -> str:
    """A string of at most ``max_length`` characters, not empty when ``non_empty``."""
    if not isinstance(value, str):
        raise invalid_type(param, "a string", value)
    if max_length is not None and len(value) > max_length:
        raise _too_long(param, "string", max_length, len(value))
    if non_empty and not value:
        raise _empty(param, "string")
    return value


def _integer(value: object, param: str, *, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_type(param, "an integer", value)
    _out_of_range(param, "integer", value, low=low, high=high)
    return value


def _decimal(value: object, param: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise invalid_type(param, "a number", value)
    _out_of_range(param, "decimal", value, low=low, high=high)
    return float(value)


def _boolean(value: object, param: str) -> bool:
    if not isinstance(value, bool):
        raise invalid_type(param, "a boolean", value)
    return value


def _enum(value: object, param: str, supported: Sequence[str]) -> str:
    """One of ``supported``; another string is an invalid value, anything else an invalid type."""
    if not isinstance(value, str):
        raise invalid_type(param, f"one of {_listing(supported, 'or')}", value)
    if value not in supported:
        raise invalid_value(param, value, supported)
    return value


def _required(data: Mapping[str, object], key: str, param: str) -> object:
    if key not in data:
        raise missing(f"{param}.{key}")
    return data[key]


# --- scalars -------------------------------------------------------------------------------------------


def string(max_length: int | None = None) -> Validator:
    """A string of at most ``max_length`` characters (``name`` 256, ``description`` 512, ...)."""

    def check(value: object, param: str, args: Mapping[str, Any]) -> None:
        _string(value, param, max_length=max_length)

    return check


def model(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A model name: a non-empty string."""
    _string(value, param, non_empty=True)


def number_between(low: float, high: float) -> Validator:
    """A number from ``low`` to ``high`` (``temperature`` 0 to 2, ``top_p`` 0 to 1)."""

    def check(value: object, param: str, args: Mapping[str, Any]) -> None:
        _decimal(value, param, low=low, high=high)

    return check


def integer_at_least(low: int) -> Validator:
    """An integer of at least ``low`` (``max_prompt_tokens`` 256 as the spec says; ``max_completion_tokens`` 1,
    as the recordings show runs with 16 although the spec says 256)."""

    def check(value: object, param: str, args: Mapping[str, Any]) -> None:
        _integer(value, param, low=low)

    return check


def boolean(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``true`` or ``false``."""
    _boolean(value, param)


def limit(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A list's ``limit``: 1 to 100 (``None``: the default, as the SDK sends no ``None`` query value)."""
    if value is not None:
        _integer(value, param, low=1, high=100)


def order(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A list's ``order``: ``asc`` or ``desc`` (``None``: the default)."""
    if value is not None:
        _enum(value, param, ("asc", "desc"))


def reasoning_effort(value: object, param: str, args: Mapping[str, Any]) -> None:
    """One of :data:`REASONING_EFFORTS`."""
    _enum(value, param, REASONING_EFFORTS)


def role(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A message's role: ``user`` or ``assistant``."""
    _enum(value, param, ("user", "assistant"))


def include(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A run's ``include``: an array of the one value the legacy API knew."""
    for index, item in enumerate(_array(value, param)):
        _enum(item, f"{param}[{index}]", (_FILE_SEARCH_CONTENT,))


def event_handler(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A ``...stream`` helper's handler: an ``AssistantEventHandler`` (or its async twin)."""
    if not isinstance(value, (AssistantEventHandler, AsyncAssistantEventHandler)):
        raise invalid_type(param, "an AssistantEventHandler", value)


# --- metadata ----------------------------------------------------------------------------------------------


def metadata(value: object, param: str, args: Mapping[str, Any] | None = None) -> None:
    """Legacy metadata: at most 16 pairs, keys ≤ 64 characters, string values ≤ 512 characters."""
    pairs = cast("Mapping[object, object]", _object(value, param))
    if len(pairs) > 16:
        raise bad_request(
            f"Invalid '{param}': too many properties. Expected an object with at most 16 properties, "
            f"but got an object with {len(pairs)} properties instead.",
            param=param,
            code="object_above_max_properties",
        )
    for key, item in pairs.items():
        if not isinstance(key, str):
            # JSON has no such keys; the SDK would send str(key), which the store cannot tell apart
            raise invalid_type(f"{param}.{key}", "a string as property name", key)
        if len(key) > 64:
            raise bad_request(
                f"Invalid property name in '{param}': '{key}' is too long. Expected a string with maximum "
                f"length 64, but got a string with length {len(key)} instead.",
                param=f"{param}.{key}",
                code="property_name_above_max_length",
            )
        _string(item, f"{param}.{key}", max_length=512)
    _readable(value, param)


# --- tools -------------------------------------------------------------------------------------------------

_TOOL_TYPES = ("code_interpreter", "function", "file_search")  # in the order the legacy API listed them
_ATTACHMENT_TOOLS = ("code_interpreter", "file_search")
_TOOL_FIELDS: dict[str, tuple[str, ...]] = {
    "code_interpreter": ("type",),
    "file_search": ("type", "file_search"),
    "function": ("type", "function"),
}


def tools(value: object, param: str, args: Mapping[str, Any]) -> None:
    """At most 128 tools, each of a known type with its definition (an unknown type is refused, never guessed)."""
    for index, tool in enumerate(_array(value, param, max_items=128)):
        _tool(tool, f"{param}[{index}]")
    _readable(value, param, _TOOL_MODELS)


def _tool(value: object, param: str) -> None:
    data = _object(value, param)
    kind = _enum(_required(data, "type", param), f"{param}.type", _TOOL_TYPES)
    _object(data, param, _TOOL_FIELDS[kind])
    if kind == "function":
        _function(_required(data, "function", param), f"{param}.function")
    elif kind == "file_search" and data.get("file_search") is not None:
        _file_search(data["file_search"], f"{param}.file_search")


def _function(value: object, param: str) -> None:
    """A function definition: ``name`` (1 to 64 of ``a-zA-Z0-9_-``), ``description``, ``parameters``, ``strict``."""
    data = _object(value, param, ("name", "description", "parameters", "strict"))
    name = _string(_required(data, "name", param), f"{param}.name", max_length=64, non_empty=True)
    if not _FUNCTION_NAME.match(name):
        raise bad_request(
            f"Invalid '{param}.name': string does not match pattern. Expected a string that matches the "
            f"pattern '{_FUNCTION_NAME.pattern}'.",
            param=f"{param}.name",
            code="invalid_value",
        )
    if data.get("description") is not None:
        _string(data["description"], f"{param}.description")
    if data.get("parameters") is not None:
        _object(data["parameters"], f"{param}.parameters")
    if data.get("strict") is not None:
        _boolean(data["strict"], f"{param}.strict")


def _file_search(value: object, param: str) -> None:
    """``max_num_results`` 1 to 50; ``ranking_options`` with a ranker and a ``score_threshold`` from 0 to 1."""
    data = _object(value, param, ("max_num_results", "ranking_options"))
    if data.get("max_num_results") is not None:
        _integer(data["max_num_results"], f"{param}.max_num_results", low=1, high=50)
    if data.get("ranking_options") is None:
        return
    at = f"{param}.ranking_options"
    options = _object(data["ranking_options"], at, ("ranker", "score_threshold"))
    if options.get("ranker") is not None:
        _enum(options["ranker"], f"{at}.ranker", ("auto", "default_2024_08_21"))
    _decimal(_required(options, "score_threshold", at), f"{at}.score_threshold", low=0, high=1)


# --- tool resources --------------------------------------------------------------------------------------


def tool_resources(value: object, param: str, args: Mapping[str, Any] | None = None) -> None:
    """``code_interpreter.file_ids`` (at most 20) and ``file_search.vector_store_ids`` (at most 1)."""
    data = _object(value, param, ("code_interpreter", "file_search"))
    if data.get("code_interpreter") is not None:
        at = f"{param}.code_interpreter"
        section = _object(data["code_interpreter"], at, ("file_ids",))
        _ids(section.get("file_ids"), f"{at}.file_ids", max_items=20)
    if data.get("file_search") is not None:
        at = f"{param}.file_search"
        section = _object(data["file_search"], at, ("vector_store_ids", "vector_stores"))
        _ids(section.get("vector_store_ids"), f"{at}.vector_store_ids", max_items=1)
        if section.get("vector_stores") is not None:
            _inline_vector_stores(section["vector_stores"], f"{at}.vector_stores")
            if section.get("vector_store_ids") and section["vector_stores"]:
                raise bad_request(
                    f"Invalid '{at}': there can be a maximum of 1 vector store; give either 'vector_store_ids' "
                    "or 'vector_stores', not both.",
                    param=f"{at}.vector_stores",
                )
    _readable(value, param)


def run_tool_resources(value: object, param: str, args: Mapping[str, Any] | None = None) -> None:
    """``create_and_run``'s own ``tool_resources``: as a thread's, without inline ``vector_stores``."""
    data = as_json(value)
    file_search = cast("Mapping[str, object]", data).get("file_search") if isinstance(data, Mapping) else None
    if isinstance(file_search, Mapping) and "vector_stores" in file_search:
        raise unknown(f"{param}.file_search.vector_stores")
    tool_resources(value, param, args)


def _inline_vector_stores(value: object, param: str) -> None:
    """The legacy helper creating a vector store: at most one, with ``file_ids``, ``chunking_strategy``,
    ``metadata``."""
    for index, item in enumerate(_array(value, param, max_items=1)):
        at = f"{param}[{index}]"
        spec = _object(item, at, ("file_ids", "chunking_strategy", "metadata"))
        _ids(spec.get("file_ids"), f"{at}.file_ids", max_items=10_000)
        if spec.get("metadata") is not None:
            metadata(spec["metadata"], f"{at}.metadata")
        if spec.get("chunking_strategy") is not None:
            _chunking_strategy(spec["chunking_strategy"], f"{at}.chunking_strategy")


def _chunking_strategy(value: object, param: str) -> None:
    """``{"type": "auto"}`` or ``{"type": "static", "static": {max_chunk_size_tokens, chunk_overlap_tokens}}``."""
    data = _object(value, param, ("type", "static"))
    kind = _enum(_required(data, "type", param), f"{param}.type", ("auto", "static"))
    if kind != "static":
        return
    static = _object(_required(data, "static", param), f"{param}.static", _STATIC_CHUNKING)
    at = f"{param}.static"
    size = _integer(_required(static, "max_chunk_size_tokens", at), f"{at}.max_chunk_size_tokens", low=100, high=4096)
    overlap = _integer(_required(static, "chunk_overlap_tokens", at), f"{at}.chunk_overlap_tokens", low=0)
    if overlap > size // 2:
        raise bad_request(
            f"Invalid '{param}.static.chunk_overlap_tokens': it must not exceed half of max_chunk_size_tokens.",
            param=f"{param}.static.chunk_overlap_tokens",
        )


_STATIC_CHUNKING = ("max_chunk_size_tokens", "chunk_overlap_tokens")


def _ids(value: object, param: str, *, max_items: int) -> None:
    if value is None:
        return
    for index, item in enumerate(_array(value, param, max_items=max_items)):
        _string(item, f"{param}[{index}]")


# --- response format, tool choice, truncation ------------------------------------------------------------

_FORMAT_TYPES = ("text", "json_object", "json_schema")


def response_format(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``auto``, or a ``text`` / ``json_object`` / ``json_schema`` format (the last with its ``json_schema``)."""
    _response_format(as_json(value), param)
    _readable(value, param, _FORMAT_MODELS)


def _response_format(value: object, param: str) -> None:
    if isinstance(value, str):
        _enum(value, param, ("auto",))
        return
    if not isinstance(value, Mapping):
        raise invalid_type(param, "one of a string or an object", value)
    data = cast("Mapping[str, object]", value)
    kind = _enum(_required(data, "type", param), f"{param}.type", _FORMAT_TYPES)
    if kind != "json_schema":
        _object(data, param, ("type",))
        return
    _object(data, param, ("type", "json_schema"))
    at = f"{param}.json_schema"
    schema = _object(_required(data, "json_schema", param), at, ("name", "description", "schema", "strict"))
    name = _string(_required(schema, "name", at), f"{at}.name", max_length=64, non_empty=True)
    if not _FUNCTION_NAME.match(name):
        raise bad_request(
            f"Invalid '{at}.name': string does not match pattern. Expected a string that matches the "
            f"pattern '{_FUNCTION_NAME.pattern}'.",
            param=f"{at}.name",
            code="invalid_value",
        )
    if schema.get("description") is not None:
        _string(schema["description"], f"{at}.description")
    if schema.get("schema") is not None:
        _object(schema["schema"], f"{at}.schema")
    if schema.get("strict") is not None:
        _boolean(schema["strict"], f"{at}.strict")


def tool_choice(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``none`` / ``auto`` / ``required``, or a named tool (a function with its ``function.name``)."""
    _tool_choice(as_json(value), param)
    _readable(value, param, _CHOICE_MODELS)


def _tool_choice(value: object, param: str) -> None:
    if isinstance(value, str):
        _enum(value, param, ("none", "auto", "required"))
        return
    if not isinstance(value, Mapping):
        raise invalid_type(param, "one of a string or an object", value)
    data = _object(cast("Mapping[str, object]", value), param, ("type", "function"))
    kind = _enum(_required(data, "type", param), f"{param}.type", ("function", "code_interpreter", "file_search"))
    if kind != "function":
        if data.get("function") is not None:
            raise unknown(f"{param}.function")
        return
    function = _object(_required(data, "function", param), f"{param}.function", ("name",))
    _string(_required(function, "name", f"{param}.function"), f"{param}.function.name", non_empty=True)


def truncation_strategy(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``{"type": "auto" | "last_messages", "last_messages": N}`` (N at least 1)."""
    data = _object(value, param, ("type", "last_messages"))
    kind = _enum(_required(data, "type", param), f"{param}.type", ("auto", "last_messages"))
    if kind == "last_messages" and data.get("last_messages") is None:
        raise missing(f"{param}.last_messages")
    if data.get("last_messages") is not None:
        _integer(data["last_messages"], f"{param}.last_messages", low=1)
    _readable(value, param, (TruncationStrategy,))


# --- messages ----------------------------------------------------------------------------------------------

_MESSAGE_FIELDS = ("role", "content", "attachments", "metadata")
_MAX_TEXT = 256_000  # a message's text, as the legacy API answered: "Invalid 'content': string too long. ..."
_PART_TYPES = ("image_file", "image_url", "text")
_DETAILS = ("auto", "low", "high")


def thread_messages(value: object, param: str, args: Mapping[str, Any]) -> None:
    """The messages of ``threads.create`` or a run's ``additional_messages``: each a valid message."""
    for index, message in enumerate(_array(value, param)):
        at = f"{param}[{index}]"
        data = _object(message, at, _MESSAGE_FIELDS)
        role_name = _enum(_required(data, "role", at), f"{at}.role", ("user", "assistant"))
        _content(_required(data, "content", at), f"{at}.content")
        if data.get("attachments") is not None:
            attachments(data["attachments"], f"{at}.attachments")
        if data.get("metadata") is not None:
            metadata(data["metadata"], f"{at}.metadata")
        _readable(message, at)
        message_to_item(role=role_name, content=data["content"], param=at)


def message_content(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``messages.create``'s content, for its role (images in user messages only)."""
    _content(value, param)
    _readable(value, param)
    role_name = args.get("role")
    if role_name in ("user", "assistant"):
        message_to_item(role=role_name, content=value)


def _content(value: object, param: str) -> None:
    """A non-empty string, or a non-empty array of ``text`` / ``image_file`` / ``image_url`` parts."""
    if isinstance(value, str):
        _string(value, param, max_length=_MAX_TEXT, non_empty=True)
        return
    if not isinstance(value, (list, tuple)):
        raise invalid_type(param, "one of a string or array of objects", value)
    for index, part in enumerate(_array(cast("Sequence[object]", value), param, non_empty=True)):
        _part(part, f"{param}[{index}]")


def _part(value: object, param: str) -> None:
    data = _object(value, param)
    kind = _enum(_required(data, "type", param), f"{param}.type", _PART_TYPES)
    _object(data, param, ("type", kind))
    if kind == "text":
        _string(_required(data, "text", param), f"{param}.text", max_length=_MAX_TEXT)
        return
    key = "file_id" if kind == "image_file" else "url"
    image = _object(_required(data, kind, param), f"{param}.{kind}", (key, "detail"))
    _string(_required(image, key, f"{param}.{kind}"), f"{param}.{kind}.{key}", non_empty=True)
    if image.get("detail") is not None:
        _enum(image["detail"], f"{param}.{kind}.detail", _DETAILS)


def attachments(value: object, param: str, args: Mapping[str, Any] | None = None) -> None:
    """Message attachments, each a ``file_id`` and the tools to add it to (``file_search``, ``code_interpreter``)."""
    for index, item in enumerate(_array(value, param)):
        at = f"{param}[{index}]"
        data = _object(item, at, ("file_id", "tools"))
        _string(_required(data, "file_id", at), f"{at}.file_id", non_empty=True)
        for number, tool in enumerate(_array(data.get("tools") or [], f"{at}.tools")):
            tool_at = f"{at}.tools[{number}]"
            _enum(_required(_object(tool, tool_at, ("type",)), "type", tool_at), f"{tool_at}.type", _ATTACHMENT_TOOLS)
    _readable(value, param)


def thread(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``create_and_run``'s ``thread``: its messages, metadata and tool resources."""
    data = _object(value, param, ("messages", "metadata", "tool_resources"))
    for key, check in (("messages", thread_messages), ("metadata", metadata), ("tool_resources", tool_resources)):
        if data.get(key) is not None:
            check(data[key], f"{param}.{key}", args)
    _readable(value, param)


# --- tool outputs ----------------------------------------------------------------------------------------


_MAX_OUTPUTS_BYTES = 512 * 1024


def tool_outputs(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A list of ``{"tool_call_id": str, "output": str}``, the outputs less than 512 kB together (whether they
    answer the run's calls is the run's business)."""
    size = 0
    for index, output in enumerate(_array(value, param)):
        at = f"{param}[{index}]"
        data = _object(output, at, ("tool_call_id", "output"))
        _string(_required(data, "tool_call_id", at), f"{at}.tool_call_id", non_empty=True)
        if data.get("output") is not None:
            size += len(_string(data["output"], f"{at}.output").encode())
    if size > _MAX_OUTPUTS_BYTES:
        raise bad_request(
            f"'{param}' too large: the combined tool outputs must be less than 512kb.",
            param=param,
            code="invalid_value",
        )
    _readable(value, param)
