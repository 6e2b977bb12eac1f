"""Legacy Assistants code as a user writes it, run through the shim: pyright (strict) must accept it unchanged.

``tests/test_typing.py`` type-checks this file; it is never run. ``reveal_type`` lines are read by the test.
"""

# pyright: reportDeprecated=false
# (the SDK marks its legacy methods deprecated, and the shim keeps the SDK's types exactly, that mark included)

from __future__ import annotations

from openai import AssistantEventHandler, AsyncAssistantEventHandler, AsyncStream, Stream
from openai._base_client import AsyncPaginator
from openai.lib.streaming import AssistantStreamManager, AsyncAssistantStreamManager
from openai.pagination import AsyncCursorPage, SyncCursorPage
from openai.types.beta import Assistant, AssistantDeleted, AssistantStreamEvent, Thread
from openai.types.beta.threads import Message, Run
from openai.types.beta.threads.run_submit_tool_outputs_params import ToolOutput
from openai.types.beta.threads.runs import RunStep
from typing_extensions import assert_type, reveal_type

import compat


class Handler(AssistantEventHandler):
    """A user's event handler."""


class AsyncHandler(AsyncAssistantEventHandler):
    """A user's async event handler."""


def sync_flow(client: compat.OpenAI) -> None:
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        instructions="You are a weather bot.",
        tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
    )
    assert_type(assistant, Assistant)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Paris?"}])
    assert_type(thread, Thread)
    message = client.beta.threads.messages.create(thread.id, role="user", content="And in Rome?")
    assert_type(message, Message)

    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    reveal_type(run)
    stream = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, stream=True)
    assert_type(stream, Stream[AssistantStreamEvent])
    for event in stream:
        assert_type(event, AssistantStreamEvent)

    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    if run.status == "requires_action" and run.required_action is not None:
        calls = run.required_action.submit_tool_outputs.tool_calls
        outputs: list[ToolOutput] = [{"tool_call_id": call.id, "output": "22C"} for call in calls]
        run = client.beta.threads.runs.submit_tool_outputs_and_poll(
            run_id=run.id, thread_id=thread.id, tool_outputs=outputs
        )
    assert_type(client.beta.threads.runs.retrieve(run.id, thread_id=thread.id), Run)
    assert_type(client.beta.threads.runs.poll(run.id, thread.id, poll_interval_ms=100), Run)
    assert_type(client.beta.threads.runs.list(thread.id, limit=10), SyncCursorPage[Run])
    assert_type(client.beta.threads.runs.steps.list(run.id, thread_id=thread.id), SyncCursorPage[RunStep])
    assert_type(client.beta.threads.messages.list(thread.id, order="asc"), SyncCursorPage[Message])
    assert_type(client.beta.threads.create_and_run_poll(assistant_id=assistant.id), Run)

    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=Handler()) as s:
        assert_type(s, Handler)
        s.until_done()
    manager = client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id)
    assert_type(manager, AssistantStreamManager[AssistantEventHandler])
    assert_type(client.beta.assistants.delete(assistant.id), AssistantDeleted)


async def async_flow(client: compat.AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(model="gpt-4o")
    thread = await client.beta.threads.create()
    run = await client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    reveal_type(run)
    stream = await client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, stream=True)
    assert_type(stream, AsyncStream[AssistantStreamEvent])
    async for event in stream:
        assert_type(event, AssistantStreamEvent)

    assert_type(await client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id), Run)
    paginator = client.beta.threads.messages.list(thread.id)
    assert_type(paginator, AsyncPaginator[Message, AsyncCursorPage[Message]])
    async for message in paginator:
        assert_type(message, Message)
    first_page = await client.beta.threads.runs.list(thread.id)
    assert_type(first_page, AsyncCursorPage[Run])

    manager = client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=AsyncHandler()
    )
    assert_type(manager, AsyncAssistantStreamManager[AsyncHandler])
    async with manager as handler:
        await handler.until_done()
