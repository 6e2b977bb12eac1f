"""``assistants-compat demo``: the README's first command, offline."""

from __future__ import annotations

import re

import pytest

from compat import cli

QUESTION = "What's the weather in San Francisco today and the likelihood it'll rain?"
ANSWER = "It is 57°F in San Francisco today, with a 6% chance of rain."
TEMPERATURE_CALL = 'tool call get_current_temperature({"location":"San Francisco, CA","unit":"Fahrenheit"})'
RAIN_CALL = 'tool call get_rain_probability({"location":"San Francisco, CA"})'


def test_demo_runs_both_examples_offline(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("COMPAT_STORE_URL", raising=False)

    assert cli.main(["demo"]) == 0

    lines = capsys.readouterr().out.splitlines()
    run_ids = {m.group(1) for line in lines if (m := re.fullmatch(r"run (run_\w+): \w+", line))}
    assert len(run_ids) == 1
    run_id = run_ids.pop()
    assert lines == [
        "== polling: runs.create_and_poll, runs.submit_tool_outputs_and_poll",
        f"user: {QUESTION}",
        f"run {run_id}: requires_action",
        TEMPERATURE_CALL,
        RAIN_CALL,
        "Tool outputs submitted successfully.",
        f"run {run_id}: completed",
        f"assistant: {ANSWER}",
        f"user: {QUESTION}",
        "== streaming: runs.stream with an AssistantEventHandler, submit_tool_outputs_stream",
        f"user: {QUESTION}",
        TEMPERATURE_CALL,
        RAIN_CALL,
        f"assistant: {ANSWER}",
    ]


def test_live_demo_needs_an_api_key(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    assert cli.main(["demo", "--live"]) == 2

    assert capsys.readouterr().err == "assistants-compat demo --live needs OPENAI_API_KEY\n"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2

    assert capsys.readouterr().out.startswith("usage: assistants-compat")
