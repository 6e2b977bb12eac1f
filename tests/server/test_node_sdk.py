"""The official Node SDK from npm against ``assistants-compat serve --emulator --script``: the function-calling
guide's JavaScript weather examples (polling with ``createAndPoll`` / ``submitToolOutputsAndPoll``, streaming
with ``runs.stream`` and an ``EventEmitter`` handler calling ``submitToolOutputsStream``), two parallel tool
calls, on the 4.x line legacy code pins and on the current major.

The npm packages live in ``tests/server/node/openai-v4`` and ``openai-v7`` (``npm ci`` there; ``.ci/run`` does
it). Without Node.js or those packages the tests are skipped, and fail when ``CI`` is set.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import skip_or_fail

from ._servers import run_node, serve_command

NODE = Path(__file__).parent / "node"
SCRIPT = NODE / "weather_script.json"
MAJORS = ["openai-v4", "openai-v7"]

QUESTION = "What's the weather in San Francisco today and the likelihood it'll rain?"
ANSWER = "It is 57°F in San Francisco today, with a 6% chance of rain."


def node_project(major: str) -> Path:
    """The folder of one SDK major, its npm packages installed (else skipped, or failed under ``CI``)."""
    if shutil.which("node") is None:
        skip_or_fail("Node.js", "node is not installed (apt-get install -y nodejs npm)")
    folder = NODE / major
    if not (folder / "node_modules" / "openai" / "package.json").is_file():
        skip_or_fail("the npm packages", f"run `npm ci` in {folder}")
    return folder


def run_example(major: str, example: str, tmp_path: Path) -> tuple[str, object]:
    """Run one guide example against a scripted server; its output and the value of its ``RESULT`` line."""
    folder = node_project(major)
    with serve_command("--emulator", "--script", str(SCRIPT), log=tmp_path / "serve.log") as base_url:
        done = run_node(
            folder / f"{example}.mjs", cwd=folder, env={"OPENAI_API_KEY": "sk-node-test", "OPENAI_BASE_URL": base_url}
        )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Error" not in done.stderr, done.stderr
    (result,) = [line.removeprefix("RESULT ") for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    return output, json.loads(result)


@pytest.mark.parametrize("major", MAJORS)
def test_polling_example(major: str, tmp_path: Path) -> None:
    output, messages = run_example(major, "polling", tmp_path)
    assert "requires_action" in output
    assert "Tool outputs submitted successfully." in output
    assert messages == [["assistant", ANSWER], ["user", QUESTION]]


@pytest.mark.parametrize("major", MAJORS)
def test_streaming_example(major: str, tmp_path: Path) -> None:
    _, seen = run_example(major, "streaming", tmp_path)
    assert isinstance(seen, dict)
    assert seen.pop("deltas") > 1  # the answer streamed in pieces
    assert seen == {
        "calls": ["getCurrentTemperature", "getRainProbability"],
        "text": ANSWER,
        "final": "thread.run.completed",
        "status": "completed",
    }
