"""``with_raw_response`` / ``with_streaming_response`` on the legacy resources: not available."""

from __future__ import annotations

from typing import NoReturn

__all__ = ["no_raw_response"]


def no_raw_response(name: str) -> NoReturn:
    """Raise the ``NotImplementedError`` that explains why ``name`` does not exist on the shim."""
    raise NotImplementedError(
        f"{name} is not available with assistants-compat: each legacy call becomes several Responses / "
        "Conversations requests (or none, for what the local store answers), so there is no single HTTP "
        "response to return. Call the method directly to get the parsed object."
    )
