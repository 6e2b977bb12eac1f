"""The server over raw HTTP: credentials, the beta header, error envelopes, SSE framing, and forwarding."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2
import openai
import pytest
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.assistant_stream_event import ThreadRunCreated
from openai.types.beta.threads import Run
from starlette.requests import ClientDisconnect

from compat.emulator import Emulator, Turn
from compat.server import ServerConfig, create_app
from compat.server._responses import ClosingStreamingResponse
from compat.server._sse import frames

from ._servers import free_port, running_app
from .conftest import API_KEY

MISSING_KEY = {
    "error": {
        "message": "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if "
        "you're accessing the API from your browser and are prompted for a username and password. You can "
        "obtain an API key from https://platform.openai.com/account/api-keys.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
}

WEATHER_TOOLS = [
    {"type": "function", "function": {"name": "get_current_temperature", "parameters": {"type": "object"}}},
    {"type": "function", "function": {"name": "get_rain_probability", "parameters": {"type": "object"}}},
]

FRAME = re.compile(r"event: (?P<event>[a-z_.]+)\ndata: (?P<data>[^\n]+)")


def invalid_request(message: str, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def parse_sse(text: str) -> list[tuple[str, Any]]:
    """``(event, data)`` of every frame; each frame must be exactly one ``event:`` and one ``data:`` line."""
    assert text.endswith("\n\n"), text[-200:]
    parsed: list[tuple[str, Any]] = []
    for block in text[:-2].split("\n\n"):
        match = FRAME.fullmatch(block)
        assert match is not None, block
        data = match["data"]
        parsed.append((match["event"], data if data == "[DONE]" else json.loads(data)))
    return parsed


def new_thread(http: httpx2.Client, content: str = "What's the weather in Paris?") -> tuple[str, str]:
    """An assistant with the weather tools and a thread with one user message: their ids."""
    assistant = http.post(
        "/assistants", json={"model": "gpt-4o", "instructions": "You are a weather bot.", "tools": WEATHER_TOOLS}
    )
    thread = http.post("/threads", json={"messages": [{"role": "user", "content": content}]})
    assert assistant.status_code == thread.status_code == 200, (assistant.text, thread.text)
    return assistant.json()["id"], thread.json()["id"]


# --- credentials and headers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/assistants", {}),
        ("POST", "/threads/thread_x/runs", {}),
        ("GET", "/assistants", {"authorization": "Basic dXNlcjpwYXNz"}),
        ("GET", "/assistants", {"authorization": "Bearer"}),
        ("POST", "/responses", {}),
        ("GET", "/files", {"openai-organization": "org-x"}),
    ],
)
def test_no_key_is_the_legacy_401(
    anonymous: httpx2.Client, emulator: Emulator, method: str, path: str, headers: dict[str, str]
) -> None:
    answer = anonymous.request(method, path, headers=headers, json={"assistant_id": "asst_x"})
    assert (answer.status_code, answer.json()) == (401, MISSING_KEY)
    assert emulator.requests == []


def test_beta_header_v2_or_none_is_served_v1_refused(http: httpx2.Client) -> None:
    assert http.get("/assistants").status_code == 200
    assert http.get("/assistants", headers={"openai-beta": ""}).status_code == 200
    refused = http.get("/assistants", headers={"openai-beta": "assistants=v1"})
    assert (refused.status_code, refused.json()) == (
        400,
        invalid_request(
            "The v1 Assistants API has been deprecated. Please try again by setting the header "
            "'OpenAI-Beta: assistants=v2'. See the migration guide for more information: "
            "https://platform.openai.com/docs/assistants/migration.",
            code="invalid_beta",
        ),
    )


def test_legacy_calls_carry_the_callers_credentials_only(
    server_config: ServerConfig, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the server's own OpenAI settings must not reach the upstream with a caller's call
    monkeypatch.setenv("OPENAI_ORG_ID", "org-of-the-server")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-of-the-server")
    monkeypatch.setenv("OPENAI_CUSTOM_HEADERS", "X-Server-Secret: s3cret")
    with running_app(create_app(server_config)) as server:
        check_credentials_upstream(server, emulator)


def check_credentials_upstream(server: str, emulator: Emulator) -> None:
    with httpx2.Client(base_url=server, headers={"authorization": "Bearer sk-caller-one"}) as one:
        assistant_id, thread_id = new_thread(one)
        assert one.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant_id}).status_code == 200
    with httpx2.Client(
        base_url=server,
        headers={"authorization": "Bearer sk-caller-two", "openai-organization": "org-two", "openai-project": "p2"},
    ) as two:
        assistant_id, thread_id = new_thread(two)
        assert two.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant_id}).status_code == 200
    seen = {
        (r.headers.get("authorization"), r.headers.get("openai-organization"), r.headers.get("openai-project"))
        for r in emulator.requests
    }
    assert seen == {("Bearer sk-caller-one", None, None), ("Bearer sk-caller-two", "org-two", "p2")}
    assert not any("x-server-secret" in r.headers for r in emulator.requests)


@pytest.mark.parametrize(
    "other",
    [{"authorization": "Bearer sk-two"}, {"openai-organization": "org-other"}, {"openai-project": "proj-other"}],
    ids=["api key", "organization", "project"],
)
def test_other_callers_reach_none_of_a_callers_stored_objects(
    server: str, emulator: Emulator, other: dict[str, str]
) -> None:
    with (
        httpx2.Client(base_url=server, headers={"authorization": "Bearer sk-one"}) as one,
        httpx2.Client(base_url=server, headers={"authorization": "Bearer sk-one", **other}) as two,
    ):
        assistant_id, thread_id = new_thread(one)
        emulator.queue(Turn.text("Hello."))
        run = one.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant_id}).json()
        (step,) = one.get(f"/threads/{thread_id}/runs/{run['id']}/steps").json()["data"]
        refused = [
            ("GET", f"/assistants/{assistant_id}"),
            ("POST", f"/assistants/{assistant_id}"),
            ("DELETE", f"/assistants/{assistant_id}"),
            ("GET", f"/threads/{thread_id}/runs/{run['id']}"),
            ("POST", f"/threads/{thread_id}/runs/{run['id']}/cancel"),
            ("GET", f"/threads/{thread_id}/runs/{run['id']}/steps"),
            ("GET", f"/threads/{thread_id}/runs/{run['id']}/steps/{step['id']}"),
        ]
        for method, path in refused:
            answer = two.request(method, path, json={})
            assert answer.status_code == 404, (method, path, answer.text)
            assert answer.json()["error"]["message"].startswith("No "), (method, path)
        assert two.get("/assistants").json()["data"] == []
        assert two.get(f"/threads/{thread_id}/runs").json()["data"] == []
        assert one.get(f"/assistants/{assistant_id}").status_code == 200
        assert one.get(f"/threads/{thread_id}/runs/{run['id']}").json()["status"] == "completed"


# --- error envelopes ---------------------------------------------------------------------------------


def test_unknown_and_missing_body_fields_are_legacy_400s(http: httpx2.Client, emulator: Emulator) -> None:
    assistant_id, thread_id = new_thread(http)
    sent = len(emulator.requests)
    cases = [
        ("/assistants", {"model": "gpt-4o", "colour": "red"}, invalid_request(
            "Unknown parameter: 'colour'.", param="colour", code="unknown_parameter")),
        ("/assistants", {"name": "no model"}, invalid_request(
            "Missing required parameter: 'model'.", param="model", code="missing_required_parameter")),
        (f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "thread_id": thread_id}, invalid_request(
            "Unknown parameter: 'thread_id'.", param="thread_id", code="unknown_parameter")),
        (f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "timeout": 5}, invalid_request(
            "Unknown parameter: 'timeout'.", param="timeout", code="unknown_parameter")),
        (f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "include": []}, invalid_request(
            "Unknown parameter: 'include'.", param="include", code="unknown_parameter")),
        (f"/threads/{thread_id}/runs/run_x/cancel", {"now": True}, invalid_request(
            "Unknown parameter: 'now'.", param="now", code="unknown_parameter")),
    ]  # fmt: skip
    for path, body, expected in cases:
        answer = http.post(path, json=body)
        assert (answer.status_code, answer.json()) == (400, expected), path
    assert len(emulator.requests) == sent


def test_bodies_that_are_not_json_objects(http: httpx2.Client) -> None:
    bad_json = invalid_request(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
        "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
        "have trouble figuring out how to fix this, please contact us through our help center at "
        "help.openai.com.)"
    )
    for content in (b"{", b"[1, 2]", b'"text"'):
        answer = http.post("/assistants", content=content, headers={"content-type": "application/json"})
        assert (answer.status_code, answer.json()) == (400, bad_json)
    # no body at all is an empty object: a thread without messages
    assert http.post("/threads").json()["object"] == "thread"


def test_the_librarys_refusals_keep_their_status_and_body(http: httpx2.Client) -> None:
    missing = http.get("/threads/thread_missing")
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "invalid_request_error"
    assert "thread_missing" in missing.json()["error"]["message"]
    limit = http.get("/assistants", params={"limit": 500})
    assert (limit.status_code, limit.json()["error"]["param"]) == (400, "limit")
    not_a_number = http.get("/assistants", params={"limit": "many"})
    assert (not_a_number.status_code, not_a_number.json()["error"]["param"]) == (400, "limit")
    order = http.get("/assistants", params={"order": "sideways"})
    assert (order.status_code, order.json()["error"]["param"]) == (400, "order")


def test_upstream_errors_keep_their_status_and_body(http: httpx2.Client, emulator: Emulator) -> None:
    assistant_id, thread_id = new_thread(http)
    emulator.queue(Turn.failure(code="rate_limit_exceeded", message="Slow down.", http_status=429))
    answer = http.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant_id})
    assert answer.status_code == 429
    assert answer.json() == {
        "error": {
            "message": "Slow down.",
            "type": "invalid_request_error",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/nothing-here"),
        ("PUT", "/v1/assistants"),
        ("GET", "/v1/threads"),
        ("PATCH", "/v1/threads/thread_x/runs/run_x"),
        ("DELETE", "/v1/threads/thread_x/runs/run_x"),
        ("GET", "/v1"),
        ("GET", "/v2/assistants"),
        ("GET", "/"),
    ],
)
def test_paths_the_api_does_not_serve(server: str, emulator: Emulator, method: str, path: str) -> None:
    origin = server.removesuffix("/v1")
    answer = httpx2.request(method, origin + path, headers={"authorization": f"Bearer {API_KEY}"})
    assert (answer.status_code, answer.json()) == (404, invalid_request(f"Invalid URL ({method} {path})"))
    assert emulator.requests == []


@pytest.mark.parametrize("path", ["/v1/responses/../../admin", "/v1/files/%2e%2e/%2E%2E/secrets", "/v1/./responses"])
def test_dot_segments_are_never_forwarded(server: str, emulator: Emulator, path: str) -> None:
    status, body = raw_request(server, f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n")
    assert status == 404
    assert json.loads(body)["error"]["message"].startswith("Invalid URL (GET ")
    assert emulator.requests == []


def raw_request(server: str, request: str) -> tuple[int, bytes]:
    """Send ``request`` as written (no client normalising the path); the status and body."""
    address = urlsplit(server)
    with socket.create_connection((address.hostname or "127.0.0.1", address.port or 80), timeout=10) as sock:
        sock.sendall(request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", 1).encode())
        chunks: list[bytes] = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# --- body size ------------------------------------------------------------------------------------------


@pytest.mark.server_config(max_body_bytes=1000)
def test_bodies_over_the_limit_are_413(http: httpx2.Client, emulator: Emulator) -> None:
    big = {"model": "gpt-4o", "instructions": "x" * 2000}
    too_large = invalid_request("The request body is too large: this server accepts at most 1000 bytes.")
    for path in ("/assistants", "/responses"):
        answer = http.post(path, json=big)
        assert (answer.status_code, answer.json()) == (413, too_large)

        def chunks() -> Iterator[bytes]:
            yield json.dumps(big).encode()  # sent chunked: no Content-Length to refuse up front

        answer = http.post(path, content=chunks(), headers={"content-type": "application/json"})
        assert (answer.status_code, answer.json()) == (413, too_large)
    assert emulator.requests == []


# --- CORS ------------------------------------------------------------------------------------------------


def test_no_cors_unless_configured(http: httpx2.Client) -> None:
    preflight = http.options(
        "/assistants", headers={"origin": "https://app.example", "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers
    answer = http.get("/assistants", headers={"origin": "https://app.example"})
    assert "access-control-allow-origin" not in answer.headers


@pytest.mark.server_config(cors_origins=("https://app.example",))
def test_cors_for_the_configured_origins(http: httpx2.Client) -> None:
    preflight = http.options(
        "/assistants",
        headers={
            "origin": "https://app.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, openai-beta",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    answer = http.get("/assistants", headers={"origin": "https://app.example"})
    assert answer.headers["access-control-allow-origin"] == "https://app.example"
    other = http.get("/assistants", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


# --- SSE -------------------------------------------------------------------------------------------------


def test_streamed_run_is_the_legacy_sse_wire_format(http: httpx2.Client, emulator: Emulator) -> None:
    assistant_id, thread_id = new_thread(http)
    emulator.queue(
        Turn.function_calls(("get_current_temperature", {"location": "Paris"}), ("get_rain_probability", {})),
        Turn.text("Sunny, 22 degrees."),
    )
    answer = http.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant_id, "stream": True})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/event-stream; charset=utf-8"
    events = parse_sse(answer.text)
    names = [name for name, _ in events]
    assert names[:5] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
    ]
    assert set(names[5:-2]) == {"thread.run.step.delta"}
    assert names[-2:] == ["thread.run.requires_action", "done"]
    assert events[-1][1] == "[DONE]"
    run = events[-2][1]
    assert (run["object"], run["status"], run["thread_id"]) == ("thread.run", "requires_action", thread_id)
    calls = run["required_action"]["submit_tool_outputs"]["tool_calls"]
    assert [call["function"]["name"] for call in calls] == ["get_current_temperature", "get_rain_probability"]
    # deltas carry only what they hold: a call's id and name once, then argument fragments alone
    fragments = [data["delta"]["step_details"]["tool_calls"][0] for name, data in events if name.endswith(".delta")]
    assert [set(f) for f in fragments if "id" in f] == [{"index", "type", "id", "function"}] * 2
    assert all(set(f) == {"index", "type", "function"} for f in fragments if "id" not in f)
    assert all(set(f["function"]) == {"arguments"} for f in fragments if "id" not in f)

    outputs = [{"tool_call_id": call["id"], "output": "57"} for call in calls]
    answer = http.post(
        f"/threads/{thread_id}/runs/{run['id']}/submit_tool_outputs", json={"tool_outputs": outputs, "stream": True}
    )
    events = parse_sse(answer.text)
    names = [name for name, _ in events]
    assert names[:3] == ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress"]
    assert names[-4:] == ["thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done"]
    text = "".join(
        part["text"]["value"]
        for name, data in events
        if name == "thread.message.delta"
        for part in data["delta"]["content"]
    )
    assert text == "Sunny, 22 degrees."
    final = http.get(f"/threads/{thread_id}/runs/{run['id']}").json()
    assert final == events[-2][1]


def test_a_stream_broken_by_an_exception_ends_with_an_error_frame(http: httpx2.Client, emulator: Emulator) -> None:
    assistant_id, thread_id = new_thread(http)
    emulator.queue(Turn.failure(code="server_error", message="The upstream failed.", http_status=500))
    answer = http.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant_id, "stream": True})
    events = parse_sse(answer.text)
    assert events[0][0] == "thread.run.created"
    assert events[-1] == (
        "error",
        {"error": {"message": "The upstream failed.", "type": "server_error", "param": None, "code": "server_error"}},
    )
    assert "done" not in [name for name, _ in events]


def test_a_stream_refused_before_its_first_event_is_a_json_error(http: httpx2.Client) -> None:
    answer = http.post("/threads/thread_missing/runs", json={"assistant_id": "asst_missing", "stream": True})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.anyio
async def test_a_stream_is_closed_when_the_caller_goes_away() -> None:
    closed: list[bool] = []

    async def body() -> AsyncIterator[bytes]:
        try:
            for _ in range(10):
                yield b"event: x\ndata: {}\n\n"
        finally:
            closed.append(True)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            raise OSError("the caller went away")

    response = ClosingStreamingResponse(body(), media_type="text/event-stream")
    scope = {"type": "http", "asgi": {"spec_version": "2.4"}}
    with pytest.raises(ClientDisconnect):
        await response(scope, receive, send)  # type: ignore[arg-type]
    assert closed == [True]


class FakeStream:
    """An ``AsyncStream`` stand-in: its events, then ``error`` raised; remembers being closed."""

    def __init__(self, events: list[AssistantStreamEvent], error: Exception) -> None:
        self.events = events
        self.error = error
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[AssistantStreamEvent]:
        for event in self.events:
            yield event
        raise self.error

    async def close(self) -> None:
        self.closed = True


@pytest.mark.anyio
async def test_frames_of_a_failing_stream() -> None:
    run = Run.model_construct(id="run_1", object="thread.run", status="queued")
    created = ThreadRunCreated(event="thread.run.created", data=run)
    unexpected = FakeStream([created], RuntimeError("secret detail"))
    sent = [chunk async for chunk in frames(unexpected)]  # type: ignore[arg-type]
    assert sent == [
        b'event: thread.run.created\ndata: {"id":"run_1","object":"thread.run","status":"queued"}\n\n',
        b'event: error\ndata: {"error":{"message":"The server had an error while processing your request. Sorry '
        b'about that!","type":"server_error","param":null,"code":null}}\n\n',
    ]
    assert unexpected.closed
    request = httpx2.Request("POST", "https://upstream.invalid/v1/responses")
    unreachable = FakeStream([], openai.APIConnectionError(request=request))
    sent = [chunk async for chunk in frames(unreachable)]  # type: ignore[arg-type]
    assert sent == [
        b'event: error\ndata: {"error":{"message":"The upstream API could not be reached.","type":"server_error",'
        b'"param":null,"code":null}}\n\n'
    ]
    assert unreachable.closed


@pytest.mark.anyio
async def test_frames_close_the_stream_when_the_caller_goes_away() -> None:
    run = Run.model_construct(id="run_1", object="thread.run", status="queued")
    stream = FakeStream([ThreadRunCreated(event="thread.run.created", data=run)] * 3, RuntimeError("never reached"))
    sent = frames(stream)  # type: ignore[arg-type]
    await sent.__anext__()
    await sent.aclose()
    assert stream.closed
    await anyio.sleep(0)


# --- forwarding --------------------------------------------------------------------------------------------


def test_other_paths_are_forwarded_unchanged(http: httpx2.Client, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Forwarded."))
    answer = http.post(
        "/responses?extra=1",
        json={"model": "gpt-4o", "input": "hello"},
        headers={"openai-organization": "org-a", "openai-project": "proj-a", "x-custom": "kept"},
    )
    assert answer.status_code == 200
    assert answer.json()["object"] == "response"
    assert answer.json()["output"][0]["content"][0]["text"] == "Forwarded."
    received = emulator.requests[-1]
    assert (received.method, received.path, received.query) == ("POST", "/responses", {"extra": ["1"]})
    assert received.json == {"model": "gpt-4o", "input": "hello"}
    assert received.headers["authorization"] == f"Bearer {API_KEY}"
    assert (received.headers["openai-organization"], received.headers["openai-project"]) == ("org-a", "proj-a")
    assert received.headers["x-custom"] == "kept"

    missing = http.get("/responses/resp_missing")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Response with id 'resp_missing' not found."


def test_forwarded_streams_flow_through(http: httpx2.Client, emulator: Emulator) -> None:
    emulator.queue(Turn.text("Streamed through."))
    with http.stream("POST", "/responses", json={"model": "gpt-4o", "input": "hi", "stream": True}) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        text = "".join(answer.iter_text())
    assert text.startswith("event: response.created\n")
    assert "event: response.completed\n" in text


def test_unreachable_upstream_is_a_502(tmp_path: Path) -> None:
    config = ServerConfig(upstream=f"http://127.0.0.1:{free_port()}/v1", store_url=f"sqlite:///{tmp_path / 's.db'}")
    with (
        running_app(create_app(config)) as base_url,
        httpx2.Client(base_url=base_url, headers={"authorization": "Bearer k"}) as client,
    ):
        forwarded = client.post("/responses", json={"model": "gpt-4o", "input": "hi"})
        assert (forwarded.status_code, forwarded.json()["error"]["type"]) == (502, "server_error")
        legacy = client.post("/threads", json={})
        assert (legacy.status_code, legacy.json()["error"]["type"]) == (502, "server_error")
