"""The throwaway PostgreSQL helper: what happens on a machine without PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pg_server
import pytest


def no_binaries() -> Path:
    raise pg_server.PostgresNotFound("no initdb here")


def test_missing_binaries_skip_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_server, "find_bin_dir", no_binaries)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no initdb here"):
        next(pg_server.postgres_url_or_skip())


def test_missing_binaries_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_server, "find_bin_dir", no_binaries)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set and PostgreSQL is required: no initdb here"):
        next(pg_server.postgres_url_or_skip())
