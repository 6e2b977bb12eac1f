"""The in-progress legacy run the translation tests translate responses for."""

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
