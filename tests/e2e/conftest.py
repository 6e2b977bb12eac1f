"""Cassettes of the end-to-end tests live in ``<repo>/cassettes/<test module name>``."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(REPO / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])
