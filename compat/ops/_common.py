"""Helpers shared by the operations: lookups that raise the legacy 404, request options, listings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, cast

from pydantic import BaseModel

from .._errors import bad_request, not_found
from ..store import Kind, Order, Store, StoredRecord

__all__ = [
    "ListArgs",
    "Listing",
    "metadata_of",
    "list_args",
    "require",
]

T = TypeVar("T", bound=BaseModel)

_NOUNS: dict[Kind, str] = {
    "assistant": "assistant",
    "thread": "thread",
    "run": "run",
    "step": "run step",
    "message": "message",
    "alias": "alias",
    "file": "file",
}


def require(store: Store, kind: Kind, id: str, *, parent_id: str | None = None) -> StoredRecord:
    """The stored record, or the legacy ``NotFoundError`` (``No run found with id 'run_x'.``).

    With ``parent_id`` the record must also belong to that parent (a run of that thread, ...).
    """
    record = store.get(kind, id)
    if record is None or (parent_id is not None and record.parent_id != parent_id):
        raise not_found(f"No {_NOUNS[kind]} found with id '{id}'.")
    return record


@dataclass(frozen=True, slots=True)
class ListArgs:
    """Legacy list arguments."""

    limit: int = 20
    order: Literal["asc", "desc"] = "desc"
    after: str | None = None
    before: str | None = None


def list_args(args: Mapping[str, Any]) -> ListArgs:
    """``limit`` (default 20), ``order`` (default ``desc``), ``after``, ``before`` (checked by the table)."""
    # ``None`` is the default, as the SDK drops ``None`` query values
    limit = args.get("limit")
    order = args.get("order")
    return ListArgs(
        limit=20 if limit is None else limit,
        order="desc" if order is None else order,
        after=args.get("after"),
        before=args.get("before"),
    )


def metadata_of(args: Mapping[str, Any], name: str = "metadata") -> dict[str, str]:
    """The metadata given (checked by the table), ``{}`` for none."""
    return dict(cast("Mapping[str, str]", args.get(name) or {}))


_REQUEST_OPTIONS = ("extra_headers", "extra_query", "timeout")


def request_options(args: Mapping[str, Any]) -> dict[str, Any]:
    """The request options the caller gave, to pass on to every underlying request."""
    return {name: args[name] for name in _REQUEST_OPTIONS if name in args}


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """One page of a legacy list as the operations compute it (``compat.resources._pages`` makes it an SDK page)."""

    data: list[T]
    has_more: bool


def page_records(
    store: Store,
    kind: Kind,
    args: ListArgs,
    *,
    parent_id: str = "",
    group_id: str | None = None,
) -> tuple[Sequence[StoredRecord], bool]:
    """One page of stored records and whether more follow; unknown cursors answer the legacy 404/400.

    ``before`` alone asks for the previous page: the ``limit`` records just before the cursor, read
    backwards from it and given in ``order``; ``has_more`` then says whether earlier records remain.
    """
    backwards = args.before is not None and args.after is None
    opposite: Order = "asc" if args.order == "desc" else "desc"
    try:
        records = store.list(
            kind,
            parent_id=parent_id,
            group_id=group_id,
            order=opposite if backwards else args.order,
            after=args.before if backwards else args.after,
            before=None if backwards else args.before,
            limit=args.limit + 1,
        )
    except KeyError as missing:
        cursor = args.after if args.after is not None else args.before
        param = "after" if args.after is not None else "before"
        raise bad_request(f"Invalid cursor: no {_NOUNS[kind]} found with id '{cursor}'.", param=param) from missing
    page = list(records[: args.limit])
    return (page[::-1] if backwards else page), len(records) > args.limit


def latest_run(store: Store, thread_id: str) -> StoredRecord | None:
    """The most recent run of a thread (the only one that can be active: runs are serialised)."""
    runs = store.list("run", parent_id=thread_id, order="desc", limit=1)
    return runs[0] if runs else None
