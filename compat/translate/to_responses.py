"""Legacy run settings → ``responses.create`` parameters.

Rules:

- A run is sent inline on every response: ``model``, ``instructions`` (the assistant's or the run's
  override, followed by ``additional_instructions`` on a new paragraph), ``tools``, ``tool_choice``,
  ``parallel_tool_calls``, ``temperature``, ``top_p``, ``text.format`` (from ``response_format``),
  ``max_output_tokens`` (from ``max_completion_tokens``, a budget for the whole run: each turn gets what
  the earlier turns left, at least 16, the API's minimum), ``reasoning.effort`` (from
  ``reasoning_effort``), ``truncation`` (``auto`` for the legacy ``auto`` strategy) and
  ``conversation`` (the thread id). ``temperature`` / ``top_p`` of 1.0 are the default of both APIs and
  are not sent (reasoning models refuse them). ``instructions`` are not carried between responses, so
  every turn of a run sends them again.
- Function tools are flattened (``{"type": "function", "name", "description", "parameters", "strict"}``)
  and ``strict`` is ``false`` unless the legacy tool asked for strict: the legacy default was
  non-strict, and strict schemas reject what non-strict ones accept.
- ``file_search`` takes ``vector_store_ids`` from the assistant's and the thread's ``tool_resources``, and
  keeps ``max_num_results`` and ``ranking_options`` (``ranker``, ``score_threshold``);
  ``code_interpreter`` gets an ``auto`` container with the ``file_ids`` of both.
- ``include`` asks for what the legacy steps show of the built-in calls: ``file_search_call.results``
  whenever ``file_search`` is sent (legacy steps always listed the results, with their content only
  when the legacy ``include`` asked for it: ``from_responses`` leaves it out otherwise), and
  ``code_interpreter_call.outputs`` whenever ``code_interpreter`` is sent (legacy steps always had the
  outputs; Responses answers ``null`` without it).
- ``tool_choice``: ``auto`` / ``none`` / ``required`` as they are; ``{"type": "function", "function":
  {"name"}}`` → ``{"type": "function", "name"}``; ``{"type": "file_search"}`` and
  ``{"type": "code_interpreter"}`` as hosted tool choices.
- ``response_format``: ``auto`` (or none) sends no ``text``; ``text`` / ``json_object`` as formats;
  ``json_schema`` flattens ``json_schema.{name, schema, strict, description}`` into the format.
- Tool outputs become ``function_call_output`` input items (``call_id`` = the legacy ``tool_call_id``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from openai.types.beta import AssistantTool
from openai.types.beta.threads import Run

__all__ = [
    "response_format_to_text",
    "run_to_response_params",
    "response_includes",
    "tool_choice_to_response",
    "tool_outputs_to_items",
    "tool_to_response_tool",
]

JSON = dict[str, Any]

MIN_OUTPUT_TOKENS = 16
"""The smallest ``max_output_tokens`` the Responses API accepts."""

_INCLUDES = {"file_search": "file_search_call.results", "code_interpreter": "code_interpreter_call.outputs"}


def _ids(resources: Sequence[Mapping[str, Any] | None], tool: str, key: str) -> list[str]:
    ids: list[str] = []
    for resource in resources:
        section = cast(Mapping[str, Any], (resource or {}).get(tool) or {})
        found = cast(list[str], section.get(key) or [])
        ids += [i for i in found if i not in ids]
    return ids


def tool_to_response_tool(tool: AssistantTool, *, tool_resources: Sequence[Mapping[str, Any] | None]) -> JSON:
    """One legacy assistant tool as a Responses tool (see the module rules)."""
    if tool.type == "function":
        function = tool.function
        flat: JSON = {"type": "function", "name": function.name, "strict": bool(function.strict)}
        if function.description is not None:
            flat["description"] = function.description
        flat["parameters"] = function.parameters if function.parameters is not None else {"type": "object"}
        return flat
    if tool.type == "file_search":
        out: JSON = {
            "type": "file_search",
            "vector_store_ids": _ids(tool_resources, "file_search", "vector_store_ids"),
        }
        settings = tool.file_search
        if settings is not None and settings.max_num_results is not None:
            out["max_num_results"] = settings.max_num_results
        if settings is not None and settings.ranking_options is not None:
            out["ranking_options"] = settings.ranking_options.model_dump(mode="json", exclude_none=True)
        return out
    file_ids = _ids(tool_resources, "code_interpreter", "file_ids")
    return {"type": "code_interpreter", "container": {"type": "auto", "file_ids": file_ids}}


def response_includes(tools: Sequence[AssistantTool]) -> list[str]:
    """The Responses ``include`` values the run's built-in tools need (see the module rules)."""
    kinds = {tool.type for tool in tools}
    return [value for kind, value in _INCLUDES.items() if kind in kinds]


def tool_choice_to_response(tool_choice: Any) -> Any:
    """The legacy ``tool_choice`` in the Responses form."""
    if tool_choice is None or isinstance(tool_choice, str):
        return tool_choice
    choice = cast(Mapping[str, Any], tool_choice)
    if choice.get("type") == "function":
        return {"type": "function", "name": cast(Mapping[str, Any], choice["function"])["name"]}
    return {"type": choice["type"]}


def response_format_to_text(response_format: Any) -> JSON | None:
    """The legacy ``response_format`` as the Responses ``text`` parameter (``None`` for ``auto``)."""
    if response_format is None or response_format == "auto":
        return None
    fmt = cast(Mapping[str, Any], response_format)
    if fmt["type"] != "json_schema":
        return {"format": {"type": fmt["type"]}}
    schema = cast(Mapping[str, Any], fmt["json_schema"])
    out: JSON = {"type": "json_schema", "name": schema["name"]}
    for key in ("schema", "strict", "description"):
        if schema.get(key) is not None:
            out[key] = schema[key]
    return {"format": out}


def _plain(value: Any) -> Any:
    # by alias: the SDK names ``json_schema.schema`` ``schema_``
    return value.model_dump(mode="json", by_alias=True, exclude_none=True) if hasattr(value, "model_dump") else value


def run_to_response_params(
    *,
    run: Run,
    conversation_id: str,
    input_items: Sequence[JSON],
    tool_resources: Sequence[Mapping[str, Any] | None],
    reasoning_effort: str | None = None,
    completion_tokens_used: int = 0,
    auto_truncation: bool = True,
) -> JSON:
    """The ``responses.create`` keyword arguments for one model turn of ``run``.

    ``run.instructions`` already holds the effective instructions; ``input_items`` are the new items
    of this turn (none for a first turn whose messages are already in the conversation).
    """
    params: JSON = {"model": run.model, "conversation": conversation_id}
    if input_items:
        params["input"] = list(input_items)
    if run.instructions:
        params["instructions"] = run.instructions
    if run.tools:
        params["tools"] = [tool_to_response_tool(t, tool_resources=tool_resources) for t in run.tools]
        params["parallel_tool_calls"] = run.parallel_tool_calls
        _optional(params, "include", response_includes(run.tools) or None)
    if run.tool_choice is not None and run.tool_choice != "auto":
        params["tool_choice"] = tool_choice_to_response(_plain(run.tool_choice))
    # 1.0 is the default of both APIs; sending it would be refused by reasoning models.
    _optional(params, "temperature", None if run.temperature == 1.0 else run.temperature)
    _optional(params, "top_p", None if run.top_p == 1.0 else run.top_p)
    if run.max_completion_tokens is not None:
        # a budget for the whole run: what its earlier turns left, at least the API's minimum
        left = run.max_completion_tokens - completion_tokens_used
        params["max_output_tokens"] = max(left, MIN_OUTPUT_TOKENS)
    _optional(params, "text", response_format_to_text(_plain(run.response_format)))
    if reasoning_effort is not None:
        params["reasoning"] = {"effort": reasoning_effort}
    if auto_truncation and run.truncation_strategy is not None and run.truncation_strategy.type == "auto":
        params["truncation"] = "auto"
    return params


def _optional(params: JSON, key: str, value: Any) -> None:
    if value is not None:
        params[key] = value


def tool_outputs_to_items(tool_outputs: Iterable[Mapping[str, Any]]) -> list[JSON]:
    """Submitted tool outputs as ``function_call_output`` input items."""
    return [
        {"type": "function_call_output", "call_id": o["tool_call_id"], "output": o.get("output") or ""}
        for o in tool_outputs
    ]
