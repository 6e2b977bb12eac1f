"""Response objects built from a request's parameters and a model turn."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from ._ids import IdFactory
from ._items import Item, message_item, output_text
from ._params import CreateParams
from ._turns import Turn, Usage

# What the live service answers in ``model`` for common aliases.
MODEL_SNAPSHOTS = {
    "gpt-4o": "gpt-4o-2024-08-06",
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "gpt-4.1": "gpt-4.1-2025-04-14",
    "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
    "gpt-5": "gpt-5-2025-08-07",
    "gpt-5-mini": "gpt-5-mini-2025-08-07",
    "gpt-5-nano": "gpt-5-nano-2025-08-07",
}

_TOOL_USAGE: dict[str, Any] = {
    "image_gen": {
        "input_tokens": 0,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": 0},
        "output_tokens": 0,
        "output_tokens_details": {"image_tokens": 0, "text_tokens": 0},
        "total_tokens": 0,
    },
    "web_search": {"num_requests": 0},
}


def count_tokens(text: str) -> int:
    """A deterministic token estimate: words and punctuation marks."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def response_skeleton(*, response_id: str, created_at: int, params: CreateParams, status: str) -> dict[str, Any]:
    """The response object before any output, in the live service's key order."""
    body: dict[str, Any] = {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": status,
        "background": params.background,
        "billing": {"payer": "developer"},
        "completed_at": None,
    }
    if params.conversation is not None:
        body["conversation"] = {"id": params.conversation}
    body.update(_echoed_fields(params))
    return body


def _echoed_fields(params: CreateParams) -> dict[str, Any]:
    reasoning = {"context": None, "effort": None, "summary": None, **params.reasoning}
    return {
        "error": None,
        "frequency_penalty": 0.0,
        "incomplete_details": None,
        "instructions": params.instructions,
        "max_output_tokens": params.max_output_tokens,
        "max_tool_calls": params.max_tool_calls,
        "model": MODEL_SNAPSHOTS.get(params.model, params.model),
        "moderation": None,
        "output": [],
        "parallel_tool_calls": params.parallel_tool_calls,
        "presence_penalty": 0.0,
        "previous_response_id": params.previous_response_id,
        "prompt_cache_key": params.echo.get("prompt_cache_key"),
        "prompt_cache_retention": "in_memory",
        "reasoning": reasoning,
        "safety_identifier": params.echo.get("safety_identifier"),
        "service_tier": params.echo.get("service_tier", "default"),
        "store": params.store,
        "temperature": params.temperature,
        "text": params.text,
        "tool_choice": params.tool_choice,
        "tool_usage": copy.deepcopy(_TOOL_USAGE),
        "tools": params.tools,
        "top_logprobs": params.echo.get("top_logprobs", 0),
        "top_p": params.top_p,
        "truncation": params.truncation,
        "usage": None,
        "user": params.echo.get("user"),
        "metadata": params.metadata,
    }


def output_items(turn: Turn, new_id: IdFactory) -> list[Item]:
    """The output items a turn produces, in order: reasoning, messages, refusal, function calls."""
    items: list[Item] = []
    if turn.reasoning is not None:
        summary = [{"type": "summary_text", "text": turn.reasoning}] if turn.reasoning else []
        items.append({"id": new_id("rs_"), "type": "reasoning", "summary": summary})
    status = "incomplete" if turn.incomplete_reason else "completed"
    items.extend(message_item(new_id("msg_"), "assistant", [output_text(text)], status) for text in turn.messages)
    if turn.refusal_text is not None:
        items.append(message_item(new_id("msg_"), "assistant", [{"type": "refusal", "refusal": turn.refusal_text}]))
    for call in turn.calls:
        items.append(
            {
                "id": new_id("fc_"),
                "type": "function_call",
                "status": "completed",
                "arguments": call.arguments,
                "call_id": call.call_id or new_id("call_"),
                "name": call.name,
            }
        )
    return items


def finish(
    body: dict[str, Any], *, turn: Turn, output: list[Item], context_tokens: int, completed_at: int
) -> dict[str, Any]:
    """The terminal state of a response: status, output, usage, error or incomplete details."""
    final = copy.deepcopy(body)
    final["output"] = [] if turn.error else output
    if turn.error:
        final["status"] = "failed"
        final["error"] = {"code": turn.error.code, "message": turn.error.message}
        return final
    final["status"] = "incomplete" if turn.incomplete_reason else "completed"
    if turn.incomplete_reason:
        final["incomplete_details"] = {"reason": turn.incomplete_reason}
    else:
        final["completed_at"] = completed_at
    final["usage"] = usage_body(turn.usage or _estimate_usage(output, context_tokens))
    return final


def usage_body(usage: Usage) -> dict[str, Any]:
    """The ``usage`` object of a response."""
    return {
        "input_tokens": usage.input_tokens,
        "input_tokens_details": {"cached_tokens": usage.cached_tokens},
        "output_tokens": usage.output_tokens,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
        "total_tokens": usage.input_tokens + usage.output_tokens,
    }


def context_tokens(instructions: str | None, context: list[Item]) -> int:
    """The estimated input tokens of a context: its text plus a few tokens of framing per item."""
    text = (instructions or "") + " " + " ".join(item_text(item) for item in context)
    return count_tokens(text) + 4 * len(context) + 3


def item_text(item: Item) -> str:
    """The words an item contributes to the context."""
    if item["type"] == "message":
        return " ".join(str(part.get("text") or part.get("refusal") or "") for part in item["content"])
    if item["type"] == "function_call":
        return f"{item['name']} {item['arguments']}"
    if item["type"] == "function_call_output":
        output = item["output"]
        return output if isinstance(output, str) else json.dumps(output)
    if item["type"] == "reasoning":
        return " ".join(part["text"] for part in item.get("summary", []))
    return ""


def _estimate_usage(output: list[Item], input_tokens: int) -> Usage:
    reasoning = sum(count_tokens(item_text(item)) for item in output if item["type"] == "reasoning")
    visible = sum(count_tokens(item_text(item)) for item in output if item["type"] != "reasoning")
    return Usage(input_tokens=input_tokens, output_tokens=visible + reasoning, reasoning_tokens=reasoning)
