"""An offline emulator of the OpenAI Responses and Conversations APIs, for tests and demos.

The ``Emulator`` keeps conversations, items and responses in memory and answers HTTP requests exactly as the
live service shapes them (ids, objects, list wrappers, error envelopes, SSE event sequences)::

    import httpx2, openai
    from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock

    emulator = Emulator(ids=counter_ids(), clock=fixed_clock())
    client = openai.OpenAI(
        api_key="test",
        base_url="http://emulator.local/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
    )
    emulator.queue(Turn.function_calls(("get_weather", {"location": "Paris"})), Turn.text("Sunny."))

Public API:

- ``Emulator(clock=..., ids=..., background_polls=1, api_key=None, models=None)``: ``clock()`` answers unix
  seconds, ``ids(prefix)`` a fresh id (defaults: real time, random ids shaped like the service's;
  ``fixed_clock()`` and ``counter_ids()`` make whole objects reproducible). A background response completes
  on its ``background_polls``-th retrieve. With ``api_key`` other keys get a 401; with ``models`` other models
  get a 400 ``model_not_found``.
- ``Emulator.queue(*turns)`` scripts the next responses; ``Emulator.requests`` logs every request received
  (``RecordedRequest(method, path without /v1, query, json)``); ``Emulator.conversation_items(id)``;
  ``Emulator.handle(method, path, query=, body=, headers=)`` is the transport-free entry point.
- ``Turn.text(*messages, reasoning=None)``, ``Turn.function_calls(("name", {args}), ("name", "{json}",
  "call_id"), ..., text=None)``, ``Turn.refusal(text)``, ``Turn.incomplete("max_output_tokens" |
  "content_filter", text=...)``, ``Turn.failure(code="server_error", message=..., http_status=None)``; each
  takes ``usage=Usage(...)`` and ``cut_after_events=N`` (the stream breaks off after N events, like a
  dropped connection); ``turn.cut_after(N)`` does the same.
- Built-in tools: ``Turn.file_search(answer=..., queries=[...], citations=["file-..." | FileCitation(...)],
  results=[FileSearchResult(...)])`` (a ``file_search_call``, then the answer with ``file_citation``
  annotations) and ``Turn.code_interpreter(code=..., answer=..., logs=..., image=(filename, bytes),
  files=[(filename, bytes)])`` (a ``code_interpreter_call`` in the request's container, whose files it writes,
  then the answer with ``container_file_citation`` annotations); results and outputs are sent as the request's
  ``include`` asks (see ``compat.emulator._build``).
- ``EmulatorTransport(emulator)`` / ``AsyncEmulatorTransport(emulator)``: in-process httpx2 transports.
- ``serve(emulator, host="127.0.0.1", port=0) -> RunningServer`` with ``.base_url`` and ``.close()``; and
  ``python -m compat.emulator --port N [--script FILE]``.
- ``load_script(path)`` / ``turns_from_script(data)``: turns from a JSON script (``[{"text": ...},
  {"function_calls": [...]}, {"file_search": {...}}, {"code_interpreter": {...}}, ...]``, see
  ``compat.emulator._script``); ``ScriptError`` names the bad turn.

Endpoints (under ``/v1``): ``POST /conversations``, ``GET|POST|DELETE /conversations/{id}``,
``POST|GET /conversations/{id}/items``, ``GET|DELETE /conversations/{id}/items/{item_id}``,
``POST /responses``, ``POST /responses/input_tokens``, ``GET|DELETE /responses/{id}``,
``GET /responses/{id}/input_items``, ``POST /responses/{id}/cancel``; ``POST|GET /files``,
``GET|DELETE /files/{id}``, ``GET /files/{id}/content``; ``POST|GET /vector_stores``,
``GET|POST|DELETE /vector_stores/{id}``, ``POST /vector_stores/{id}/search``, ``POST|GET /vector_stores/{id}/files``,
``GET|POST|DELETE /vector_stores/{id}/files/{file_id}``, ``GET .../files/{file_id}/content``,
``POST /vector_stores/{id}/file_batches``, ``GET .../file_batches/{batch_id}``, ``POST .../cancel``,
``GET .../file_batches/{batch_id}/files``; ``POST|GET /containers``, ``GET|DELETE /containers/{id}``,
``POST|GET /containers/{id}/files``, ``GET|DELETE /containers/{id}/files/{file_id}``, ``GET .../content``.

``Emulator.library`` (a ``Library``) holds the uploaded files, vector stores and containers; the built-in
tools use ``library.search(vector_store_ids, query, max_results=10) -> list[SearchHit]``,
``library.new_container(file_ids=..., name=...)``, ``library.add_container_file(container_id, filename=...,
data=...)``, ``library.container_files(id)`` and ``library.file(id) -> StoredFile | None`` (see
``compat.emulator._library`` for the lifecycle and the keyword index).

Without a queued turn, a rule-based model answers: tool outputs are quoted, function tools sharing a word
with the user's message are called, files of the ``file_search`` tool's vector stores sharing words with it
are searched and cited, a request to compute or plot runs code with the ``code_interpreter`` tool, anything
else is echoed (see ``compat.emulator._model``).
"""

from ._emulator import Emulator, EmulatorResponse, RecordedRequest
from ._ids import counter_ids, fixed_clock, random_ids, real_clock
from ._library import ContainerFile, Library, SearchHit, StoredFile
from ._script import ScriptError, load_script, turns_from_script
from ._server import RunningServer, serve
from ._transport import AsyncEmulatorTransport, EmulatorTransport
from ._turns import FileCitation, FileSearchResult, FunctionCall, Turn, TurnError, Usage

__all__ = [
    "AsyncEmulatorTransport",
    "ContainerFile",
    "Emulator",
    "EmulatorResponse",
    "EmulatorTransport",
    "FileCitation",
    "FileSearchResult",
    "FunctionCall",
    "Library",
    "RecordedRequest",
    "RunningServer",
    "ScriptError",
    "SearchHit",
    "StoredFile",
    "Turn",
    "TurnError",
    "Usage",
    "counter_ids",
    "fixed_clock",
    "load_script",
    "random_ids",
    "real_clock",
    "serve",
    "turns_from_script",
]
