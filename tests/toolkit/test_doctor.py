"""``assistants-compat doctor`` against the emulator's HTTP server and a temporary store.

The stored assistants are made by a ``compat.OpenAI`` with the same key and base URL as the doctor's, so
both land in the same tenant, as they would for a user checking their own setup.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import compat
from compat.cli import main
from compat.doctor import Check, Options, _shown_url, diagnose
from compat.emulator import Emulator, RunningServer, serve

KEY = "sk-proj-doctorKEY0123456789abcdef"


@pytest.fixture
def emulator() -> Emulator:
    """The upstream's emulator: it takes ``KEY`` only, and serves gpt-4o and gpt-5.6-sol."""
    return Emulator(api_key=KEY, models={"gpt-4o", "gpt-5.6-sol"})


@pytest.fixture
def upstream(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServer]:
    """The emulator's HTTP server, with ``KEY`` in the environment and no other setting."""
    for name in (
        "OPENAI_BASE_URL",
        "COMPAT_STORE_URL",
        "COMPAT_TENANT",
        "COMPAT_MODEL_MAP",
        "COMPAT_MAP_RETIRED_MODELS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    server = serve(emulator)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.db'}"


def store_assistants(upstream: RunningServer, store_url: str, *models: str) -> list[str]:
    """Assistants made the way the user's code makes them; their ids."""
    with compat.OpenAI(api_key=KEY, base_url=upstream.base_url, store=store_url) as client:
        ids = [client.beta.assistants.create(model=model).id for model in models]
        client.compat_context.store.close()
    return ids


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the command: its exit status and output."""
    status = main(["doctor", *args])
    return status, capsys.readouterr().out


def rows_of(checks: list[Check]) -> dict[str, tuple[str, str]]:
    return {check.name: (check.status, check.detail) for check in checks}


def test_a_healthy_setup_is_all_green(
    upstream: RunningServer, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (assistant,) = store_assistants(upstream, store_url, "gpt-4o")
    status, out = doctor(capsys, "--upstream", upstream.base_url, "--store", store_url)
    rows = rows_of(diagnose(Options(upstream=upstream.base_url, store=store_url)))
    assert status == 0, out
    assert out.splitlines()[-1] == "doctor: all checks passed"
    assert {name: state for name, (state, _) in rows.items()} == {
        "store": "ok",
        "store permissions": "ok",
        "store schema": "ok",
        "store tenant": "ok",
        "upstream": "ok",
        "upstream key": "ok",
        "conversations": "ok",
        "responses": "ok",
        "streaming": "ok",
        "model gpt-4o": "ok",
    }
    assert rows["store permissions"][1] == "0600"
    assert rows["store schema"][1] == "version 2 (current)"
    assert rows["store tenant"][1].endswith(
        "(fingerprint of the key, organization, project and base URL); 1 stored assistants"
    )
    assert rows["model gpt-4o"][1] == f"gpt-4o answers; used by {assistant}"
    assert rows["streaming"][1].startswith("gpt-4o: ") and rows["streaming"][1].endswith("up to response.completed")
    assert KEY not in out and KEY[-8:] not in out


def test_the_checks_leave_nothing_behind(upstream: RunningServer, emulator: Emulator, store_url: str) -> None:
    diagnose(Options(upstream=upstream.base_url, store=store_url))
    assert not Path(store_url.removeprefix("sqlite:///")).exists()  # no store file is made
    writes = [(r.method, r.path) for r in emulator.requests if r.method != "GET"]
    conversation = next(path for method, path in writes if method == "DELETE")
    assert writes == [
        ("POST", "/conversations"),
        ("DELETE", conversation),
        ("POST", "/responses"),
        ("POST", "/responses"),
    ]
    assert all(r.json["store"] is False for r in emulator.requests if r.path == "/responses")


def test_a_retired_model_is_flagged_with_its_replacement_until_it_is_mapped(
    upstream: RunningServer, store_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, retired = store_assistants(upstream, store_url, "gpt-4o", "gpt-4")
    status, out = doctor(capsys, "--upstream", upstream.base_url, "--store", store_url)
    assert status == 1
    width = len("store permissions")
    assert (
        f"{'model gpt-4':<{width}}  FAIL    retired on 2026-10-23 (used by {retired}); OpenAI recommends "
        """gpt-5.6-sol: COMPAT_MODEL_MAP='{"gpt-4": "gpt-5.6-sol"}' or COMPAT_MAP_RETIRED_MODELS=1"""
    ) in out.splitlines()
    assert out.splitlines()[-1] == "doctor: 1 check failed"

    monkeypatch.setenv("COMPAT_MAP_RETIRED_MODELS", "1")
    rows = rows_of(diagnose(Options(upstream=upstream.base_url, store=store_url)))
    assert rows["model gpt-4"] == ("ok", f"gpt-5.6-sol answers (sent as gpt-5.6-sol); used by {retired}")


def test_a_model_the_upstream_does_not_serve_fails(upstream: RunningServer, store_url: str) -> None:
    (assistant,) = store_assistants(upstream, store_url, "gpt-4o-mini")
    rows = rows_of(diagnose(Options(upstream=upstream.base_url, store=store_url, model="gpt-4o")))
    status, detail = rows["model gpt-4o-mini"]
    assert status == "FAIL"
    assert detail.startswith("400 model_not_found: ") and detail.endswith(f"; used by {assistant}")


def test_a_wrong_key_fails_the_key_check_with_exit_1_and_is_never_shown(
    upstream: RunningServer, store_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "sk-proj-WRONGkey9876543210zyxw"
    monkeypatch.setenv("OPENAI_API_KEY", wrong)
    status, out = doctor(capsys, "--upstream", upstream.base_url, "--store", store_url)
    assert status == 1
    rows = rows_of(diagnose(Options(upstream=upstream.base_url, store=store_url)))
    assert rows["upstream key"] == ("FAIL", "refused: 401 invalid_api_key")
    for name in ("conversations", "responses", "streaming"):
        assert rows[name] == ("skip", "not tried: refused: 401 invalid_api_key")
    assert wrong[:8] not in out and wrong[-4:] not in out and KEY[-4:] not in out


def test_no_key_at_all_fails(upstream: RunningServer, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    rows = rows_of(diagnose(Options(upstream=upstream.base_url, store=store_url)))
    assert rows["upstream key"] == ("FAIL", "OPENAI_API_KEY is not set")
    assert rows["responses"] == ("skip", "not tried: no key")


def test_store_files_others_can_read_and_schemas_from_the_future_fail(upstream: RunningServer, store_url: str) -> None:
    store_assistants(upstream, store_url, "gpt-4o")
    path = Path(store_url.removeprefix("sqlite:///"))
    os.chmod(path, 0o644)
    rows = rows_of(diagnose(Options(upstream=upstream.base_url, store=store_url)))
    assert rows["store permissions"] == ("FAIL", f"state.db is 0644: others may read it; chmod 600 {path}*")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    rows = rows_of(diagnose(Options(upstream=upstream.base_url, store=store_url)))
    assert rows["store schema"] == ("FAIL", "version 99, newer than this release's 2")
    assert rows["store tenant"] == ("ok", "the credentials' fingerprint; no stored assistants read")


def test_an_unreachable_postgresql_store_fails_without_showing_its_password(
    upstream: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://compat:s3cretPW@127.0.0.1:9/compat"
    status, out = doctor(capsys, "--upstream", upstream.base_url, "--store", url)
    assert status == 1
    assert "postgresql://compat:***@127.0.0.1:9/compat" in out
    assert "s3cretPW" not in out
    assert _shown_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_the_emulator_option_checks_the_demo_setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = doctor(capsys, "--emulator", "--store", f"sqlite:///{tmp_path / 'demo.db'}")
    assert status == 0, out
    assert "upstream       ok      in-process emulator" in out.splitlines()
