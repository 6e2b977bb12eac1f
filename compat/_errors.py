"""Errors raised the way the legacy Assistants API raised them.

Legacy code catches ``openai.NotFoundError`` and ``openai.BadRequestError`` and reads ``.status_code``,
``.body``, ``.code`` and ``.param``. These helpers build those exceptions for conditions the shim detects
itself (unknown ids, bad arguments, a run in the wrong state), with the legacy error body::

    {"error": {"message": ..., "type": "invalid_request_error", "param": ..., "code": ...}}
"""

from __future__ import annotations

import httpx2
import openai

__all__ = ["bad_request", "not_found"]

_REQUEST = httpx2.Request("POST", "https://compat.invalid/v1")


def _body(message: str, param: str | None, code: str | None) -> dict[str, object]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def not_found(message: str, *, param: str | None = None) -> openai.NotFoundError:
    """A 404 as the legacy API answered for an unknown id, e.g. ``No thread found with id 'x'.``."""
    body = _body(message, param, None)
    response = httpx2.Response(404, json=body, request=_REQUEST)
    return openai.NotFoundError(f"Error code: 404 - {message}", response=response, body=body["error"])


def bad_request(message: str, *, param: str | None = None, code: str | None = None) -> openai.BadRequestError:
    """A 400 naming the offending parameter, as the legacy API answered for invalid arguments."""
    body = _body(message, param, code)
    response = httpx2.Response(400, json=body, request=_REQUEST)
    return openai.BadRequestError(f"Error code: 400 - {message}", response=response, body=body["error"])
