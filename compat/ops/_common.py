"""Helpers shared by the operations: lookups that raise the legacy 404, argument checks, listings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, Literal, TypeVar, cast

from pydantic import BaseModel

from .._errors import bad_request, not_found
from ..store import Kind, Order, Store, StoredRecord

__all__ = [
    "ListArgs",
    "Listing",
    "check_metadata",
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
}


def require(store: Store, kind: Kind, id: str, *, parent_id: str | None = None) -> StoredRecord:
    """The stored record, or the legacy ``NotFoundError`` (``No run found with id 'run_x'.``).

    With ``parent_id`` the record must also belong to that parent (a run of that thread, ...).
    """
    record = store.get(kind, id)
    if record is None or (parent_id is not None and record.parent_id != parent_id):
        raise not_found(f"No {_NOUNS[kind]} found with id '{id}'.")
    return record


class ListArgs(BaseModel):
    """Validated legacy list arguments."""

    limit: int = 20
    order: Literal["asc", "desc"] = "desc"
    after: str | None = None
    before: str | None = None


def list_args(args: Mapping[str, Any]) -> ListArgs:
    """``limit`` (1–100, default 20), ``order`` (default ``desc``), ``after``, ``before``; legacy 400s."""
    limit = args.get("limit", 20)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 100:
        raise bad_request(
            "Invalid 'limit': integer below minimum or above maximum value. "
            f"Expected a value between 1 and 100, but got {limit!r} instead.",
            param="limit",
            code="integer_out_of_range",
        )
    order = args.get("order", "desc")
    if order not in ("asc", "desc"):
        raise bad_request(f"Invalid value for 'order': expected one of 'asc' or 'desc', got {order!r}.", param="order")
    return ListArgs(limit=limit, order=order, after=args.get("after"), before=args.get("before"))


_REQUEST_OPTIONS = ("extra_headers", "extra_query", "timeout")


def request_options(args: Mapping[str, Any]) -> dict[str, Any]:
    """The request options the caller gave, to pass on to every underlying request."""
    return {name: args[name] for name in _REQUEST_OPTIONS if name in args}


def check_metadata(metadata: object, *, param: str = "metadata") -> dict[str, str]:
    """Legacy metadata rules: at most 16 pairs, keys ≤ 64 characters, string values ≤ 512 characters."""
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        raise bad_request(f"Invalid type for '{param}': expected an object.", param=param)
    pairs = cast(Mapping[object, object], metadata)
    if len(pairs) > 16:
        raise bad_request(
            f"Invalid '{param}': too many properties. Expected an object with at most 16 properties, "
            f"but got an object with {len(pairs)} properties instead.",
            param=param,
        )
    for key, value in pairs.items():
        if not isinstance(key, str) or len(key) > 64:
            raise bad_request(f"Invalid '{param}': keys must be strings of at most 64 characters.", param=param)
        if not isinstance(value, str):
            raise bad_request(
                f"Invalid type for '{param}.{key}': expected a string, but got {_json_kind(value)} instead.",
                param=f"{param}.{key}",
            )
        if len(value) > 512:
            raise bad_request(
                f"Invalid '{param}.{key}': string too long. Expected a string with maximum length 512, "
                f"but got a string with length {len(value)} instead.",
                param=f"{param}.{key}",
                code="string_above_max_length",
            )
    return {str(k): str(v) for k, v in pairs.items()}


def _json_kind(value: object) -> str:
    """How the API names a JSON value's type in its errors (``a boolean``, ``an integer``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, Mapping):
        return "an object"
    return "an array" if isinstance(value, (list, tuple)) else f"a {type(value).__name__}"


class Listing(BaseModel, Generic[T]):
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
