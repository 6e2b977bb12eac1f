"""Legacy parameters → legacy objects the shim keeps itself (assistants, threads).

Rules:

- An assistant carries every legacy field, with the legacy defaults for what was not given:
  ``description``/``instructions``/``name``/``reasoning_effort`` ``None``, ``tools`` ``[]``,
  ``tool_resources`` ``{}``, ``metadata`` ``{}``, ``temperature``/``top_p`` ``1.0``, ``response_format``
  ``"auto"``. A ``None`` given for ``temperature``, ``top_p`` or ``response_format`` means the default too.
- Function tools keep their definition; ``strict`` is ``false`` unless given and ``parameters`` the
  empty object schema ``{"type": "object", "properties": {}}`` unless given (the legacy defaults). A run
  shows its function tools with every field: ``description`` ``None`` when not given.
- Updating an assistant changes only the fields given; ``metadata`` and ``tools`` replace the old ones.
- Arguments come checked (:func:`compat.params.check`); input that would not pass those checks raises
  pydantic's ``ValidationError`` here, never a legacy error.
- A thread is a conversation id with its creation time, metadata and tool resources (``{}`` when none).
- A new run takes each setting from the run's arguments when given (not ``None``), else from the
  assistant, else the legacy default; ``instructions`` are the run's or the assistant's, followed by
  ``additional_instructions`` on a new paragraph. It starts ``queued`` and expires after
  :data:`RUN_EXPIRY_SECONDS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from openai.types.beta import Assistant, AssistantTool, Thread
from openai.types.beta.assistant_response_format_option import AssistantResponseFormatOption
from openai.types.beta.threads import Run
from pydantic import TypeAdapter

__all__ = [
    "RUN_EXPIRY_SECONDS",
    "assistant_from_params",
    "assistant_tools",
    "legacy_run",
    "run_from_params",
    "run_tools",
    "thread_object",
    "tool_resources",
    "updated_assistant",
]

_TOOL = TypeAdapter[AssistantTool](AssistantTool)
_RESPONSE_FORMAT = TypeAdapter[AssistantResponseFormatOption](AssistantResponseFormatOption)
_DEFAULTS: dict[str, Any] = {"temperature": 1.0, "top_p": 1.0, "response_format": "auto"}
_OPTIONAL_TEXT = ("description", "instructions", "name", "reasoning_effort")


def assistant_tools(tools: Sequence[object]) -> list[dict[str, Any]]:
    """The legacy tool list as stored; function tools get ``strict: false`` unless given."""
    out: list[dict[str, Any]] = []
    for tool in tools:
        data = _TOOL.validate_python(tool).model_dump(mode="json", exclude_unset=True)
        if data["type"] == "function":
            data["function"] = _function_defaults(data["function"])
        out.append(data)
    return out


def _function_defaults(function: Mapping[str, Any]) -> dict[str, Any]:
    """A function definition with the legacy defaults for ``parameters`` and ``strict``."""
    out = dict(function)
    if out.get("parameters") is None:
        out["parameters"] = {"type": "object", "properties": {}}
    out["strict"] = bool(out.get("strict") or False)
    return out


def run_tools(tools: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The tools as a run shows them: function tools with ``description`` (``None`` when not given),
    ``parameters`` and ``strict`` always present, the legacy defaults filled in."""
    out: list[dict[str, Any]] = []
    for tool in tools:
        data = dict(tool)
        if data.get("type") == "function":
            function = cast("Mapping[str, Any]", data.get("function") or {})
            data["function"] = {"description": None, **_function_defaults(function)}
        out.append(data)
    return out


def tool_resources(value: object) -> dict[str, Any]:
    """Legacy ``tool_resources`` (``code_interpreter.file_ids``, ``file_search.vector_store_ids``) as stored."""
    if value is None:
        return {}
    thread = Thread.model_validate({"id": "", "object": "thread", "created_at": 0, "tool_resources": value})
    parsed = thread.tool_resources
    return parsed.model_dump(mode="json", exclude_unset=True) if parsed is not None else {}


def _field(name: str, value: Any) -> object:
    if name in _DEFAULTS and value is None:
        return _DEFAULTS[name]
    if name in ("temperature", "top_p"):
        return float(value)
    if name == "response_format":
        parsed = _RESPONSE_FORMAT.validate_python(value)
        return parsed if isinstance(parsed, str) else parsed.model_dump(mode="json", exclude_unset=True)
    if name == "tools":
        return assistant_tools(value)
    if name == "tool_resources":
        return tool_resources(value)
    return value


def _fields(params: Mapping[str, Any], metadata: Mapping[str, str] | None) -> dict[str, Any]:
    known = ("model", "tools", "tool_resources", "response_format", "temperature", "top_p", *_OPTIONAL_TEXT)
    fields = {name: _field(name, params[name]) for name in known if name in params}
    if metadata is not None:
        fields["metadata"] = dict(metadata)
    return fields


def assistant_from_params(
    *, assistant_id: str, created_at: int, params: Mapping[str, Any], metadata: Mapping[str, str]
) -> Assistant:
    """A new assistant from the ``assistants.create`` arguments (``metadata`` already checked)."""
    data: dict[str, Any] = {
        "id": assistant_id,
        "object": "assistant",
        "created_at": created_at,
        **dict.fromkeys(_OPTIONAL_TEXT),
        "tools": [],
        "tool_resources": {},
        "metadata": {},
        **_DEFAULTS,
    }
    data.update(_fields(params, metadata))
    return Assistant.model_validate(data)


def updated_assistant(
    assistant: Assistant, *, params: Mapping[str, Any], metadata: Mapping[str, str] | None
) -> Assistant:
    """The assistant with the fields ``assistants.update`` was given (``metadata`` checked, or ``None``)."""
    data = assistant.model_dump(mode="json", exclude_unset=True)
    data.update(_fields(params, metadata))
    return Assistant.model_validate(data)


def thread_object(*, thread_id: str, created_at: int, metadata: object, resources: Mapping[str, Any] | None) -> Thread:
    """The legacy thread over a conversation."""
    return Thread.model_validate(
        {
            "id": thread_id,
            "object": "thread",
            "created_at": created_at,
            "metadata": metadata if metadata is not None else {},
            "tool_resources": dict(resources or {}),
        }
    )


RUN_EXPIRY_SECONDS = 600
"""A run waiting for tool outputs expires this long after its creation, as the legacy API's did."""


def _instructions(assistant: Mapping[str, Any], params: Mapping[str, Any]) -> str | None:
    base = params["instructions"] if params.get("instructions") is not None else assistant.get("instructions")
    extra = params.get("additional_instructions")
    if not extra:
        return base
    return f"{base}\n\n{extra}" if base else extra


def _setting(assistant: Mapping[str, Any], params: Mapping[str, Any], name: str, default: Any) -> Any:
    if params.get(name) is not None:
        return params[name]
    value = assistant.get(name)
    return default if value is None else value


def run_from_params(
    *,
    run_id: str,
    thread_id: str,
    assistant: Mapping[str, Any],
    params: Mapping[str, Any],
    metadata: Mapping[str, str],
    now: int,
) -> Run:
    """The legacy ``Run`` of a new run: the run's arguments over the assistant's settings (legacy JSON)."""
    given_tools = params.get("tools")
    tools = cast("list[Mapping[str, Any]]", given_tools if given_tools is not None else assistant.get("tools") or [])
    data: dict[str, Any] = {
        "id": run_id,
        "object": "thread.run",
        "created_at": now,
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": now + RUN_EXPIRY_SECONDS,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": _setting(assistant, params, "model", None),
        "instructions": _instructions(assistant, params),
        "tools": run_tools(tools),
        "tool_resources": tool_resources(params.get("tool_resources")),
        "metadata": dict(metadata),
        "temperature": _setting(assistant, params, "temperature", 1.0),
        "top_p": _setting(assistant, params, "top_p", 1.0),
        "reasoning_effort": _setting(assistant, params, "reasoning_effort", None),
        "max_completion_tokens": params.get("max_completion_tokens"),
        "max_prompt_tokens": params.get("max_prompt_tokens"),
        "truncation_strategy": params.get("truncation_strategy") or {"type": "auto", "last_messages": None},
        "incomplete_details": None,
        "usage": None,
        "response_format": _setting(assistant, params, "response_format", "auto"),
        "tool_choice": params.get("tool_choice") or "auto",
        "parallel_tool_calls": params.get("parallel_tool_calls", True),
    }
    return legacy_run(data)


def legacy_run(data: Mapping[str, Any]) -> Run:
    """The SDK's ``Run`` of legacy run JSON, validated.

    The legacy API answered ``"instructions": null`` for a run without instructions, where the SDK's
    type says ``str``: such a run is validated with ``""`` and then holds ``None``, as the legacy object did.
    """
    if data.get("instructions") is not None:
        return Run.model_validate(data)
    return Run.model_validate({**data, "instructions": ""}).model_copy(update={"instructions": None})
