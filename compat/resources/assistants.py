"""``client.beta.assistants``."""

from __future__ import annotations

import openai
from openai.resources.beta import assistants as _sdk

from .._context import Context


class Assistants(_sdk.Assistants):
    """Assistants kept in the local store."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context


class AsyncAssistants(_sdk.AsyncAssistants):
    """Assistants kept in the local store."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context
