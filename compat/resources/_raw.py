"""``with_raw_response`` / ``with_streaming_response`` on the legacy resources: not available.

Each legacy call becomes several Responses / Conversations requests (or none, for what the local store
answers), so there is no single HTTP response to hand back.
"""

from __future__ import annotations

from typing import ClassVar, NoReturn

__all__ = ["NoRawResponse"]


def _no_raw_response(name: str) -> NoReturn:
    """Raise the ``NotImplementedError`` that explains why ``name`` does not exist on the shim."""
    raise NotImplementedError(
        f"{name} is not available with assistants-compat: each legacy call becomes several Responses / "
        "Conversations requests (or none, for what the local store answers), so there is no single HTTP "
        "response to return. Call the method directly to get the parsed object."
    )


class NoRawResponse:
    """Put before the SDK resource class in the bases: its raw and streaming-response views then raise.

    ``_legacy_path`` names the resource as users reach it (``client.beta.assistants``), for the message.
    """

    _legacy_path: ClassVar[str]

    @property
    def with_raw_response(self) -> NoReturn:
        """Not available: the shim answers parsed objects only (there is no HTTP response to show)."""
        _no_raw_response(f"{self._legacy_path}.with_raw_response")

    @property
    def with_streaming_response(self) -> NoReturn:
        """Not available: the shim answers parsed objects only (there is no HTTP response to stream)."""
        _no_raw_response(f"{self._legacy_path}.with_streaming_response")
