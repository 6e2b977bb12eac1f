"""``compat.AzureOpenAI`` / ``compat.AsyncAzureOpenAI``: legacy Azure code on Azure's v1 Responses and Conversations.

An Azure front in the test transport records every request as sent (URL, headers) and hands those under
``/openai/v1`` to the emulator; anything else gets a canned answer, so the SDK's own routes can be checked too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from compat import AsyncAzureOpenAI, AzureOpenAI, OpenAI
from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock
from compat.store.sqlite import SQLiteStore

ENDPOINT = "https://example-resource.openai.azure.com"
V1 = f"{ENDPOINT}/openai/v1"
KEY = "azure-key"
WEATHER = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}},
}


def _to_emulator(request: httpx2.Request) -> httpx2.Request | None:
    """The request as the emulator serves it (``/v1/...``), or ``None`` when it is not a v1 request."""
    _, v1, rest = request.url.path.partition("/openai/v1/")
    if not v1:
        return None
    params = [(k, v) for k, v in request.url.params.multi_items() if k != "api-version"]
    url = request.url.copy_with(path=f"/v1/{rest}", params=params)
    return httpx2.Request(request.method, url, headers=request.headers, content=request.content)


def _canned(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, json={"object": "list", "data": []}, request=request)


class AzureFront(httpx2.BaseTransport):
    """Records what the client sends; the emulator answers v1 requests."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = EmulatorTransport(emulator)
        self.sent: list[httpx2.Request] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.sent.append(request)
        forwarded = _to_emulator(request)
        if forwarded is None:
            return _canned(request)
        response = self.inner.handle_request(forwarded)
        response.read()
        return httpx2.Response(response.status_code, headers=response.headers, content=response.content)


class AsyncAzureFront(httpx2.AsyncBaseTransport):
    """The async twin of :class:`AzureFront`."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = AsyncEmulatorTransport(emulator)
        self.sent: list[httpx2.Request] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        self.sent.append(request)
        forwarded = _to_emulator(request)
        if forwarded is None:
            return _canned(request)
        response = await self.inner.handle_async_request(forwarded)
        await response.aread()
        return httpx2.Response(response.status_code, headers=response.headers, content=response.content)


def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


def azure(tmp_path: Path, front: AzureFront, **options: Any) -> AzureOpenAI:
    options = {"azure_endpoint": ENDPOINT, "api_key": KEY, "api_version": "2024-05-01-preview", **options}
    http = httpx2.Client(transport=front)
    return AzureOpenAI(**options, store=SQLiteStore(str(tmp_path / "azure.db")), http_client=http, max_retries=0)


def weather_flow(client: Any, emulator: Emulator) -> list[str]:
    """The legacy function-calling flow; the texts of the thread's messages."""
    beta = client.beta
    assistant = beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[WEATHER])
    thread = beta.threads.create(messages=[{"role": "user", "content": "Weather in Paris?"}])
    emulator.queue(Turn.function_calls(("get_weather", {})), Turn.text("Sunny."))
    run = beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=1)
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    outputs = [{"tool_call_id": call.id, "output": "22C"}]
    beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=outputs, poll_interval_ms=1
    )
    messages = beta.threads.messages.list(thread.id, order="asc")
    return [message.content[0].text.value for message in messages.data]


def openai_paths(tmp_path: Path) -> list[tuple[str, str]]:
    """(method, path) of the flow's requests through ``compat.OpenAI``, for comparison."""
    em = emulator()
    sent: list[httpx2.Request] = []

    def record(request: httpx2.Request) -> None:
        sent.append(request)

    http = httpx2.Client(transport=EmulatorTransport(em), event_hooks={"request": [record]})
    store = SQLiteStore(str(tmp_path / "openai.db"))
    weather_flow(OpenAI(api_key="sk", base_url="https://api.openai.com/v1", store=store, http_client=http), em)
    return [(request.method, request.url.path) for request in sent]


def test_the_legacy_flow_goes_to_azures_v1_api_with_the_api_key(tmp_path: Path) -> None:
    em = emulator()
    front = AzureFront(em)
    texts = weather_flow(azure(tmp_path, front), em)

    assert texts == ["Weather in Paris?", "Sunny."]
    assert str(front.sent[0].url) == f"{V1}/conversations"
    assert {str(request.url).split("/openai/v1/")[0] for request in front.sent} == {ENDPOINT}
    assert [(r.method, r.url.path) for r in front.sent] == [
        (method, "/openai" + path) for method, path in openai_paths(tmp_path)
    ]
    assert any(request.url.path == "/openai/v1/responses" for request in front.sent)
    for request in front.sent:
        assert request.headers["api-key"] == KEY
        assert "authorization" not in request.headers
        assert "api-version" not in request.url.params


@pytest.mark.anyio
async def test_the_async_client_goes_the_same_way(tmp_path: Path) -> None:
    em = emulator()
    front = AsyncAzureFront(em)
    client = AsyncAzureOpenAI(
        azure_endpoint=ENDPOINT,
        api_key=KEY,
        api_version="2024-05-01-preview",
        store=SQLiteStore(str(tmp_path / "azure.db")),
        http_client=httpx2.AsyncClient(transport=front),
        max_retries=0,
    )
    assistant = await client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    em.queue(Turn.text("Hello."))
    run = await client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=1
    )
    assert run.status == "completed"
    messages = await client.beta.threads.messages.list(thread.id)
    assert messages.data[0].content[0].text.value == "Hello."  # type: ignore[union-attr]
    assert str(front.sent[0].url) == f"{V1}/conversations"
    assert ("POST", f"{V1}/responses") in [(r.method, str(r.url)) for r in front.sent]
    assert all(r.url.path.startswith("/openai/v1/") and r.headers["api-key"] == KEY for r in front.sent)
    assert all("api-version" not in r.url.params for r in front.sent)


def test_a_deployment_and_the_sdks_other_routes_are_kept(tmp_path: Path) -> None:
    front = AzureFront(emulator())
    client = azure(tmp_path, front, azure_deployment="gpt-4o-prod")
    client.beta.threads.create()
    client.models.list()
    client.conversations.create()  # the caller's own Conversations and Responses calls go to v1 too
    thread_request, models_request, own_request = front.sent
    assert str(thread_request.url) == str(own_request.url) == f"{V1}/conversations"
    assert str(models_request.url) == f"{ENDPOINT}/openai/models?api-version=2024-05-01-preview"
    assert models_request.headers["api-key"] == KEY


def test_the_v1_api_versions_are_sent_there(tmp_path: Path) -> None:
    front = AzureFront(emulator())
    client = azure(tmp_path, front, api_version="preview")
    client.beta.threads.create()
    client.beta.threads.create(extra_query={"api-version": "latest"})
    assert [str(request.url) for request in front.sent] == [
        f"{V1}/conversations?api-version=preview",
        f"{V1}/conversations?api-version=latest",
    ]


def test_an_entra_id_token_is_sent_as_bearer(tmp_path: Path) -> None:
    front = AzureFront(emulator())
    client = azure(tmp_path, front, api_key=None, azure_ad_token_provider=lambda: "entra-token")
    client.beta.threads.create()
    (request,) = front.sent
    assert request.headers["authorization"] == "Bearer entra-token"
    assert "api-key" not in request.headers


def test_a_gateway_base_url_gets_v1_under_it(tmp_path: Path) -> None:
    front = AzureFront(emulator())
    client = azure(tmp_path, front, azure_endpoint=None, base_url="https://gateway.example.com/team-a/openai")
    client.beta.threads.create()
    assert str(front.sent[0].url) == "https://gateway.example.com/team-a/openai/v1/conversations"


def test_copies_keep_the_routes_and_the_store(tmp_path: Path) -> None:
    front = AzureFront(emulator())
    client = azure(tmp_path, front)
    assistant = client.beta.assistants.create(model="gpt-4o")
    copy = client.with_options(timeout=5)
    assert isinstance(copy, AzureOpenAI)
    assert copy.beta.assistants.retrieve(assistant.id) == assistant
    copy.beta.threads.create()
    assert str(front.sent[-1].url) == f"{V1}/conversations"


def test_raw_responses_show_the_v1_request(tmp_path: Path) -> None:
    front = AzureFront(emulator())
    response = azure(tmp_path, front).beta.threads.with_raw_response.create()
    assert str(response.http_request.url) == f"{V1}/conversations"
    assert json.loads(response.content)["object"] == "thread"


def test_the_sdks_api_version_rule_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_VERSION", raising=False)
    with pytest.raises(ValueError, match="api_version"):
        AzureOpenAI(azure_endpoint=ENDPOINT, api_key=KEY, store=SQLiteStore(str(tmp_path / "x.db")))
