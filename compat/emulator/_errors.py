"""The error envelope of the real API, raised inside the emulator and rendered by the router."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An HTTP error answered as ``{"error": {"message", "type", "param", "code"}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        """The JSON body of the error, exactly as the real API shapes it."""
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def not_found(kind: str, object_id: str, *, param: str | None = None, code: str | None = None) -> ApiError:
    """``404 {Kind} with id '...' not found.``"""
    return ApiError(404, f"{kind} with id '{object_id}' not found.", param=param, code=code)


def missing_parameter(param: str) -> ApiError:
    """``400 Missing required parameter: 'param'.``"""
    return ApiError(400, f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter")


def invalid_type(param: str, expected: str, got: object) -> ApiError:
    """``400 Invalid type for 'param': expected ..., but got ... instead.``"""
    return ApiError(
        400,
        f"Invalid type for '{param}': expected {expected}, but got {_json_type(got)} instead.",
        param=param,
        code="invalid_type",
    )


def invalid_value(param: str, message: str, *, code: str = "invalid_value") -> ApiError:
    """``400 Invalid value for 'param': ...``"""
    return ApiError(400, f"Invalid value for '{param}': {message}", param=param, code=code)


def array_too_long(param: str, maximum: int, length: int) -> ApiError:
    """``400 Invalid 'param': array too long.``"""
    return ApiError(
        400,
        f"Invalid '{param}': array too long. Expected an array with maximum length {maximum}, "
        f"but got an array with length {length} instead.",
        param=param,
        code="array_above_max_length",
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


class StreamCut(Exception):
    """Raised by an event stream scripted to break off, as a dropped connection would."""
