"""Model names: what the legacy code says, and what is sent upstream.

Stored assistants name the models they were made with, and since the shutdown many of those are gone
too. A model map rewrites the names sent upstream, while legacy objects (assistants, runs) keep showing
the names the code used:

- ``OpenAI(model_map={"gpt-4": "gpt-4.1"})``, or ``COMPAT_MODEL_MAP='{"gpt-4": "gpt-4.1"}'`` in the
  environment (the argument wins, name by name), also for servers whose models are named otherwise
  (``{"gpt-4o": "openai/gpt-4o"}``);
- opt-in, ``OpenAI(map_retired_models=True)`` or ``COMPAT_MAP_RETIRED_MODELS=1``: the models OpenAI retired
  on 2026-10-23 go to the replacements its deprecations page recommended (:data:`RETIRED_MODELS`), unless
  the map names them. A retired name sent as it is is logged once per name, with its replacement.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Mapping
from typing import Any, cast

__all__ = ["MAP_ENV_VAR", "RETIRED_ENV_VAR", "RETIRED_MODELS", "ModelMap"]

logger = logging.getLogger(__name__)

MAP_ENV_VAR = "COMPAT_MODEL_MAP"
RETIRED_ENV_VAR = "COMPAT_MAP_RETIRED_MODELS"

RETIRED_MODELS: Mapping[str, str] = {
    "gpt-3.5-turbo": "gpt-5.6-terra",
    "gpt-3.5-turbo-0125": "gpt-5.6-terra",
    "gpt-4": "gpt-5.6-sol",
    "gpt-4-0613": "gpt-5.6-sol",
    "gpt-4-1106-preview": "gpt-5.6-sol",
    "gpt-4-turbo": "gpt-5.6-sol",
    "gpt-4-turbo-2024-04-09": "gpt-5.6-sol",
    "gpt-4o-2024-05-13": "gpt-5.6-sol",
    "o1": "gpt-5.6-sol",
    "o1-2024-12-17": "gpt-5.6-sol",
    "o3-mini": "gpt-5.6-sol",
    "o3-mini-2025-01-31": "gpt-5.6-sol",
    "o4-mini": "gpt-5.6-terra",
    "o4-mini-2025-04-16": "gpt-5.6-terra",
}
"""Models retired on 2026-10-23 and the replacement OpenAI's deprecations page recommended for each."""


def _from_environment() -> dict[str, str]:
    raw = os.environ.get(MAP_ENV_VAR, "").strip()
    if not raw:
        return {}
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"{MAP_ENV_VAR} must be a JSON object of model names: {error}") from error
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in cast(dict[object, object], value).items()
    ):
        raise ValueError(f'{MAP_ENV_VAR} must be a JSON object of model names, e.g. {{"gpt-4": "gpt-4.1"}}')
    return cast(dict[str, str], value)


class ModelMap:
    """Which model name goes upstream for each name the legacy code uses."""

    def __init__(self, names: Mapping[str, str] | None = None, *, map_retired: bool | None = None) -> None:
        """``names`` over ``COMPAT_MODEL_MAP``; ``map_retired`` (default ``COMPAT_MAP_RETIRED_MODELS``) adds
        :data:`RETIRED_MODELS` under both."""
        if map_retired is None:
            map_retired = os.environ.get(RETIRED_ENV_VAR, "").strip().lower() in ("1", "true", "yes")
        base = dict(RETIRED_MODELS) if map_retired else {}
        self.names: dict[str, str] = {**base, **_from_environment(), **dict(names or {})}
        self._warned: set[str] = set()
        self._lock = threading.Lock()

    def upstream(self, model: str) -> str:
        """The name to send for ``model``."""
        mapped = self.names.get(model)
        if mapped is not None:
            return mapped
        if model in RETIRED_MODELS:
            self._warn(model)
        return model

    def _warn(self, model: str) -> None:
        with self._lock:
            if model in self._warned:
                return
            self._warned.add(model)
        logger.warning(
            "model %r was retired on 2026-10-23; OpenAI recommends %r: map it with model_map={%r: %r}, "
            "COMPAT_MODEL_MAP, or map_retired_models=True",
            model,
            RETIRED_MODELS[model],
            model,
            RETIRED_MODELS[model],
        )
