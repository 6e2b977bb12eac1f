"""The async list result: an ``AsyncPaginator`` whose pages come from the shim instead of HTTP.

Like the SDK's, it is awaitable (``page = await client.beta.assistants.list()``) and async-iterable
(``async for assistant in client.beta.assistants.list()`` walks every page).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

from openai._base_client import AsyncPaginator
from openai.pagination import AsyncCursorPage
from pydantic import BaseModel

__all__ = ["CompatAsyncPaginator"]

T = TypeVar("T", bound=BaseModel)


class CompatAsyncPaginator(AsyncPaginator[T, AsyncCursorPage[T]], Generic[T]):
    """``await`` gives the first page; ``async for`` walks the items of every page."""

    def __init__(self, fetch: Callable[[], Awaitable[AsyncCursorPage[T]]]) -> None:  # pyright: ignore[reportMissingSuperCall]
        self._fetch = fetch

    def __await__(self) -> Generator[Any, None, AsyncCursorPage[T]]:
        return self._get_page().__await__()

    async def _get_page(self) -> AsyncCursorPage[T]:
        return await self._fetch()
