"""Legacy list results in the SDK's types, with their pages computed by the shim instead of HTTP.

As with the SDK:

- the sync ``list`` returns the SDK's ``SyncCursorPage[Model]`` (a subclass: :func:`page_class`, so
  ``isinstance`` with the parameterized class holds); ``for item in page`` walks the items of every
  following page;
- the async ``list`` returns an ``AsyncPaginator`` (a :class:`CompatAsyncPaginator`): ``await`` it for
  the first page (an ``AsyncCursorPage[Model]``), or ``async for item in paginator`` for every item of
  every page.

The next page is the same list call with ``after`` set to the id of the page's last item; the other
arguments (``before`` too, which bounds every page of the walk) stay as the caller gave them, exactly
as the SDK merges ``after`` into the original query.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, cast

from openai._base_client import AsyncPaginator
from openai.pagination import AsyncCursorPage
from pydantic import BaseModel, PrivateAttr

from .._effects import Op, run_async, run_sync
from ..ops._common import Listing

__all__ = ["CompatAsyncPaginator", "ListOp", "async_page", "page_class", "sync_page"]

T = TypeVar("T", bound=BaseModel)

ListOp = Callable[[Mapping[str, Any]], Op[Listing[T]]]
"""A list operation of the core, given the list arguments (``limit``, ``order``, ``after``...)."""

_NO_NEXT_PAGE = "No next page expected; please check `.has_next_page()` before calling `.get_next_page()`."


class _NextPages:
    """What the shim's pages add to the SDK's: the next page comes from the shim, not an HTTP list call."""

    _next: Callable[[str], Any] | None
    has_more: bool | None
    data: list[Any]

    def has_next_page(self) -> bool:
        """Whether the list has items after this page (``has_more``), which the shim can fetch."""
        return self._next is not None and bool(self.has_more) and bool(self.data)

    def _after(self) -> str:
        if self._next is None or not self.has_next_page():
            raise RuntimeError(_NO_NEXT_PAGE)
        return _id(self.data[-1])


@functools.cache
def page_class(sdk_page: type[Any]) -> type[Any]:
    """The shim's subclass of an SDK page class (``SyncCursorPage[Run]``, ``AsyncCursorPage[Run]``), so that
    ``isinstance(page, SyncCursorPage[Run])`` holds."""
    base: Any = sdk_page
    if issubclass(sdk_page, AsyncCursorPage):

        class AsyncPage(_NextPages, base):
            _next: Callable[[str], Any] | None = PrivateAttr(default=None)

            async def get_next_page(self) -> Any:
                """The next page: the same list call, ``after`` this page's last item."""
                after = self._after()
                assert self._next is not None
                return await self._next(after)

        page: type[Any] = AsyncPage
    else:

        class SyncPage(_NextPages, base):
            _next: Callable[[str], Any] | None = PrivateAttr(default=None)

            def get_next_page(self) -> Any:
                """The next page: the same list call, ``after`` this page's last item."""
                after = self._after()
                assert self._next is not None
                return self._next(after)

        page = SyncPage
    page.__name__ = page.__qualname__ = f"Compat{sdk_page.__name__}"
    page.__doc__ = f"The SDK's ``{sdk_page.__name__}`` with its next pages from the shim."
    return page


def sync_page(list_op: ListOp[T], args: Mapping[str, Any], client: object, sdk_page: type[Any]) -> Any:
    """The page (of the SDK's class ``sdk_page``) the list call ``args`` answers, with a synchronous client."""
    listing = run_sync(list_op(args), client)
    page = page_class(sdk_page)(**_page_fields(listing))

    def after(cursor: str) -> Any:
        return sync_page(list_op, {**args, "after": cursor}, client, sdk_page)

    page._next = after
    return page


async def async_page(list_op: ListOp[T], args: Mapping[str, Any], client: object, sdk_page: type[Any]) -> Any:
    """The page (of the SDK's class ``sdk_page``) the list call ``args`` answers, with an asynchronous client."""
    listing = await run_async(list_op(args), client)
    page = page_class(sdk_page)(**_page_fields(listing))

    def after(cursor: str) -> Any:
        return async_page(list_op, {**args, "after": cursor}, client, sdk_page)

    page._next = after
    return page


class CompatAsyncPaginator(AsyncPaginator[T, AsyncCursorPage[T]], Generic[T]):
    """The SDK's ``AsyncPaginator`` with its pages from the shim: nothing runs until it is awaited or iterated.

    The SDK's ``__await__`` (the first page) and ``__aiter__`` (every item, page after page) are kept;
    only fetching the first page differs.
    """

    # The SDK's __init__ takes the HTTP client, request options and page class: none apply here.
    def __init__(self, list_op: ListOp[T], args: Mapping[str, Any], client: object, sdk_page: type[Any]) -> None:
        self._list_op = list_op
        self._args = dict(args)
        self._compat_client = client
        self._sdk_page = sdk_page

    async def _get_page(self) -> AsyncCursorPage[T]:
        return await async_page(self._list_op, self._args, self._compat_client, self._sdk_page)


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
