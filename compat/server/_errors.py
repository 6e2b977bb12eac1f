"""The legacy error envelope, and what the server answers for each failure.

Every error leaves the server as the legacy API's JSON body, with its status::

    {"error": {"message": "No thread found with id 'thread_x'.", "type": "invalid_request_error",
               "param": null, "code": null}}

Rules (:func:`error_of`):

- an ``openai.APIStatusError`` the library raised (its own 400/404 refusals, or the upstream's answer)
  keeps its status and body: ``.body`` is the inner error object;
- an upstream that cannot be reached is a 502 (a timeout a 504), ``server_error``;
- :class:`LegacyError` is what the server itself refuses (no key, unknown route, bad JSON, ...);
- anything else is a 500 ``server_error`` whose message says nothing of the cause (it is logged).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, cast

import openai

__all__ = [
    "LegacyError",
    "body_too_large",
    "envelope",
    "error_of",
    "invalid_beta",
    "invalid_json",
    "invalid_url",
    "missing_api_key",
    "missing_parameter",
    "unknown_parameter",
]

logger = logging.getLogger("compat.server")

SERVER_ERROR_MESSAGE = "The server had an error while processing your request. Sorry about that!"


def envelope(message: str, *, type: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    """``{"error": {"message", "type", "param", "code"}}``."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class LegacyError(Exception):
    """A refusal of the server itself, answered with ``status`` and the legacy envelope ``body``."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body["error"]["message"])
        self.status = status
        self.body = body


def _invalid_request(status: int, message: str, *, param: str | None = None, code: str | None = None) -> LegacyError:
    return LegacyError(status, envelope(message, type="invalid_request_error", param=param, code=code))


def missing_api_key() -> LegacyError:
    """401: the request has no ``Authorization: Bearer`` key (the legacy API's words)."""
    return _invalid_request(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if "
        "you're accessing the API from your browser and are prompted for a username and password. You can "
        "obtain an API key from https://platform.openai.com/account/api-keys.",
    )


def invalid_beta() -> LegacyError:
    """400: ``OpenAI-Beta: assistants=v1``, which the legacy API stopped serving before it closed."""
    return _invalid_request(
        400,
        "The v1 Assistants API has been deprecated. Please try again by setting the header "
        "'OpenAI-Beta: assistants=v2'. See the migration guide for more information: "
        "https://platform.openai.com/docs/assistants/migration.",
        code="invalid_beta",
    )


def invalid_url(method: str, path: str) -> LegacyError:
    """404 for a path (or method) the API does not serve: ``Invalid URL (GET /v1/foo)``."""
    return _invalid_request(404, f"Invalid URL ({method} {path})")


def invalid_json() -> LegacyError:
    """400: the body is not a JSON object."""
    return _invalid_request(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
        "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
        "have trouble figuring out how to fix this, please contact us through our help center at "
        "help.openai.com.)",
    )


def body_too_large(limit: int) -> LegacyError:
    """413: the body is larger than the server accepts."""
    return _invalid_request(413, f"The request body is too large: this server accepts at most {limit} bytes.")


def unknown_parameter(name: str) -> LegacyError:
    """400 for a body field the legacy method does not take."""
    return _invalid_request(400, f"Unknown parameter: '{name}'.", param=name, code="unknown_parameter")


def missing_parameter(name: str) -> LegacyError:
    """400 for a required body field that is absent."""
    return _invalid_request(
        400, f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter"
    )


def upstream_unreachable(exc: openai.APIConnectionError) -> LegacyError:
    """502 (504 for a timeout): the library could not reach the upstream API."""
    timeout = isinstance(exc, openai.APITimeoutError)
    message = "The upstream API timed out." if timeout else "The upstream API could not be reached."
    return LegacyError(504 if timeout else 502, envelope(message, type="server_error"))


def error_of(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The status and legacy envelope answering ``exc``."""
    if isinstance(exc, LegacyError):
        return exc.status, exc.body
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code, _status_error_body(exc)
    if isinstance(exc, openai.APIConnectionError):
        error = upstream_unreachable(exc)
        return error.status, error.body
    logger.error("unexpected error while serving a legacy call", exc_info=exc)
    return 500, envelope(SERVER_ERROR_MESSAGE, type="server_error")


def _status_error_body(exc: openai.APIStatusError) -> dict[str, Any]:
    body: object = exc.body
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            body = None
    if isinstance(body, Mapping) and "error" in body:
        body = cast("Mapping[str, Any]", body)["error"]
    default_type = "server_error" if exc.status_code >= 500 else "invalid_request_error"
    if not isinstance(body, Mapping):
        return envelope(exc.message, type=default_type)
    error = cast("Mapping[str, Any]", body)
    message = error.get("message")
    return envelope(
        message if isinstance(message, str) else exc.message,
        type=str(error.get("type") or default_type),
        param=_optional_str(error.get("param")),
        code=_optional_str(error.get("code")),
    )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)
