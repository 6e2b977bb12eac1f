"""``assistants-compat serve``: the legacy Assistants REST API as a server, for code in any language.

Point unchanged legacy code at it (``OPENAI_BASE_URL=http://127.0.0.1:8000/v1``): every path and method of the
Assistants API (``/v1/assistants``, ``/v1/threads``, runs, messages, steps...) answers with the legacy JSON,
errors and SSE streams, carried out by the library's async legacy surface (``compat.AsyncOpenAI().beta``)
with the caller's own credentials; every other ``/v1`` path goes to the upstream API unchanged.

Why Starlette and uvicorn: the server is a thin layer (one route per legacy operation, a catch-all forwarder,
SSE) over an async library whose calls already take the SDK's keyword arguments and validate them against the
parameter table. Starlette gives exactly that layer, routing, request streaming and ``StreamingResponse``,
without a second validation of bodies (FastAPI's pydantic request models would restate every legacy
parameter the SDK's signatures and our table already define, and answer FastAPI's 422 instead of the
legacy 400) and without its dependency weight; both run on anyio, as the library's async driver does.
uvicorn is the reference ASGI server, serves Starlette's streaming responses chunk by chunk, and runs
several worker processes (``--workers``) from an import string (:func:`app_from_env`).

Public API:

- ``create_app(config=None, *, store=None, http_client=None)``: the ASGI application (:mod:`._app`);
- ``ServerConfig``: upstream, store URL, CORS origins, body limit, client cache size; ``from_env()``;
- ``app_from_env()``: the application configured from the environment, the factory uvicorn's workers call;
- ``OPERATIONS``: the legacy operations served (the spec's ``operationId``, method, path, library method).
"""

from starlette.applications import Starlette

from ._app import create_app
from ._config import ServerConfig
from ._routes import OPERATIONS, Operation

__all__ = ["OPERATIONS", "Operation", "ServerConfig", "app_from_env", "create_app"]


def app_from_env() -> Starlette:
    """The application configured by the environment (``COMPAT_UPSTREAM_URL``, ``COMPAT_STORE_URL``, ...)."""
    return create_app(ServerConfig.from_env())
