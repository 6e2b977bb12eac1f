"""``assistants-compat serve`` on the command line: the scripted emulator, an explicit upstream, bad scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx2
import openai
import pytest

from compat.emulator import Emulator

from ._servers import free_port, serve_command

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_serve_emulator_plays_the_script_then_the_default_model(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"text": "Scripted hello."}]))
    with serve_command("--emulator", "--script", str(script), log=tmp_path / "serve.log") as base_url:
        client = openai.OpenAI(api_key="sk-cli", base_url=base_url, max_retries=0)
        assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
        replies = []
        for question in ("Hi!", "Hello again"):
            run = client.beta.threads.create_and_run_poll(
                assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": question}]}
            )
            reply = client.beta.threads.messages.list(thread_id=run.thread_id).data[0].content[0]
            assert reply.type == "text"
            replies.append(reply.text.value)
        assert replies == ["Scripted hello.", "You said: Hello again"]
        # the emulator's own endpoints are forwarded as any other /v1 path
        response = client.responses.create(model="gpt-4o", input="direct")
        assert response.output_text == "You said: direct"
    assert "OPENAI_BASE_URL=" in (tmp_path / "serve.log").read_text()


def test_serve_emulator_removes_its_temporary_store_when_stopped(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with serve_command("--emulator", log=tmp_path / "serve.log", env={"TMPDIR": str(temporary)}) as base_url:
        client = openai.OpenAI(api_key="sk-cli", base_url=base_url, max_retries=0)
        client.beta.assistants.create(model="gpt-4o")
        assert next(path.name for path in temporary.iterdir()).startswith("assistants-compat-serve-")
    # stopped with SIGTERM
    assert list(temporary.iterdir()) == []


def test_serve_over_an_explicit_upstream(tmp_path: Path, emulator: Emulator, upstream: str) -> None:
    store = f"sqlite:///{tmp_path / 'state.db'}"
    with serve_command("--upstream", upstream, "--store", store, log=tmp_path / "serve.log") as base_url:
        answer = httpx2.post(
            f"{base_url}/threads", json={"messages": [{"role": "user", "content": "hi"}]},
            headers={"authorization": "Bearer sk-upstream"},
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
    assert [request.path for request in emulator.requests][:1] == ["/conversations"]
    assert emulator.requests[0].headers["authorization"] == "Bearer sk-upstream"
    assert (tmp_path / "state.db").is_file()


def serve_fails(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "compat.cli", "serve", "--port", str(free_port()), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_a_bad_script_is_refused_naming_the_turn(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"text": "fine"}, {"failure": {"code": "server_error"}}]))
    done = serve_fails("--emulator", "--script", str(script))
    assert done.returncode == 2
    assert f"{script}: turn 1: 'failure.message' must be a non-empty string, got null" in done.stderr


def test_a_script_needs_the_emulator(tmp_path: Path) -> None:
    done = serve_fails("--script", str(tmp_path / "script.json"))
    assert done.returncode == 2
    assert "--script needs --emulator" in done.stderr


def test_help_names_every_option() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "compat.cli", "serve", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    for option in ("--host", "--port", "--upstream", "--workers", "--store", "--emulator", "--script", "--cors-origin"):
        assert option in done.stdout
