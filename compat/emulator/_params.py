"""Validation of request bodies, with the live service's error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from ._errors import ApiError, invalid_type, invalid_value, missing_parameter

MAX_METADATA_PAIRS = 16
MAX_METADATA_KEY = 64
MAX_METADATA_VALUE = 512

_DEFAULT_TEXT: dict[str, Any] = {"format": {"type": "text"}, "verbosity": "medium"}


@dataclass
class CreateParams:
    """The parameters of ``POST /responses`` that change the emulator's behaviour or are echoed back."""

    model: str
    input: object
    instructions: str | None = None
    tools: list[dict[str, Any]] = field(default_factory=list[dict[str, Any]])
    tool_choice: object = "auto"
    parallel_tool_calls: bool = True
    temperature: float = 1.0
    top_p: float = 1.0
    text: dict[str, Any] = field(default_factory=lambda: dict(_DEFAULT_TEXT))
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    truncation: str = "disabled"
    metadata: dict[str, str] = field(default_factory=dict[str, str])
    conversation: str | None = None
    previous_response_id: str | None = None
    store: bool = True
    background: bool = False
    stream: bool = False
    reasoning: dict[str, Any] = field(default_factory=dict[str, Any])
    include: list[str] = field(default_factory=list[str])
    echo: dict[str, Any] = field(default_factory=dict[str, Any])


_ECHOED = ("user", "prompt_cache_key", "safety_identifier", "service_tier", "top_logprobs")


def parse_create(body: dict[str, Any]) -> CreateParams:
    """Validate a ``POST /responses`` body."""
    model = body.get("model")
    if model is None:
        raise missing_parameter("model")
    if not isinstance(model, str):
        raise invalid_type("model", "a string", model)
    params = CreateParams(model=model, input=body.get("input", []))
    params.instructions = _optional(body, "instructions", str, "a string")
    params.tools = [_tool(tool, f"tools[{i}]") for i, tool in enumerate(_list(body, "tools"))]
    params.tool_choice = body.get("tool_choice") or "auto"
    params.parallel_tool_calls = _flag(body, "parallel_tool_calls", default=True)
    params.temperature = _number(body, "temperature", 0, 2, default=1.0)
    params.top_p = _number(body, "top_p", 0, 1, default=1.0)
    params.text = _text(body.get("text"))
    params.max_output_tokens = _max_output_tokens(body.get("max_output_tokens"))
    params.max_tool_calls = _optional(body, "max_tool_calls", int, "an integer")
    params.truncation = _truncation(body.get("truncation"))
    params.metadata = parse_metadata(body.get("metadata"))
    params.conversation = _conversation(body.get("conversation"))
    params.previous_response_id = _optional(body, "previous_response_id", str, "a string")
    params.store = _flag(body, "store", default=True)
    params.background = _flag(body, "background", default=False)
    params.stream = _flag(body, "stream", default=False)
    params.reasoning = dict(body.get("reasoning") or {})
    params.include = _include(_list(body, "include"))
    params.echo = {key: body[key] for key in _ECHOED if body.get(key) is not None}
    _check_combinations(params)
    return params


def parse_metadata(value: object) -> dict[str, str]:
    """Validate metadata: at most 16 pairs, keys up to 64 characters, string values up to 512."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_type("metadata", "an object", value)
    metadata = cast("dict[str, object]", value)
    if len(metadata) > MAX_METADATA_PAIRS:
        raise ApiError(
            400,
            f"Invalid 'metadata': too many properties. Expected an object with at most {MAX_METADATA_PAIRS} "
            f"properties, but got an object with {len(metadata)} properties instead.",
            param="metadata",
            code="object_above_max_properties",
        )
    for key, item in metadata.items():
        _metadata_pair(key, item)
    return cast("dict[str, str]", dict(metadata))


def _metadata_pair(key: str, item: object) -> None:
    if len(key) > MAX_METADATA_KEY:
        raise ApiError(
            400,
            f"Invalid 'metadata': string too long. Expected a string with maximum length {MAX_METADATA_KEY}, "
            f"but got a string with length {len(key)} instead.",
            param="metadata",
            code="string_above_max_length",
        )
    if not isinstance(item, str):
        raise invalid_type(f"metadata.{key}", "a string", item)
    if len(item) > MAX_METADATA_VALUE:
        raise ApiError(
            400,
            f"Invalid 'metadata.{key}': string too long. Expected a string with maximum length "
            f"{MAX_METADATA_VALUE}, but got a string with length {len(item)} instead.",
            param=f"metadata.{key}",
            code="string_above_max_length",
        )


def _check_combinations(params: CreateParams) -> None:
    if params.conversation is not None and params.previous_response_id is not None:
        raise ApiError(
            400,
            "Mutually exclusive parameters: Ensure you are only providing one of: "
            "'previous_response_id' or 'conversation'.",
            param=None,
            code="mutually_exclusive_parameters",
        )
    if params.background and not params.store:
        raise invalid_value("store", "background mode requires 'store' to be true.")


def _optional(body: dict[str, Any], key: str, kind: type, expected: str) -> Any:
    value = body.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool) != (kind is bool)):
        raise invalid_type(key, expected, value)
    return value


def _flag(body: dict[str, Any], key: str, *, default: bool) -> bool:
    value = body.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise invalid_type(key, "a boolean", value)
    return value


def _list(body: dict[str, Any], key: str) -> list[object]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid_type(key, "an array", value)
    return cast("list[object]", value)


def _number(body: dict[str, Any], key: str, low: float, high: float, *, default: float) -> float:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid_type(key, "a decimal", value)
    shown = _shown(value)
    if value < low:
        raise ApiError(
            400,
            f"Invalid '{key}': decimal below minimum value. Expected a value >= {_shown(low)}, "
            f"but got {shown} instead.",
            param=key,
            code="decimal_below_min_value",
        )
    if value > high:
        raise ApiError(
            400,
            f"Invalid '{key}': decimal above maximum value. Expected a value <= {_shown(high)}, "
            f"but got {shown} instead.",
            param=key,
            code="decimal_above_max_value",
        )
    return float(value)


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _max_output_tokens(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_type("max_output_tokens", "an integer", value)
    if value < 16:
        raise ApiError(
            400,
            f"Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, "
            f"but got {value} instead.",
            param="max_output_tokens",
            code="integer_below_min_value",
        )
    return value


def _truncation(value: object) -> str:
    if value is None:
        return "disabled"
    if value not in ("auto", "disabled"):
        raise invalid_value("truncation", f"'{value}'. Supported values are: 'auto' and 'disabled'.")
    return cast("str", value)


def _conversation(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        conversation_id = cast("dict[str, object]", value).get("id")
        if isinstance(conversation_id, str):
            return conversation_id
        raise missing_parameter("conversation.id")
    raise invalid_type("conversation", "a string or an object", value)


def _text(value: object) -> dict[str, Any]:
    if value is None:
        return dict(_DEFAULT_TEXT)
    if not isinstance(value, dict):
        raise invalid_type("text", "an object", value)
    text = cast("dict[str, Any]", value)
    fmt = cast("dict[str, Any]", text.get("format") or {"type": "text"})
    kind = fmt.get("type")
    if kind == "json_schema":
        if "name" not in fmt:
            raise missing_parameter("text.format.name")
        if "schema" not in fmt:
            raise missing_parameter("text.format.schema")
        fmt = {
            "type": "json_schema",
            "description": fmt.get("description"),
            "name": fmt["name"],
            "schema": fmt["schema"],
            "strict": bool(fmt.get("strict", False)),
        }
    elif kind not in ("text", "json_object"):
        raise invalid_value(
            "text.format.type", f"'{kind}'. Supported values are: 'text', 'json_object' and 'json_schema'."
        )
    return {"format": fmt, "verbosity": text.get("verbosity", "medium")}


def _include(values: list[object]) -> list[str]:
    for index, value in enumerate(values):
        if not isinstance(value, str):
            raise invalid_type(f"include[{index}]", "a string", value)
    return cast("list[str]", values)


def _file_search_tool(tool: dict[str, Any]) -> dict[str, Any]:
    """The ``file_search`` tool as the service echoes it, its defaults filled in."""
    ranking = cast("dict[str, Any]", tool.get("ranking_options") or {})
    return {
        "type": "file_search",
        "filters": tool.get("filters"),
        "max_num_results": tool.get("max_num_results", 20),
        "ranking_options": {"ranker": "auto", "score_threshold": 0.0, **ranking},
        "vector_store_ids": tool.get("vector_store_ids", []),
    }


def _tool(value: object, param: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid_type(param, "an object", value)
    tool = cast("dict[str, Any]", value)
    if tool.get("type") == "file_search":
        return _file_search_tool(tool)
    if tool.get("type") != "function":
        return dict(tool)
    for key in ("name", "parameters"):
        if tool.get(key) is None:
            raise missing_parameter(f"{param}.{key}")
    # An omitted ``strict`` is echoed as true without checking the schema (recorded 2025-03 behaviour);
    # an explicit ``strict: true`` gets the strict-mode schema checks.
    if tool.get("strict") is True:
        _check_strict_schema(tool["name"], tool["parameters"], param, ())
    return {
        "type": "function",
        "description": tool.get("description"),
        "name": tool["name"],
        "parameters": tool["parameters"],
        "strict": tool.get("strict", True) is not False,
    }


def _check_strict_schema(name: str, schema: object, param: str, context: tuple[str, ...]) -> None:
    if not isinstance(schema, dict):
        return
    node = cast("dict[str, Any]", schema)
    if node.get("type") == "object":
        properties = cast("dict[str, Any]", node.get("properties") or {})
        if node.get("additionalProperties") is not False:
            raise _schema_error(
                name, param, context, "'additionalProperties' is required to be supplied and to be false."
            )
        missing = [key for key in properties if key not in (node.get("required") or [])]
        if missing:
            raise _schema_error(
                name,
                param,
                context,
                "'required' is required to be supplied and to be an "
                f"array including every key in properties. Missing '{missing[0]}'.",
            )
        for key, child in properties.items():
            _check_strict_schema(name, child, param, (*context, "properties", key))
    if node.get("type") == "array":
        _check_strict_schema(name, node.get("items"), param, (*context, "items"))


def _schema_error(name: str, param: str, context: tuple[str, ...], detail: str) -> ApiError:
    where = "(" + ", ".join(f"'{part}'" for part in context) + ("," if len(context) == 1 else "") + ")"
    return ApiError(
        400,
        f"Invalid schema for function '{name}': In context={where}, {detail}",
        param=f"{param}.parameters",
        code="invalid_function_parameters",
    )
