"""Runs with the built-in tools, as legacy code uses them, offline over the emulator.

- the cookbook's retrieval flow: upload, vector store, assistant with ``file_search``, a question, an answer
  whose citation markers the code replaces in place, the step with its results (content only with
  ``include``);
- a code interpreter flow that draws a chart and downloads it by the file id the message shows;
- a built-in call beside a function call: the run waits on the function call's step;
- streamed and polled runs leave the same objects.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import httpx2
import pytest
from openai.types.beta import AssistantStreamEvent

import compat
from compat.emulator import Emulator, EmulatorTransport, FileCitation, FunctionCall, Turn, counter_ids, fixed_clock

from .conftest import prefix_ids

CONTENT: Any = ["step_details.tool_calls[*].file_search.results[*].content"]
POLICY = "The warranty lasts two years from the date of purchase. Returns are accepted within 30 days."
PNG = b"\x89PNG\r\n\x1a\nchart-bytes"


def make_client(emulator: Emulator, path: Path) -> compat.OpenAI:
    client = compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=f"sqlite:///{path}",
    )
    client.compat_context.ids = prefix_ids()
    client.compat_context.clock = fixed_clock()
    return client


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


@pytest.fixture
def client(emulator: Emulator, tmp_path: Path) -> compat.OpenAI:
    return make_client(emulator, tmp_path / "state.db")


def model_requests(emulator: Emulator) -> list[dict[str, Any]]:
    return [r.json for r in emulator.requests if r.method == "POST" and r.path == "/responses"]


def retrieval_setup(client: compat.OpenAI) -> tuple[str, str, str]:
    """The cookbook's setup: the policy uploaded into a vector store, an assistant searching it, a question."""
    vector_store = client.beta.vector_stores.create(name="Policies")
    client.beta.vector_stores.files.upload_and_poll(vector_store_id=vector_store.id, file=("policy.txt", POLICY))
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        instructions="Answer from the policy.",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [vector_store.id]}},
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "How long does the warranty last?"}])
    return vector_store.id, assistant.id, thread.id


def test_the_cookbook_retrieval_flow(client: compat.OpenAI, emulator: Emulator) -> None:
    vector_store_id, assistant_id, thread_id = retrieval_setup(client)
    file_id = client.vector_stores.files.list(vector_store_id).data[0].id
    emulator.queue(Turn.file_search(answer="The warranty lasts two years."))

    run = client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id)
    assert run.status == "completed"

    (request,) = model_requests(emulator)
    assert request["tools"] == [{"type": "file_search", "vector_store_ids": [vector_store_id]}]
    assert request["include"] == ["file_search_call.results"]

    message = client.beta.threads.messages.list(thread_id, limit=1).data[0]
    text = message.content[0]
    assert text.type == "text"
    marker = "【4:0†policy.txt】"
    assert text.text.value == f"The warranty lasts two years{marker}."
    (annotation,) = text.text.annotations
    assert annotation.model_dump() == {
        "type": "file_citation",
        "text": marker,
        "start_index": 28,
        "end_index": 28 + len(marker),
        "file_citation": {"file_id": file_id},
    }
    # the cookbook's own code: each marker replaced in place by a footnote
    value = text.text.value
    citations: list[str] = []
    for index, cited in enumerate(text.text.annotations):
        value = value.replace(cited.text, f"[{index}]")
        if cited.type == "file_citation":
            citations.append(f"[{index}] {client.files.retrieve(cited.file_citation.file_id).filename}")
    assert (value, citations) == ("The warranty lasts two years[0].", ["[0] policy.txt"])

    search_step, message_step = client.beta.threads.runs.steps.list(run.id, thread_id=thread_id, order="asc").data
    assert message_step.step_details.type == "message_creation"
    assert message_step.step_details.message_creation.message_id == message.id
    details = search_step.step_details
    assert details.type == "tool_calls"
    (call,) = details.tool_calls
    assert call.type == "file_search"
    assert call.file_search.model_dump(exclude_none=True) == {
        "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0},
        "results": [{"file_id": file_id, "file_name": "policy.txt", "score": 0.3333, "attributes": {}}],
    }
    with_content = client.beta.threads.runs.steps.retrieve(
        search_step.id, thread_id=thread_id, run_id=run.id, include=CONTENT
    )
    assert with_content.step_details.type == "tool_calls"
    (found,) = with_content.step_details.tool_calls
    assert found.type == "file_search" and found.file_search.results is not None
    assert [c.model_dump() for c in found.file_search.results[0].content or []] == [{"type": "text", "text": POLICY}]


def test_streamed_and_polled_retrieval_runs_leave_the_same_objects(tmp_path: Path) -> None:
    seen: list[tuple[list[Any], list[Any], list[str]]] = []
    for streamed in (False, True):
        emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
        client = make_client(emulator, tmp_path / f"{streamed}.db")
        _, assistant_id, thread_id = retrieval_setup(client)
        emulator.queue(Turn.file_search(answer="The warranty lasts two years."))
        events: list[AssistantStreamEvent] = []
        if streamed:
            with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id) as stream:
                events = list(stream)
            run_id = stream.get_final_run().id
        else:
            run_id = client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id).id
        steps = client.beta.threads.runs.steps.list(run_id, thread_id=thread_id, include=CONTENT).data
        messages = client.beta.threads.messages.list(thread_id).data
        seen.append(([s.model_dump() for s in steps], [m.model_dump() for m in messages], [e.event for e in events]))
    (polled_steps, polled_messages, _), (streamed_steps, streamed_messages, events) = seen
    assert (streamed_steps, streamed_messages) == (polled_steps, polled_messages)
    assert events[:8] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.step.completed",
        "thread.run.step.created",
    ]


def test_streamed_steps_show_result_content_only_when_asked(client: compat.OpenAI, emulator: Emulator) -> None:
    _, assistant_id, thread_id = retrieval_setup(client)
    emulator.queue(Turn.file_search(answer="Two years."), Turn.file_search(answer="Two years."))
    contents: list[list[Any]] = []
    for include in ([], CONTENT):
        with client.beta.threads.runs.stream(thread_id=thread_id, assistant_id=assistant_id, include=include) as stream:
            completed = [e.data for e in stream if e.event == "thread.run.step.completed"]
        details = completed[0].step_details
        assert details.type == "tool_calls" and details.tool_calls[0].type == "file_search"
        results = details.tool_calls[0].file_search.results or []
        contents.append([r.content for r in results])
    assert contents[0] == [None]
    assert [[part.model_dump() for part in content or []] for content in contents[1]] == [
        [{"type": "text", "text": POLICY}]
    ]


def test_a_chart_drawn_by_the_code_interpreter_is_downloaded_by_its_file_id(
    client: compat.OpenAI, emulator: Emulator
) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Plot y = x^2"}])
    emulator.queue(
        Turn.code_interpreter(
            code="plt.plot(x, x**2)\nplt.savefig('/mnt/data/chart.png')",
            logs="saved",
            image=("chart.png", PNG),
            files=[("data.csv", b"x,y\n1,1\n")],
            answer="Here is the chart. Data: [data.csv](sandbox:/mnt/data/data.csv)",
        )
    )

    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)

    assert run.status == "completed"
    assert model_requests(emulator)[0]["include"] == ["code_interpreter_call.outputs"]
    code_step = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data[0]
    assert code_step.step_details.type == "tool_calls"
    (call,) = code_step.step_details.tool_calls
    assert call.type == "code_interpreter"
    assert call.code_interpreter.input == "plt.plot(x, x**2)\nplt.savefig('/mnt/data/chart.png')"
    image, logs = call.code_interpreter.outputs  # in the order the call gave them: the chart, then its logs
    assert logs.type == "logs" and logs.logs == "saved"
    assert image.type == "image" and image.image.file_id.startswith("cfile_")

    message = client.beta.threads.messages.list(thread.id, limit=1).data[0]
    kinds = [part.type for part in message.content]
    assert kinds == ["text", "image_file"]
    shown = message.content[1]
    assert shown.type == "image_file" and shown.image_file.file_id == image.image.file_id
    # legacy code downloads the chart and the file by the ids the objects show
    assert client.files.content(shown.image_file.file_id).read() == PNG
    chart = client.files.retrieve(shown.image_file.file_id)
    assert (chart.object, chart.filename, chart.bytes, chart.purpose) == (
        "file",
        "chart.png",
        len(PNG),
        "assistants_output",
    )
    raw = client.files.with_raw_response.retrieve(shown.image_file.file_id)
    assert (raw.status_code, raw.parse()) == (200, chart)
    with client.files.with_streaming_response.retrieve(shown.image_file.file_id) as streamed:
        assert streamed.parse() == chart
    assert client.files.with_raw_response.content(shown.image_file.file_id).parse().read() == PNG
    text = message.content[0]
    assert text.type == "text"
    (link,) = text.text.annotations
    assert link.type == "file_path" and link.text == "sandbox:/mnt/data/data.csv"
    assert client.files.content(link.file_path.file_id).read() == b"x,y\n1,1\n"


def test_a_builtin_call_beside_a_function_call_waits_on_the_function_step(
    client: compat.OpenAI, emulator: Emulator
) -> None:
    _, _, thread_id = retrieval_setup(client)
    lookup: Any = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    vector_store_id = client.vector_stores.list().data[0].id
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}, lookup],
        tool_resources={"file_search": {"vector_store_ids": [vector_store_id]}},
    )
    searching = Turn.file_search(answer="Let me check the order too.")
    emulator.queue(
        dataclasses.replace(searching, calls=(FunctionCall(name="lookup", arguments="{}", call_id="call_1"),)),
        Turn.text("Two years, and your order is fine."),
    )

    run = client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    assert run.required_action is not None
    assert [c.id for c in run.required_action.submit_tool_outputs.tool_calls] == ["call_1"]
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread_id, tool_outputs=[{"tool_call_id": "call_1", "output": "ok"}]
    )
    assert run.status == "completed"
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread_id, order="asc").data
    kinds = [
        (s.type, s.status, [c.type for c in s.step_details.tool_calls] if s.step_details.type == "tool_calls" else [])
        for s in steps
    ]
    assert kinds == [
        ("tool_calls", "completed", ["file_search"]),
        ("message_creation", "completed", []),
        ("tool_calls", "completed", ["function"]),
        ("message_creation", "completed", []),
    ]
    function_step = steps[2].step_details
    assert function_step.type == "tool_calls" and function_step.tool_calls[0].type == "function"
    assert function_step.tool_calls[0].function.output == "ok"


def test_citations_the_model_places_are_kept_in_order(client: compat.OpenAI, emulator: Emulator) -> None:
    _, assistant_id, thread_id = retrieval_setup(client)
    file_id = client.files.list().data[0].id
    emulator.queue(
        Turn.file_search(
            answer="Two years. Thirty days.",
            citations=[FileCitation(file_id, index=9), FileCitation(file_id, index=22)],
        )
    )
    client.beta.threads.runs.create_and_poll(thread_id=thread_id, assistant_id=assistant_id)
    text = client.beta.threads.messages.list(thread_id, limit=1).data[0].content[0]
    assert text.type == "text"
    assert text.text.value == "Two years【4:0†policy.txt】. Thirty days【4:1†policy.txt】."
    spans = [(a.start_index, a.end_index, a.text) for a in text.text.annotations]
    assert [text.text.value[start:end] for start, end, _ in spans] == [marker for _, _, marker in spans]
