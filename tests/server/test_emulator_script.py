"""The emulator's JSON scripts: each turn form, the errors naming the bad turn, and ``--script`` on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from compat.emulator import Emulator, EmulatorTransport, FunctionCall, ScriptError, Turn, load_script, turns_from_script

SCRIPT: list[Any] = [
    {"text": "Hello."},
    {
        "function_calls": [
            {"name": "get_weather", "arguments": {"location": "Paris"}},
            {"name": "get_time", "arguments": '{"zone":"CET"}', "call_id": "call_fixed"},
        ],
        "text": "Let me check.",
    },
    {"refusal": "I can't help with that."},
    {"incomplete": "max_output_tokens", "text": "The answer was"},
    {"incomplete": "content_filter"},
    {"failure": {"code": "server_error", "message": "The model crashed."}},
    {"failure": {"code": "rate_limit_exceeded", "message": "Slow down.", "http_status": 429}},
]


def test_every_turn_form() -> None:
    assert turns_from_script(SCRIPT) == [
        Turn.text("Hello."),
        Turn.function_calls(
            FunctionCall("get_weather", '{"location":"Paris"}'),
            FunctionCall("get_time", '{"zone":"CET"}', "call_fixed"),
            text="Let me check.",
        ),
        Turn.refusal("I can't help with that."),
        Turn.incomplete("max_output_tokens", text="The answer was"),
        Turn.incomplete("content_filter"),
        Turn.failure(code="server_error", message="The model crashed."),
        Turn.failure(code="rate_limit_exceeded", message="Slow down.", http_status=429),
    ]


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ({"text": "x"}, "a script is a JSON list of turns, not an object"),
        (["hi"], 'turn 0: expected an object such as {"text": "..."}, got the string \'hi\''),
        (
            [{"text": "a"}, {}],
            "turn 1: a turn has exactly one of text, function_calls, refusal, incomplete, failure, file_search, "
            "code_interpreter; got none of them",
        ),
        (
            [{"refusal": "no", "failure": {"code": "x", "message": "y"}}],
            "turn 0: a turn has exactly one of text, function_calls, refusal, incomplete, failure, file_search, "
            "code_interpreter; got refusal and failure together",
        ),
        ([{"text": "a", "usage": 3}], "turn 0: unknown key 'usage' in a 'text' turn (it takes text)"),
        ([{"refusal": "no", "text": "a"}], "turn 0: unknown key 'text' in a 'refusal' turn (it takes refusal)"),
        ([{"text": 3}], "turn 0: 'text' must be a string, got the number 3"),
        ([{"text": ""}], "turn 0: 'text' must be a non-empty string, got the string ''"),
        ([{"function_calls": []}], "turn 0: 'function_calls' must be a non-empty list, got an empty list"),
        ([{"function_calls": {"name": "f"}}], "turn 0: 'function_calls' must be a non-empty list, got an object"),
        (
            [{"function_calls": [{"arguments": {}}]}],
            "turn 0: 'function_calls[0].name' must be a non-empty string, got null",
        ),
        (
            [{"function_calls": [{"name": "f", "arguments": "{not json"}]}],
            "turn 0: 'function_calls[0].arguments' is a string but not JSON: '{not json'",
        ),
        (
            [{"function_calls": [{"name": "f", "arguments": [1]}]}],
            "turn 0: 'function_calls[0].arguments' must be an object or a JSON string, got a list",
        ),
        (
            [{"function_calls": [{"name": "f", "args": {}}]}],
            "turn 0: unknown key 'args' in 'function_calls[0]' (it takes name, arguments, call_id)",
        ),
        (
            [{"incomplete": "too_long"}],
            "turn 0: 'incomplete' must be one of max_output_tokens, content_filter, got 'too_long'",
        ),
        ([{"failure": {"code": "x"}}], "turn 0: 'failure.message' must be a non-empty string, got null"),
        (
            [{"failure": {"code": "x", "message": "y", "http_status": 200}}],
            "turn 0: 'failure.http_status' must be an HTTP error status (400-599), got 200",
        ),
    ],
)
def test_bad_scripts_name_the_turn(script: object, message: str) -> None:
    with pytest.raises(ScriptError) as caught:
        turns_from_script(script)
    assert str(caught.value) == message


def test_load_script_names_the_file(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{"text": "Hi."}]))
    assert load_script(good) == [Turn.text("Hi.")]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"text": "Hi."}, {"refusal": 1}]))
    with pytest.raises(ScriptError, match=r"bad.json: turn 1: 'refusal' must be a non-empty string, got the number 1"):
        load_script(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    with pytest.raises(ScriptError, match=r"broken.json is not valid JSON"):
        load_script(broken)
    with pytest.raises(ScriptError, match=r"cannot read the script .*missing.json"):
        load_script(tmp_path / "missing.json")


def test_scripted_turns_then_the_default_model() -> None:
    emulator = Emulator()
    emulator.queue(*turns_from_script([{"text": "Scripted."}]))
    client = openai.OpenAI(
        api_key="test",
        base_url="http://emulator.local/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        max_retries=0,
    )
    assert client.responses.create(model="gpt-4o", input="hello").output_text == "Scripted."
    assert client.responses.create(model="gpt-4o", input="hello").output_text == "You said: hello"


def test_command_line_script(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"text": "From the script."}]))
    process = subprocess.Popen(
        [sys.executable, "-m", "compat.emulator", "--port", "0", "--script", str(script)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        base_url = line.strip().rsplit(" ", 1)[-1]
        client = openai.OpenAI(api_key="test", base_url=base_url, max_retries=0)
        deadline = time.monotonic() + 10
        while True:
            try:
                response = client.responses.create(model="gpt-4o", input="hello")
                break
            except openai.APIConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert response.output_text == "From the script."
        client.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stderr is not None
        process.stderr.close()


def test_command_line_bad_script(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"text": "ok"}, {"function_calls": []}]))
    result = subprocess.run(
        [sys.executable, "-m", "compat.emulator", "--port", "0", "--script", str(script)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert f"{script}: turn 1: 'function_calls' must be a non-empty list, got an empty list" in result.stderr
