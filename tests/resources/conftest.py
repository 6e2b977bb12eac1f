"""Fixtures shared by the resource tests: an in-process emulator with deterministic ids and clock."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from compat.emulator import Emulator, counter_ids, fixed_clock


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


def prefix_ids() -> Callable[[str], str]:
    """Deterministic legacy ids: one counter per prefix (``run_0001``, ``step_0001``, ``step_0002``...)."""
    counters: dict[str, itertools.count[int]] = {}
    return lambda prefix: f"{prefix}_{next(counters.setdefault(prefix, itertools.count(1))):04d}"


def legacy_usage(prompt: int, completion: int, *, cached: int = 0, reasoning: int = 0) -> dict[str, object]:
    """A legacy run or step usage, with the token details the Assistants API sent."""
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_token_details": {"cached_tokens": cached},
        "completion_tokens_details": {"reasoning_tokens": reasoning},
    }
