"""Legacy Assistants code with mistakes: pyright must report each, as it would against the SDK itself.

``tests/test_typing.py`` type-checks this file and expects exactly the errors announced by ``# error:`` comments
(the start of pyright's message), each on the line after the comment; it is never run.
"""

# pyright: reportDeprecated=false
# (the SDK marks its legacy methods deprecated, and the shim keeps the SDK's types exactly, that mark included)

from __future__ import annotations

import compat


def sync_mistakes(client: compat.OpenAI) -> None:
    # error: No overloads for "create" match the provided arguments
    client.beta.threads.runs.create(thread_id="thread_1", assistant_idd="asst_1")
    # error: Argument missing for parameter "assistant_id"
    # error: No parameter named "assistant_idd"
    client.beta.threads.runs.create_and_poll(thread_id="thread_1", assistant_idd="asst_1")
    # error: Argument of type "Literal['hot']" cannot be assigned to parameter "temperature"
    client.beta.assistants.create(model="gpt-4o", temperature="hot")


async def async_mistakes(client: compat.AsyncOpenAI) -> None:
    # error: No overloads for "create" match the provided arguments
    await client.beta.threads.runs.create(thread_id="thread_1", assistant_idd="asst_1")
    # error: Argument of type "Literal[1]" cannot be assigned to parameter "thread_id"
    await client.beta.threads.runs.retrieve("run_1", thread_id=1)
