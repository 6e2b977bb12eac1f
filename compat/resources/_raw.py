"""``with_raw_response`` / ``with_streaming_response`` on the legacy resources: not available.

Each legacy call becomes several Responses / Conversations requests (or none, for what the local store
answers), so there is no single HTTP response to hand back.
"""

from __future__ import annotations

from typing import ClassVar, NoReturn

from .._errors import no_raw_response

__all__ = ["NoRawResponse"]


class NoRawResponse:
    """Put before the SDK resource class in the bases: its raw and streaming-response views then raise.

    ``_legacy_path`` names the resource as users reach it (``client.beta.assistants``), for the message.
    """

    _legacy_path: ClassVar[str]

    @property
    def with_raw_response(self) -> NoReturn:
        """Not available: the shim answers parsed objects only (there is no HTTP response to show)."""
        raise no_raw_response(f"{self._legacy_path}.with_raw_response")

    @property
    def with_streaming_response(self) -> NoReturn:
        """Not available: the shim answers parsed objects only (there is no HTTP response to stream)."""
        raise no_raw_response(f"{self._legacy_path}.with_streaming_response")
