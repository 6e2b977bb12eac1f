"""Model mapping: the names sent upstream change, the legacy objects keep the names the code used."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx2
import pytest

import compat
from compat.emulator import Emulator, EmulatorTransport, Turn, counter_ids, fixed_clock


def client(emulator: Emulator, tmp_path: Path, **options: Any) -> compat.OpenAI:
    return compat.OpenAI(
        api_key="test",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx2.Client(transport=EmulatorTransport(emulator)),
        store=f"sqlite:///{tmp_path / 'state.db'}",
        **options,
    )


def models_sent(emulator: Emulator) -> list[str]:
    return [r.json["model"] for r in emulator.requests if r.path == "/responses" and isinstance(r.json, dict)]


def run_once(sdk: compat.OpenAI, emulator: Emulator, model: str, *, stream: bool = False) -> str:
    assistant = sdk.beta.assistants.create(model=model, instructions="Help.")
    thread = sdk.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    emulator.queue(Turn.text("hello"))
    if stream:
        events = list(sdk.beta.threads.runs.create(thread.id, assistant_id=assistant.id, stream=True))
        (completed,) = [e.data for e in events if e.event == "thread.run.completed"]
        assert completed.model == model
    else:
        run = sdk.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        assert run.model == model
    assert sdk.beta.assistants.retrieve(assistant.id).model == model
    return models_sent(emulator)[-1]


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock())


@pytest.mark.parametrize("stream", [False, True], ids=["polled", "streamed"])
def test_the_map_rewrites_what_is_sent_only(emulator: Emulator, tmp_path: Path, stream: bool) -> None:
    sdk = client(emulator, tmp_path, model_map={"gpt-4o": "openai/gpt-4o"})
    assert run_once(sdk, emulator, "gpt-4o", stream=stream) == "openai/gpt-4o"


def test_the_map_can_come_from_the_environment(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPAT_MODEL_MAP", '{"gpt-4o": "from-env", "gpt-4.1": "also-env"}')
    sdk = client(emulator, tmp_path, model_map={"gpt-4.1": "from-argument"})
    assert run_once(sdk, emulator, "gpt-4o") == "from-env"
    assert run_once(sdk, emulator, "gpt-4.1") == "from-argument"


@pytest.mark.parametrize("value", ["not json", '["gpt-4"]', '{"gpt-4": 5}'])
def test_a_bad_map_in_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("COMPAT_MODEL_MAP", value)
    with pytest.raises(ValueError, match="COMPAT_MODEL_MAP must be a JSON object of model names"):
        compat.OpenAI(api_key="test", store="sqlite://:memory:")


def test_retired_models_map_to_their_replacement_when_asked(emulator: Emulator, tmp_path: Path) -> None:
    sdk = client(emulator, tmp_path, map_retired_models=True, model_map={"o1": "o-mine"})
    assert run_once(sdk, emulator, "gpt-4") == "gpt-5.6-sol"
    assert run_once(sdk, emulator, "gpt-3.5-turbo") == "gpt-5.6-terra"
    assert run_once(sdk, emulator, "o1") == "o-mine"


def test_a_retired_model_sent_as_it_is_is_logged_once(
    emulator: Emulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sdk = client(emulator, tmp_path)
    with caplog.at_level(logging.WARNING, logger="compat.models"):
        assert run_once(sdk, emulator, "gpt-4") == "gpt-4"
        assert run_once(sdk, emulator, "gpt-4") == "gpt-4"
        assert run_once(sdk, emulator, "gpt-4o") == "gpt-4o"
    assert [r.getMessage() for r in caplog.records] == [
        "model 'gpt-4' was retired on 2026-10-23; OpenAI recommends 'gpt-5.6-sol': map it with "
        "model_map={'gpt-4': 'gpt-5.6-sol'}, COMPAT_MODEL_MAP, or map_retired_models=True"
    ]
