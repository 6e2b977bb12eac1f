"""The shim's legacy objects and streams, compared field by field with real Assistants API recordings.

Each test scripts the emulator to say what the recorded model said (same text, same function names and
arguments), drives the recorded legacy calls through ``compat.OpenAI`` and compares what comes back with
the recording (see ``_legacy_recordings.differences``): the same keys at every level and the same values,
ids by prefix, timestamps, model names and token counts by kind, and streams by their sequence of event
names with runs of ``*.delta`` collapsed.

Reference recordings: the newest of each kind, the openai-dotnet session records (2025-10, assistants=v2).
The ruby-openai cassettes are older (2023-11 … 2024-04); they are used only for what dotnet lacks, a run
cut short by ``max_completion_tokens`` (the assistants=v2 stream of ``runs_streamed_create``). Their
assistants=v1 bodies carry fields v2 dropped (``file_ids`` on assistants, threads, messages, runs) and
are not compared.

Where the recordings disagree with each other, or with the SDK's own types, the difference is accepted
and listed next to the test with the reason (``ACCEPTED_*``):

- Streamed runs and the ``thread.created`` of ``create_and_run`` carry ``tool_resources:
  {"code_interpreter": {"file_ids": []}}``; the same kinds of runs and threads read without streaming carry
  ``{}``. The shim sends ``{}`` everywhere.
- Non-streamed messages (create, retrieve, list) have no ``status``, ``completed_at``, ``incomplete_at``,
  ``incomplete_details`` in any recording; streamed messages have all four, and the SDK's ``Message``
  requires ``status``. The shim always sends them.
- Run steps carry ``expires_at`` in every recording, while the SDK's ``RunStep`` (and the OpenAPI spec)
  name the field ``expired_at`` and add ``metadata``. The shim fills the SDK's fields.
- Thread ids: a thread is its conversation, so its id starts with ``conv_`` (compared as ``thread_``).
- The SDK consumes the final ``done`` event itself, so it is not part of the compared sequence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from openai.types.beta import AssistantStreamEvent

import compat
from compat.emulator import Emulator, Turn, Usage

from . import _legacy_recordings as rec

ACCEPTED_STREAM = {
    "thread.created.tool_resources.code_interpreter: missing": "streamed threads: recordings disagree",
    "thread.run.*.tool_resources.code_interpreter: missing": "streamed runs: recordings disagree",
    "thread.run.step.*.expires_at: missing": "RunStep.expired_at in the SDK",
    "thread.run.step.*.expired_at: not recorded": "RunStep.expired_at in the SDK",
    "thread.run.step.*.metadata: not recorded": "RunStep.metadata in the SDK",
}
ACCEPTED_STEP = {
    "step*.expires_at: missing": "RunStep.expired_at in the SDK",
    "step*.expired_at: not recorded": "RunStep.expired_at in the SDK",
    "step*.metadata: not recorded": "RunStep.metadata in the SDK",
}
ACCEPTED_MESSAGE = {
    f"message*.{name}: not recorded": "streamed messages and the SDK's Message carry it"
    for name in ("status", "completed_at", "incomplete_at", "incomplete_details")
}


def _events(stream: Iterable[AssistantStreamEvent]) -> list[tuple[str, Any]]:
    return [(event.event, event.data.to_dict()) for event in stream]


def _recorded(events: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(name, data) for name, data in events if name != "done"]


def _check(found: list[str]) -> None:
    assert not found, "\n".join(found)


def _dict(obj: Any) -> Any:
    return json.loads(obj.to_json())


# --- streams ---------------------------------------------------------------------------------------


def test_streaming_run_matches_recording(client: compat.OpenAI, emulator: Emulator) -> None:
    """``AssistantsTests/StreamingRunWorks``: one streamed text answer."""
    recorded = _recorded(rec.dotnet_stream("AssistantsTests_StreamingRunWorks", r"/runs"))
    text = next(d for name, d in recorded if name == "thread.message.completed")["content"][0]["text"]["value"]
    emulator.queue(Turn.text(text))
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "Hello there, assistant! How are you today?"}]
    )

    stream = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, stream=True)

    _check(rec.stream_differences(recorded, _events(stream), ACCEPTED_STREAM))


WEATHER_TOOL: Any = {
    "type": "function",
    "function": {"description": "Gets the user's current weather", "name": "get_current_weather"},
}


def test_streaming_tool_call_matches_recording(client: compat.OpenAI, emulator: Emulator) -> None:
    """``AssistantsTests/StreamingToolCall``: ``create_and_run`` streamed to ``requires_action``, then
    ``submit_tool_outputs`` streamed to the answer."""
    name = "AssistantsTests_StreamingToolCall"
    first = _recorded(rec.dotnet_stream(name, r"/threads/runs"))
    second = _recorded(rec.dotnet_stream(name, r"/submit_tool_outputs"))
    call = next(d for n, d in first if n == "thread.run.requires_action")["required_action"]
    function = call["submit_tool_outputs"]["tool_calls"][0]["function"]
    text = next(d for n, d in second if n == "thread.message.completed")["content"][0]["text"]["value"]
    emulator.queue(Turn.function_calls((function["name"], function["arguments"])), Turn.text(text))
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])

    events = _events(
        client.beta.threads.create_and_run(
            assistant_id=assistant.id,
            thread={"messages": [{"role": "user", "content": "What should I wear outside right now?"}]},
            stream=True,
        )
    )
    _check(rec.stream_differences(first, events, ACCEPTED_STREAM))

    run = events[-1][1]
    tool_call_id = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    stream = client.beta.threads.runs.submit_tool_outputs(
        thread_id=run["thread_id"],
        run_id=run["id"],
        tool_outputs=[{"tool_call_id": tool_call_id, "output": "warm and sunny"}],
        stream=True,
    )
    _check(rec.stream_differences(second, _events(stream), ACCEPTED_STREAM))


ACCEPTED_INCOMPLETE = {
    **ACCEPTED_STREAM,
    # fields the API added after this 2024-04 recording; the 2025 recordings carry them
    "thread.run.*.parallel_tool_calls: not recorded": "newer field",
    "thread.run.*.reasoning_effort: not recorded": "newer field",
    "*.usage.prompt_token_details: not recorded": "newer field",
    "*.usage.completion_tokens_details: not recorded": "newer field",
    # max_prompt_tokens has no Responses equivalent: the shim refuses it, so the run is made without it
    "thread.run.*.max_prompt_tokens: recorded 256, got None": "max_prompt_tokens is not supported",
    # the recorded run stopped at max_completion_tokens (completion_tokens == 16, prompt far under 256)
    # yet names max_prompt_tokens; the shim names the limit that was hit
    "thread.run.incomplete.incomplete_details.reason: recorded 'max_prompt_tokens', got 'max_completion_tokens'": (
        "the recorded reason contradicts the recorded usage"
    ),
}


def test_streamed_incomplete_run_matches_recording(client: compat.OpenAI, emulator: Emulator) -> None:
    """ruby-openai ``runs_streamed_create`` (assistants=v2, 2024-04): a run cut by ``max_completion_tokens``.

    That stream ended with ``thread.run.completed`` carrying ``status: "incomplete"``; the SDK's event
    union has ``thread.run.incomplete`` for this status, which the shim sends, so the recorded event is
    compared under that name.
    """
    streams = [events for beta, events in rec.ruby_streams("runs_streamed_create") if beta == "assistants=v2"]
    recorded = [
        ("thread.run.incomplete" if n == "thread.run.completed" and d["status"] == "incomplete" else n, d)
        for n, d in _recorded(streams[-1])
    ]
    message = next(d for n, d in recorded if n == "thread.message.incomplete")
    run = recorded[0][1]
    emulator.queue(Turn.incomplete("max_output_tokens", text=message["content"][0]["text"]["value"]))
    assistant = client.beta.assistants.create(model="gpt-4", instructions=run["instructions"])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hello?"}])

    stream = client.beta.threads.runs.create(
        thread_id=thread.id, assistant_id=assistant.id, max_completion_tokens=16, stream=True
    )

    _check(rec.stream_differences(recorded, _events(stream), ACCEPTED_INCOMPLETE))


# --- objects ---------------------------------------------------------------------------------------

ASSISTANTS = "AssistantsTests_BasicAssistantOperationsWork"
MESSAGES = "AssistantsTests_BasicMessageOperationsWork"
FUNCTIONS = "AssistantsTests_FunctionToolsWork"


def test_assistant_objects_match_recording(client: compat.OpenAI) -> None:
    """``BasicAssistantOperationsWork``: create, update, retrieve, list, delete."""
    created = client.beta.assistants.create(model="gpt-4o")
    _check(rec.differences(rec.dotnet_body(ASSISTANTS, "POST", r"/assistants"), _dict(created), "assistant"))
    updated = client.beta.assistants.update(created.id, name="test assistant name")
    recorded = rec.dotnet_body(ASSISTANTS, "POST", r"/assistants/asst_\w+")
    _check(rec.differences(recorded, _dict(updated), "assistant"))

    tagged = client.beta.assistants.create(model="gpt-4o", metadata={"test_metadata_cleanup_eligible": "hello!"})
    recorded = rec.dotnet_body(ASSISTANTS, "GET", r"/assistants/asst_\w+")
    _check(rec.differences(recorded, _dict(client.beta.assistants.retrieve(tagged.id)), "assistant"))
    client.beta.assistants.update(tagged.id, metadata={"test_metadata_cleanup_eligible": "goodbye!"})
    page = client.beta.assistants.list()
    listed = rec.dotnet_body(ASSISTANTS, "GET", r"/assistants")
    _check(rec.differences(listed["data"][0], _dict(page.data[0]), "assistant"))
    assert page.data[0].id == tagged.id

    deleted = client.beta.assistants.delete(created.id)
    _check(rec.differences(rec.dotnet_body(ASSISTANTS, "DELETE", r"/assistants/asst_\w+"), _dict(deleted), "deleted"))


def test_function_tool_assistant_matches_recording(client: compat.OpenAI) -> None:
    """``StreamingToolCall`` and ``FunctionToolsWork``: function tools with and without ``parameters``."""
    for name in ("AssistantsTests_StreamingToolCall", FUNCTIONS):
        request = next(e["RequestBody"] for e in rec.dotnet_entries(name) if e["RequestUri"].endswith("/assistants"))
        assistant = client.beta.assistants.create(**request)
        _check(rec.differences(rec.dotnet_body(name, "POST", r"/assistants"), _dict(assistant), "assistant"))


def test_thread_objects_match_recording(client: compat.OpenAI) -> None:
    """``BasicMessageOperationsWork`` / ``BasicThreadOperationsWork``: create, retrieve, delete."""
    thread = client.beta.threads.create()
    _check(rec.differences(rec.dotnet_body(MESSAGES, "POST", r"/threads"), _dict(thread), "thread"))
    retrieved = client.beta.threads.retrieve(thread.id)
    _check(rec.differences(rec.dotnet_body(MESSAGES, "POST", r"/threads"), _dict(retrieved), "thread"))
    deleted = client.beta.threads.delete(thread.id)
    recorded = rec.dotnet_body("AssistantsTests_BasicThreadOperationsWork", "DELETE", r"/threads/thread_\w+")
    _check(rec.differences(recorded, _dict(deleted), "deleted"))


def test_message_objects_match_recording(client: compat.OpenAI) -> None:
    """``BasicMessageOperationsWork``: create, delete, create with metadata, retrieve, list.

    The recorded ``modify`` answer is left out: it carries the v1 ``file_ids`` instead of ``attachments``,
    unlike every other message of the same recording.
    """
    thread = client.beta.threads.create()
    first = client.beta.threads.messages.create(thread.id, role="user", content="Hello, world!")
    recorded = rec.dotnet_body(MESSAGES, "POST", r"/messages")
    _check(rec.without_accepted(rec.differences(recorded, _dict(first), "message"), ACCEPTED_MESSAGE))
    deleted = client.beta.threads.messages.delete(first.id, thread_id=thread.id)
    recorded = rec.dotnet_body(MESSAGES, "DELETE", r"/messages/msg_\w+")
    _check(rec.differences(recorded, _dict(deleted), "deleted"))

    metadata = {"messageMetadata": "messageMetadataValue"}
    second = client.beta.threads.messages.create(thread.id, role="user", content="Goodbye, world!", metadata=metadata)
    recorded = rec.dotnet_body(MESSAGES, "GET", r"/messages/msg_\w+")
    retrieved = client.beta.threads.messages.retrieve(second.id, thread_id=thread.id)
    _check(rec.without_accepted(rec.differences(recorded, _dict(retrieved), "message"), ACCEPTED_MESSAGE))
    client.beta.threads.messages.update(second.id, thread_id=thread.id, metadata={"messageMetadata": "newValue"})
    recorded = rec.dotnet_body(MESSAGES, "GET", r"/messages")["data"][0]
    listed = client.beta.threads.messages.list(thread.id).data
    _check(rec.without_accepted(rec.differences(recorded, _dict(listed[0]), "message"), ACCEPTED_MESSAGE))


def test_function_run_objects_match_recording(client: compat.OpenAI, emulator: Emulator) -> None:
    """``FunctionToolsWork``: ``create_and_run`` to ``requires_action``, ``submit_tool_outputs`` to
    ``completed``, then the messages.

    The legacy ``create`` answered ``queued`` and the test polled; the shim answers once the model turn
    is done, so each answer is compared with the recorded poll in the same status.
    """
    entries = rec.dotnet_entries(FUNCTIONS)
    runs = {run["status"]: run for run in rec.dotnet_objects(FUNCTIONS, "thread.run")}
    pending = runs["requires_action"]["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    answer = rec.dotnet_body(FUNCTIONS, "GET", r"/messages")["data"][0]
    emulator.queue(
        Turn.function_calls((pending["function"]["name"], pending["function"]["arguments"])),
        Turn.text(answer["content"][0]["text"]["value"]),
    )
    request = next(e["RequestBody"] for e in entries if e["RequestUri"].endswith("/assistants"))
    assistant = client.beta.assistants.create(**request)

    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "What should I eat on Thursday?"}]},
    )
    _check(rec.differences(runs["requires_action"], _dict(run), "run"))
    retrieved = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
    _check(rec.differences(runs["requires_action"], _dict(retrieved), "run"))

    assert run.required_action is not None
    outputs: Any = [{"tool_call_id": run.required_action.submit_tool_outputs.tool_calls[0].id, "output": "tacos"}]
    done = client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=run.thread_id, tool_outputs=outputs)
    _check(rec.differences(runs["completed"], _dict(done), "run"))
    listed = client.beta.threads.runs.list(run.thread_id).data
    _check(rec.differences(runs["completed"], _dict(listed[0]), "run"))

    messages = client.beta.threads.messages.list(run.thread_id, order="desc").data
    _check(rec.without_accepted(rec.differences(answer, _dict(messages[0]), "message"), ACCEPTED_MESSAGE))


def test_run_step_objects_match_recording(client: compat.OpenAI, emulator: Emulator) -> None:
    """Both step types from ``steps.list``.

    References: the ``message_creation`` step listed in ``BasicRunStepFunctionalityWorks`` and, as no
    recording lists a function ``tool_calls`` step, the one ``thread.run.step.completed`` of
    ``StreamingToolCall`` carried after its outputs were submitted.
    """
    steps = rec.dotnet_body("AssistantsTests_BasicRunStepFunctionalityWorks", "GET", r"/steps")["data"]
    message_step = next(s for s in steps if s["type"] == "message_creation")
    streamed = rec.dotnet_stream("AssistantsTests_StreamingToolCall", r"/submit_tool_outputs")
    tool_step = next(d for n, d in streamed if n == "thread.run.step.completed")
    function = tool_step["step_details"]["tool_calls"][0]["function"]
    emulator.queue(Turn.function_calls((function["name"], function["arguments"])), Turn.text("Wear shorts."))
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])
    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "What should I wear?"}]}
    )
    assert run.required_action is not None
    outputs: Any = [
        {"tool_call_id": run.required_action.submit_tool_outputs.tool_calls[0].id, "output": function["output"]}
    ]
    client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=run.thread_id, tool_outputs=outputs)

    listed = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id, order="asc").data
    assert [s.type for s in listed] == ["tool_calls", "message_creation"]
    _check(rec.without_accepted(rec.differences(tool_step, _dict(listed[0]), "step"), ACCEPTED_STEP))
    _check(rec.without_accepted(rec.differences(message_step, _dict(listed[1]), "step"), ACCEPTED_STEP))


# --- single fields ---------------------------------------------------------------------------------


def _incomplete_stream(client: compat.OpenAI, emulator: Emulator) -> list[tuple[str, Any]]:
    emulator.queue(Turn.incomplete("max_output_tokens", text="Sure, I can help with writing Ruby code."))
    assistant = client.beta.assistants.create(model="gpt-4", instructions="You are a Ruby dev bot.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hello?"}])
    stream = client.beta.threads.runs.create(
        thread_id=thread.id, assistant_id=assistant.id, max_completion_tokens=16, stream=True
    )
    return _events(stream)


def test_usage_carries_token_details(client: compat.OpenAI, emulator: Emulator) -> None:
    """Run and step ``usage`` carry ``prompt_token_details`` and ``completion_tokens_details``, also as stored."""
    recorded = _recorded(rec.dotnet_stream("AssistantsTests_StreamingRunWorks", r"/runs"))
    emulator.queue(Turn.text("Hello!"))
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hello there!"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    retrieved = client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    step = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data[0]
    run_usage = next(d for n, d in recorded if n == "thread.run.completed")["usage"]
    step_usage = next(d for n, d in recorded if n == "thread.run.step.completed")["usage"]
    assert rec.differences(run_usage, _dict(run)["usage"], "run.usage") == []
    assert rec.differences(run_usage, _dict(retrieved)["usage"], "run.usage") == []
    assert rec.differences(step_usage, _dict(step)["usage"], "step.usage") == []


def test_a_run_reports_usage_once_ended(client: compat.OpenAI, emulator: Emulator) -> None:
    """``usage`` is null while the run waits for tool outputs, then summed over both of its responses."""
    emulator.queue(
        Turn.function_calls(("get_current_weather", "{}"), usage=Usage(20, 5, reasoning_tokens=2, cached_tokens=8)),
        Turn.text("Wear shorts.", usage=Usage(30, 7, reasoning_tokens=1, cached_tokens=16)),
    )
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])
    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "What should I wear?"}]}
    )
    recorded = next(r for r in rec.dotnet_objects(FUNCTIONS, "thread.run") if r["status"] == "requires_action")
    assert (run.status, run.usage) == ("requires_action", recorded["usage"])

    assert run.required_action is not None
    outputs: Any = [{"tool_call_id": run.required_action.submit_tool_outputs.tool_calls[0].id, "output": "warm"}]
    done = client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=run.thread_id, tool_outputs=outputs)
    assert _dict(done)["usage"] == {
        "prompt_tokens": 50,
        "completion_tokens": 12,
        "total_tokens": 62,
        "prompt_token_details": {"cached_tokens": 24},
        "completion_tokens_details": {"reasoning_tokens": 3},
    }
    assert _dict(client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id))["usage"] == _dict(done)["usage"]


def test_a_function_without_parameters_gets_the_empty_schema(client: compat.OpenAI) -> None:
    recorded = rec.dotnet_body("AssistantsTests_StreamingToolCall", "POST", r"/assistants")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])
    assert _dict(assistant)["tools"] == recorded["tools"]


def test_a_run_function_without_parameters_gets_the_empty_schema(client: compat.OpenAI, emulator: Emulator) -> None:
    """Tools given to the run replace the assistant's; the run shows them as the legacy API stored them."""
    stream = rec.dotnet_stream("AssistantsTests_StreamingToolCall", r"/threads/runs")
    recorded = next(d for n, d in stream if n == "thread.run.created")
    emulator.queue(Turn.text("Hello!"))
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "What is the weather?"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, tools=[WEATHER_TOOL])
    assert _dict(run)["tools"] == recorded["tools"]


def test_an_incomplete_message_step_completes(client: compat.OpenAI, emulator: Emulator) -> None:
    events = _incomplete_stream(client, emulator)
    step = next(d for n, d in events if n.startswith("thread.run.step.") and d["status"] != "in_progress")
    assert (step["status"], step["failed_at"]) == ("completed", None)


def test_an_incomplete_message_says_why(client: compat.OpenAI, emulator: Emulator) -> None:
    events = _incomplete_stream(client, emulator)
    message = next(d for n, d in events if n == "thread.message.incomplete")
    assert message["incomplete_details"] == {"reason": "max_tokens"}


def test_an_incomplete_run_has_completed_at(client: compat.OpenAI, emulator: Emulator) -> None:
    events = _incomplete_stream(client, emulator)
    run = events[-1][1]
    assert run["status"] == "incomplete"
    assert run["completed_at"] is not None
