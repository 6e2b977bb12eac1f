"""The ASGI application: legacy routes over the library, every other ``/v1`` path forwarded.

Per request (:func:`legacy_endpoint`): the caller's credentials (a 401 without a key), the ``OpenAI-Beta``
header (``assistants=v1`` refused; ``v2`` or none accepted), the body (size-limited, a JSON object), the
operation's keyword arguments, the library client for those credentials, the call, and its result as
legacy JSON or SSE. Whatever fails becomes the legacy error envelope (:mod:`._errors`).

Per process (:class:`ServerState`, set up by the lifespan): the one store, the one HTTP connection pool
(shared by the library clients and the forwarder) and the cache of library clients. At startup the
process's own OpenAI identity (``OPENAI_ORG_ID``, ``OPENAI_PROJECT_ID``, ``OPENAI_ADMIN_KEY``,
``OPENAI_CUSTOM_HEADERS``) is removed from its environment, where the SDK would pick it up for callers.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, cast

import anyio.to_thread
import httpx2
import openai
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._client import AsyncOpenAI
from ..store import Store, open_store
from ._config import ServerConfig
from ._credentials import ClientCache, Credentials
from ._errors import body_too_large, error_of, invalid_beta, invalid_json, invalid_url
from ._proxy import forward, upstream_target
from ._responses import LegacyJSONResponse
from ._routes import OPERATIONS, Operation
from ._sse import event_stream_response

__all__ = ["ServerState", "create_app", "error_response", "forward_endpoint", "legacy_endpoint", "read_limited"]

logger = logging.getLogger("compat.server")

Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass
class ServerState:
    """What every request of one process shares."""

    config: ServerConfig
    store: Store
    http: httpx2.AsyncClient
    clients: ClientCache


def create_app(
    config: ServerConfig | None = None,
    *,
    store: Store | None = None,
    http_client: httpx2.AsyncClient | None = None,
) -> Starlette:
    """The server application.

    ``config`` defaults to :meth:`ServerConfig.from_env`. The store is opened from ``config.store_url`` and
    the HTTP client created when the application starts, and both closed when it stops; a ``store`` or
    ``http_client`` given here is used instead and left open (its owner closes it).
    """
    settings = config if config is not None else ServerConfig.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncGenerator[None, None]:
        drop_server_identity()
        own_store = store is None
        shared_store = store if store is not None else await anyio.to_thread.run_sync(open_store, settings.store_url)
        http = http_client if http_client is not None else openai.DefaultAsyncHttpxClient()
        app.state.compat = ServerState(
            config=settings,
            store=shared_store,
            http=http,
            clients=ClientCache(_client_factory(settings, shared_store, http), settings.client_cache_size),
        )
        logger.info("serving the legacy Assistants API over %s", settings.upstream)
        try:
            yield
        finally:
            if http_client is None:
                await http.aclose()
            if own_store:
                await anyio.to_thread.run_sync(shared_store.close)

    routes = [Route(f"/v1{op.path}", legacy_endpoint(op), methods=[op.method]) for op in OPERATIONS]
    routes.append(Route("/v1/files/{file_id}", file_endpoint, methods=["GET"]))
    routes.append(Route("/v1/files/{file_id}/content", file_endpoint, methods=["GET"]))
    routes.append(Route("/v1/{path:path}", forward_endpoint, methods=_ALL_METHODS))
    routes.append(Route("/health", health, methods=["GET"]))
    cors = Middleware(
        CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=_ALL_METHODS, allow_headers=["*"]
    )
    middleware = [cors] if settings.cors_origins else []
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_exception},
    )
    # "/v1/assistants/" is no legacy path: an Invalid URL, as the API answered, not a redirect
    app.router.redirect_slashes = False
    return app


_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]


SERVER_IDENTITY_ENV_VARS = ("OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_ADMIN_KEY", "OPENAI_CUSTOM_HEADERS")
"""What the SDK would add to a client built without it (also when the library copies a client)."""


def drop_server_identity() -> None:
    """Remove the process's own OpenAI identity from the environment: it must never go upstream with a
    caller's request (the SDK reads these whenever a client is built or copied without them)."""
    found = [name for name in SERVER_IDENTITY_ENV_VARS if name in os.environ]
    for name in found:
        del os.environ[name]
    if found:
        logger.warning("ignoring %s: callers' requests carry only their own credentials", ", ".join(found))


def _client_factory(
    config: ServerConfig, store: Store, http: httpx2.AsyncClient
) -> Callable[[Credentials], AsyncOpenAI]:
    def build(credentials: Credentials) -> AsyncOpenAI:
        client = AsyncOpenAI(
            api_key=credentials.api_key,
            organization=credentials.organization,
            project=credentials.project,
            base_url=config.upstream,
            store=store,
            http_client=http,
            tenant="",  # each caller's own credentials, whatever COMPAT_TENANT says
        )
        # set again in case the environment changed since startup (see drop_server_identity)
        client.organization = credentials.organization
        client.project = credentials.project
        client.admin_api_key = None
        client._custom_headers = {}
        return client

    return build


def legacy_endpoint(operation: Operation) -> Endpoint:
    """The endpoint serving one legacy operation."""

    async def endpoint(request: Request) -> Response:
        state = _state(request)
        try:
            credentials = Credentials.from_headers(request.headers)
            _check_beta(request.headers.get("openai-beta"))
            body = await _json_body(request, state.config.max_body_bytes)
            arguments = operation.arguments(
                path=request.path_params, query=request.query_params.multi_items(), body=body
            )
            result = await operation.call(state.clients.get(credentials), arguments)
        except Exception as exc:
            return error_response(exc)
        if operation.is_stream(result):
            return event_stream_response(result)
        return LegacyJSONResponse(operation.to_json(result), headers=_request_id())

    endpoint.__name__ = operation.operation_id
    return endpoint


async def forward_endpoint(request: Request) -> Response:
    """Any other ``/v1`` path: on to the upstream (legacy resources excepted)."""
    state = _state(request)
    try:
        raw_path = cast(bytes, request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
        query = cast(bytes, request.scope.get("query_string", b"")).decode("latin-1")
        target = upstream_target(request.method, raw_path, query, state.config.upstream)
        Credentials.from_headers(request.headers)  # no key, nothing sent
        body = await read_limited(request, state.config.max_body_bytes)
        return await forward(request, body, target=target, http=state.http)
    except Exception as exc:
        return error_response(exc)


async def file_endpoint(request: Request) -> Response:
    """``GET /v1/files/{id}`` (and ``/content``): a file a run's code wrote (a ``cfile_`` id the legacy objects
    show) is read from its container by the library; any other file is forwarded."""
    file_id = str(request.path_params["file_id"])
    if not file_id.startswith("cfile_"):
        return await forward_endpoint(request)
    state = _state(request)
    try:
        files = state.clients.get(Credentials.from_headers(request.headers)).files
        if request.url.path.endswith("/content"):
            content = await files.content(file_id)
            media_type = content.response.headers.get("content-type", "application/octet-stream")
            return Response(content.content, media_type=media_type, headers=_request_id())
        return LegacyJSONResponse((await files.retrieve(file_id)).to_dict(), headers=_request_id())
    except Exception as exc:
        return error_response(exc)


async def health(request: Request) -> Response:
    """For load balancers: the process answers."""
    return LegacyJSONResponse({"status": "ok"})


def error_response(exc: Exception) -> Response:
    """The legacy envelope answering ``exc``, with its status."""
    status, body = error_of(exc)
    return LegacyJSONResponse(body, status_code=status, headers=_request_id())


async def _http_exception(request: Request, exc: Exception) -> Response:
    # Starlette's own 404 (no route) and 405 (a legacy path with another method)
    return error_response(invalid_url(request.method, request.url.path))


def _state(request: Request) -> ServerState:
    return cast(ServerState, request.app.state.compat)


def _check_beta(header: str | None) -> None:
    """``OpenAI-Beta: assistants=v2`` (or no header) is served; ``assistants=v1`` was retired."""
    if header and any(part.strip().lower() == "assistants=v1" for part in header.split(",")):
        raise invalid_beta()


async def read_limited(request: Request, limit: int) -> bytes:
    """The request body, refused with a 413 once it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise body_too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise body_too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _json_body(request: Request, limit: int) -> dict[str, Any]:
    """The JSON object of the body; ``{}`` when there is none."""
    raw = await read_limited(request, limit)
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise invalid_json() from None
    if not isinstance(body, dict):
        raise invalid_json()
    return cast(dict[str, Any], body)


def _request_id() -> dict[str, str]:
    return {"x-request-id": f"req_{secrets.token_hex(16)}"}
