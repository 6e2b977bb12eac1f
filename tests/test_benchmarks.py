"""The benchmark scripts still run (one flow each) and report real figures.

Only the key lines are read, wherever they are in the output (the scripts may print more): each must be
there, and every count, time and rate in it must be positive, so that a benchmark that measured nothing
(no flow, no event) fails here. The timings themselves are not judged.
"""

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

NUMBER = r"([+-]?[0-9][0-9,]*(?:\.[0-9]+)?)"


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch) -> Iterator[Loader]:
    monkeypatch.syspath_prepend(str(BENCHMARKS))

    def load(name: str) -> ModuleType:
        return importlib.import_module(name)

    yield load
    for name in ("weather", "stream_weather", "stream_translator", "_server", "_profile"):
        sys.modules.pop(name, None)


def figures(pattern: str, out: str) -> list[float]:
    """The numbers (``NUMBER`` groups) of the one output line matching ``pattern`` from its start."""
    found = re.findall(f"^{pattern}", out, re.MULTILINE)
    assert len(found) == 1, f"expected one line matching {pattern!r} in:\n{out}"
    groups = found[0] if isinstance(found[0], tuple) else (found[0],)
    return [float(group.replace(",", "")) for group in groups]


def test_figures_reads_the_numbers_of_one_line() -> None:
    out = "header\nrate: 1,234.5 events/s in -2 ms\nfooter\n"
    assert figures(rf"rate: {NUMBER} events/s in {NUMBER} ms", out) == [1234.5, -2.0]
    with pytest.raises(AssertionError, match="expected one line"):
        figures(rf"missing {NUMBER}", out)


def test_weather(load: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    load("weather").main(["-n", "1"])

    out = capsys.readouterr().out
    assert figures(rf"weather flow x{NUMBER} against the emulator", out) == [1]
    for side in ("shim", "native"):
        requests, milliseconds = figures(rf"{side}: +{NUMBER} HTTP requests/flow +{NUMBER} ms/flow", out)
        assert requests == 5.0
        assert milliseconds > 0
    requests_ratio, time_ratio = figures(rf"ratio \(shim/native\): requests {NUMBER}x +time {NUMBER}x", out)
    assert requests_ratio == 1.0
    assert time_ratio > 0


def test_stream_weather(load: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    load("stream_weather").main(["-n", "1"])

    out = capsys.readouterr().out
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines if "first text delta" in line and "added" not in line] == [
        "native Responses",
        "shim, handler",
        "shim, stream=True",
    ]
    assert figures(rf"streamed weather flow x{NUMBER} against the emulator", out) == [1]
    for side in ("native Responses", "shim, handler", "shim, stream=True"):
        first, total = figures(rf"{re.escape(side)}: +first text delta +{NUMBER} ms +total +{NUMBER} ms", out)
        assert 0 < first <= total
    added = re.findall(
        rf"added: first text delta {NUMBER} ms \({NUMBER}x\), total {NUMBER} ms \({NUMBER}x\)", out, re.MULTILINE
    )
    assert len(added) == 2
    for _, first_ratio, _, total_ratio in added:
        assert float(first_ratio) > 0
        assert float(total_ratio) > 0


def test_stream_translator(load: Loader, capsys: pytest.CaptureFixture[str]) -> None:
    load("stream_translator").main(["-n", "1"])

    out = capsys.readouterr().out
    responses_events, legacy_events, seconds = figures(
        rf"translated {NUMBER} Responses events into {NUMBER} legacy events in {NUMBER} s", out
    )
    assert responses_events > 0
    assert legacy_events > 0
    assert seconds >= 0  # printed to the millisecond: a fast machine may print 0.000
    responses_rate, legacy_rate = figures(rf"throughput: {NUMBER} Responses events/s \({NUMBER} legacy events/s\)", out)
    assert responses_rate > 0
    assert legacy_rate > 0
