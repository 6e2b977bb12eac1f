"""Scale-out: several server processes (workers, or hosts behind a load balancer) share one PostgreSQL store.

Each server here is its own ``assistants-compat serve`` process; they share the store and the upstream
(an emulator), as hosts behind a load balancer would. Objects made through one are seen through another,
and one thread still has at most one active run, whichever process is asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx2
import pytest

from compat.emulator import Emulator

from ._servers import serve_command

pytestmark = pytest.mark.postgres

HEADERS = {"authorization": "Bearer sk-scale-out", "openai-beta": "assistants=v2"}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather for a location",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]},
    },
}


@pytest.fixture
def hosts(upstream: str, postgres_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two servers on one PostgreSQL store and one upstream: their base URLs."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(
                serve_command("--upstream", upstream, "--store", postgres_url, log=tmp_path / f"serve-{number}.log")
            )
            for number in range(2)
        ]


def fresh_request(method: str, url: str, **kwargs: object) -> httpx2.Response:
    """One request on its own connection (no keep-alive: a load balancer may send each anywhere)."""
    with httpx2.Client(headers=HEADERS, timeout=30) as client:
        return client.request(method, url, **kwargs)  # type: ignore[arg-type]


def test_objects_made_on_one_host_are_seen_on_the_other(hosts: list[str], emulator: Emulator) -> None:
    first, second = hosts
    assistant = fresh_request("POST", f"{first}/assistants", json={"model": "gpt-4o", "tools": [WEATHER_TOOL]}).json()
    thread = fresh_request("POST", f"{second}/threads", json={"messages": [{"role": "user", "content": "Hi"}]}).json()
    run = fresh_request("POST", f"{first}/threads/{thread['id']}/runs", json={"assistant_id": assistant["id"]}).json()
    assert run["status"] == "completed"
    assert fresh_request("GET", f"{second}/assistants/{assistant['id']}").json() == assistant
    assert fresh_request("GET", f"{second}/threads/{thread['id']}/runs/{run['id']}").json() == run
    steps = fresh_request("GET", f"{second}/threads/{thread['id']}/runs/{run['id']}/steps").json()["data"]
    assert [step["type"] for step in steps] == ["message_creation"]
    messages = fresh_request("GET", f"{first}/threads/{thread['id']}/messages", params={"order": "asc"}).json()
    assert [message["role"] for message in messages["data"]] == ["user", "assistant"]


def test_one_active_run_per_thread_across_hosts(hosts: list[str], emulator: Emulator) -> None:
    first, _ = hosts
    assistant = fresh_request("POST", f"{first}/assistants", json={"model": "gpt-4o", "tools": [WEATHER_TOOL]}).json()
    # the emulator's default model calls get_weather for this message: every run stops at requires_action
    message = {"role": "user", "content": "What is the weather in Paris?"}
    thread = fresh_request("POST", f"{first}/threads", json={"messages": [message]}).json()

    def create_run(number: int) -> httpx2.Response:
        url = f"{hosts[number % 2]}/threads/{thread['id']}/runs"
        return fresh_request("POST", url, json={"assistant_id": assistant["id"]})

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(create_run, range(12)))
    created = [answer.json() for answer in answers if answer.status_code == 200]
    refused = [answer.json() for answer in answers if answer.status_code != 200]
    assert len(created) == 1, [answer.text for answer in answers]
    assert created[0]["status"] == "requires_action"
    assert len(refused) == 11
    assert all(answer.status_code == 400 for answer in answers if answer.status_code != 200)
    assert all(f"already has an active run {created[0]['id']}" in error["error"]["message"] for error in refused)
    runs = fresh_request("GET", f"{hosts[1]}/threads/{thread['id']}/runs").json()["data"]
    assert [run["id"] for run in runs] == [created[0]["id"]]


def test_serve_with_several_workers(upstream: str, postgres_url: str, tmp_path: Path, emulator: Emulator) -> None:
    args = ("--workers", "2", "--upstream", upstream, "--store", postgres_url)
    with serve_command(*args, log=tmp_path / "serve.log") as base_url:

        def create(number: int) -> str:
            body = {"model": "gpt-4o", "name": f"assistant {number}"}
            return str(fresh_request("POST", f"{base_url}/assistants", json=body).json()["id"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = set(pool.map(create, range(24)))
        listed = fresh_request("GET", f"{base_url}/assistants", params={"limit": 100}).json()["data"]
        assert {assistant["id"] for assistant in listed} == ids
        assert len(ids) == 24
