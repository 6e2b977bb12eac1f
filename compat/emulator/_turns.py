"""Scripted model turns: what the next response of the emulator will contain.

Built-in tool calls (``Turn.file_search``, ``Turn.code_interpreter``) are described here and played against
the emulator's library when the response is built (see ``compat.emulator._build``): searches run, containers
are created, written files stored.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Union

IncompleteReason = Literal["max_output_tokens", "content_filter"]

FileSpec = tuple[str, bytes]
"""A file as ``(filename, bytes)``."""

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
class FileCitation:
    """A ``file_citation`` of the answer.

    ``filename`` defaults to the name of the uploaded file (else to the result's, else to the id); ``index`` is
    the position in the answer the citation follows, by default the end of the answer before its final
    punctuation (where the live service puts it: ``Travis's favorite food is pizza`` + ``.``).
    """

    file_id: str
    filename: str | None = None
    index: int | None = None


@dataclass(frozen=True)
class FileSearchResult:
    """One ``results`` entry of a ``file_search_call``; ``vector_store_id`` defaults to the tool's first store."""

    file_id: str
    filename: str
    text: str
    score: float = 1.0
    attributes: Mapping[str, Any] = dataclasses.field(default_factory=dict[str, Any])
    vector_store_id: str | None = None


@dataclass(frozen=True)
class FileSearchCall:
    """A ``file_search_call`` and the citations it gives the answer.

    ``queries`` empty means the user's last message; ``results`` ``None`` means searching the request's vector
    stores with the queries; ``citations`` ``None`` means one citation per file of the results.
    """

    queries: tuple[str, ...] = ()
    results: tuple[FileSearchResult, ...] | None = None
    citations: tuple[FileCitation, ...] | None = None


@dataclass(frozen=True)
class CodeInterpreterCall:
    """A ``code_interpreter_call``: its code, what it printed, the chart it showed and the files it wrote.

    The image and the files are written to the call's container; the answer cites the image with an empty
    span at 0 and each file where it links ``sandbox:/mnt/data/<filename>``.
    """

    code: str
    logs: str | None = None
    image: FileSpec | None = None
    files: tuple[FileSpec, ...] = ()


BuiltinCall = FileSearchCall | CodeInterpreterCall
"""A call of a built-in tool, run by the service within the response."""


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

    Output items come in this order: the reasoning item, the built-in tool calls, the messages (the last one
    carries the built-in calls' citations), the refusal, the function calls. Build turns with the class methods
    (``Turn.text``, ``Turn.function_calls``, ``Turn.file_search``, ...) and adjust them with
    ``dataclasses.replace`` or the keyword arguments the constructors share (``usage``, ``cut_after_events``).
    """

    messages: tuple[str, ...] = ()
    calls: tuple[FunctionCall, ...] = ()
    builtin_calls: tuple[BuiltinCall, ...] = ()
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
    def file_search(
        cls,
        *,
        answer: str,
        queries: Sequence[str] = (),
        citations: Sequence[str | FileCitation] | None = None,
        results: Sequence[FileSearchResult] | None = None,
        reasoning: str | None = None,
        usage: Usage | None = None,
        cut_after_events: int | None = None,
    ) -> Turn:
        """A ``file_search_call`` then an assistant message ``answer`` citing files.

        ``queries`` default to the user's last message. ``results`` default to what the library finds for the
        queries in the vector stores of the request's ``file_search`` tool; they are sent only when the
        request's ``include`` has ``file_search_call.results``. ``citations`` (file ids or ``FileCitation``)
        default to one per file of the results, at the end of the answer before its final punctuation.
        """
        if not answer:
            raise ValueError("Turn.file_search needs an answer")
        call = FileSearchCall(
            queries=tuple(queries),
            results=None if results is None else tuple(results),
            citations=None if citations is None else tuple(_to_citation(citation) for citation in citations),
        )
        return cls(
            messages=(answer,),
            builtin_calls=(call,),
            reasoning=reasoning,
            usage=usage,
            cut_after_events=cut_after_events,
        )

    @classmethod
    def code_interpreter(
        cls,
        *,
        code: str,
        answer: str,
        logs: str | None = None,
        image: FileSpec | None = None,
        files: Sequence[FileSpec] = (),
        reasoning: str | None = None,
        usage: Usage | None = None,
        cut_after_events: int | None = None,
    ) -> Turn:
        """A ``code_interpreter_call`` running ``code``, then an assistant message ``answer``.

        The call's outputs (``logs``, then the chart ``image`` as ``(filename, bytes)``) are sent only when
        the request's ``include`` has ``code_interpreter_call.outputs``. The image and the ``files`` the code
        wrote, ``[(filename, bytes)]``, are stored in the container of the request's ``code_interpreter``
        tool (``GET /containers/{id}/files/{file_id}/content`` answers their bytes). The answer cites the
        image with an empty span at 0 and each file where it links ``sandbox:/mnt/data/<filename>``.
        """
        if not code:
            raise ValueError("Turn.code_interpreter needs code")
        if not answer:
            raise ValueError("Turn.code_interpreter needs an answer")
        call = CodeInterpreterCall(code=code, logs=logs, image=image, files=tuple(files))
        return cls(
            messages=(answer,),
            builtin_calls=(call,),
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


def _to_citation(citation: str | FileCitation) -> FileCitation:
    return citation if isinstance(citation, FileCitation) else FileCitation(file_id=citation)


def _to_function_call(call: CallSpec) -> FunctionCall:
    if isinstance(call, FunctionCall):
        return call
    name, arguments = call[0], call[1]
    call_id = call[2] if len(call) == 3 else None
    text = arguments if isinstance(arguments, str) else json.dumps(dict(arguments), separators=(",", ":"))
    return FunctionCall(name=name, arguments=text, call_id=call_id)
