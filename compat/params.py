"""The one table of legacy parameters: how the shim handles each parameter of each legacy method.

Every parameter of every legacy method of the installed SDK appears here exactly once (a test checks
it). ``Handling`` says what becomes of it:

- ``native``: carried to the Responses / Conversations API as the same concept;
- ``emulated``: honoured by the shim itself (our store, our own paging, ...), documented in ``how``;
- ``unsupported``: rejected with ``openai.BadRequestError`` naming the parameter and ``how`` as reason.

A parameter may be supported for some values only: ``reject`` then inspects the value and returns the
reason it cannot be honoured (or ``None``). :func:`check` consults the table before any request is sent
or anything is stored; ``MIGRATION.md`` shows :func:`markdown_table`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ._errors import bad_request

__all__ = ["PARAMETERS", "Handling", "Parameter", "check", "markdown_table"]


class Handling(str, Enum):
    """How the shim treats a legacy parameter."""

    NATIVE = "native"
    EMULATED = "emulated"
    UNSUPPORTED = "unsupported"


Reject = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of one legacy method (``method`` as ``"runs.create"``)."""

    method: str
    name: str
    handling: Handling
    how: str
    reject: Reject | None = None


def _params(
    method: str, *rows: tuple[str, Handling, str] | tuple[str, Handling, str, Reject]
) -> list[Parameter]:
    return [Parameter(method, row[0], row[1], row[2], row[3] if len(row) == 4 else None) for row in rows]


N, E, U = Handling.NATIVE, Handling.EMULATED, Handling.UNSUPPORTED

_REQUEST_OPTIONS: list[tuple[str, Handling, str]] = [
    ("extra_headers", N, "sent with every underlying Responses / Conversations request"),
    ("extra_query", N, "sent with every underlying Responses / Conversations request"),
    ("extra_body", U, "the legacy request body no longer exists; pass Responses options natively"),
    ("timeout", N, "applies to every underlying request"),
]


def _method(
    method: str, *rows: tuple[str, Handling, str] | tuple[str, Handling, str, Reject]
) -> list[Parameter]:
    """The rows of one method, followed by the request options every method takes."""
    return _params(method, *rows, *_REQUEST_OPTIONS)


PARAMETERS: tuple[Parameter, ...] = (
    # --- assistants, threads, messages ---
    # --- end assistants, threads, messages ---
    # --- runs, steps ---
    # --- end runs, steps ---
)

_BY_KEY: dict[tuple[str, str], Parameter] = {(p.method, p.name): p for p in PARAMETERS}


def lookup(method: str, name: str) -> Parameter:
    """The row for one parameter; ``KeyError`` when the table lacks it."""
    return _BY_KEY[(method, name)]


def check(method: str, arguments: Mapping[str, Any]) -> None:
    """Reject, before any I/O, every given argument the table cannot honour.

    Raises ``openai.BadRequestError`` naming the parameter: for ``unsupported`` rows always, for rows with
    a ``reject`` predicate when it objects to the value, and for names the table does not know.
    """
    for name, value in arguments.items():
        row = _BY_KEY.get((method, name))
        if row is None:
            raise bad_request(f"Unknown parameter: '{name}' is not a parameter of {method}.", param=name)
        if row.handling is Handling.UNSUPPORTED:
            raise bad_request(
                f"{method}: '{name}' is not supported by assistants-compat: {row.how}", param=name
            )
        reason = row.reject(value) if row.reject is not None else None
        if reason is not None:
            raise bad_request(f"{method}: '{name}' {reason}", param=name)


def markdown_table() -> str:
    """The table as Markdown, for ``MIGRATION.md``."""
    lines = ["| method | parameter | handling | how |", "|---|---|---|---|"]
    lines += [f"| `{p.method}` | `{p.name}` | {p.handling.value} | {p.how} |" for p in PARAMETERS]
    return "\n".join(lines) + "\n"
