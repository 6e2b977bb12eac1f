"""The built-in tools through the server with the stock Python ``openai`` SDK (no compat import).

- the code interpreter draws a chart (``serve --emulator --script FILE``): the message shows it as an
  ``image_file`` block whose id is the container file id, and ``files.content`` / ``files.retrieve`` on the
  server answer its bytes and a legacy ``FileObject``; an unknown container file id is a legacy 404; any
  other file id is the upstream's;
- the cookbook's retrieval flow: upload, vector store, assistant with ``file_search``, an answer whose
  citation marker and ``file_citation`` annotation go out as the legacy JSON;
- a streamed chart run whose handler downloads the chart as the message shows it.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import openai
import pytest
from openai import AssistantEventHandler
from openai.types import FileObject
from openai.types.beta.threads import ImageFile
from typing_extensions import override

from compat.emulator import AsyncEmulatorTransport, Emulator, Turn
from compat.server import ServerConfig, create_app

from ._servers import running_app, serve_command
from .conftest import API_KEY

# the SDK marks every legacy method deprecated, as it should: legacy code calls them anyway
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PNG = b"\x89PNG\r\n\x1a\nchart-bytes"
CODE = "plt.plot(x, x**2)\nplt.savefig('/mnt/data/chart.png')"
POLICY = "The warranty lasts two years from the date of purchase. Returns are accepted within 30 days."
MARKER = "【4:0†policy.txt】"
HOLD_SECONDS = 10.0


@pytest.fixture
def client(server: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(api_key=API_KEY, base_url=server, max_retries=0) as sdk:
        yield sdk


def not_found(message: str, param: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}}


def chart_file(file_id: str, *, created_at: int) -> dict[str, Any]:
    """The legacy ``FileObject`` of the chart the code wrote."""
    return {
        "id": file_id,
        "object": "file",
        "bytes": len(PNG),
        "created_at": created_at,
        "filename": "chart.png",
        "purpose": "assistants_output",
        "status": "processed",
        "expires_at": None,
        "status_details": None,
    }


def chart_run(client: openai.OpenAI) -> tuple[str, str]:
    """A code interpreter run drawing the chart: the file id its message shows, and the one its step shows."""
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Plot y = x^2"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    message = client.beta.threads.messages.list(thread.id, limit=1).data[0]
    text, shown = message.content
    assert text.type == "text" and text.text.model_dump() == {"value": "Here is the chart.", "annotations": []}
    assert shown.type == "image_file"
    code_step = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data[0]
    assert code_step.step_details.type == "tool_calls"
    (call,) = code_step.step_details.tool_calls
    assert call.type == "code_interpreter"
    image, logs = call.code_interpreter.outputs
    assert (call.code_interpreter.input, logs.model_dump()) == (CODE, {"type": "logs", "logs": "saved"})
    assert image.type == "image"
    return shown.image_file.file_id, image.image.file_id


def test_a_chart_is_downloaded_through_the_server_by_the_id_the_message_shows(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    chart = {"filename": "chart.png", "data": base64.b64encode(PNG).decode()}
    turn = {"code": CODE, "logs": "saved", "image": chart, "answer": "Here is the chart."}
    script.write_text(json.dumps([{"code_interpreter": turn}]))
    with (
        serve_command("--emulator", "--script", str(script), log=tmp_path / "serve.log") as base_url,
        openai.OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0) as client,
    ):
        shown, output = chart_run(client)
        assert shown.startswith("cfile_") and output == shown

        assert client.files.content(shown).read() == PNG
        retrieved = client.files.retrieve(shown)
        assert retrieved.model_dump() == chart_file(shown, created_at=retrieved.created_at)
        assert retrieved.created_at > 0

        # a container file id no run cited is the upstream's 404, in the legacy envelope
        for path in ("/files/cfile_x", "/files/cfile_x/content"):
            answer = httpx2.get(f"{base_url}{path}", headers={"authorization": f"Bearer {API_KEY}"}, timeout=30)
            assert (answer.status_code, answer.json()) == (404, not_found("No such File object: cfile_x", "id"))
        with pytest.raises(openai.NotFoundError) as caught:
            client.files.content("cfile_x")
        assert caught.value.body == not_found("No such File object: cfile_x", "id")["error"]

        # any other file is the upstream's own
        uploaded = client.files.create(file=("notes.txt", b"some notes"), purpose="assistants")
        assert uploaded.id.startswith("file-")
        assert client.files.retrieve(uploaded.id) == uploaded
        assert client.files.content(uploaded.id).read() == b"some notes"


def test_the_cookbook_retrieval_flow_through_the_server(
    client: openai.OpenAI, emulator: Emulator, http: httpx2.Client
) -> None:
    uploaded = client.files.create(file=("policy.txt", POLICY.encode()), purpose="assistants")
    vector_store = client.vector_stores.create(name="Policies", file_ids=[uploaded.id])
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        instructions="Answer from the policy.",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [vector_store.id]}},
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "How long does the warranty last?"}])
    emulator.queue(Turn.file_search(answer="The warranty lasts two years."))

    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"

    answer = http.get(f"/threads/{thread.id}/messages", params={"limit": 1})
    assert answer.status_code == 200
    (message,) = answer.json()["data"]
    value = f"The warranty lasts two years{MARKER}."
    assert message["content"] == [
        {
            "type": "text",
            "text": {
                "value": value,
                "annotations": [
                    {
                        "type": "file_citation",
                        "text": MARKER,
                        "start_index": 28,
                        "end_index": 28 + len(MARKER),
                        "file_citation": {"file_id": uploaded.id},
                    }
                ],
            },
        }
    ]
    # the cookbook's footnotes: the cited file retrieved by its id, from the upstream
    text = client.beta.threads.messages.retrieve(message["id"], thread_id=thread.id).content[0]
    assert text.type == "text"
    (citation,) = text.text.annotations
    assert citation.type == "file_citation"
    cited = client.files.retrieve(citation.file_citation.file_id)
    assert (text.text.value.replace(citation.text, "[0]"), cited.filename) == (
        "The warranty lasts two years[0].",
        "policy.txt",
    )


class HeldStream(httpx2.AsyncByteStream):
    """A response stream held before its ``response.completed`` event until ``gate`` is set (10 s at most);
    ``released`` gets ``True`` when the gate was set in time."""

    def __init__(self, inner: httpx2.AsyncByteStream, gate: threading.Event, released: list[bool]) -> None:
        self._inner = inner
        self._gate = gate
        self._released = released

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            if b'"response.completed"' in chunk:
                self._released.append(await anyio.to_thread.run_sync(self._gate.wait, HOLD_SECONDS))
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class HeldUpstream(httpx2.AsyncBaseTransport):
    """The emulator as the server's upstream, each response stream held as :class:`HeldStream` holds it."""

    def __init__(self, emulator: Emulator, gate: threading.Event) -> None:
        self._emulator = AsyncEmulatorTransport(emulator)
        self._gate = gate
        self.released: list[bool] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self._emulator.handle_async_request(request)
        if not isinstance(response.stream, httpx2.AsyncByteStream) or "text/event-stream" not in response.headers.get(
            "content-type", ""
        ):
            return response
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            stream=HeldStream(response.stream, self._gate, self.released),
            request=request,
        )


def test_a_streaming_handler_downloads_the_chart_through_the_server_before_the_run_ends(
    emulator: Emulator, tmp_path: Path
) -> None:
    # the upstream's response does not complete before the handler has downloaded the chart
    gate = threading.Event()
    config = ServerConfig(upstream="http://emulator.local/v1", store_url=f"sqlite:///{tmp_path / 'state.db'}")
    emulator.queue(Turn.code_interpreter(code=CODE, logs="saved", image=("chart.png", PNG), answer="Here."))
    downloads: list[tuple[str, bytes, FileObject]] = []
    held = HeldUpstream(emulator, gate)
    upstream = httpx2.AsyncClient(transport=held)
    try:
        with (
            running_app(create_app(config, http_client=upstream)) as base_url,
            openai.OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0) as client,
        ):

            class EventHandler(AssistantEventHandler):
                @override
                def on_image_file_done(self, image_file: ImageFile) -> None:
                    try:
                        data = client.files.content(image_file.file_id).read()
                        downloads.append((image_file.file_id, data, client.files.retrieve(image_file.file_id)))
                    finally:
                        gate.set()

            assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
            thread = client.beta.threads.create(messages=[{"role": "user", "content": "Plot y = x^2"}])
            with client.beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=assistant.id, event_handler=EventHandler()
            ) as stream:
                stream.until_done()
    finally:
        anyio.run(upstream.aclose)

    # the handler ran while the upstream response was held open, and released it
    assert held.released == [True]
    ((file_id, data, retrieved),) = downloads
    assert file_id.startswith("cfile_") and data == PNG
    assert retrieved.model_dump() == chart_file(file_id, created_at=retrieved.created_at)
    assert stream.get_final_run().status == "completed"
