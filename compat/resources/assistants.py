"""``client.beta.assistants``: assistants kept in the local store.

The Responses API has no assistant object (prompts are dashboard-only), so an assistant is a record in
the shim's store and its settings are sent inline on every response of a run.
"""

# pyright: reportDeprecated=false
# (the legacy methods are bound to the SDK's, which the SDK marks deprecated)

from __future__ import annotations

import openai
from openai.resources.beta import assistants as _sdk

from .._context import Context
from ..ops import assistants as ops
from ._bind import call, page

__all__ = ["Assistants", "AsyncAssistants"]


class Assistants(_sdk.Assistants):
    """Assistants kept in the local store."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    create = call(_sdk.Assistants.create, ops.create_assistant)
    retrieve = call(_sdk.Assistants.retrieve, ops.retrieve_assistant)
    update = call(_sdk.Assistants.update, ops.update_assistant)
    list = page(_sdk.Assistants.list, ops.list_assistants)
    delete = call(_sdk.Assistants.delete, ops.delete_assistant)


class AsyncAssistants(_sdk.AsyncAssistants):
    """Assistants kept in the local store, for ``AsyncOpenAI``."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    create = call(_sdk.AsyncAssistants.create, ops.create_assistant)
    retrieve = call(_sdk.AsyncAssistants.retrieve, ops.retrieve_assistant)
    update = call(_sdk.AsyncAssistants.update, ops.update_assistant)
    list = page(_sdk.AsyncAssistants.list, ops.list_assistants)
    delete = call(_sdk.AsyncAssistants.delete, ops.delete_assistant)
