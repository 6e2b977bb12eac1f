"""``client.beta.threads.messages``: messages are conversation items (``message.id`` is the item id)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import httpx2
import openai
from openai._base_client import AsyncPaginator
from openai._types import Body, Headers, NotGiven, Omit, Query, not_given, omit
from openai.pagination import AsyncCursorPage, SyncCursorPage
from openai.resources.beta.threads import messages as _sdk
from openai.types.beta.threads import message_create_params
from openai.types.beta.threads.message import Message
from openai.types.beta.threads.message_content_part_param import MessageContentPartParam
from openai.types.beta.threads.message_deleted import MessageDeleted
from openai.types.shared_params.metadata import Metadata

from .._context import Context, given
from .._effects import run_async, run_sync
from ..ops import messages as core
from ..params import check
from ._pages import CompatAsyncPaginator, sync_page
from ._raw import NoRawResponse

__all__ = ["AsyncMessages", "Messages"]


class Messages(NoRawResponse, _sdk.Messages):
    """A thread's messages: its conversation's message items."""

    _legacy_path = "client.beta.threads.messages"

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    def create(
        self,
        thread_id: str,
        *,
        content: str | Iterable[MessageContentPartParam],
        role: Literal["user", "assistant"],
        attachments: Iterable[message_create_params.Attachment] | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Message:
        """Add a message to a thread: one item appended to its conversation."""
        args = given(locals())
        check("messages.create", args)
        return run_sync(core.create_message(self._context, args), self._client)

    def retrieve(
        self,
        message_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Message:
        """Retrieve a message (a conversation item)."""
        args = given(locals())
        check("messages.retrieve", args)
        return run_sync(core.retrieve_message(self._context, args), self._client)

    def update(
        self,
        message_id: str,
        *,
        thread_id: str,
        metadata: Metadata | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Message:
        """Modify a message: its metadata, kept in the local store."""
        args = given(locals())
        check("messages.update", args)
        return run_sync(core.update_message(self._context, args), self._client)

    def list(
        self,
        thread_id: str,
        *,
        after: str | Omit = omit,
        before: str | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        run_id: str | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> SyncCursorPage[Message]:
        """List a thread's messages (its message items)."""
        args = given(locals())
        check("messages.list", args)
        return sync_page(lambda a: core.list_messages(self._context, a), args, self._client)

    def delete(
        self,
        message_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> MessageDeleted:
        """Delete a message: its item and its local record."""
        args = given(locals())
        check("messages.delete", args)
        return run_sync(core.delete_message(self._context, args), self._client)


class AsyncMessages(NoRawResponse, _sdk.AsyncMessages):
    """A thread's messages: its conversation's message items."""

    _legacy_path = "client.beta.threads.messages"

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    async def create(
        self,
        thread_id: str,
        *,
        content: str | Iterable[MessageContentPartParam],
        role: Literal["user", "assistant"],
        attachments: Iterable[message_create_params.Attachment] | Omit | None = omit,
        metadata: Metadata | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Message:
        """Add a message to a thread: one item appended to its conversation."""
        args = given(locals())
        check("messages.create", args)
        return await run_async(core.create_message(self._context, args), self._client)

    async def retrieve(
        self,
        message_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Message:
        """Retrieve a message (a conversation item)."""
        args = given(locals())
        check("messages.retrieve", args)
        return await run_async(core.retrieve_message(self._context, args), self._client)

    async def update(
        self,
        message_id: str,
        *,
        thread_id: str,
        metadata: Metadata | Omit | None = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> Message:
        """Modify a message: its metadata, kept in the local store."""
        args = given(locals())
        check("messages.update", args)
        return await run_async(core.update_message(self._context, args), self._client)

    def list(
        self,
        thread_id: str,
        *,
        after: str | Omit = omit,
        before: str | Omit = omit,
        limit: int | Omit = omit,
        order: Literal["asc", "desc"] | Omit = omit,
        run_id: str | Omit = omit,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> AsyncPaginator[Message, AsyncCursorPage[Message]]:
        """List a thread's messages (its message items)."""
        args = given(locals())
        check("messages.list", args)
        return CompatAsyncPaginator(lambda a: core.list_messages(self._context, a), args, self._client)

    async def delete(
        self,
        message_id: str,
        *,
        thread_id: str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> MessageDeleted:
        """Delete a message: its item and its local record."""
        args = given(locals())
        check("messages.delete", args)
        return await run_async(core.delete_message(self._context, args), self._client)
