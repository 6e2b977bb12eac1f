"""``client.beta.threads.messages``: messages are conversation items (``message.id`` is the item id)."""

# pyright: reportDeprecated=false
# (the legacy methods are bound to the SDK's, which the SDK marks deprecated)

from __future__ import annotations

import openai
from openai.resources.beta.threads import messages as _sdk

from .._context import Context
from ..ops import messages as ops
from ._bind import call, page

__all__ = ["AsyncMessages", "Messages"]


class Messages(_sdk.Messages):
    """A thread's messages: its conversation's message items."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    create = call(_sdk.Messages.create, ops.create_message)
    retrieve = call(_sdk.Messages.retrieve, ops.retrieve_message)
    update = call(_sdk.Messages.update, ops.update_message)
    list = page(_sdk.Messages.list, ops.list_messages)
    delete = call(_sdk.Messages.delete, ops.delete_message)


class AsyncMessages(_sdk.AsyncMessages):
    """A thread's messages: its conversation's message items, for ``AsyncOpenAI``."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    create = call(_sdk.AsyncMessages.create, ops.create_message)
    retrieve = call(_sdk.AsyncMessages.retrieve, ops.retrieve_message)
    update = call(_sdk.AsyncMessages.update, ops.update_message)
    list = page(_sdk.AsyncMessages.list, ops.list_messages)
    delete = call(_sdk.AsyncMessages.delete, ops.delete_message)
