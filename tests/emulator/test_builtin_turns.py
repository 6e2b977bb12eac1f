"""Built-in tool turns (file_search, code_interpreter) through the real SDK: items, include, containers, scripts."""

from __future__ import annotations

import base64
from typing import Any

import openai
import pytest

from compat.emulator import (
    Emulator,
    FileCitation,
    FileSearchResult,
    ScriptError,
    Turn,
    turns_from_script,
)
from compat.emulator._model import tiny_png

FOODS = b"Travis's favorite food is pizza. Ann prefers soup on cold days."
CSV = b"x,y\n1,2\n2,4\n"
PNG = tiny_png()


def _output(response: Any) -> list[dict[str, Any]]:
    return [item.model_dump(exclude_unset=True) for item in response.output]


def _store(client: openai.OpenAI, data: bytes = FOODS, filename: str = "foods.txt") -> tuple[str, str]:
    """An uploaded file in a new vector store: (file id, vector store id)."""
    file_id = client.files.create(file=(filename, data), purpose="assistants").id
    return file_id, client.vector_stores.create(file_ids=[file_id]).id


def _events(client: openai.OpenAI, **params: Any) -> list[dict[str, Any]]:
    stream = client.responses.create(model="gpt-4o-mini", stream=True, **params)
    return [event.model_dump(exclude_unset=True) for event in stream]


def _message(item_id: str, text: str, annotations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "message",
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "annotations": annotations, "logprobs": [], "text": text}],
    }


# -- file_search ---------------------------------------------------------------------------------------


def test_file_search_turn_with_results_included(client: openai.OpenAI, emulator: Emulator) -> None:
    file_id, store_id = _store(client)
    emulator.queue(Turn.file_search(queries=["Travis favorite food"], answer="Travis's favorite food is pizza."))

    response = client.responses.create(
        model="gpt-4o-mini",
        input="Using the file search tool, what's Travis's favorite food?",
        tools=[{"type": "file_search", "vector_store_ids": [store_id]}],
        include=["file_search_call.results"],
    )

    assert _output(response) == [
        {
            "id": "fs_0005",
            "type": "file_search_call",
            "status": "completed",
            "queries": ["Travis favorite food"],
            "results": [
                {
                    "attributes": {},
                    "file_id": file_id,
                    "filename": "foods.txt",
                    "score": 1.0,
                    "text": FOODS.decode(),
                    "vector_store_id": store_id,
                }
            ],
        },
        _message(
            "msg_0006",
            "Travis's favorite food is pizza.",
            [{"type": "file_citation", "file_id": file_id, "filename": "foods.txt", "index": 31}],
        ),
    ]
    assert response.tools[0].model_dump(exclude_unset=True) == {
        "type": "file_search",
        "filters": None,
        "max_num_results": 20,
        "ranking_options": {"ranker": "auto", "score_threshold": 0.0},
        "vector_store_ids": [store_id],
    }


def test_file_search_results_are_null_unless_included(client: openai.OpenAI, emulator: Emulator) -> None:
    file_id, store_id = _store(client)
    emulator.queue(Turn.file_search(answer="Pizza.", citations=[FileCitation(file_id, index=0)]))

    response = client.responses.create(
        model="gpt-4o-mini",
        input="What does Travis eat?",
        tools=[{"type": "file_search", "vector_store_ids": [store_id]}],
    )

    search, message = _output(response)
    assert search == {
        "id": search["id"],
        "type": "file_search_call",
        "status": "completed",
        "queries": ["What does Travis eat?"],  # the user's message when no query is scripted
        "results": None,
    }
    assert message["content"][0]["annotations"] == [
        {"type": "file_citation", "file_id": file_id, "filename": "foods.txt", "index": 0}
    ]


def test_scripted_results_and_citations_need_no_library(client: openai.OpenAI, emulator: Emulator) -> None:
    result = FileSearchResult("file-x", "notes.md", "The launch is on Monday.", score=0.87, attributes={"k": "v"})
    emulator.queue(
        Turn.file_search(
            queries=["launch day"],
            answer="The launch is on Monday, per the notes.",
            results=[result],
            citations=["file-x", FileCitation("file-y", filename="plan.md", index=24)],
        )
    )

    response = client.responses.create(
        model="gpt-4o",
        input="When is the launch?",
        tools=[{"type": "file_search", "vector_store_ids": ["vs_scripted"], "max_num_results": 3}],
        include=["file_search_call.results"],
    )

    search, message = _output(response)
    assert search["results"] == [
        {
            "attributes": {"k": "v"},
            "file_id": "file-x",
            "filename": "notes.md",
            "score": 0.87,
            "text": "The launch is on Monday.",
            "vector_store_id": "vs_scripted",
        }
    ]
    assert message["content"][0]["annotations"] == [
        {"type": "file_citation", "file_id": "file-y", "filename": "plan.md", "index": 24},
        {"type": "file_citation", "file_id": "file-x", "filename": "notes.md", "index": 38},
    ]
    assert response.tools[0].model_dump()["max_num_results"] == 3


def test_file_search_stream_places_the_citation_in_the_text(client: openai.OpenAI, emulator: Emulator) -> None:
    file_id, store_id = _store(client)
    emulator.queue(Turn.file_search(queries=["Travis food"], answer="Travis's favorite food is pizza."))

    events = _events(
        client, input="What's Travis's favorite food?", tools=[{"type": "file_search", "vector_store_ids": [store_id]}]
    )

    where = {"item_id": "fs_0005", "output_index": 0}
    assert events[2:7] == [
        {
            "type": "response.output_item.added",
            "sequence_number": 2,
            "output_index": 0,
            "item": {
                "id": "fs_0005",
                "type": "file_search_call",
                "status": "in_progress",
                "queries": [],
                "results": None,
            },
        },
        {"type": "response.file_search_call.in_progress", "sequence_number": 3, **where},
        {"type": "response.file_search_call.searching", "sequence_number": 4, **where},
        {"type": "response.file_search_call.completed", "sequence_number": 5, **where},
        {
            "type": "response.output_item.done",
            "sequence_number": 6,
            "output_index": 0,
            "item": {
                "id": "fs_0005",
                "type": "file_search_call",
                "status": "completed",
                "queries": ["Travis food"],
                "results": None,
            },
        },
    ]
    text = [e for e in events if e["type"] in ("response.output_text.delta", "response.output_text.annotation.added")]
    assert [e.get("delta", "<citation>") for e in text] == [
        "Travis",
        "'",
        "s",
        " favorite",
        " food",
        " is",
        " pizza",
        "<citation>",
        ".",
    ]
    assert text[7] == {
        "type": "response.output_text.annotation.added",
        "sequence_number": text[7]["sequence_number"],
        "item_id": "msg_0006",
        "output_index": 1,
        "content_index": 0,
        "annotation_index": 0,
        "annotation": {"type": "file_citation", "file_id": file_id, "filename": "foods.txt", "index": 31},
    }
    assert events[-1]["response"]["output"][1]["content"][0]["annotations"] == [text[7]["annotation"]]


# -- code_interpreter ----------------------------------------------------------------------------------


def test_code_interpreter_turn_with_outputs_included(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(
        Turn.code_interpreter(
            code="plt.plot(x, y); plt.savefig('/mnt/data/plot.png'); plt.show()",
            logs="saved",
            image=("chart.png", PNG),
            files=[("plot.png", PNG), ("data.csv", CSV)],
            answer="Here it is: [plot](sandbox:/mnt/data/plot.png)",
        )
    )

    response = client.responses.create(
        model="gpt-4o-mini",
        input="Plot y = 2x",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
        include=["code_interpreter_call.outputs"],
    )

    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert _output(response) == [
        {
            "id": "ci_0004",
            "type": "code_interpreter_call",
            "status": "completed",
            "code": "plt.plot(x, y); plt.savefig('/mnt/data/plot.png'); plt.show()",
            "container_id": "cntr_0003",
            "outputs": [{"type": "image", "url": url}, {"type": "logs", "logs": "saved"}],
        },
        _message(
            "msg_0008",
            "Here it is: [plot](sandbox:/mnt/data/plot.png)",
            [
                {
                    "type": "container_file_citation",
                    "container_id": "cntr_0003",
                    "end_index": 0,
                    "file_id": "cfile_0005",
                    "filename": "chart.png",
                    "start_index": 0,
                },
                {
                    "type": "container_file_citation",
                    "container_id": "cntr_0003",
                    "end_index": 45,
                    "file_id": "cfile_0006",
                    "filename": "plot.png",
                    "start_index": 19,
                },
            ],
        ),
    ]
    # data.csv is in the container but not cited: the answer does not link it.
    files = client.containers.files.list("cntr_0003")
    assert [(f.id, f.path, f.source, f.bytes) for f in files.data] == [
        ("cfile_0007", "/mnt/data/data.csv", "assistant", len(CSV)),
        ("cfile_0006", "/mnt/data/plot.png", "assistant", len(PNG)),
        ("cfile_0005", "/mnt/data/chart.png", "assistant", len(PNG)),
    ]
    assert client.containers.files.content.retrieve("cfile_0006", container_id="cntr_0003").read() == PNG
    assert client.containers.files.content.retrieve("cfile_0007", container_id="cntr_0003").read() == CSV


def test_code_interpreter_outputs_are_null_unless_included(client: openai.OpenAI, emulator: Emulator) -> None:
    container = client.containers.create(name="mine").id
    emulator.queue(Turn.code_interpreter(code="2 + 2", logs="4", answer="It is 4."))

    response = client.responses.create(
        model="gpt-4o-mini", input="What is 2 + 2?", tools=[{"type": "code_interpreter", "container": container}]
    )

    call, message = _output(response)
    assert call == {
        "id": call["id"],
        "type": "code_interpreter_call",
        "status": "completed",
        "code": "2 + 2",
        "container_id": container,
        "outputs": None,
    }
    assert message["content"][0]["annotations"] == []


def test_auto_container_gets_the_uploaded_files(client: openai.OpenAI, emulator: Emulator) -> None:
    file_id = client.files.create(file=("data.csv", CSV), purpose="assistants").id
    emulator.queue(Turn.code_interpreter(code="pd.read_csv('data.csv')", answer="Loaded."))

    response = client.responses.create(
        model="gpt-4o-mini",
        input="Load the CSV",
        tools=[{"type": "code_interpreter", "container": {"type": "auto", "file_ids": [file_id]}}],
    )

    container = _output(response)[0]["container_id"]
    files = client.containers.files.list(container)
    assert [(f.path, f.source) for f in files.data] == [("/mnt/data/data.csv", "user")]


def test_container_of_the_tool_must_exist(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(Turn.code_interpreter(code="1", answer="1"))
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(
            model="gpt-4o-mini", input="x", tools=[{"type": "code_interpreter", "container": "cntr_missing"}]
        )
    assert caught.value.body == {
        "message": "Container with id 'cntr_missing' not found.",
        "type": "invalid_request_error",
        "param": "tools[0].container",
        "code": None,
    }
    assert emulator.pending_turns == 1  # the request was rejected before a turn was played


def test_auto_container_with_an_unknown_file_fails_when_code_runs(client: openai.OpenAI, emulator: Emulator) -> None:
    tools: Any = [{"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["file-nope"]}}]
    assert client.responses.create(model="gpt-4o-mini", input="Hello", tools=tools).output_text == "You said: Hello"
    emulator.queue(Turn.code_interpreter(code="1", answer="1"))
    with pytest.raises(openai.NotFoundError, match="No such File object: file-nope"):
        client.responses.create(model="gpt-4o-mini", input="x", tools=tools)


def test_code_interpreter_tool_needs_a_container(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.responses.create(model="gpt-4o-mini", input="x", tools=[{"type": "code_interpreter"}])  # type: ignore[typeddict-item]
    assert caught.value.body == {
        "message": "Missing required parameter: 'tools[0].container'.",
        "type": "invalid_request_error",
        "param": "tools[0].container",
        "code": "missing_required_parameter",
    }


def test_code_interpreter_stream(client: openai.OpenAI, emulator: Emulator) -> None:
    emulator.queue(
        Turn.code_interpreter(
            code="import math\nmath.factorial(5)", logs="120", image=("chart.png", PNG), answer="It is 120."
        )
    )

    events = _events(
        client,
        input="Calculate 5!",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
        include=["code_interpreter_call.outputs"],
    )

    where = {"item_id": "ci_0004", "output_index": 0}
    call_events = events[2:16]
    assert call_events[0]["item"] == {
        "id": "ci_0004",
        "type": "code_interpreter_call",
        "status": "in_progress",
        "code": "",
        "container_id": "cntr_0003",
        "outputs": [],
    }
    assert [(e["type"], e.get("delta")) for e in call_events[1:]] == [
        ("response.code_interpreter_call.in_progress", None),
        *[
            ("response.code_interpreter_call_code.delta", delta)
            for delta in ["import", " math", "\nmath", ".", "factorial", "(", "5", ")"]
        ],
        ("response.code_interpreter_call_code.done", None),
        ("response.code_interpreter_call.interpreting", None),
        ("response.code_interpreter_call.completed", None),
        ("response.output_item.done", None),
    ]
    assert call_events[10] == {
        "type": "response.code_interpreter_call_code.done",
        "sequence_number": 12,
        **where,
        "code": "import math\nmath.factorial(5)",
    }
    assert call_events[-1]["item"]["outputs"][1] == {"type": "logs", "logs": "120"}
    types = [e["type"] for e in events]
    # The image's citation comes after the last text delta, as the live service sends it.
    done = types.index("response.output_text.done")
    assert types[done - 2 : done + 1] == [
        "response.output_text.delta",
        "response.output_text.annotation.added",
        "response.output_text.done",
    ]
    assert events[done - 1]["annotation"]["start_index"] == events[done - 1]["annotation"]["end_index"] == 0


def test_builtin_items_are_kept_in_the_conversation_and_replayed(client: openai.OpenAI, emulator: Emulator) -> None:
    conversation = client.conversations.create().id
    emulator.queue(Turn.code_interpreter(code="1 + 1", answer="2"))
    first = client.responses.create(
        model="gpt-4o-mini",
        input="compute 1 + 1",
        conversation=conversation,
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
    )
    assert [i.type for i in client.conversations.items.list(conversation, order="asc")] == [
        "message",
        "code_interpreter_call",
        "message",
    ]

    replayed = client.responses.create(
        model="gpt-4o-mini",
        input=[
            {"role": "user", "content": "compute 1 + 1"},
            *[item.model_dump(exclude_unset=True) for item in first.output],  # type: ignore[misc]
            {"role": "user", "content": "thanks"},
        ],
    )
    assert replayed.output_text == "You said: thanks"
    inputs = client.responses.input_items.list(replayed.id, order="asc").data
    assert [i.type for i in inputs] == ["message", "code_interpreter_call", "message", "message"]


# -- the default model ---------------------------------------------------------------------------------


def test_default_model_answers_from_the_files(client: openai.OpenAI) -> None:
    file_id, store_id = _store(client)
    tools: Any = [{"type": "file_search", "vector_store_ids": [store_id]}]

    response = client.responses.create(model="gpt-4o-mini", input="What is Travis's favorite food?", tools=tools)

    search, message = _output(response)
    assert search["queries"] == ["What is Travis's favorite food?"]
    assert message["content"][0]["text"] == "Travis's favorite food is pizza."
    assert message["content"][0]["annotations"] == [
        {"type": "file_citation", "file_id": file_id, "filename": "foods.txt", "index": 31}
    ]
    unrelated = client.responses.create(model="gpt-4o-mini", input="Hello there", tools=tools)
    assert [item.type for item in unrelated.output] == ["message"]
    assert unrelated.output_text == "You said: Hello there"


def test_default_model_cites_each_file_that_answers(client: openai.OpenAI) -> None:
    foods, store_id = _store(client)
    drinks = client.files.create(file=("drinks.txt", b"Travis drinks tea every morning."), purpose="assistants").id
    client.vector_stores.files.create(store_id, file_id=drinks)
    tools: Any = [{"type": "file_search", "vector_store_ids": [store_id]}]

    response = client.responses.create(model="gpt-4o-mini", input="What does Travis like? Food or drinks?", tools=tools)

    message = _output(response)[1]["content"][0]
    assert message["text"] == "Travis's favorite food is pizza. Travis drinks tea every morning."
    assert message["annotations"] == [
        {"type": "file_citation", "file_id": foods, "filename": "foods.txt", "index": 31},
        {"type": "file_citation", "file_id": drinks, "filename": "drinks.txt", "index": 64},
    ]


@pytest.mark.parametrize(
    ("question", "code", "logs", "answer"),
    [
        ("Please calculate 12 * (3 + 4)", "12 * (3 + 4)", "84", "The result is 84."),
        ("compute 2^10", "2**10", "1024", "The result is 1024."),
        ("Run this in python", "print('Run this in python')", "Run this in python", None),
    ],
)
def test_default_model_runs_code(
    client: openai.OpenAI, question: str, code: str, logs: str, answer: str | None
) -> None:
    response = client.responses.create(
        model="gpt-4o-mini",
        input=question,
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
        include=["code_interpreter_call.outputs"],
    )

    call = _output(response)[0]
    assert (call["code"], call["outputs"]) == (code, [{"type": "logs", "logs": logs}])
    assert response.output_text == (answer or f"The code ran and printed: {question}")


def test_default_model_plots_a_chart(client: openai.OpenAI) -> None:
    response = client.responses.create(
        model="gpt-4o-mini",
        input="Plot y = x^2",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
    )

    call, message = _output(response)
    assert call["outputs"] is None
    assert message["content"][0]["text"] == "Here is the chart."
    [citation] = message["content"][0]["annotations"]
    assert (citation["filename"], citation["start_index"], citation["end_index"]) == ("chart.png", 0, 0)
    shown = client.containers.files.content.retrieve(citation["file_id"], container_id=call["container_id"])
    assert shown.read() == PNG


def test_default_model_without_a_code_request_or_with_tool_choice_none(client: openai.OpenAI) -> None:
    tools: Any = [{"type": "code_interpreter", "container": {"type": "auto"}}]
    plain = client.responses.create(model="gpt-4o-mini", input="Hello", tools=tools)
    assert plain.output_text == "You said: Hello"
    refused = client.responses.create(model="gpt-4o-mini", input="calculate 1 + 2", tools=tools, tool_choice="none")
    assert refused.output_text == "You said: calculate 1 + 2"


# -- scripts -------------------------------------------------------------------------------------------


def test_script_builtin_kinds() -> None:
    image = base64.b64encode(PNG).decode()
    turns = turns_from_script(
        [
            {
                "file_search": {
                    "queries": ["food"],
                    "answer": "Pizza.",
                    "citations": ["file-a", {"file_id": "file-b", "filename": "b.txt", "index": 5}],
                    "results": [{"file_id": "file-a", "filename": "a.txt", "text": "pizza", "score": 0.5}],
                }
            },
            {"file_search": {"answer": "Nothing cited.", "citations": []}},
            {
                "code_interpreter": {
                    "code": "2 + 2",
                    "logs": "4",
                    "answer": "4",
                    "image": {"filename": "c.png", "data": image},
                    "files": [{"filename": "d.csv", "data": base64.b64encode(CSV).decode()}],
                }
            },
        ]
    )

    assert turns == [
        Turn.file_search(
            queries=["food"],
            answer="Pizza.",
            citations=["file-a", FileCitation("file-b", "b.txt", 5)],
            results=[FileSearchResult("file-a", "a.txt", "pizza", 0.5)],
        ),
        Turn.file_search(answer="Nothing cited.", citations=[]),
        Turn.code_interpreter(code="2 + 2", logs="4", answer="4", image=("c.png", PNG), files=[("d.csv", CSV)]),
    ]


@pytest.mark.parametrize(
    ("turn", "message"),
    [
        ({"file_search": "x"}, "turn 0: 'file_search' must be an object with 'answer', got the string 'x'"),
        ({"file_search": {}}, "turn 0: 'file_search.answer' must be a non-empty string, got null"),
        (
            {"file_search": {"answer": "a", "query": ["q"]}},
            "turn 0: unknown key 'query' in 'file_search' (it takes answer, queries, citations, results)",
        ),
        (
            {"file_search": {"answer": "a", "queries": "q"}},
            "turn 0: 'file_search.queries' must be a list, got the string 'q'",
        ),
        (
            {"file_search": {"answer": "a", "citations": [{"file_id": "f", "index": -1}]}},
            "turn 0: 'file_search.citations[0].index' must be a non-negative integer, got the number -1",
        ),
        (
            {"file_search": {"answer": "a", "results": [{"file_id": "f", "filename": "n"}]}},
            "turn 0: 'file_search.results[0].text' must be a non-empty string, got null",
        ),
        (
            {"file_search": {"answer": "a"}, "text": "b"},
            "turn 0: unknown key 'text' in a 'file_search' turn (it takes file_search)",
        ),
        (
            {"code_interpreter": {"answer": "a"}},
            "turn 0: 'code_interpreter.code' must be a non-empty string, got null",
        ),
        (
            {"code_interpreter": {"code": "1", "answer": "a", "logs": 1}},
            "turn 0: 'code_interpreter.logs' must be a string, got the number 1",
        ),
        (
            {"code_interpreter": {"code": "1", "answer": "a", "image": {"filename": "c.png", "data": "%%"}}},
            "turn 0: 'code_interpreter.image.data' is not valid base64",
        ),
        (
            {"code_interpreter": {"code": "1", "answer": "a", "files": [{"filename": "c.png"}]}},
            "turn 0: 'code_interpreter.files[0].data' must be the file's bytes in base64, got null",
        ),
        (
            {"code_interpreter": {"code": "1", "answer": "a"}, "file_search": {"answer": "a"}},
            "turn 0: a turn has exactly one of text, function_calls, refusal, incomplete, failure, file_search, "
            "code_interpreter; got file_search and code_interpreter together",
        ),
    ],
)
def test_script_bad_builtin_turns_are_named(turn: dict[str, Any], message: str) -> None:
    with pytest.raises(ScriptError) as caught:
        turns_from_script([turn])
    assert str(caught.value) == message
