"""Built-in tools (file search, code interpreter) translated from real Responses bodies to legacy objects.

The Responses side is read from ``shared/realwire/p7_builtin_tools``; the legacy objects are compared with
the real legacy ones in ``p8_legacy_builtin_tools`` and ``p6_legacy_assistants``.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, cast

import pytest
import yaml
from conftest import shared_path
from openai._models import construct_type
from openai.types.beta.threads import Message, Run, TextContentBlock
from openai.types.beta.threads.runs import RunStep
from openai.types.responses import Response, ResponseOutputMessage

from compat.translate import from_responses, to_responses

from ._runs import NOW, in_progress_run, message_dict, message_step, step_dict, usage_dict

CONTENT = from_responses.FILE_SEARCH_RESULT_CONTENT


def _run(tools: list[dict[str, Any]] | None = None) -> Run:
    return in_progress_run(tools)


RUN = _run([{"type": "file_search"}, {"type": "code_interpreter"}])

# -- reading the recordings -----------------------------------------------------------------------


def p7_response(name: str, *, nth: int = 0) -> dict[str, Any]:
    """The ``nth`` Responses body of a p7 recording (vercel JSON, pydantic-ai yaml or openai-dotnet JSON)."""
    path = shared_path("realwire", "p7_builtin_tools", name)
    if name.startswith("vercel-ai__"):
        return cast(dict[str, Any], json.loads(path.read_text()))
    if path.suffix == ".json":
        bodies = [entry["ResponseBody"] for entry in json.loads(path.read_text())["Entries"]]
    else:
        bodies = [i["response"].get("parsed_body") for i in yaml.safe_load(path.read_text())["interactions"]]
    responses = [b for b in bodies if isinstance(b, dict) and cast(dict[str, Any], b).get("object") == "response"]
    return cast(dict[str, Any], responses[nth])


def legacy_json(folder: str, name: str, uri_end: str) -> Any:
    """The first openai-dotnet response body in ``folder`` whose URI path ends with ``uri_end``."""
    entries = json.loads(shared_path("realwire", folder, name).read_text())["Entries"]
    return next(e["ResponseBody"] for e in entries if e["RequestUri"].split("?")[0].endswith(uri_end))


def response_of(body: dict[str, Any]) -> Response:
    """A response body as the SDK builds it (leniently: recordings predate fields the SDK now requires)."""
    return cast(Response, construct_type(type_=Response, value=body))


def steps_of(body: dict[str, Any], *, run: Run = RUN, include: tuple[str, ...] = ()) -> list[RunStep]:
    numbers = itertools.count(1)
    response = response_of(body)
    return from_responses.response_to_steps(
        run=run, response=response, new_step_id=lambda: f"step_{next(numbers)}", now=NOW, include=include
    )


def messages_of(body: dict[str, Any]) -> list[Message]:
    return [
        from_responses.output_message_to_message(
            item=item, thread_id="thread_1", run_id="run_1", assistant_id="asst_1", created_at=NOW
        )
        for item in response_of(body).output
        if isinstance(item, ResponseOutputMessage)
    ]


DEFAULT_RANKING = {"ranker": "default_2024_08_21", "score_threshold": 0.0}


# -- file search ----------------------------------------------------------------------------------

WITH_RESULTS = "pydantic-ai__test_openai_responses_model_file_search_tool_with_results.yaml"
PARIS = "Paris is the capital of France. It is known for the Eiffel Tower."


def _paris_call(content: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "file_id": "file-2b6dRdmXnzSrqiEbhVJZRU",
        "file_name": "tmpd_9a5dki.txt",
        "score": 0.9716,
        "content": [{"type": "text", "text": PARIS}] if content else None,
        "attributes": {},
    }
    return {
        "type": "tool_calls",
        "tool_calls": [
            {
                "id": "fs_08aa886305ae5628006939ad6cfa30819a85b07d52d61eb121",
                "type": "file_search",
                "file_search": {"ranking_options": DEFAULT_RANKING, "results": [result]},
            }
        ],
    }


def test_file_search_call_with_results_is_a_tool_step_before_the_message_step() -> None:
    """The recorded response asked for ``file_search_call.results``; the legacy include asked for content."""
    steps = steps_of(p7_response(WITH_RESULTS), include=(CONTENT,))

    assert [step.model_dump() for step in steps] == [
        step_dict("step_1", _paris_call(content=True), "completed"),
        # the response's usage goes on its message step: the built-in step ended before the response did
        message_step(
            "step_2", "msg_08aa886305ae5628006939ad6df868819a8b9a43fbf56f93da", "completed", usage_dict(1178, 45)
        ),
    ]


def test_file_search_results_without_content_unless_the_legacy_include_asks() -> None:
    steps = steps_of(p7_response(WITH_RESULTS))

    assert steps[0].model_dump() == step_dict("step_1", _paris_call(content=False), "completed")
    with_content = steps_of(p7_response(WITH_RESULTS), include=(CONTENT,))
    assert from_responses.step_for_include(with_content[0], include=()) == steps[0]
    assert from_responses.step_for_include(with_content[0], include=(CONTENT,)) == with_content[0]


def test_file_search_without_results_has_an_empty_result_list() -> None:
    """Without ``file_search_call.results`` the item's results are ``null``: the legacy list is empty."""
    body = p7_response("openai-dotnet__ResponsesToolTests_FileSearch.json")
    run = _run(
        [{"type": "file_search", "file_search": {"ranking_options": {"ranker": "auto", "score_threshold": 0.5}}}]
    )

    step = steps_of(body, run=run, include=(CONTENT,))[0]

    assert step.model_dump()["step_details"] == {
        "type": "tool_calls",
        "tool_calls": [
            {
                "id": "fs_07295d436a819e7400690d2180c95c8193ab7cbe79d087dba0",
                "type": "file_search",
                "file_search": {"ranking_options": {"ranker": "auto", "score_threshold": 0.5}, "results": []},
            }
        ],
    }


def test_citation_becomes_a_marker_in_the_text() -> None:
    [message] = messages_of(p7_response(WITH_RESULTS))
    marker = "【4:0†tmpd_9a5dki.txt】"

    assert message.model_dump() == message_dict(
        "msg_08aa886305ae5628006939ad6df868819a8b9a43fbf56f93da",
        "completed",
        [
            {
                "type": "text",
                "text": {
                    "value": f"The capital of France is Paris{marker}.",
                    "annotations": [
                        {
                            "type": "file_citation",
                            "text": marker,
                            "start_index": 30,
                            "end_index": 30 + len(marker),
                            "file_citation": {"file_id": "file-2b6dRdmXnzSrqiEbhVJZRU"},
                        }
                    ],
                },
            }
        ],
    )


def cookbook_citations(message: Message) -> tuple[str, list[str]]:
    """What the Assistants cookbook did with a message: each marker replaced in place by ``[i]``."""
    block = message.content[0]
    assert isinstance(block, TextContentBlock)
    value = block.text.value
    citations: list[str] = []
    for index, annotation in enumerate(block.text.annotations):
        assert value[annotation.start_index : annotation.end_index] == annotation.text
        value = value.replace(annotation.text, f"[{index}]")
        if annotation.type == "file_citation":
            citations.append(f"[{index}] {annotation.file_citation.file_id}")
    return value, citations


def test_two_citations_of_one_file_are_replaced_in_place() -> None:
    """Each citation has its own marker (``4:0``, ``4:1``), so each is replaced where it stands."""
    body = p7_response("vercel-ai__openai-file-search-tool.1.json")
    body["output"][3]["content"][0]["annotations"].append(
        {"type": "file_citation", "file_id": "file-other", "filename": "b.pdf", "index": 25}
    )
    [message] = messages_of(body)

    assert cookbook_citations(message) == (
        "According to the document[1], an embedding model is used to convert complex data (like words or images)"
        " into a dense vector (a list of numbers) representation called an embedding, which captures semantic and"
        " syntactic relationships. Unlike generative models, embedding models do not generate new text or data;"
        " instead, they provide these vector representations to be used as input for other models or other"
        " natural language processing tasks [0].",
        ["[0] file-Ebzhf8H4DPGPr9pUhr7n7v", "[1] file-other"],
    )
    block = message.content[0]
    assert isinstance(block, TextContentBlock)
    assert [(a.text, a.start_index, a.end_index) for a in block.text.annotations] == [
        ("【4:0†ai.pdf】", 438 + 11, 438 + 11 + 12),
        ("【4:1†b.pdf】", 25, 36),
    ]


def test_markers_at_one_index_and_spans_after_them_are_shifted() -> None:
    """Markers at one index go in annotation order; a span starting there follows them; ``file_path``
    points after them; a citation without a file name reads ``source``."""
    part = {
        "type": "output_text",
        "text": "See sandbox:/mnt/data/a.csv now",
        "logprobs": [],
        "annotations": [
            {"type": "file_citation", "file_id": "file-a", "filename": "a.txt", "index": 4},
            {
                "type": "container_file_citation",
                "container_id": "cntr_1",
                "file_id": "cfile_a",
                "filename": "a.csv",
                "start_index": 4,
                "end_index": 27,
            },
            {"type": "file_citation", "file_id": "file-b", "filename": None, "index": 4},
            {"type": "file_path", "file_id": "file-p", "index": 31},
            {"type": "url_citation", "url": "https://example.com", "title": "x", "start_index": 0, "end_index": 3},
        ],
    }
    body = _response([_message("msg_1", [part])])
    [message] = messages_of(body)

    a, b = "【4:0†a.txt】", "【4:1†source】"
    value = f"See {a}{b}sandbox:/mnt/data/a.csv now"
    start = 4 + len(a) + len(b)
    assert message.model_dump()["content"] == [
        {
            "type": "text",
            "text": {
                "value": value,
                "annotations": [
                    _citation(a, 4, "file-a"),
                    _path("sandbox:/mnt/data/a.csv", start, start + 23, "cfile_a"),
                    _citation(b, 4 + len(a), "file-b"),
                    _path("", len(value), len(value), "file-p"),
                ],
            },
        }
    ]


def _citation(marker: str, start: int, file_id: str) -> dict[str, Any]:
    return {
        "type": "file_citation",
        "text": marker,
        "start_index": start,
        "end_index": start + len(marker),
        "file_citation": {"file_id": file_id},
    }


def _path(text: str, start: int, end: int, file_id: str) -> dict[str, Any]:
    return {
        "type": "file_path",
        "text": text,
        "start_index": start,
        "end_index": end,
        "file_path": {"file_id": file_id},
    }


def _message(item_id: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": item_id, "type": "message", "role": "assistant", "status": "completed", "content": parts}


def _response(output: list[dict[str, Any]], usage: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": "completed",
        "model": "gpt-4o",
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": usage,
    }


def test_file_search_step_has_the_keys_of_the_recorded_legacy_step() -> None:
    """Same keys at every level of the tool call as openai-dotnet ``FileSearchWorks`` (legacy, with include)."""
    recorded = legacy_json(
        "p8_legacy_builtin_tools",
        "openai-dotnet__AssistantsTests_FileSearchWorks.json",
        "/steps/step_kjJ6wGf84Tj7yjMbNW8ojZ6c",
    )
    ours = steps_of(p7_response(WITH_RESULTS), include=(CONTENT,))[0].model_dump(mode="json", exclude_none=True)

    assert _shape(ours["step_details"]) == _shape(recorded["step_details"])
    # legacy steps each had their own model turn's usage; a response's usage is on one of its steps
    unset = {key for key, value in recorded.items() if value is None}
    assert set(ours) - {"expired_at", "metadata"} == set(recorded) - {"expires_at", "usage"} - unset


def _shape(value: Any) -> Any:
    """Keys at every level (lists by their first element)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in cast(dict[str, Any], value).items() if item is not None}
    if isinstance(value, list):
        items = cast(list[Any], value)
        return [_shape(items[0])] if items else []
    return type(value).__name__


def test_citation_has_the_form_of_the_recorded_legacy_citation() -> None:
    """``FileSearchWorks``: ``Filip's favorite food is cake【4:0†favorite_foods.txt】.``, the marker's span."""
    listed = legacy_json("p8_legacy_builtin_tools", "openai-dotnet__AssistantsTests_FileSearchWorks.json", "/messages")
    recorded = listed["data"][0]["content"][0]["text"]
    [message] = messages_of(p7_response(WITH_RESULTS))
    ours = message.model_dump(mode="json")["content"][0]["text"]

    assert _shape(ours) == _shape(recorded)
    for text in (ours, recorded):
        annotation = text["annotations"][0]
        marker = annotation["text"]
        assert text["value"][annotation["start_index"] : annotation["end_index"]] == marker
        assert marker.startswith("【4:0†") and marker.endswith("】")
        assert text["value"].endswith(marker + ".")


# -- code interpreter -----------------------------------------------------------------------------

RETURN_IMAGE = "pydantic-ai__test_openai_responses_code_execution_return_image.yaml"


def test_code_interpreter_call_with_an_image_and_logs() -> None:
    """The image output (a ``data:`` URL) takes the file id of the empty-span container citation; that
    citation is an ``image_file`` block after the text, the spanned one a ``file_path`` annotation."""
    body = p7_response(RETURN_IMAGE)
    code = body["output"][1]["code"]
    steps = steps_of(body)
    [message] = messages_of(body)

    assert [step.model_dump() for step in steps] == [
        step_dict(
            "step_1",
            {
                "type": "tool_calls",
                "tool_calls": [
                    {
                        "id": "ci_68cdc39029a481909399d54b0a3637a10187028ba77f15f7",
                        "type": "code_interpreter",
                        "code_interpreter": {
                            "input": code,
                            "outputs": [
                                {"type": "image", "image": {"file_id": "cfile_68cdc395fb4c8191b644bc65a5529a72"}},
                                {"type": "logs", "logs": "'/mnt/data/y_equals_x_squared.png'"},
                            ],
                        },
                    }
                ],
            },
            "completed",
        ),
        message_step(
            "step_2",
            "msg_68cdc398d3bc8190bbcf78c0293a4ca60187028ba77f15f7",
            "completed",
            usage_dict(2973, 707, cached=1920, reasoning=512),
        ),
    ]
    assert message.model_dump()["content"] == [
        {
            "type": "text",
            "text": {
                "value": "Here’s the chart of y = x^2 for x from -5 to 5.\n\nDownload the image:"
                " [y_equals_x_squared.png](sandbox:/mnt/data/y_equals_x_squared.png)",
                "annotations": [
                    _path("sandbox:/mnt/data/y_equals_x_squared.png", 94, 134, "cfile_68cdc39bba888191b47ed8bda6111395")
                ],
            },
        },
        {"type": "image_file", "image_file": {"file_id": "cfile_68cdc395fb4c8191b644bc65a5529a72", "detail": None}},
    ]


def test_a_written_file_is_a_file_path_annotation() -> None:
    [message] = messages_of(p7_response("pydantic-ai__test_openai_responses_code_execution_download_file.yaml"))

    value, _ = cookbook_citations(message)
    assert value == "Created the CSV file: [Download numbers_and_squares.csv]([0])"
    assert message.model_dump()["content"][0]["text"]["annotations"] == [
        _path("sandbox:/mnt/data/numbers_and_squares.csv", 57, 98, "cfile_6a50378881308191aafa41e291ebe004")
    ]


def test_code_interpreter_without_outputs_included_has_no_outputs() -> None:
    """``outputs`` is ``null`` without ``include: code_interpreter_call.outputs``."""
    body = p7_response("pydantic-ai__test_openai_code_execution_files.yaml")
    [call_step, _] = steps_of(body)

    details = call_step.model_dump()["step_details"]
    assert details["tool_calls"][0]["code_interpreter"] == {"input": body["output"][1]["code"], "outputs": []}


def test_several_calls_are_steps_in_output_order_and_the_message_step_carries_the_usage() -> None:
    body = p7_response("vercel-ai__openai-code-interpreter-tool.1.json")
    steps = steps_of(body)

    assert [(step.type, step.status, step.usage is not None) for step in steps] == [
        ("tool_calls", "completed", False),
        ("tool_calls", "completed", False),
        ("tool_calls", "completed", False),
        ("message_creation", "completed", True),
    ]
    outputs = [step.model_dump()["step_details"]["tool_calls"][0]["code_interpreter"]["outputs"] for step in steps[:3]]
    assert outputs == [
        [{"type": "logs", "logs": "(10000, 70024)"}],
        [],
        [{"type": "logs", "logs": "(21680, '/mnt/data/two_dice_sums_10000.txt')"}],
    ]
    assert from_responses.usage_step_id(steps) == "step_4"
    assert from_responses.function_calls_step(steps) is None


def _ci_call(item_id: str, status: str, outputs: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "code_interpreter_call",
        "status": status,
        "code": "plot()",
        "container_id": "cntr_1",
        "outputs": outputs,
    }


def test_an_image_no_citation_names_is_dropped_and_the_last_builtin_step_carries_the_usage() -> None:
    image = {"type": "image", "url": "data:image/png;base64,AAAA"}
    body = _response(
        [_ci_call("ci_1", "completed", [image, {"type": "logs", "logs": "ok"}]), _ci_call("ci_2", "failed", None)],
        usage={
            "input_tokens": 5,
            "output_tokens": 2,
            "total_tokens": 7,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
        },
    )
    body["status"] = "failed"
    steps = steps_of(body)

    assert [(s.status, s.failed_at, s.usage) for s in steps] == [
        ("completed", None, None),
        ("failed", NOW, from_responses._step_usage(from_responses.usage_to_run_usage(response_of(body).usage))),
    ]
    first = steps[0].model_dump()["step_details"]["tool_calls"][0]["code_interpreter"]
    assert first["outputs"] == [{"type": "logs", "logs": "ok"}]


def test_a_cancelled_response_cancels_its_unfinished_calls() -> None:
    body = _response([_ci_call("ci_1", "interpreting", None)])
    body["status"] = "cancelled"
    [step] = steps_of(body)
    assert (step.status, step.cancelled_at) == ("cancelled", NOW)


def test_function_calls_after_a_builtin_call_carry_the_usage() -> None:
    call = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "f",
        "arguments": "{}",
        "status": "completed",
    }
    usage = {
        "input_tokens": 1,
        "output_tokens": 1,
        "total_tokens": 2,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens_details": {"reasoning_tokens": 0},
    }
    steps = steps_of(_response([_ci_call("ci_1", "completed", []), call], usage=usage))

    function_step = from_responses.function_calls_step(steps)
    assert function_step is not None and function_step.id == "step_2"
    assert from_responses.usage_step_id(steps) == "step_2"
    assert [s.status for s in steps] == ["completed", "in_progress"]


def test_code_interpreter_step_has_the_keys_of_the_recorded_legacy_step() -> None:
    """Same keys as the legacy ``BasicRunStepFunctionalityWorks`` step with an ``image`` output."""
    listed = legacy_json(
        "p6_legacy_assistants", "openai-dotnet__AssistantsTests_BasicRunStepFunctionalityWorks.json", "/steps"
    )
    recorded = next(
        step["step_details"]
        for step in listed["data"]
        if step["type"] == "tool_calls"
        and step["step_details"]["tool_calls"][0]["code_interpreter"]["outputs"][:1]
        and step["step_details"]["tool_calls"][0]["code_interpreter"]["outputs"][0]["type"] == "image"
    )
    ours = steps_of(p7_response(RETURN_IMAGE))[0].model_dump(mode="json")["step_details"]
    ours["tool_calls"][0]["code_interpreter"]["outputs"] = ours["tool_calls"][0]["code_interpreter"]["outputs"][:1]

    assert _shape(ours) == _shape(recorded)


# -- requests -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tools", "include"),
    [
        ([{"type": "file_search"}], ["file_search_call.results"]),
        ([{"type": "code_interpreter"}], ["code_interpreter_call.outputs"]),
        (
            [{"type": "code_interpreter"}, {"type": "file_search"}],
            ["file_search_call.results", "code_interpreter_call.outputs"],
        ),
        ([{"type": "function", "function": {"name": "f"}}], None),
    ],
)
def test_requests_include_what_legacy_steps_show(tools: list[dict[str, Any]], include: list[str] | None) -> None:
    params = to_responses.run_to_response_params(
        run=_run(tools), conversation_id="conv_1", input_items=[], tool_resources=[]
    )
    assert params.get("include") == include
