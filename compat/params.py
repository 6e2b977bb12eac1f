"""The one table of legacy parameters: how the shim handles each parameter of each legacy method.

Every parameter of every legacy method of the installed SDK appears here exactly once (a test checks
it). ``Handling`` says what becomes of it:

- ``native``: carried to the Responses / Conversations API as the same concept;
- ``emulated``: honoured by the shim itself (our store, our own paging, ...), documented in ``how``;
- ``unsupported``: rejected with ``openai.BadRequestError`` naming the parameter and ``how`` as reason
  (with a ``reject`` predicate: only the values it objects to, e.g. anything but ``None``).

A parameter may be supported for some values only: ``reject`` then inspects the value and returns the
reason it cannot be honoured (or ``None``). Every parameter of a given name is checked by the same
validator on every method (:data:`VALIDATORS`, rules and wording in :mod:`compat.validate`); ``None``
means the default unless the row is not ``nullable`` (the spec allows no null there and the operations
could not honour one). The ids of a method's URL (:data:`PATH_IDS`) are checked first, as the SDK checks
them. :func:`check` is the one place arguments are checked, before any request is sent or anything is
stored; ``MIGRATION.md`` shows :func:`markdown_table`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from . import validate as v
from ._errors import bad_request, not_found

__all__ = ["PARAMETERS", "PATH_IDS", "VALIDATORS", "Handling", "Parameter", "check", "check_path_ids", "markdown_table"]


class Handling(str, Enum):
    """How the shim treats a legacy parameter."""

    NATIVE = "native"
    EMULATED = "emulated"
    UNSUPPORTED = "unsupported"


Reject = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of one legacy method (``method`` as ``"runs.create"``); ``nullable``: ``None`` is the default."""

    method: str
    name: str
    handling: Handling
    how: str
    reject: Reject | None = None
    validate: v.Validator | None = None
    nullable: bool = True


VALIDATORS: dict[str, v.Validator] = {
    "additional_instructions": v.string(),
    "additional_messages": v.thread_messages,
    "after": v.string(),
    "assistant_id": v.string(),
    "attachments": v.attachments,
    "before": v.string(),
    "content": v.message_content,
    "description": v.string(512),
    "event_handler": v.event_handler,
    "include": v.include,
    "instructions": v.string(256_000),
    "limit": v.limit,
    "max_completion_tokens": v.integer_at_least(1),
    "max_prompt_tokens": v.integer_at_least(256),
    "messages": v.thread_messages,
    "metadata": v.metadata,
    "model": v.model,
    "name": v.string(256),
    "order": v.order,
    "parallel_tool_calls": v.boolean,
    "poll_interval_ms": v.integer_at_least(0),
    "reasoning_effort": v.reasoning_effort,
    "response_format": v.response_format,
    "role": v.role,
    "run_id": v.string(),
    "stream": v.boolean,
    "temperature": v.number_between(0, 2),
    "thread": v.thread,
    "tool_choice": v.tool_choice,
    "tool_outputs": v.tool_outputs,
    "tool_resources": v.tool_resources,
    "tools": v.tools,
    "top_p": v.number_between(0, 1),
    "truncation_strategy": v.truncation_strategy,
}
"""The check of every parameter of that name, whatever the method (the same policy everywhere)."""


_NEVER_NULL = frozenset(
    {"assistant_id", "content", "limit", "order", "parallel_tool_calls", "poll_interval_ms", "role", "tool_outputs"}
)
_NOT_NULL_ON: dict[str, frozenset[str]] = {
    "assistants.create": frozenset({"model", "tools"}),
    "assistants.update": frozenset({"model", "tools"}),
}
"""Where ``None`` is refused (``Invalid type for 'model': expected a string, but got null instead.``): the
spec allows no null there and the operations could not honour one. Elsewhere ``None`` means the default."""


_VALIDATOR_ON: dict[tuple[str, str], v.Validator] = {
    ("threads.create_and_run", "tool_resources"): v.run_tool_resources,
}
"""Where a parameter takes a narrower shape than elsewhere (the legacy API's own types differ there)."""


def _params(method: str, *rows: tuple[str, Handling, str] | tuple[str, Handling, str, Reject]) -> list[Parameter]:
    not_null = _NEVER_NULL | _NOT_NULL_ON.get(method, frozenset())
    return [
        Parameter(
            method,
            row[0],
            row[1],
            row[2],
            row[3] if len(row) == 4 else None,
            _VALIDATOR_ON.get((method, row[0]), VALIDATORS.get(row[0])),
            nullable=row[0] not in not_null,
        )
        for row in rows
    ]


N, E, U = Handling.NATIVE, Handling.EMULATED, Handling.UNSUPPORTED

_REQUEST_OPTIONS: list[tuple[str, Handling, str]] = [
    ("extra_headers", N, "sent with every underlying Responses / Conversations request"),
    ("extra_query", N, "sent with every underlying Responses / Conversations request"),
    ("extra_body", U, "the legacy request body no longer exists; pass Responses options natively"),
    ("timeout", N, "applies to every underlying request"),
]


def _method(method: str, *rows: tuple[str, Handling, str] | tuple[str, Handling, str, Reject]) -> list[Parameter]:
    """The rows of one method, followed by the request options every method takes."""
    return _params(method, *rows, *_REQUEST_OPTIONS)


_RUN_SETTINGS: list[tuple[str, Handling, str] | tuple[str, Handling, str, Reject]] = [
    ("assistant_id", E, "the assistant's stored settings are sent inline on every response"),
    ("additional_instructions", E, "appended to the instructions on a new paragraph, on every response"),
    (
        "additional_messages",
        E,
        "sent as input items of the first response; their metadata and attachments kept in the store, the "
        "attachments given to the thread as with `messages.create`",
    ),
    ("instructions", N, "`instructions` of every response of the run"),
    (
        "max_completion_tokens",
        E,
        "a budget for the whole run: each response's `max_output_tokens` is what the earlier turns left "
        "(at least 16; reasoning tokens count)",
    ),
    (
        "max_prompt_tokens",
        E,
        "each turn's input is counted first (`responses.input_tokens.count`: one more request per turn); over "
        "budget the run ends `incomplete` (`max_prompt_tokens`) without a model turn",
    ),
    ("metadata", E, "kept on the run record (16 pairs, keys <= 64, values <= 512 characters)"),
    ("model", N, "`model` of every response"),
    ("parallel_tool_calls", N, "`parallel_tool_calls` of every response"),
    ("reasoning_effort", N, "`reasoning.effort` of every response"),
    ("response_format", N, "`text.format` (json_schema flattened)"),
    ("temperature", N, "`temperature` (1.0, the default of both APIs, is not sent)"),
    ("tool_choice", N, "`tool_choice` in the Responses form"),
    ("tools", N, "flattened Responses tools; function tools `strict: false` unless asked"),
    ("top_p", N, "`top_p` (1.0, the default of both APIs, is not sent)"),
    (
        "truncation_strategy",
        E,
        "`auto` → `truncation: auto`; `last_messages: N` → the run's turns are made beside the conversation "
        "with its last N messages as input (one more item list per first turn), their items then added to "
        "the thread (one more item create per turn)",
    ),
]
_NOT_ON_CREATE_AND_RUN = ("additional_messages", "additional_instructions", "reasoning_effort")
_THREAD_AND_RUN: list[tuple[str, Handling, str] | tuple[str, Handling, str, Reject]] = [
    ("thread", E, "a new conversation with the thread's messages and metadata, then the run on it"),
    (
        "tool_resources",
        E,
        "added to the thread's tool resources for this run (no inline `vector_stores` here, as in the legacy API)",
    ),
    *[row for row in _RUN_SETTINGS if row[0] not in _NOT_ON_CREATE_AND_RUN],
]
_RUN_ID: list[tuple[str, Handling, str]] = [
    ("thread_id", N, "the conversation id"),
    ("run_id", E, "a run record in the store"),
]
_STREAM = ("stream", E, "legacy events translated from the Responses stream")
_HANDLER = ("event_handler", N, "the user's AssistantEventHandler receives every hook as before")
_POLL = ("poll_interval_ms", E, "runs end their model turn before returning; polling re-reads the store")
_OUTPUTS = ("tool_outputs", E, "`function_call_output` items; must answer exactly the pending calls")
_LIST: list[tuple[str, Handling, str]] = [
    ("after", E, "cursor over the store"),
    ("before", E, "cursor over the store; alone, the previous page: the items just before the cursor"),
    ("limit", E, "1 to 100, default 20"),
    ("order", E, "`asc` or `desc` (default)"),
]


PARAMETERS: tuple[Parameter, ...] = (
    # --- assistants, threads, messages ---
    *_method(
        "assistants.create",
        ("model", N, "sent as `model` on every response of a run"),
        ("description", E, "kept in the local store"),
        ("instructions", N, "sent as `instructions` on every response of a run"),
        ("metadata", E, "kept in the local store (16 pairs, keys <= 64, values <= 512 characters)"),
        ("name", E, "kept in the local store"),
        ("reasoning_effort", N, "sent as `reasoning.effort` on every response of a run"),
        ("response_format", N, "sent as `text.format` on every response of a run"),
        ("temperature", N, "sent as `temperature` on every response of a run (0 to 2, default 1)"),
        (
            "tool_resources",
            E,
            (
                "kept in the local store; `code_interpreter.file_ids` and `file_search.vector_store_ids` go "
                "with the tools of every run; an inline `file_search.vector_stores` is made with "
                "`vector_stores.create` and named in `vector_store_ids`"
            ),
        ),
        ("tools", N, "sent as Responses tools on every run; function tools `strict: false` unless given"),
        ("top_p", N, "sent as `top_p` on every response of a run (0 to 1, default 1)"),
    ),
    *_method("assistants.retrieve", ("assistant_id", E, "an assistant record in the local store")),
    *_method(
        "assistants.update",
        ("assistant_id", E, "an assistant record in the local store"),
        ("description", E, "kept in the local store"),
        ("instructions", N, "sent as `instructions` on every response of a run"),
        ("metadata", E, "replaces the stored metadata (16 pairs, keys <= 64, values <= 512 characters)"),
        ("model", N, "sent as `model` on every response of a run"),
        ("name", E, "kept in the local store"),
        ("reasoning_effort", N, "sent as `reasoning.effort` on every response of a run"),
        ("response_format", N, "sent as `text.format` on every response of a run"),
        ("temperature", N, "sent as `temperature` on every response of a run (0 to 2)"),
        (
            "tool_resources",
            E,
            (
                "kept in the local store; `code_interpreter.file_ids` and `file_search.vector_store_ids` go "
                "with the tools of every run; an inline `file_search.vector_stores` is made with "
                "`vector_stores.create` and named in `vector_store_ids`"
            ),
        ),
        ("tools", N, "replaces the stored tools, sent as Responses tools on every run"),
        ("top_p", N, "sent as `top_p` on every response of a run (0 to 1)"),
    ),
    *_method(
        "assistants.list",
        ("after", E, "cursor over the local store"),
        ("before", E, "cursor over the local store; alone, the previous page: the items just before the cursor"),
        ("limit", E, "1 to 100, default 20"),
        ("order", E, "`asc` or `desc` (default), by creation"),
    ),
    *_method("assistants.delete", ("assistant_id", E, "removed from the local store")),
    *_method(
        "threads.create",
        (
            "messages",
            N,
            "conversation items (user text/images → `input_text`/`input_image`, assistant text → "
            "`output_text`), at most 20 per request; their metadata and `attachments` kept in the local "
            "store; attachments go to the thread's files as with `messages.create`",
        ),
        ("metadata", N, "the conversation's `metadata`"),
        (
            "tool_resources",
            E,
            (
                "kept in the local store (`{}` for a conversation made natively), used by the thread's runs; "
                "an inline `file_search.vector_stores` is made with `vector_stores.create` (expiring 7 days "
                "after last use, as the legacy API's did) and named in `vector_store_ids`"
            ),
        ),
    ),
    *_method("threads.retrieve", ("thread_id", N, "the conversation id")),
    *_method(
        "threads.update",
        ("thread_id", N, "the conversation id"),
        ("metadata", N, "`conversations.update(metadata=...)`"),
        (
            "tool_resources",
            E,
            (
                "kept in the local store (`{}` for a conversation made natively), used by the thread's runs; "
                "an inline `file_search.vector_stores` is made with `vector_stores.create` (expiring 7 days "
                "after last use, as the legacy API's did) and named in `vector_store_ids`"
            ),
        ),
    ),
    *_method(
        "threads.delete",
        ("thread_id", N, "deletes the conversation, then the thread's messages, runs and steps in the store"),
    ),
    *_method(
        "messages.create",
        ("thread_id", N, "the conversation id"),
        ("content", N, "text → `input_text` (user) / `output_text` (assistant); images → `input_image`"),
        ("role", N, "the item's role: `user` or `assistant`"),
        (
            "attachments",
            E,
            "kept in the local store; `file_search` files are added to the thread's vector store (one is made, "
            "expiring 7 days after last use, when it has none, and named in its `tool_resources`), "
            "`code_interpreter` files go into every later run's container",
        ),
        ("metadata", E, "kept in the local store: conversation items have no metadata"),
    ),
    *_method(
        "messages.retrieve",
        ("message_id", N, "the conversation item id"),
        ("thread_id", N, "the conversation id"),
    ),
    *_method(
        "messages.update",
        ("message_id", N, "the conversation item id (it must exist)"),
        ("thread_id", N, "the conversation id"),
        ("metadata", E, "replaces the metadata kept in the local store (items cannot be updated)"),
    ),
    *_method(
        "messages.list",
        ("thread_id", N, "the conversation id; items that are not user/assistant messages are skipped"),
        ("after", N, "`after` cursor of the conversation's items"),
        ("before", E, "the previous page: the items just before the cursor, read backwards (no `before` upstream)"),
        ("limit", E, "1 to 100, default 20, counted after skipping non-message items"),
        ("order", N, "`asc` or `desc` (default)"),
        ("run_id", E, "the messages whose store record names that run"),
    ),
    *_method(
        "messages.delete",
        ("message_id", N, "`conversations.items.delete`; the local record goes too"),
        ("thread_id", N, "the conversation id"),
    ),
    # --- end assistants, threads, messages ---
    # --- runs, steps ---
    *_method(
        "runs.create",
        ("thread_id", N, "the conversation id"),
        (
            "include",
            E,
            "file search results are always asked for (`include: file_search_call.results`); their content is "
            "shown in the run's streamed steps only when asked, as in the legacy API",
        ),
        *_RUN_SETTINGS,
        _STREAM,
    ),
    *_method(
        "runs.create_and_poll",
        ("thread_id", N, "the conversation id"),
        ("include", E, "see runs.create"),
        *_RUN_SETTINGS,
        _POLL,
    ),
    *_method(
        "runs.stream",
        ("thread_id", N, "the conversation id"),
        ("include", E, "see runs.create"),
        *_RUN_SETTINGS,
        _HANDLER,
    ),
    *_method("runs.create_and_stream", ("thread_id", N, "the conversation id"), *_RUN_SETTINGS, _HANDLER),
    *_method("runs.retrieve", *_RUN_ID),
    *_method("runs.update", *_RUN_ID, ("metadata", E, "kept on the run record")),
    *_method("runs.list", ("thread_id", N, "the conversation id"), *_LIST),
    *_method("runs.cancel", *_RUN_ID),
    *_method("runs.poll", *_RUN_ID, _POLL),
    *_method("runs.submit_tool_outputs", *_RUN_ID, _OUTPUTS, _STREAM),
    *_method("runs.submit_tool_outputs_and_poll", *_RUN_ID, _OUTPUTS, _POLL),
    *_method("runs.submit_tool_outputs_stream", *_RUN_ID, _OUTPUTS, _HANDLER),
    *_method(
        "steps.retrieve",
        *_RUN_ID,
        ("step_id", E, "a step record in the store"),
        ("include", E, "the step's file search result content (kept in the store) only when asked"),
    ),
    *_method(
        "steps.list",
        *_RUN_ID,
        *_LIST,
        ("include", E, "the steps' file search result content (kept in the store) only when asked"),
    ),
    *_method("threads.create_and_run", *_THREAD_AND_RUN, _STREAM),
    *_method("threads.create_and_run_poll", *_THREAD_AND_RUN, _POLL),
    *_method("threads.create_and_run_stream", *_THREAD_AND_RUN, _HANDLER),
    # --- end runs, steps ---
)

_BY_KEY: dict[tuple[str, str], Parameter] = {(p.method, p.name): p for p in PARAMETERS}


def lookup(method: str, name: str) -> Parameter:
    """The row for one parameter; ``KeyError`` when the table lacks it."""
    return _BY_KEY[(method, name)]


_ID_NOUNS = {"thread_id": "thread", "run_id": "run", "message_id": "message", "step_id": "run step"}
_UNSAFE_ID = re.compile(r"[/?#%\\\s\x00-\x1f\x7f]|^\.{1,2}$")


def _path_ids(method: str) -> tuple[str, ...]:
    """The ids the SDK puts in the method's URL, in the order it checks them.

    ``assistant_id`` is a path id of ``assistants.*`` only (a body field of runs), ``run_id`` a query
    field of ``messages.list``; ``submit_tool_outputs_stream`` checks ``run_id`` before ``thread_id``.
    """
    nouns = {**_ID_NOUNS, "assistant_id": "assistant"} if method.startswith("assistants.") else _ID_NOUNS
    names = tuple(name for name in nouns if (method, name) in _BY_KEY and (method, name) != ("messages.list", "run_id"))
    return tuple(reversed(names)) if method == "runs.submit_tool_outputs_stream" else names


PATH_IDS: dict[str, tuple[str, ...]] = {p.method: _path_ids(p.method) for p in PARAMETERS}
"""Per method, the ids of its URL: checked first, as the SDK checks them before building the request."""


def check_path_ids(method: str, arguments: Mapping[str, Any]) -> None:
    """The SDK's ``ValueError`` for an empty id; the legacy 404 for an id no object can have.

    :func:`check` runs this first; it is public for callers that check the other arguments later, as the
    async ``list`` does (the SDK raises this ``ValueError`` when ``list`` is called, not when it is awaited).
    An id that is not a string, or holds what would change the URL (``/``, ``?``, ``#``, ``%``, ``..``,
    spaces or control characters), names no object: ``No thread found with id 'a/b'.``, and nothing is sent.
    """
    for name in PATH_IDS.get(method, ()):
        value = arguments.get(name)
        if not value:
            raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
        if not isinstance(value, str) or _UNSAFE_ID.search(value):
            noun = "assistant" if name == "assistant_id" else _ID_NOUNS[name]
            raise not_found(f"No {noun} found with id '{value}'.")


def check(method: str, arguments: Mapping[str, Any]) -> None:
    """Reject, before any I/O, every given argument the table cannot honour.

    In order: the ids of the URL (:data:`PATH_IDS`: the SDK's ``ValueError`` for an empty one, the legacy
    404 for one no object can have); then each argument: ``openai.BadRequestError`` with the legacy wording
    for a name the table does not know and for a value its validator refuses (``None`` only where the row is
    not ``nullable``, elsewhere it means the default), then naming the parameter for ``unsupported`` rows and
    for values a ``reject`` predicate objects to. (The SDK's raw-response header never reaches here: the legacy
    methods take it out, see ``compat.resources._raw``.)
    """
    check_path_ids(method, arguments)
    for name, value in arguments.items():
        row = _BY_KEY.get((method, name))
        if row is None:
            raise v.unknown(name)
        if row.validate is not None and (value is not None or not row.nullable):
            row.validate(value, name, arguments)
        if row.handling is Handling.UNSUPPORTED and row.reject is None:
            raise bad_request(f"{method}: '{name}' is not supported by assistants-compat: {row.how}", param=name)
        reason = row.reject(value) if row.reject is not None else None
        if reason is not None:
            raise bad_request(f"{method}: '{name}' {reason}", param=name)


def markdown_table() -> str:
    """The table as Markdown, for ``MIGRATION.md``."""
    lines = ["| method | parameter | handling | how |", "|---|---|---|---|"]
    lines += [f"| `{p.method}` | `{p.name}` | {p.handling.value} | {p.how} |" for p in PARAMETERS]
    return "\n".join(lines) + "\n"
