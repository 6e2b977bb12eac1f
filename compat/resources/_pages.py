"""Legacy list results in the SDK's types, with their pages computed by the shim instead of HTTP.

As with the SDK:

- the sync ``list`` returns a ``SyncCursorPage`` (a :class:`CompatSyncPage`); ``for item in page``
  walks the items of every following page;
- the async ``list`` returns an ``AsyncPaginator`` (a :class:`CompatAsyncPaginator`): ``await`` it for
  the first page (a :class:`CompatAsyncPage`), or ``async for item in paginator`` for every item of
  every page.

The next page is the same list call with ``after`` set to the id of the page's last item; the other
arguments (``before`` too, which bounds every page of the walk) stay as the caller gave them, exactly
as the SDK merges ``after`` into the original query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar, cast

from openai._base_client import AsyncPaginator
from openai.pagination import AsyncCursorPage, SyncCursorPage
from pydantic import BaseModel, PrivateAttr

from .._effects import Op, run_async, run_sync
from ..ops._common import Listing

__all__ = ["CompatAsyncPage", "CompatAsyncPaginator", "CompatSyncPage", "ListOp", "sync_page"]

T = TypeVar("T", bound=BaseModel)

ListOp = Callable[[Mapping[str, Any]], Op[Listing[T]]]
"""A list operation of the core, given the list arguments (``limit``, ``order``, ``after``...)."""

_NO_NEXT_PAGE = "No next page expected; please check `.has_next_page()` before calling `.get_next_page()`."


class CompatSyncPage(SyncCursorPage[T], Generic[T]):
    """A ``SyncCursorPage`` whose next pages come from the shim instead of an HTTP list endpoint."""

    _next: Callable[[str], CompatSyncPage[T]] | None = PrivateAttr(default=None)

    def has_next_page(self) -> bool:
        """Whether the list has items after this page (``has_more``), which the shim can fetch."""
        return self._next is not None and super().has_next_page()

    def get_next_page(self) -> CompatSyncPage[T]:
        """The next page: the same list call, ``after`` this page's last item."""
        if self._next is None or not self.has_next_page():
            raise RuntimeError(_NO_NEXT_PAGE)
        return self._next(_id(self.data[-1]))


class CompatAsyncPage(AsyncCursorPage[T], Generic[T]):
    """An ``AsyncCursorPage`` whose next pages come from the shim instead of an HTTP list endpoint."""

    _next: Callable[[str], Awaitable[CompatAsyncPage[T]]] | None = PrivateAttr(default=None)

    def has_next_page(self) -> bool:
        """Whether the list has items after this page (``has_more``), which the shim can fetch."""
        return self._next is not None and super().has_next_page()

    async def get_next_page(self) -> CompatAsyncPage[T]:
        """The next page: the same list call, ``after`` this page's last item."""
        if self._next is None or not self.has_next_page():
            raise RuntimeError(_NO_NEXT_PAGE)
        return await self._next(_id(self.data[-1]))


def sync_page(list_op: ListOp[T], args: Mapping[str, Any], client: object) -> CompatSyncPage[T]:
    """The page the list call ``args`` answers, run with a synchronous client."""
    listing = run_sync(list_op(args), client)
    page = CompatSyncPage[T](**_page_fields(listing))
    page._next = lambda after: sync_page(list_op, {**args, "after": after}, client)
    return page


async def async_page(list_op: ListOp[T], args: Mapping[str, Any], client: object) -> CompatAsyncPage[T]:
    """The page the list call ``args`` answers, run with an asynchronous client."""
    listing = await run_async(list_op(args), client)
    page = CompatAsyncPage[T](**_page_fields(listing))
    page._next = lambda after: async_page(list_op, {**args, "after": after}, client)
    return page


class CompatAsyncPaginator(AsyncPaginator[T, AsyncCursorPage[T]], Generic[T]):
    """The SDK's ``AsyncPaginator`` with its pages from the shim: nothing runs until it is awaited or iterated.

    The SDK's ``__await__`` (the first page) and ``__aiter__`` (every item, page after page) are kept;
    only fetching the first page differs.
    """

    # The SDK's __init__ takes the HTTP client, request options and page class: none apply here.
    def __init__(self, list_op: ListOp[T], args: Mapping[str, Any], client: object) -> None:
        self._list_op = list_op
        self._args = dict(args)
        self._compat_client = client

    async def _get_page(self) -> CompatAsyncPage[T]:
        return await async_page(self._list_op, self._args, self._compat_client)


def _page_fields(listing: Listing[T]) -> dict[str, Any]:
    """What the legacy list endpoints answered: ``object``, ``data``, ``first_id``, ``last_id``, ``has_more``."""
    return {
        "object": "list",
        "data": listing.data,
        "first_id": _id(listing.data[0]) if listing.data else None,
        "last_id": _id(listing.data[-1]) if listing.data else None,
        "has_more": listing.has_more,
    }


def _id(item: BaseModel) -> str:
    return str(cast(Any, item).id)
