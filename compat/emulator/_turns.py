"""Scripted model turns: what the next response of the emulator will contain."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union

IncompleteReason = Literal["max_output_tokens", "content_filter"]

CallSpec = Union[
    "FunctionCall",
    tuple[str, "Mapping[str, Any] | str"],
    tuple[str, "Mapping[str, Any] | str", str],
]
"""A function call as ``FunctionCall``, ``(name, arguments)`` or ``(name, arguments, call_id)``."""


@dataclass(frozen=True)
class FunctionCall:
    """One function call of a turn; ``arguments`` is JSON text, ``call_id`` is generated when ``None``."""

    name: str
    arguments: str
    call_id: str | None = None


@dataclass(frozen=True)
class Usage:
    """Token counts to report instead of the word-count estimate."""

    input_tokens: int
    output_tokens: int
    reasoning_tokens: int = 0
    cached_tokens: int = 0


@dataclass(frozen=True)
class TurnError:
    """The ``error`` of a failed response."""

    code: str
    message: str


@dataclass(frozen=True)
class Turn:
    """The scripted output of one response.

    Output items come in this order: the reasoning item, the messages, the refusal, the function calls.
    Build turns with the class methods (``Turn.text``, ``Turn.function_calls``, ...) and adjust them with
    ``dataclasses.replace`` or the keyword arguments the constructors share (``usage``, ``cut_after_events``).
    """

    messages: tuple[str, ...] = ()
    calls: tuple[FunctionCall, ...] = ()
    refusal_text: str | None = None
    reasoning: str | None = None
    incomplete_reason: IncompleteReason | None = None
    error: TurnError | None = None
    http_status: int | None = None
    usage: Usage | None = None
    cut_after_events: int | None = None

    @classmethod
    def text(
        cls,
        *messages: str,
        reasoning: str | None = None,
        usage: Usage | None = None,
        cut_after_events: int | None = None,
    ) -> Turn:
        """One assistant message per string (at least one), optionally after a reasoning item."""
        if not messages:
            raise ValueError("Turn.text needs at least one message")
        return cls(messages=messages, reasoning=reasoning, usage=usage, cut_after_events=cut_after_events)

    @classmethod
    def function_calls(
        cls,
        *calls: CallSpec,
        text: str | None = None,
        reasoning: str | None = None,
        usage: Usage | None = None,
        cut_after_events: int | None = None,
    ) -> Turn:
        """Function calls (several are parallel calls), optionally after a message ``text``."""
        if not calls:
            raise ValueError("Turn.function_calls needs at least one call")
        return cls(
            messages=() if text is None else (text,),
            calls=tuple(_to_function_call(call) for call in calls),
            reasoning=reasoning,
            usage=usage,
            cut_after_events=cut_after_events,
        )

    @classmethod
    def refusal(cls, text: str, *, usage: Usage | None = None, cut_after_events: int | None = None) -> Turn:
        """An assistant message whose only content part is a refusal."""
        return cls(refusal_text=text, usage=usage, cut_after_events=cut_after_events)

    @classmethod
    def incomplete(
        cls,
        reason: IncompleteReason,
        *,
        text: str = "",
        usage: Usage | None = None,
        cut_after_events: int | None = None,
    ) -> Turn:
        """A response cut short (``max_output_tokens`` or ``content_filter``) after the partial ``text``."""
        return cls(messages=(text,), incomplete_reason=reason, usage=usage, cut_after_events=cut_after_events)

    @classmethod
    def failure(
        cls,
        *,
        code: str = "server_error",
        message: str = "The server had an error while processing your request. Sorry about that!",
        http_status: int | None = None,
        cut_after_events: int | None = None,
    ) -> Turn:
        """A failed response (``status: failed``); with ``http_status`` the request itself fails instead."""
        return cls(error=TurnError(code, message), http_status=http_status, cut_after_events=cut_after_events)

    def cut_after(self, events: int) -> Turn:
        """The same turn, whose event stream breaks off after ``events`` events (a dropped connection)."""
        return dataclasses.replace(self, cut_after_events=events)


def _to_function_call(call: CallSpec) -> FunctionCall:
    if isinstance(call, FunctionCall):
        return call
    name, arguments = call[0], call[1]
    call_id = call[2] if len(call) == 3 else None
    text = arguments if isinstance(arguments, str) else json.dumps(dict(arguments), separators=(",", ":"))
    return FunctionCall(name=name, arguments=text, call_id=call_id)
