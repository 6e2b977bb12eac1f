"""The benchmark scripts still run (one flow each); their figures are not checked here."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
Loader = Callable[[str], ModuleType]


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loader]:
    monkeypatch.syspath_prepend(str(BENCHMARKS))

    def load(name: str) -> ModuleType:
        return importlib.import_module(name)

    yield load
    for name in ("weather", "stream_weather", "stream_translator", "_server"):
        sys.modules.pop(name, None)


def test_weather(load: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    load("weather").main(["-n", "1"])

    out = capsys.readouterr().out
    assert re.search(r"^shim: +5\.0 HTTP requests/flow", out, re.MULTILINE)
    assert re.search(r"^native: +5\.0 HTTP requests/flow", out, re.MULTILINE)
    assert "ratio (shim/native): requests 1.00x" in out


def test_stream_weather(load: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    load("stream_weather").main(["-n", "1"])

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines if "first text delta" in line and "added" not in line] == [
        "native Responses",
        "shim, handler",
        "shim, stream=True",
    ]
    assert sum("added: first text delta" in line for line in lines) == 2


def test_stream_translator(load: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    load("stream_translator").main(["-n", "1"])

    out = capsys.readouterr().out
    assert re.search(r"translated \d+ Responses events into \d+ legacy events", out)
