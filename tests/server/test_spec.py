"""Generated from the legacy OpenAPI spec: every operation is served, takes the spec's parameters, and answers
with the documented shape (validated against the spec's own schema) or the legacy error, never a 5xx."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx2
import jsonschema
import pytest
import yaml
from conftest import shared_path

from compat.emulator import Emulator, Turn
from compat.server import OPERATIONS, Operation

from .test_wire import parse_sse

METHODS = ("get", "post", "delete")

EXPECTED_ERRORS = {
    "cancelRun": 400,  # the world's run has completed
    "submitToolOuputsToRun": 400,  # ... and awaits no tool outputs
}
"""Operations whose answer in the walk is an error (with this status); every other one answers 200."""


@cache
def spec() -> dict[str, Any]:
    """The legacy part of the OpenAPI spec, ``nullable: true`` rewritten as JSON Schema's ``null`` type, and
    corrected where the real API's recordings disagree with it (the recordings win)."""
    path = shared_path("realwire", "openapi", "extract_assistants_threads_runs.yaml")
    document = _nullable_to_null(yaml.safe_load(path.read_text()))
    # real run steps have no metadata (p6 ruby-openai__run_steps_list, openai-dotnet BasicRunStepFunctionalityWorks)
    step = document["components"]["schemas"]["RunStepObject"]
    step["required"] = [name for name in step["required"] if name != "metadata"]
    return document


def _nullable_to_null(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable_to_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_to_null(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def spec_operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """``operationId -> (METHOD, path, operation)`` of every operation of the spec."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in spec()["paths"].items():
        for method in METHODS:
            if method in item:
                found[item[method]["operationId"]] = (method.upper(), path, item[method])
    return found


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """Validate against a schema of the spec (its ``$ref``s resolved in the spec)."""
    jsonschema.validate(instance, {**schema, "components": spec()["components"]})


def schema_ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_every_operation_of_the_spec_and_no_other_is_served() -> None:
    served = {op.operation_id: (op.method, op.path) for op in OPERATIONS}
    assert served == {operation_id: (method, path) for operation_id, (method, path, _) in spec_operations().items()}


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.operation_id for op in OPERATIONS])
def test_the_spec_parameters_are_taken(operation: Operation) -> None:
    _, _, documented = spec_operations()[operation.operation_id]
    query = sorted(p["name"] for p in documented.get("parameters", []) if p["in"] == "query")
    path_params = sorted(p["name"] for p in documented.get("parameters", []) if p["in"] == "path")
    assert sorted(operation.query) == query
    assert sorted(operation.path_params) == path_params
    body = request_schema(documented)
    fields = set(body.get("properties", {})) if body else set()
    assert fields <= operation.body_params, f"{operation.operation_id} refuses {sorted(fields - operation.body_params)}"
    assert set(operation.required_body_params) <= set(body.get("required", []) if body else [])


def request_schema(documented: dict[str, Any]) -> dict[str, Any] | None:
    content = documented.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    schema = content["schema"]
    return spec()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema


@dataclass
class World:
    """One of everything, for the path parameters: the ids of an assistant, a thread, a run, its step and
    a message."""

    assistant_id: str
    thread_id: str
    run_id: str
    step_id: str
    message_id: str

    def path(self, template: str) -> str:
        return template.format(**vars(self))


@pytest.fixture
def world(http: httpx2.Client, emulator: Emulator) -> Iterator[World]:
    function = {"name": "lookup", "description": "Look it up.", "parameters": {"type": "object", "properties": {}}}
    tool = {"type": "function", "function": function}
    assistant = http.post("/assistants", json={"model": "gpt-4o", "instructions": "Be brief.", "tools": [tool]})
    thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hello there."}]})
    emulator.queue(Turn.text("Hello."))
    run = http.post(f"/threads/{thread.json()['id']}/runs", json={"assistant_id": assistant.json()["id"]})
    assert run.json()["status"] == "completed", run.text
    steps = http.get(f"/threads/{thread.json()['id']}/runs/{run.json()['id']}/steps").json()["data"]
    messages = http.get(f"/threads/{thread.json()['id']}/messages").json()["data"]
    yield World(assistant.json()["id"], thread.json()["id"], run.json()["id"], steps[0]["id"], messages[0]["id"])


def example_body(documented: dict[str, Any], world: World, *, stream: bool = False) -> dict[str, Any] | None:
    """The request's required fields (and its metadata, when it takes any) with plausible values."""
    schema = request_schema(documented)
    if schema is None:
        return None
    values: dict[str, Any] = {
        "model": "gpt-4o",
        "assistant_id": world.assistant_id,
        "role": "user",
        "content": "What can you do?",
        "tool_outputs": [{"tool_call_id": "call_none", "output": "1"}],
        "metadata": {"walk": "spec"},
    }
    fields = [*schema.get("required", []), *(["metadata"] if "metadata" in schema.get("properties", {}) else [])]
    body = {name: copy.deepcopy(values[name]) for name in fields}
    if stream:
        body["stream"] = True
    return body


def example_query(documented: dict[str, Any]) -> dict[str, Any]:
    names = {p["name"] for p in documented.get("parameters", []) if p["in"] == "query"}
    return {name: value for name, value in {"limit": 2, "order": "asc"}.items() if name in names}


@pytest.mark.parametrize("operation_id", [op.operation_id for op in OPERATIONS])
def test_each_operation_answers_its_documented_shape(
    http: httpx2.Client, emulator: Emulator, world: World, operation_id: str
) -> None:
    method, path, documented = spec_operations()[operation_id]
    body = example_body(documented, world)
    emulator.queue(Turn.text("Here."))
    answer = http.request(method, world.path(path), params=example_query(documented), json=body)
    status = EXPECTED_ERRORS.get(operation_id, 200)
    assert answer.status_code == status, answer.text
    if status == 200:
        validate(answer.json(), documented["responses"]["200"]["content"]["application/json"]["schema"])
    else:
        validate(answer.json(), schema_ref("ErrorResponse"))


STREAMING = ["createRun", "createThreadAndRun"]


@pytest.mark.parametrize("operation_id", STREAMING)
def test_each_streamed_event_is_a_documented_stream_event(
    http: httpx2.Client, emulator: Emulator, world: World, operation_id: str
) -> None:
    method, path, documented = spec_operations()[operation_id]
    emulator.queue(Turn.function_calls(("lookup", {})))
    answer = http.request(method, world.path(path), json=example_body(documented, world, stream=True))
    assert answer.status_code == 200, answer.text
    events = parse_sse(answer.text)
    for name, data in events:
        validate({"event": name, "data": data}, schema_ref("AssistantStreamEvent"))
    assert events[-1] == ("done", "[DONE]")
    run = events[-2][1]
    assert run["status"] == "requires_action"

    (call,) = run["required_action"]["submit_tool_outputs"]["tool_calls"]
    _, submit_path, submit = spec_operations()["submitToolOuputsToRun"]
    emulator.queue(Turn.text("Done."))
    body = {"tool_outputs": [{"tool_call_id": call["id"], "output": "found"}], "stream": True}
    path = submit_path.format(thread_id=run["thread_id"], run_id=run["id"])
    answer = http.post(path, json=body)
    events = parse_sse(answer.text)
    for name, data in events:
        validate({"event": name, "data": data}, schema_ref("AssistantStreamEvent"))
    assert [name for name, _ in events][-2:] == ["thread.run.completed", "done"]
    assert submit["responses"]["200"]["content"]["application/json"]["schema"] == schema_ref("RunObject")


def test_invalid_arguments_are_legacy_4xx_never_5xx(http: httpx2.Client, world: World) -> None:
    odd: list[tuple[str, str, Any]] = [
        ("POST", "/assistants", {"model": "gpt-4o", "tools": [{"type": "nonsense"}]}),
        ("POST", "/assistants", {"model": "gpt-4o", "metadata": {"k": 1}}),
        ("POST", "/assistants", {"model": "gpt-4o", "temperature": "hot"}),
        ("POST", "/threads", {"messages": [{"role": "robot", "content": "x"}]}),
        ("POST", "/threads", {"messages": "not a list"}),
        ("POST", world.path("/threads/{thread_id}/messages"), {"role": "user", "content": [{"type": "nope"}]}),
        ("POST", world.path("/threads/{thread_id}/messages"), {"role": "user", "content": None}),
        ("POST", world.path("/threads/{thread_id}/runs"), {"assistant_id": "asst_missing"}),
        ("POST", world.path("/threads/{thread_id}/runs"), {"assistant_id": 7}),
        ("POST", world.path("/threads/{thread_id}/runs"), {"assistant_id": world.assistant_id, "stream": "yes"}),
        ("POST", world.path("/threads/{thread_id}/runs/{run_id}/submit_tool_outputs"), {"tool_outputs": "x"}),
        ("GET", world.path("/threads/{thread_id}/messages?limit=0"), None),
        ("GET", world.path("/threads/{thread_id}/messages?after=msg_missing"), None),
        ("GET", world.path("/threads/{thread_id}/runs/{run_id}/steps?include[]=nope"), None),
        ("GET", world.path("/threads/thread_missing/runs/{run_id}/steps/{step_id}"), None),
        ("DELETE", world.path("/threads/{thread_id}/messages/msg_missing"), None),
    ]
    for method, path, body in odd:
        answer = http.request(method, path, json=body)
        assert 400 <= answer.status_code < 500, (method, path, body, answer.text)
        validate(answer.json(), schema_ref("ErrorResponse"))
