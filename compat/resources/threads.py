"""``client.beta.threads``."""

from __future__ import annotations

import openai
from openai.resources.beta.threads import threads as _sdk

from .._context import Context


class Threads(_sdk.Threads):
    """Threads on conversations."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context


class AsyncThreads(_sdk.AsyncThreads):
    """Threads on conversations."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context
