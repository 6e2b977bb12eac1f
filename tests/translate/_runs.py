"""The legacy objects the translation tests expect, as dicts: the in-progress run, steps, messages, usage."""

from __future__ import annotations

from typing import Any

from openai.types.beta.threads import Run


def in_progress_run(tools: list[dict[str, Any]] | None = None) -> Run:
    """``run_1`` of ``asst_1`` on ``thread_1``, started, with the legacy defaults and ``tools``."""
    return Run.model_validate(
        {
            "id": "run_1",
            "object": "thread.run",
            "created_at": 1_700_000_000,
            "assistant_id": "asst_1",
            "thread_id": "thread_1",
            "status": "in_progress",
            "started_at": 1_700_000_001,
            "expires_at": 1_700_000_600,
            "cancelled_at": None,
            "failed_at": None,
            "completed_at": None,
            "required_action": None,
            "last_error": None,
            "model": "gpt-4o",
            "instructions": "",
            "tools": tools or [],
            "metadata": {},
            "temperature": 1.0,
            "top_p": 1.0,
            "max_completion_tokens": None,
            "max_prompt_tokens": None,
            "truncation_strategy": {"type": "auto", "last_messages": None},
            "incomplete_details": None,
            "usage": None,
            "response_format": "auto",
            "tool_choice": "auto",
            "parallel_tool_calls": True,
        }
    )


NOW = 1_700_000_100
"""When the translated objects were made."""


def step_dict(
    step_id: str, details: dict[str, Any], status: str, usage: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "id": step_id,
        "object": "thread.run.step",
        "created_at": NOW,
        "run_id": "run_1",
        "assistant_id": "asst_1",
        "thread_id": "thread_1",
        "type": details["type"],
        "status": status,
        "cancelled_at": None,
        "completed_at": NOW if status == "completed" else None,
        "expired_at": None,
        "failed_at": NOW if status == "failed" else None,
        "last_error": None,
        "metadata": None,
        "step_details": details,
        "usage": usage,
    }


def message_step(step_id: str, message_id: str, status: str, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    details = {"type": "message_creation", "message_creation": {"message_id": message_id}}
    return step_dict(step_id, details, status, usage)


def message_dict(
    message_id: str, status: str, content: list[dict[str, Any]], incomplete_reason: str | None = None
) -> dict[str, Any]:
    return {
        "id": message_id,
        "object": "thread.message",
        "created_at": NOW,
        "assistant_id": "asst_1",
        "thread_id": "thread_1",
        "run_id": "run_1",
        "role": "assistant",
        "status": status,
        "content": content,
        "attachments": [],
        "metadata": {},
        "completed_at": NOW if status == "completed" else None,
        "incomplete_at": NOW if status == "incomplete" else None,
        "incomplete_details": {"reason": incomplete_reason} if incomplete_reason else None,
    }


def usage_dict(prompt: int, completion: int, *, cached: int = 0, reasoning: int = 0) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_token_details": {"cached_tokens": cached},
        "completion_tokens_details": {"reasoning_tokens": reasoning},
    }
