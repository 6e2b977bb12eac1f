"""``benchmarks/server_load.py`` still runs (a few flows, one configuration) and prints real figures."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
NUMBER = r"([0-9][0-9,]*\.[0-9]+)"


def test_server_load_prints_its_figures(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    try:
        server_load = importlib.import_module("server_load")
        server_load.main(
            ["--flows", "3", "--concurrency", "2", "--workers", "1", "--stores", "sqlite", "--overhead-flows", "2"]
        )
    finally:
        for name in ("server_load", "_server"):
            sys.modules.pop(name, None)
    out = capsys.readouterr().out
    (row,) = re.findall(rf"^ +1  sqlite +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +([0-9]+)$", out, re.M)
    *figures, errors = row
    assert all(float(figure) > 0 for figure in figures), out
    assert errors == "0", out
    (overhead,) = re.findall(rf"server {NUMBER} ms/flow, in-process library {NUMBER} ms/flow", out)
    assert all(float(figure) > 0 for figure in overhead), out
