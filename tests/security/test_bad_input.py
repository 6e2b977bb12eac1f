"""Every invalid legacy call is answered the legacy way, before anything is sent or stored.

One row per invalid call, on every legacy method: the exception class, its status, the exact message,
``param`` and ``code`` of the legacy error body, and nothing sent to the backend (the emulator saw no
request) and nothing written to the store (the SQLite file holds the same rows, unchanged). The objects the
calls refer to (an assistant, an idle thread with a message, a run waiting for tool outputs and its step) are
made before anything is counted.

Wording: the recorded legacy answers (``Invalid type for 'metadata.modified': expected a string, but got a
boolean instead.``, ``realwire/p6_legacy_assistants``); legacy answers users quoted in public code (marked
"legacy answer": ``tools[0].type`` ``'retrieval'``, the role ``'human'``, a tool output that is a number, tool
outputs over 512 kB, message content over 256,000 characters); the API's sentences for the spec's limits
otherwise (``string too long``, ``array too long``, ``Invalid value: ... Supported values are: ...``,
``Missing required parameter``, ``Unknown parameter``); the SDK's own ``ValueError`` for an empty id of the
URL.
"""

from __future__ import annotations

import inspect
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

import compat
from compat import params
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock

LOOKUP = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
EFFORTS = "'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'"
TOOL_TYPES = "'code_interpreter', 'function', and 'file_search'"  # as the legacy API answered
FILE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"


# --- what the legacy API answered ---------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """The exception a call must raise: its class and message, and for an API error its status, param, code."""

    error: type[Exception]
    message: str
    status: int | None = None
    param: str | None = None
    code: str | None = None


def invalid(message: str, param: str | None, code: str | None = None) -> Refusal:
    return Refusal(openai.BadRequestError, message, 400, param, code)


def type_of(param: str, expected: str, got: str) -> Refusal:
    return invalid(f"Invalid type for '{param}': expected {expected}, but got {got} instead.", param, "invalid_type")


def value_of(param: str, value: str, supported: str) -> Refusal:
    return invalid(f"Invalid value: '{value}'. Supported values are: {supported}.", param, "invalid_value")


def required(param: str) -> Refusal:
    return invalid(f"Missing required parameter: '{param}'.", param, "missing_required_parameter")


def unknown(param: str) -> Refusal:
    return invalid(f"Unknown parameter: '{param}'.", param, "unknown_parameter")


def too_long(param: str, maximum: int, length: int) -> Refusal:
    return invalid(
        f"Invalid '{param}': string too long. Expected a string with maximum length {maximum}, "
        f"but got a string with length {length} instead.",
        param,
        "string_above_max_length",
    )


def too_many(param: str, maximum: int, length: int) -> Refusal:
    return invalid(
        f"Invalid '{param}': array too long. Expected an array with maximum length {maximum}, "
        f"but got an array with length {length} instead.",
        param,
        "array_above_max_length",
    )


def empty(param: str, what: str) -> Refusal:
    article = "a" if what == "string" else "an"
    return invalid(
        f"Invalid '{param}': empty {what}. Expected {article} {what} with minimum length 1, "
        f"but got an empty {what} instead.",
        param,
        f"empty_{what}",
    )


def above(param: str, kind: str, maximum: str, got: str) -> Refusal:
    return invalid(
        f"Invalid '{param}': {kind} above maximum value. Expected a value <= {maximum}, but got {got} instead.",
        param,
        f"{kind}_above_max_value",
    )


def below(param: str, kind: str, minimum: str, got: str) -> Refusal:
    return invalid(
        f"Invalid '{param}': {kind} below minimum value. Expected a value >= {minimum}, but got {got} instead.",
        param,
        f"{kind}_below_min_value",
    )


def pattern(param: str) -> Refusal:
    return invalid(
        f"Invalid '{param}': string does not match pattern. Expected a string that matches the pattern "
        "'^[a-zA-Z0-9_-]+$'.",
        param,
        "invalid_value",
    )


def too_many_pairs(param: str, count: int) -> Refusal:
    return invalid(
        f"Invalid '{param}': too many properties. Expected an object with at most 16 properties, "
        f"but got an object with {count} properties instead.",
        param,
        "object_above_max_properties",
    )


def long_key(param: str, key: str) -> Refusal:
    return invalid(
        f"Invalid property name in '{param}': '{key}' is too long. Expected a string with maximum length 64, "
        f"but got a string with length {len(key)} instead.",
        f"{param}.{key}",
        "property_name_above_max_length",
    )


def empty_id(name: str, value: object = "") -> Refusal:
    """The SDK's own refusal of an empty id in the URL."""
    return Refusal(ValueError, f"Expected a non-empty value for `{name}` but received {value!r}")


def no_such(noun: str, id: object) -> Refusal:
    return Refusal(openai.NotFoundError, f"No {noun} found with id '{id}'.", 404)


# --- the objects the calls name -----------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """A client and the objects made before counting: ids of an assistant, an idle thread and its message,
    a busy thread whose run waits for the output of ``call``, and that run's step."""

    client: Any
    assistant: str
    thread: str
    message: str
    busy: str
    run: str
    call: str
    step: str

    @property
    def beta(self) -> Any:
        return self.client.beta

    @property
    def runs(self) -> Any:
        return self.client.beta.threads.runs


class Database:
    """The store's SQLite file, read with ``sqlite3``: its rows, counted and whole."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _tables(self, db: sqlite3.Connection) -> list[str]:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        return [str(row[0]) for row in rows]

    def count(self) -> int:
        with sqlite3.connect(self.path) as db:
            return sum(int(db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in self._tables(db))

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        with sqlite3.connect(self.path) as db:
            return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in self._tables(db)}


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return Database(tmp_path_factory.mktemp("bad_input") / "state.db")


def _client_options(emulator: Emulator, db: Database, *, is_async: bool) -> dict[str, Any]:
    transport = AsyncEmulatorTransport(emulator) if is_async else EmulatorTransport(emulator)
    http_client = httpx2.AsyncClient(transport=transport) if is_async else httpx2.Client(transport=transport)
    return {
        "api_key": "test",
        "base_url": "http://emulator.test/v1",
        "http_client": http_client,
        "store": f"sqlite:///{db.path}",
        "max_retries": 0,
    }


@pytest.fixture(scope="module")
def world(emulator: Emulator, db: Database) -> Iterator[World]:
    client = compat.OpenAI(**_client_options(emulator, db, is_async=False))
    beta = client.beta
    assistant = beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[LOOKUP])  # type: ignore[list-item]
    thread = beta.threads.create(messages=[{"role": "user", "content": "Hello."}])
    (message,) = beta.threads.messages.list(thread.id).data
    busy = beta.threads.create(messages=[{"role": "user", "content": "Look it up."}])
    emulator.queue(Turn.function_calls(("lookup", {"q": 1})))
    run = beta.threads.runs.create(busy.id, assistant_id=assistant.id)
    assert run.status == "requires_action" and run.required_action is not None
    (step,) = beta.threads.runs.steps.list(run.id, thread_id=busy.id).data
    call = run.required_action.submit_tool_outputs.tool_calls[0].id
    yield World(client, assistant.id, thread.id, message.id, busy.id, run.id, call, step.id)
    client.compat_context.store.close()


# --- the calls --------------------------------------------------------------------------------------------

Call = Callable[[World], object]


@dataclass(frozen=True)
class Case:
    method: str
    what: str
    call: Call
    refusal: Refusal


def _create(**kwargs: Any) -> Call:
    return lambda w: w.beta.assistants.create(**{"model": "gpt-4o", **kwargs})


def _run(**kwargs: Any) -> Call:
    return lambda w: w.runs.create(w.thread, **{"assistant_id": w.assistant, **kwargs})


def _thread_and_run(**kwargs: Any) -> Call:
    return lambda w: w.beta.threads.create_and_run(**{"assistant_id": w.assistant, **kwargs})


def _submit(outputs: object) -> Call:
    return lambda w: w.runs.submit_tool_outputs(w.run, thread_id=w.busy, tool_outputs=outputs)


def _message(**kwargs: Any) -> Call:
    return lambda w: w.beta.threads.messages.create(w.thread, **{"role": "user", "content": "Hi.", **kwargs})


def _messages(*messages: object) -> Call:
    return lambda w: w.beta.threads.create(messages=list(messages))


def _function(**function: Any) -> list[dict[str, Any]]:
    return [{"type": "function", "function": function}]


def _user(content: object) -> dict[str, Any]:
    return {"role": "user", "content": content}


SEVENTEEN = {f"k{n}": "v" for n in range(17)}
KEY_65 = "k" * 65

ASSISTANT_CASES = [
    Case("assistants.create", "model is a number", _create(model=123), type_of("model", "a string", "an integer")),
    Case("assistants.create", "model is empty", _create(model=""), empty("model", "string")),
    Case("assistants.create", "model is None", _create(model=None), type_of("model", "a string", "null")),
    Case("assistants.create", "name over 256", _create(name="n" * 257), too_long("name", 256, 257)),
    Case(
        "assistants.create", "description over 512", _create(description="d" * 513), too_long("description", 512, 513)
    ),
    Case(
        "assistants.create",
        "instructions over 256,000",
        _create(instructions="i" * 256_001),
        too_long("instructions", 256_000, 256_001),
    ),
    Case(
        "assistants.create",
        "an unknown reasoning effort",
        _create(reasoning_effort="extreme"),
        value_of("reasoning_effort", "extreme", EFFORTS),
    ),
    Case(
        "assistants.create",
        "a reasoning effort that is a number",
        _create(reasoning_effort=1),
        type_of(
            "reasoning_effort", "one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', or 'max'", "an integer"
        ),
    ),
    Case(
        "assistants.create",
        "temperature is text",
        _create(temperature="hot"),
        type_of("temperature", "a number", "a string"),
    ),
    Case(
        "assistants.create", "temperature over 2", _create(temperature=2.5), above("temperature", "decimal", "2", "2.5")
    ),
    Case(
        "assistants.create", "temperature below 0", _create(temperature=-1), below("temperature", "decimal", "0", "-1")
    ),
    Case("assistants.create", "top_p over 1", _create(top_p=1.5), above("top_p", "decimal", "1", "1.5")),
    Case("assistants.create", "top_p is a boolean", _create(top_p=True), type_of("top_p", "a number", "a boolean")),
    Case(
        "assistants.create",
        "129 tools",
        _create(tools=[{"type": "code_interpreter"}] * 129),
        too_many("tools", 128, 129),
    ),
    Case(
        "assistants.create",
        "a tool of an unknown type is not coerced (legacy answer)",
        _create(tools=[{"type": "retrieval"}]),
        value_of("tools[0].type", "retrieval", TOOL_TYPES),
    ),
    Case(
        "assistants.create",
        "a tool without a type",
        _create(tools=[{"function": {"name": "f"}}]),
        required("tools[0].type"),
    ),
    Case(
        "assistants.create",
        "a function tool without its function",
        _create(tools=[{"type": "function"}]),
        required("tools[0].function"),
    ),
    Case(
        "assistants.create",
        "a function without a name",
        _create(tools=_function(description="d")),
        required("tools[0].function.name"),
    ),
    Case(
        "assistants.create",
        "a function name breaking the pattern",
        _create(tools=_function(name="get weather")),
        pattern("tools[0].function.name"),
    ),
    Case(
        "assistants.create",
        "a function name over 64",
        _create(tools=_function(name="f" * 65)),
        too_long("tools[0].function.name", 64, 65),
    ),
    Case(
        "assistants.create",
        "an empty function name",
        _create(tools=_function(name="")),
        empty("tools[0].function.name", "string"),
    ),
    Case(
        "assistants.create",
        "a function name that is a number",
        _create(tools=_function(name=7)),
        type_of("tools[0].function.name", "a string", "an integer"),
    ),
    Case(
        "assistants.create",
        "function parameters as JSON text",
        _create(tools=_function(name="f", parameters="{}")),
        type_of("tools[0].function.parameters", "an object", "a string"),
    ),
    Case(
        "assistants.create",
        "function strict as text",
        _create(tools=_function(name="f", strict="yes")),
        type_of("tools[0].function.strict", "a boolean", "a string"),
    ),
    Case(
        "assistants.create",
        "a function field the API does not know",
        _create(tools=_function(name="f", arguments="{}")),
        unknown("tools[0].function.arguments"),
    ),
    Case(
        "assistants.create",
        "a code_interpreter tool with settings",
        _create(tools=[{"type": "code_interpreter", "code_interpreter": {}}]),
        unknown("tools[0].code_interpreter"),
    ),
    Case(
        "assistants.create",
        "tools given as one object",
        _create(tools={"type": "code_interpreter"}),
        type_of("tools", "an array", "an object"),
    ),
    Case(
        "assistants.create",
        "a tool given as its name",
        _create(tools=["code_interpreter"]),
        type_of("tools[0]", "an object", "a string"),
    ),
    Case(
        "assistants.create",
        "file_search max_num_results over 50",
        _create(tools=[{"type": "file_search", "file_search": {"max_num_results": 51}}]),
        above("tools[0].file_search.max_num_results", "integer", "50", "51"),
    ),
    Case(
        "assistants.create",
        "file_search ranking options without score_threshold",
        _create(tools=[{"type": "file_search", "file_search": {"ranking_options": {"ranker": "auto"}}}]),
        required("tools[0].file_search.ranking_options.score_threshold"),
    ),
    Case(
        "assistants.create",
        "21 code_interpreter files",
        _create(tool_resources={"code_interpreter": {"file_ids": [f"file-{n}" for n in range(21)]}}),
        too_many("tool_resources.code_interpreter.file_ids", 20, 21),
    ),
    Case(
        "assistants.create",
        "two vector stores",
        _create(tool_resources={"file_search": {"vector_store_ids": ["vs_1", "vs_2"]}}),
        too_many("tool_resources.file_search.vector_store_ids", 1, 2),
    ),
    Case(
        "assistants.create",
        "a tool resource of an unknown tool",
        _create(tool_resources={"retrieval": {}}),
        unknown("tool_resources.retrieval"),
    ),
    Case(
        "assistants.create",
        "file ids given as one string",
        _create(tool_resources={"code_interpreter": {"file_ids": "file-1"}}),
        type_of("tool_resources.code_interpreter.file_ids", "an array", "a string"),
    ),
    Case(
        "assistants.create",
        "a file id that is a number",
        _create(tool_resources={"code_interpreter": {"file_ids": [1]}}),
        type_of("tool_resources.code_interpreter.file_ids[0]", "a string", "an integer"),
    ),
    Case("assistants.create", "17 metadata pairs", _create(metadata=SEVENTEEN), too_many_pairs("metadata", 17)),
    Case("assistants.create", "a metadata key over 64", _create(metadata={KEY_65: "v"}), long_key("metadata", KEY_65)),
    Case(
        "assistants.create",
        "a metadata value over 512",
        _create(metadata={"k": "v" * 513}),
        too_long("metadata.k", 512, 513),
    ),
    Case(
        "assistants.create",
        "a boolean metadata value (recorded)",
        _create(metadata={"modified": True}),
        type_of("metadata.modified", "a string", "a boolean"),
    ),
    Case(
        "assistants.create",
        "metadata as a list",
        _create(metadata=[("k", "v")]),
        type_of("metadata", "an object", "an array"),
    ),
    Case(
        "assistants.create",
        "response_format as an unknown word",
        _create(response_format="json"),
        value_of("response_format", "json", "'auto'"),
    ),
    Case(
        "assistants.create",
        "json_schema response_format without json_schema",
        _create(response_format={"type": "json_schema"}),
        required("response_format.json_schema"),
    ),
    Case(
        "assistants.create",
        "a response_format of an unknown type",
        _create(response_format={"type": "xml"}),
        value_of("response_format.type", "xml", "'text', 'json_object', and 'json_schema'"),
    ),
    Case(
        "assistants.create",
        "a json_schema without a name",
        _create(response_format={"type": "json_schema", "json_schema": {"schema": {}}}),
        required("response_format.json_schema.name"),
    ),
    Case(
        "assistants.create",
        "a json_schema name breaking the pattern",
        _create(response_format={"type": "json_schema", "json_schema": {"name": "my schema"}}),
        pattern("response_format.json_schema.name"),
    ),
    Case(
        "assistants.create",
        "response_format as a number",
        _create(response_format=1),
        type_of("response_format", "one of a string or an object", "an integer"),
    ),
    Case("assistants.retrieve", "an empty id", lambda w: w.beta.assistants.retrieve(""), empty_id("assistant_id")),
    Case(
        "assistants.retrieve",
        "an id that would change the URL",
        lambda w: w.beta.assistants.retrieve("asst_1/../x"),
        no_such("assistant", "asst_1/../x"),
    ),
    Case(
        "assistants.update", "an empty id", lambda w: w.beta.assistants.update("", name="x"), empty_id("assistant_id")
    ),
    Case(
        "assistants.update",
        "model None",
        lambda w: w.beta.assistants.update(w.assistant, model=None),
        type_of("model", "a string", "null"),
    ),
    Case(
        "assistants.update",
        "tools None",
        lambda w: w.beta.assistants.update(w.assistant, tools=None),
        type_of("tools", "an array", "null"),
    ),
    Case(
        "assistants.update",
        "name over 256",
        lambda w: w.beta.assistants.update(w.assistant, name="n" * 257),
        too_long("name", 256, 257),
    ),
    Case(
        "assistants.update",
        "a tool of an unknown type",
        lambda w: w.beta.assistants.update(w.assistant, tools=[{"type": "browser"}]),
        value_of("tools[0].type", "browser", TOOL_TYPES),
    ),
    Case("assistants.list", "limit 0", lambda w: w.beta.assistants.list(limit=0), below("limit", "integer", "1", "0")),
    Case(
        "assistants.list",
        "limit 101",
        lambda w: w.beta.assistants.list(limit=101),
        above("limit", "integer", "100", "101"),
    ),
    Case(
        "assistants.list",
        "limit as text",
        lambda w: w.beta.assistants.list(limit="10"),
        type_of("limit", "an integer", "a string"),
    ),
    Case(
        "assistants.list",
        "limit as a boolean",
        lambda w: w.beta.assistants.list(limit=True),
        type_of("limit", "an integer", "a boolean"),
    ),
    Case(
        "assistants.list",
        "an unknown order",
        lambda w: w.beta.assistants.list(order="sideways"),
        value_of("order", "sideways", "'asc' and 'desc'"),
    ),
    Case(
        "assistants.list",
        "a cursor that is a number",
        lambda w: w.beta.assistants.list(after=5),
        type_of("after", "a string", "an integer"),
    ),
    Case("assistants.delete", "an empty id", lambda w: w.beta.assistants.delete(""), empty_id("assistant_id")),
    Case(
        "assistants.delete",
        "an id that is a number",
        lambda w: w.beta.assistants.delete(123),
        no_such("assistant", 123),
    ),
]

THREAD_CASES = [
    Case(
        "threads.create",
        "messages as one string",
        lambda w: w.beta.threads.create(messages="Hi."),
        type_of("messages", "an array", "a string"),
    ),
    Case(
        "threads.create", "a message that is a number", _messages(5), type_of("messages[0]", "an object", "an integer")
    ),
    Case(
        "threads.create",
        "a system message",
        _messages(_user("ok"), {"role": "system", "content": "no"}),
        value_of("messages[1].role", "system", "'user' and 'assistant'"),
    ),
    Case("threads.create", "a message without a role", _messages({"content": "x"}), required("messages[0].role")),
    Case("threads.create", "a message without content", _messages({"role": "user"}), required("messages[0].content")),
    Case("threads.create", "empty content parts", _messages(_user([])), empty("messages[0].content", "array")),
    Case("threads.create", "empty text", _messages(_user("")), empty("messages[0].content", "string")),
    Case(
        "threads.create",
        "content that is a number",
        _messages(_user(5)),
        type_of("messages[0].content", "one of a string or array of objects", "an integer"),
    ),
    Case(
        "threads.create",
        "a content part of an unknown type",
        _messages(_user([{"type": "audio"}])),
        value_of("messages[0].content[0].type", "audio", "'image_file', 'image_url', and 'text'"),
    ),
    Case(
        "threads.create",
        "a text part without text",
        _messages(_user([{"type": "text"}])),
        required("messages[0].content[0].text"),
    ),
    Case(
        "threads.create",
        "a text part over 256,000",
        _messages(_user([{"type": "text", "text": "t" * 256_001}])),
        too_long("messages[0].content[0].text", 256_000, 256_001),
    ),
    Case(
        "threads.create",
        "an image of an unknown detail",
        _messages(_user([{"type": "image_url", "image_url": {"url": "https://x.test/a.png", "detail": "max"}}])),
        value_of("messages[0].content[0].image_url.detail", "max", "'auto', 'low', and 'high'"),
    ),
    Case(
        "threads.create",
        "an image file without its id",
        _messages(_user([{"type": "image_file", "image_file": {}}])),
        required("messages[0].content[0].image_file.file_id"),
    ),
    Case(
        "threads.create",
        "a message field the API does not know",
        _messages({"role": "user", "content": "x", "file_ids": []}),
        unknown("messages[0].file_ids"),
    ),
    Case(
        "threads.create",
        "message metadata that is a number",
        _messages({"role": "user", "content": "x", "metadata": {"k": 1}}),
        type_of("messages[0].metadata.k", "a string", "an integer"),
    ),
    Case(
        "threads.create",
        "17 metadata pairs",
        lambda w: w.beta.threads.create(metadata=SEVENTEEN),
        too_many_pairs("metadata", 17),
    ),
    Case(
        "threads.create",
        "two vector stores",
        lambda w: w.beta.threads.create(tool_resources={"file_search": {"vector_store_ids": ["vs_1", "vs_2"]}}),
        too_many("tool_resources.file_search.vector_store_ids", 1, 2),
    ),
    Case("threads.retrieve", "an empty id", lambda w: w.beta.threads.retrieve(""), empty_id("thread_id")),
    Case(
        "threads.retrieve",
        "an id that would change the URL",
        lambda w: w.beta.threads.retrieve("a/b"),
        no_such("thread", "a/b"),
    ),
    Case("threads.update", "an empty id", lambda w: w.beta.threads.update("", metadata={}), empty_id("thread_id")),
    Case(
        "threads.update",
        "metadata that is a number",
        lambda w: w.beta.threads.update(w.thread, metadata={"k": 1}),
        type_of("metadata.k", "a string", "an integer"),
    ),
    Case(
        "threads.update",
        "21 code_interpreter files",
        lambda w: w.beta.threads.update(w.thread, tool_resources={"code_interpreter": {"file_ids": ["f"] * 21}}),
        too_many("tool_resources.code_interpreter.file_ids", 20, 21),
    ),
    Case("threads.delete", "an empty id", lambda w: w.beta.threads.delete(""), empty_id("thread_id")),
    Case("threads.delete", "None for the id", lambda w: w.beta.threads.delete(None), empty_id("thread_id", None)),
]

MESSAGE_CASES = [
    Case(
        "messages.create",
        "an empty thread id",
        lambda w: w.beta.threads.messages.create("", role="user", content="x"),
        empty_id("thread_id"),
    ),
    Case(
        "messages.create",
        "the role 'human' (legacy answer)",
        _message(role="human"),
        value_of("role", "human", "'user' and 'assistant'"),
    ),
    Case("messages.create", "role None", _message(role=None), type_of("role", "one of 'user' or 'assistant'", "null")),
    Case(
        "messages.create",
        "content None",
        _message(content=None),
        type_of("content", "one of a string or array of objects", "null"),
    ),
    Case(
        "messages.create",
        "one content part not in a list",
        _message(content={"type": "text", "text": "x"}),
        type_of("content", "one of a string or array of objects", "an object"),
    ),
    Case(
        "messages.create",
        "text that is a number",
        _message(content=[{"type": "text", "text": 5}]),
        type_of("content[0].text", "a string", "an integer"),
    ),
    Case(
        "messages.create",
        "an image url without its url",
        _message(content=[{"type": "image_url", "image_url": {}}]),
        required("content[0].image_url.url"),
    ),
    Case(
        "messages.create",
        "an attachment for an unknown tool",
        _message(attachments=[{"file_id": "file-1", "tools": [{"type": "browser"}]}]),
        value_of("attachments[0].tools[0].type", "browser", "'code_interpreter' and 'file_search'"),
    ),
    Case(
        "messages.create",
        "a metadata value over 512",
        _message(metadata={"k": "v" * 513}),
        too_long("metadata.k", 512, 513),
    ),
    Case(
        "messages.create",
        "text over 256,000 (legacy answer)",
        _message(content="c" * 256_001),
        too_long("content", 256_000, 256_001),
    ),
    Case(
        "messages.retrieve",
        "an empty message id",
        lambda w: w.beta.threads.messages.retrieve("", thread_id=w.thread),
        empty_id("message_id"),
    ),
    Case(
        "messages.retrieve",
        "both ids empty: the thread's first",
        lambda w: w.beta.threads.messages.retrieve("", thread_id=""),
        empty_id("thread_id"),
    ),
    Case(
        "messages.update",
        "an empty message id",
        lambda w: w.beta.threads.messages.update("", thread_id=w.thread, metadata={}),
        empty_id("message_id"),
    ),
    Case(
        "messages.update",
        "17 metadata pairs",
        lambda w: w.beta.threads.messages.update(w.message, thread_id=w.thread, metadata=SEVENTEEN),
        too_many_pairs("metadata", 17),
    ),
    Case("messages.list", "an empty thread id", lambda w: w.beta.threads.messages.list(""), empty_id("thread_id")),
    Case(
        "messages.list",
        "limit 0",
        lambda w: w.beta.threads.messages.list(w.thread, limit=0),
        below("limit", "integer", "1", "0"),
    ),
    Case(
        "messages.list",
        "an unknown order",
        lambda w: w.beta.threads.messages.list(w.thread, order="up"),
        value_of("order", "up", "'asc' and 'desc'"),
    ),
    Case(
        "messages.list",
        "a run id that is a number",
        lambda w: w.beta.threads.messages.list(w.thread, run_id=5),
        type_of("run_id", "a string", "an integer"),
    ),
    Case(
        "messages.delete",
        "an id with a space",
        lambda w: w.beta.threads.messages.delete("msg 1", thread_id=w.thread),
        no_such("message", "msg 1"),
    ),
    Case(
        "messages.delete",
        "an empty thread id",
        lambda w: w.beta.threads.messages.delete(w.message, thread_id=""),
        empty_id("thread_id"),
    ),
]

RUN_CASES = [
    Case(
        "runs.create",
        "an empty thread id",
        lambda w: w.runs.create("", assistant_id=w.assistant),
        empty_id("thread_id"),
    ),
    Case(
        "runs.create",
        "an assistant id that is a number",
        _run(assistant_id=5),
        type_of("assistant_id", "a string", "an integer"),
    ),
    Case("runs.create", "assistant id None", _run(assistant_id=None), type_of("assistant_id", "a string", "null")),
    Case(
        "runs.create",
        "temperature over 2 (as on assistants)",
        _run(temperature=3),
        above("temperature", "decimal", "2", "3"),
    ),
    Case("runs.create", "top_p below 0 (as on assistants)", _run(top_p=-0.5), below("top_p", "decimal", "0", "-0.5")),
    Case("runs.create", "model empty", _run(model=""), empty("model", "string")),
    Case(
        "runs.create",
        "instructions over 256,000 (as on assistants)",
        _run(instructions="i" * 256_001),
        too_long("instructions", 256_000, 256_001),
    ),
    Case(
        "runs.create",
        "additional instructions that are a number",
        _run(additional_instructions=5),
        type_of("additional_instructions", "a string", "an integer"),
    ),
    Case(
        "runs.create",
        "max_completion_tokens 0",
        _run(max_completion_tokens=0),
        below("max_completion_tokens", "integer", "1", "0"),
    ),
    Case(
        "runs.create",
        "max_completion_tokens not whole",
        _run(max_completion_tokens=16.5),
        type_of("max_completion_tokens", "an integer", "a decimal number"),
    ),
    Case(
        "runs.create",
        "max_prompt_tokens under 256",
        _run(max_prompt_tokens=100),
        below("max_prompt_tokens", "integer", "256", "100"),
    ),
    Case(
        "runs.create",
        "a function tool choice without its function",
        _run(tool_choice={"type": "function"}),
        required("tool_choice.function"),
    ),
    Case(
        "runs.create",
        "a function tool choice without a name",
        _run(tool_choice={"type": "function", "function": {}}),
        required("tool_choice.function.name"),
    ),
    Case(
        "runs.create",
        "an unknown tool choice",
        _run(tool_choice="any"),
        value_of("tool_choice", "any", "'none', 'auto', and 'required'"),
    ),
    Case(
        "runs.create",
        "a tool choice of an unknown type",
        _run(tool_choice={"type": "browser"}),
        value_of("tool_choice.type", "browser", "'function', 'code_interpreter', and 'file_search'"),
    ),
    Case(
        "runs.create",
        "json_schema response_format without json_schema",
        _run(response_format={"type": "json_schema"}),
        required("response_format.json_schema"),
    ),
    Case(
        "runs.create",
        "truncation_strategy without a type",
        _run(truncation_strategy={"last_messages": 3}),
        required("truncation_strategy.type"),
    ),
    Case(
        "runs.create",
        "truncation to 0 messages",
        _run(truncation_strategy={"type": "last_messages", "last_messages": 0}),
        below("truncation_strategy.last_messages", "integer", "1", "0"),
    ),
    Case(
        "runs.create",
        "a truncation of an unknown type",
        _run(truncation_strategy={"type": "first"}),
        value_of("truncation_strategy.type", "first", "'auto' and 'last_messages'"),
    ),
    Case(
        "runs.create",
        "an unknown reasoning effort",
        _run(reasoning_effort="extreme"),
        value_of("reasoning_effort", "extreme", EFFORTS),
    ),
    Case(
        "runs.create",
        "parallel_tool_calls as text",
        _run(parallel_tool_calls="yes"),
        type_of("parallel_tool_calls", "a boolean", "a string"),
    ),
    Case(
        "runs.create",
        "parallel_tool_calls None",
        _run(parallel_tool_calls=None),
        type_of("parallel_tool_calls", "a boolean", "null"),
    ),
    Case(
        "runs.create",
        "an additional system message",
        _run(additional_messages=[{"role": "system", "content": "x"}]),
        value_of("additional_messages[0].role", "system", "'user' and 'assistant'"),
    ),
    Case(
        "runs.create",
        "129 tools (as on assistants)",
        _run(tools=[{"type": "code_interpreter"}] * 129),
        too_many("tools", 128, 129),
    ),
    Case(
        "runs.create",
        "a function name with a dot",
        _run(tools=_function(name="a.b")),
        pattern("tools[0].function.name"),
    ),
    Case(
        "runs.create",
        "an unknown include",
        _run(include=["step_details"]),
        value_of("include[0]", "step_details", f"'{FILE_SEARCH_CONTENT}'"),
    ),
    Case("runs.create", "stream as text", _run(stream="yes"), type_of("stream", "a boolean", "a string")),
    Case("runs.create", "17 metadata pairs", _run(metadata=SEVENTEEN), too_many_pairs("metadata", 17)),
    Case(
        "runs.create_and_poll",
        "an empty thread id",
        lambda w: w.runs.create_and_poll(thread_id="", assistant_id=w.assistant),
        empty_id("thread_id"),
    ),
    Case(
        "runs.create_and_poll",
        "a poll interval as text",
        lambda w: w.runs.create_and_poll(thread_id=w.thread, assistant_id=w.assistant, poll_interval_ms="fast"),
        type_of("poll_interval_ms", "an integer", "a string"),
    ),
    Case(
        "runs.create_and_poll",
        "a negative poll interval",
        lambda w: w.runs.create_and_poll(thread_id=w.thread, assistant_id=w.assistant, poll_interval_ms=-1),
        below("poll_interval_ms", "integer", "0", "-1"),
    ),
    Case(
        "runs.stream",
        "an empty thread id",
        lambda w: w.runs.stream(thread_id="", assistant_id=w.assistant),
        empty_id("thread_id"),
    ),
    Case(
        "runs.stream",
        "a function tool choice without its function",
        lambda w: w.runs.stream(thread_id=w.thread, assistant_id=w.assistant, tool_choice={"type": "function"}),
        required("tool_choice.function"),
    ),
    Case(
        "runs.stream",
        "an event handler that is not one",
        lambda w: w.runs.stream(thread_id=w.thread, assistant_id=w.assistant, event_handler="print"),
        type_of("event_handler", "an AssistantEventHandler", "a string"),
    ),
    Case(
        "runs.create_and_stream",
        "an empty thread id",
        lambda w: w.runs.create_and_stream(thread_id="", assistant_id=w.assistant),
        empty_id("thread_id"),
    ),
    Case(
        "runs.create_and_stream",
        "temperature as text",
        lambda w: w.runs.create_and_stream(thread_id=w.thread, assistant_id=w.assistant, temperature="x"),
        type_of("temperature", "a number", "a string"),
    ),
    Case("runs.retrieve", "an empty run id", lambda w: w.runs.retrieve("", thread_id=w.busy), empty_id("run_id")),
    Case(
        "runs.retrieve",
        "both ids empty: the thread's first",
        lambda w: w.runs.retrieve("", thread_id=""),
        empty_id("thread_id"),
    ),
    Case(
        "runs.update", "an empty run id", lambda w: w.runs.update("", thread_id=w.busy, metadata={}), empty_id("run_id")
    ),
    Case(
        "runs.update",
        "a metadata key over 64",
        lambda w: w.runs.update(w.run, thread_id=w.busy, metadata={KEY_65: "v"}),
        long_key("metadata", KEY_65),
    ),
    Case("runs.list", "an empty thread id", lambda w: w.runs.list(""), empty_id("thread_id")),
    Case("runs.list", "limit 101", lambda w: w.runs.list(w.busy, limit=101), above("limit", "integer", "100", "101")),
    Case(
        "runs.list",
        "a cursor that is a number",
        lambda w: w.runs.list(w.busy, before=3),
        type_of("before", "a string", "an integer"),
    ),
    Case("runs.cancel", "an empty run id", lambda w: w.runs.cancel("", thread_id=w.busy), empty_id("run_id")),
    Case("runs.cancel", "a run id that is a number", lambda w: w.runs.cancel(7, thread_id=w.busy), no_such("run", 7)),
    Case("runs.poll", "an empty run id", lambda w: w.runs.poll("", thread_id=w.busy), empty_id("run_id")),
    Case(
        "runs.poll",
        "poll interval None",
        lambda w: w.runs.poll(w.run, thread_id=w.busy, poll_interval_ms=None),
        type_of("poll_interval_ms", "an integer", "null"),
    ),
    Case(
        "runs.submit_tool_outputs",
        "an output without its call id",
        _submit([{"output": "20C"}]),
        required("tool_outputs[0].tool_call_id"),
    ),
    Case(
        "runs.submit_tool_outputs",
        "an output that is an object (not a string)",
        lambda w: w.runs.submit_tool_outputs(
            w.run, thread_id=w.busy, tool_outputs=[{"tool_call_id": w.call, "output": {"temp": 20}}]
        ),
        type_of("tool_outputs[0].output", "a string", "an object"),
    ),
    Case(
        "runs.submit_tool_outputs",
        "an output that is a number (legacy answer)",
        lambda w: w.runs.submit_tool_outputs(
            w.run, thread_id=w.busy, tool_outputs=[{"tool_call_id": w.call, "output": 20}]
        ),
        type_of("tool_outputs[0].output", "a string", "an integer"),
    ),
    Case(
        "runs.submit_tool_outputs",
        "one output not in a list",
        lambda w: w.runs.submit_tool_outputs(
            w.run, thread_id=w.busy, tool_outputs={"tool_call_id": w.call, "output": "x"}
        ),
        type_of("tool_outputs", "an array", "an object"),
    ),
    Case("runs.submit_tool_outputs", "outputs None", _submit(None), type_of("tool_outputs", "an array", "null")),
    Case(
        "runs.submit_tool_outputs",
        "outputs over 512 kB together (legacy answer)",
        lambda w: w.runs.submit_tool_outputs(
            w.run,
            thread_id=w.busy,
            tool_outputs=[
                {"tool_call_id": w.call, "output": "o" * 300_000},
                {"tool_call_id": "call_2", "output": "o" * 300_000},
            ],
        ),
        invalid(
            "'tool_outputs' too large: the combined tool outputs must be less than 512kb.",
            "tool_outputs",
            "invalid_value",
        ),
    ),
    Case(
        "runs.submit_tool_outputs",
        "an output field the API does not know",
        lambda w: w.runs.submit_tool_outputs(
            w.run, thread_id=w.busy, tool_outputs=[{"tool_call_id": w.call, "result": "x"}]
        ),
        unknown("tool_outputs[0].result"),
    ),
    Case(
        "runs.submit_tool_outputs",
        "an output given as text",
        _submit(["20C"]),
        type_of("tool_outputs[0]", "an object", "a string"),
    ),
    Case(
        "runs.submit_tool_outputs",
        "an empty run id",
        lambda w: w.runs.submit_tool_outputs("", thread_id=w.busy, tool_outputs=[]),
        empty_id("run_id"),
    ),
    Case(
        "runs.submit_tool_outputs_and_poll",
        "an output that is a list",
        lambda w: w.runs.submit_tool_outputs_and_poll(
            run_id=w.run, thread_id=w.busy, tool_outputs=[{"tool_call_id": w.call, "output": [1, 2]}]
        ),
        type_of("tool_outputs[0].output", "a string", "an array"),
    ),
    Case(
        "runs.submit_tool_outputs_and_poll",
        "an empty thread id",
        lambda w: w.runs.submit_tool_outputs_and_poll(run_id=w.run, thread_id="", tool_outputs=[]),
        empty_id("thread_id"),
    ),
    Case(
        "runs.submit_tool_outputs_stream",
        "both ids empty: the run's first, as the SDK checks them",
        lambda w: w.runs.submit_tool_outputs_stream(run_id="", thread_id="", tool_outputs=[]),
        empty_id("run_id"),
    ),
    Case(
        "runs.submit_tool_outputs_stream",
        "a call id that is a number",
        lambda w: w.runs.submit_tool_outputs_stream(
            run_id=w.run, thread_id=w.busy, tool_outputs=[{"tool_call_id": 5, "output": "x"}]
        ),
        type_of("tool_outputs[0].tool_call_id", "a string", "an integer"),
    ),
    Case(
        "steps.retrieve",
        "an empty step id",
        lambda w: w.runs.steps.retrieve("", thread_id=w.busy, run_id=w.run),
        empty_id("step_id"),
    ),
    Case(
        "steps.retrieve",
        "every id empty: the thread's first",
        lambda w: w.runs.steps.retrieve("", thread_id="", run_id=""),
        empty_id("thread_id"),
    ),
    Case(
        "steps.retrieve",
        "an empty run id",
        lambda w: w.runs.steps.retrieve(w.step, thread_id=w.busy, run_id=""),
        empty_id("run_id"),
    ),
    Case(
        "steps.retrieve",
        "an unknown include",
        lambda w: w.runs.steps.retrieve(w.step, thread_id=w.busy, run_id=w.run, include=["results"]),
        value_of("include[0]", "results", f"'{FILE_SEARCH_CONTENT}'"),
    ),
    Case("steps.list", "an empty run id", lambda w: w.runs.steps.list("", thread_id=w.busy), empty_id("run_id")),
    Case(
        "steps.list",
        "limit 0",
        lambda w: w.runs.steps.list(w.run, thread_id=w.busy, limit=0),
        below("limit", "integer", "1", "0"),
    ),
    Case(
        "steps.list",
        "an unknown order",
        lambda w: w.runs.steps.list(w.run, thread_id=w.busy, order="random"),
        value_of("order", "random", "'asc' and 'desc'"),
    ),
]

CREATE_AND_RUN_CASES = [
    Case(
        "threads.create_and_run",
        "a thread given as text",
        _thread_and_run(thread="Hi."),
        type_of("thread", "an object", "a string"),
    ),
    Case(
        "threads.create_and_run",
        "a thread field the API does not know",
        _thread_and_run(thread={"messages": [], "foo": 1}),
        unknown("thread.foo"),
    ),
    Case(
        "threads.create_and_run",
        "a system message in the thread",
        _thread_and_run(thread={"messages": [{"role": "system", "content": "x"}]}),
        value_of("thread.messages[0].role", "system", "'user' and 'assistant'"),
    ),
    Case(
        "threads.create_and_run",
        "thread metadata that is a number",
        _thread_and_run(thread={"metadata": {"k": 1}}),
        type_of("thread.metadata.k", "a string", "an integer"),
    ),
    Case(
        "threads.create_and_run",
        "21 files for the thread",
        _thread_and_run(thread={"tool_resources": {"code_interpreter": {"file_ids": ["f"] * 21}}}),
        too_many("thread.tool_resources.code_interpreter.file_ids", 20, 21),
    ),
    Case(
        "threads.create_and_run",
        "assistant id None",
        _thread_and_run(assistant_id=None),
        type_of("assistant_id", "a string", "null"),
    ),
    Case(
        "threads.create_and_run",
        "a function tool choice without its function",
        _thread_and_run(tool_choice={"type": "function"}),
        required("tool_choice.function"),
    ),
    Case(
        "threads.create_and_run",
        "json_schema response_format without json_schema",
        _thread_and_run(response_format={"type": "json_schema"}),
        required("response_format.json_schema"),
    ),
    Case(
        "threads.create_and_run",
        "an empty truncation_strategy",
        _thread_and_run(truncation_strategy={}),
        required("truncation_strategy.type"),
    ),
    Case(
        "threads.create_and_run",
        "two vector stores",
        _thread_and_run(tool_resources={"file_search": {"vector_store_ids": ["vs_1", "vs_2"]}}),
        too_many("tool_resources.file_search.vector_store_ids", 1, 2),
    ),
    Case(
        "threads.create_and_run_poll",
        "temperature over 2",
        lambda w: w.beta.threads.create_and_run_poll(assistant_id=w.assistant, temperature=3),
        above("temperature", "decimal", "2", "3"),
    ),
    Case(
        "threads.create_and_run_poll",
        "a poll interval as text",
        lambda w: w.beta.threads.create_and_run_poll(assistant_id=w.assistant, poll_interval_ms="x"),
        type_of("poll_interval_ms", "an integer", "a string"),
    ),
    Case(
        "threads.create_and_run_stream",
        "a tool of an unknown type",
        lambda w: w.beta.threads.create_and_run_stream(assistant_id=w.assistant, tools=[{"type": "retrieval"}]),
        value_of("tools[0].type", "retrieval", TOOL_TYPES),
    ),
    Case(
        "threads.create_and_run_stream",
        "an event handler that is a number",
        lambda w: w.beta.threads.create_and_run_stream(assistant_id=w.assistant, event_handler=5),
        type_of("event_handler", "an AssistantEventHandler", "an integer"),
    ),
]

CASES = ASSISTANT_CASES + THREAD_CASES + MESSAGE_CASES + RUN_CASES + CREATE_AND_RUN_CASES


def _refused(raised: BaseException, refusal: Refusal) -> None:
    """``raised`` is exactly the legacy refusal: class, message, and for an API error status and body."""
    assert type(raised) is refusal.error
    if not isinstance(raised, openai.APIStatusError):
        assert str(raised) == refusal.message
        return
    assert raised.status_code == refusal.status
    assert raised.message == f"Error code: {refusal.status} - {refusal.message}"
    assert raised.body == {
        "message": refusal.message,
        "type": "invalid_request_error",
        "param": refusal.param,
        "code": refusal.code,
    }
    assert (raised.param, raised.code) == (refusal.param, refusal.code)


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.method}: {c.what}") for c in CASES])
def test_a_bad_call_is_refused_the_legacy_way_with_nothing_sent_or_stored(
    case: Case, world: World, emulator: Emulator, db: Database
) -> None:
    sent, rows, before = len(emulator.requests), db.count(), db.dump()

    with pytest.raises(case.refusal.error) as caught:
        case.call(world)

    _refused(caught.value, case.refusal)
    assert len(emulator.requests) == sent, "a request reached the backend"
    assert db.count() == rows, "the store gained rows"
    assert db.dump() == before, "the store changed"


def test_the_suite_tries_every_legacy_method_with_over_a_hundred_distinct_calls() -> None:
    assert {case.method for case in CASES} == {p.method for p in params.PARAMETERS}
    assert len({(case.method, case.what) for case in CASES}) == len(CASES) >= 100


def test_every_parameter_but_the_ids_and_request_options_has_a_rule() -> None:
    """Ids of the URL are checked by their own rule (the SDK's ``ValueError``, the legacy 404); request options
    are the HTTP client's."""
    unchecked = {p.name for p in params.PARAMETERS if p.validate is None}
    assert unchecked == {"thread_id", "message_id", "step_id", "extra_headers", "extra_query", "extra_body", "timeout"}


_FILLERS: dict[str, object] = {
    "model": "gpt-4o",
    "role": "user",
    "content": "x",
    "assistant_id": "asst_1",
    "tool_outputs": [],
}
_EMPTY_ID_CALLS = [(method, empty) for method, ids in params.PATH_IDS.items() if ids for empty in (*ids, "every id")]


def _resource(beta: Any, method: str) -> Any:
    """``beta.threads.runs.create`` for ``"runs.create"``."""
    resource, name = method.split(".")
    path = {"messages": "threads.messages", "runs": "threads.runs", "steps": "threads.runs.steps"}
    target = beta
    for part in path.get(resource, resource).split("."):
        target = getattr(target, part)
    return getattr(target, name)


@pytest.mark.parametrize(("method", "empty"), _EMPTY_ID_CALLS, ids=[f"{m}: {e}" for m, e in _EMPTY_ID_CALLS])
def test_an_empty_id_is_the_sdks_own_value_error(method: str, empty: str, world: World) -> None:
    """The same ``ValueError`` as the SDK's method raises, for the same id (the SDK's order when all are empty)."""
    sdk = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1", max_retries=0)
    sdk_method = _resource(sdk.beta, method)
    signature = inspect.signature(sdk_method)
    required = [p.name for p in signature.parameters.values() if p.default is inspect.Parameter.empty]
    ids = params.PATH_IDS[method]
    kwargs = {name: _FILLERS.get(name, f"{name}_1") for name in required}
    kwargs.update({name: "" if empty in (name, "every id") else f"{name}_1" for name in ids})

    with pytest.raises(ValueError) as theirs, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's mark on the legacy methods
        sdk_method(**kwargs)
    with pytest.raises(ValueError) as ours:
        _resource(world.beta, method)(**kwargs)
    assert str(ours.value) == str(theirs.value)
    assert str(ours.value).startswith(f"Expected a non-empty value for `{empty if empty != 'every id' else ids[0]}`")


def test_the_sdks_own_models_are_read_as_their_json(world: World) -> None:
    """``tools=assistant.tools`` and the like worked with the SDK, which sent a model as its JSON."""
    assistant = world.beta.assistants.retrieve(world.assistant)
    copy = world.beta.assistants.create(model="gpt-4o", tools=assistant.tools)
    assert copy.tools == assistant.tools
    world.beta.assistants.delete(copy.id)


def test_a_model_of_another_shape_is_refused_naming_where_it_sits(world: World, emulator: Emulator) -> None:
    """A thread object where ``create_and_run`` takes a new thread's fields: the legacy API saw its JSON."""
    thread = world.beta.threads.retrieve(world.thread)
    sent = len(emulator.requests)
    with pytest.raises(openai.BadRequestError) as caught:
        world.beta.threads.create_and_run(assistant_id=world.assistant, thread=thread)
    _refused(caught.value, unknown("thread.id"))
    assert len(emulator.requests) == sent


# --- the async client: a sample ---------------------------------------------------------------------------

ASYNC_SAMPLE = [
    case
    for case in CASES
    if (case.method, case.what)
    in {
        ("assistants.create", "a tool of an unknown type is not coerced (legacy answer)"),
        ("assistants.update", "model None"),
        ("assistants.list", "limit 0"),
        ("threads.create", "a system message"),
        ("messages.create", "the role 'human' (legacy answer)"),
        ("messages.list", "an empty thread id"),
        ("runs.create", "a function tool choice without its function"),
        ("runs.create", "truncation_strategy without a type"),
        ("runs.retrieve", "an empty run id"),
        ("runs.submit_tool_outputs", "an output that is an object (not a string)"),
        ("runs.submit_tool_outputs_stream", "both ids empty: the run's first, as the SDK checks them"),
        ("steps.list", "limit 0"),
        ("threads.create_and_run", "a thread given as text"),
        ("runs.stream", "an event handler that is not one"),
    }
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.method}: {c.what}") for c in ASYNC_SAMPLE])
async def test_the_async_client_refuses_alike(case: Case, world: World, emulator: Emulator, db: Database) -> None:
    client = compat.AsyncOpenAI(**_client_options(emulator, db, is_async=True))
    async_world = replace(world, client=client)  # the same objects, through the async client
    sent, before = len(emulator.requests), db.dump()
    try:
        with pytest.raises(case.refusal.error) as caught:
            result = case.call(async_world)
            if hasattr(result, "__await__"):
                await result  # type: ignore[misc]
    finally:
        client.compat_context.store.close()
    _refused(caught.value, case.refusal)
    assert len(emulator.requests) == sent
    assert db.dump() == before
