"""``client.beta.threads.runs.steps``: run steps from the local store."""

# pyright: reportDeprecated=false
# (the legacy methods are bound to the SDK's, which the SDK marks deprecated)

from __future__ import annotations

import openai
from openai.resources.beta.threads.runs import steps as _sdk

from .._context import Context
from ..ops import steps as ops
from ._bind import call, page

__all__ = ["AsyncSteps", "Steps"]


class Steps(_sdk.Steps):
    """Run steps, kept in the local store."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    retrieve = call(_sdk.Steps.retrieve, ops.retrieve_step)
    list = page(_sdk.Steps.list, ops.list_steps)


class AsyncSteps(_sdk.AsyncSteps):
    """Run steps, kept in the local store, for ``AsyncOpenAI``."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        super().__init__(client)
        self._context = context

    retrieve = call(_sdk.AsyncSteps.retrieve, ops.retrieve_step)
    list = page(_sdk.AsyncSteps.list, ops.list_steps)
