"""The pytest plugin installed with the package (``compat.pytest_plugin``), run on users' own test files.

Each test writes a user's test file into a fresh directory with no conftest and runs pytest on it
(``pytester``, in process but for the first): the plugin comes from the package's ``pytest11`` entry point
alone. Recording
talks to the emulator's HTTP server on 127.0.0.1, never to OpenAI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr.serializers.yamlserializer  # noqa: F401  # loaded once: pytester unloads what an in-process run imports

from compat.emulator import Emulator, RunningServer, serve
from compat.pytest_plugin import default_vcr_config

pytest_plugins = ["pytester"]

SECRET_KEY = "sk-proj-TOPSECRETKEY0123456789"
SECRET_ORG = "org-SECRETORGANIZATION"
SECRET_PROJECT = "proj_SECRETPROJECT"

USERS_FIXTURE_TESTS = """
import pytest
from compat.emulator import Turn


def test_a_legacy_run_on_the_emulator(compat_client, compat_emulator):
    compat_emulator.queue(Turn.text("Sunny in Paris."))
    assistant = compat_client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = compat_client.beta.threads.create(messages=[{"role": "user", "content": "Weather?"}])
    run = compat_client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert (assistant.id, run.id, run.created_at) == ("asst_0001", "run_0002", 1_700_000_000)
    assert run.status == "completed"
    messages = compat_client.beta.threads.messages.list(thread_id=thread.id)
    assert messages.data[0].content[0].text.value == "Sunny in Paris."
    assert thread.id == "conv_0001"


@pytest.mark.anyio
async def test_the_async_client(compat_async_client, compat_emulator):
    compat_emulator.queue(Turn.text("Hello."))
    assistant = await compat_async_client.beta.assistants.create(model="gpt-4o")
    run = await compat_async_client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Hi"}]}
    )
    assert (assistant.id, run.status) == ("asst_0001", "completed")


def test_each_test_gets_a_fresh_emulator(compat_client, compat_emulator):
    assert compat_emulator.requests == []
    assert compat_client.beta.assistants.list().data == []
"""

RECORDED_TEST = """
import os

import pytest
from compat import OpenAI


@pytest.fixture
def client(tmp_path):
    client = OpenAI(
        base_url=os.environ["UPSTREAM"],
        api_key=os.environ.get("OPENAI_API_KEY", "sk-replay"),
        organization=os.environ["OPENAI_ORG_ID"],
        project=os.environ["OPENAI_PROJECT_ID"],
        max_retries=0,
        store=f"sqlite:///{tmp_path / 'state.db'}",
    )
    yield client
    client.close()


@pytest.mark.vcr
def test_a_run(client):
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hello there"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    extra = os.environ.get("EXTRA_REQUEST")
    if extra == "caught":
        try:
            client.beta.threads.messages.create(thread_id=thread.id, role="user", content="one more")
        except Exception:
            pass
    elif extra == "raised":
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content="one more")
"""


@pytest.fixture
def upstream_emulator() -> Emulator:
    """The emulator behind ``upstream``: it refuses any other key."""
    return Emulator(api_key=SECRET_KEY)


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch, upstream_emulator: Emulator) -> Iterator[RunningServer]:
    """The emulator's HTTP server, as ``$UPSTREAM``; the credentials in the environment."""
    server = serve(upstream_emulator)
    monkeypatch.setenv("UPSTREAM", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET_KEY)
    monkeypatch.setenv("OPENAI_ORG_ID", SECRET_ORG)
    monkeypatch.setenv("OPENAI_PROJECT_ID", SECRET_PROJECT)
    try:
        yield server
    finally:
        server.close()


def record(pytester: pytest.Pytester, upstream: RunningServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """Record ``RECORDED_TEST`` against ``upstream``, stop it, forget the key; the cassette's text."""
    pytester.makepyfile(test_recorded=RECORDED_TEST)
    pytester.runpytest("--record-mode=once").assert_outcomes(passed=1)
    upstream.close()
    monkeypatch.delenv("OPENAI_API_KEY")
    return (pytester.path / "cassettes" / "test_recorded" / "test_a_run.yaml").read_text()


def test_a_users_test_file_gets_the_fixtures_with_no_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_users=USERS_FIXTURE_TESTS)
    assert not list(pytester.path.glob("**/conftest.py"))
    result = pytester.runpytest_subprocess()  # a fresh interpreter: the entry point alone brings the plugin
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["plugins: *assistants-compat-*"])


def test_a_recorded_cassette_holds_no_credentials_and_replays_offline(
    pytester: pytest.Pytester, upstream: RunningServer, upstream_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    cassette = record(pytester, upstream, monkeypatch)
    sent = upstream_emulator.requests[0].headers
    assert (sent["openai-organization"], sent["openai-project"]) == (SECRET_ORG, SECRET_PROJECT)
    assert any(name.startswith("x-stainless-") for name in sent)
    assert "interactions:" in cassette and "/v1/responses" in cassette
    for secret in (SECRET_KEY, SECRET_KEY[-8:], SECRET_ORG, SECRET_PROJECT):
        assert secret not in cassette
    for header in ("authorization", "openai-organization", "openai-project", "x-stainless", "cookie"):
        assert header not in cassette.lower()
    # the server is gone and the key forgotten: only the cassette can answer
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.parametrize("extra", ["raised", "caught"])
def test_a_request_missing_from_the_cassette_fails_the_test_loudly(
    pytester: pytest.Pytester, upstream: RunningServer, monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    record(pytester, upstream, monkeypatch)
    monkeypatch.setenv("EXTRA_REQUEST", extra)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    miss = re.compile(r"POST http://127\.0\.0\.1:\d+/v1/conversations/\S+/items is not in the cassette .*test_a_run")
    assert miss.search(output), output
    assert "one more" in output  # vcrpy's account of the request that differs from the recorded one
    if extra == "caught":  # the shim saw an APIConnectionError and the test swallowed it: still a failure
        assert "a request tried to leave for the network" in output


OFFLINE_TESTS = """
import socket

import pytest

ORIGINAL_CONNECT = socket.socket.connect


def try_to_connect():
    try:
        socket.create_connection(("192.0.2.1", 443), timeout=0.2)  # TEST-NET-1: never routed
    except Exception as error:
        return error


@pytest.mark.vcr
def test_replaying_a_cassette_closes_the_network():
    error = try_to_connect()
    assert type(error).__name__ == "NetworkBlockedError"


@pytest.mark.compat_offline
def test_the_marker_closes_the_network_and_lookups():
    with pytest.raises(OSError, match="DNS lookup of 'api.openai.com'"):
        socket.getaddrinfo("api.openai.com", 443)


def test_the_fixture_leaves_loopback_open(compat_offline):
    with socket.create_server(("127.0.0.1", 0)) as server:
        socket.create_connection(server.getsockname(), timeout=1).close()
        socket.create_connection(("localhost", server.getsockname()[1]), timeout=1).close()


def test_other_tests_keep_the_network():
    assert socket.socket.connect is ORIGINAL_CONNECT
"""


def test_replay_and_the_marker_close_the_network_and_fail_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_offline=OFFLINE_TESTS)
    result = pytester.runpytest("-rA")
    result.assert_outcomes(passed=2, failed=2)  # the two attempts fail their tests even though they were caught
    result.stdout.fnmatch_lines(
        [
            "*test_replaying_a_cassette_closes_the_network*",
            "*connection to 192.0.2.1:443: the network is closed during this test*",
            "*test_the_marker_closes_the_network_and_lookups*",
            "*DNS lookup of 'api.openai.com': the network is closed*",
        ],
        consecutive=False,
    )
    assert "PASSED test_offline.py::test_the_fixture_leaves_loopback_open" in result.stdout.str()
    assert "PASSED test_offline.py::test_other_tests_keep_the_network" in result.stdout.str()


def test_compat_offline_all_closes_the_network_for_every_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_everything="""
        import socket

        def test_unmarked():
            socket.getaddrinfo("example.com", 80)
        """
    )
    result = pytester.runpytest("-o", "compat_offline=all")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*DNS lookup of 'example.com'*"])
    assert pytester.runpytest("-o", "compat_offline=sometimes").ret == pytest.ExitCode.USAGE_ERROR


def test_the_plugins_vcr_config_is_the_default_and_a_conftest_replaces_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_config="""
        from compat.pytest_plugin import default_vcr_config

        def test_config(vcr_config):
            assert vcr_config.keys() == default_vcr_config().keys()
            assert "authorization" in vcr_config["filter_headers"]
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def vcr_config():
            return {"filter_headers": ["x-mine"]}
        """
    )
    pytester.makepyfile(
        test_config="""
        def test_config(vcr_config):
            assert vcr_config == {"filter_headers": ["x-mine"]}
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_this_projects_conftest_keeps_its_own_vcr_config(vcr_config: dict[str, Any]) -> None:
    assert "json_body" in vcr_config["match_on"]


def test_responses_lose_cookies_organization_and_project_before_they_are_written() -> None:
    drop = default_vcr_config()["before_record_response"]
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {
            "Set-Cookie": ["__cf_bm=secret"],
            "openai-organization": [SECRET_ORG],
            "openai-project": [SECRET_PROJECT],
            "x-request-id": ["req_1"],
        },
        "body": {"string": b"{}"},
    }
    assert drop(response)["headers"] == {"x-request-id": ["req_1"]}


def test_the_plugin_is_an_entry_point_of_the_package() -> None:
    from importlib.metadata import entry_points

    (plugin,) = [ep for ep in entry_points(group="pytest11") if ep.name == "assistants_compat"]
    assert plugin.value == "compat.pytest_plugin"
    assert Path(plugin.load().__file__).name == "pytest_plugin.py"


def test_the_migration_guides_example_records_then_replays_offline(
    pytester: pytest.Pytester, upstream: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = (Path(__file__).resolve().parents[2] / "MIGRATION.md").read_text()
    section = guide.split("## Proving nothing changed: record once, replay in CI", 1)[1].split("\n## ", 1)[0]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    pytester.makepyfile(test_assistant_regression=example)
    monkeypatch.setenv("OPENAI_BASE_URL", upstream.base_url)  # the emulator stands in for OpenAI
    pytester.runpytest("--record-mode=once").assert_outcomes(passed=3)
    upstream.close()
    monkeypatch.delenv("OPENAI_API_KEY")
    pytester.runpytest().assert_outcomes(passed=3)
    assert (pytester.path / "cassettes" / "test_assistant_regression" / "test_the_assistant_answers.yaml").exists()
