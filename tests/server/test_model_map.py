"""The model map on the server: ``COMPAT_MODEL_MAP`` in the server's environment renames the models sent
upstream, while the legacy objects keep the names the caller's code used."""

from __future__ import annotations

import openai
import pytest

from compat.emulator import Emulator, Turn

from .conftest import API_KEY

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def model_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPAT_MODEL_MAP", '{"gpt-4": "provider/model-x"}')


def test_the_server_sends_the_mapped_model_and_shows_the_callers(server: str, emulator: Emulator) -> None:
    client = openai.OpenAI(api_key=API_KEY, base_url=server, max_retries=0)
    assistant = client.beta.assistants.create(model="gpt-4", instructions="Be brief.")
    emulator.queue(Turn.text("Hi."))

    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Hello"}]}
    )

    assert (assistant.model, run.model, run.status) == ("gpt-4", "gpt-4", "completed")
    sent = [r.json["model"] for r in emulator.requests if r.method == "POST" and r.path == "/responses"]
    assert sent == ["provider/model-x"]
