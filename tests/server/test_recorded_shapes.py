"""The objects the server sends have the fields the legacy API's did: compared, key for key, with objects of
the real API recorded in ``realwire/p6_legacy_assistants`` (openai-dotnet, 2025-2026, ``assistants=v2``).

Where the library's objects still differ from the recordings, the difference is listed in ``DEVIATIONS``
(the library builds the objects; the server sends them as they are): a fix there shows up here as a failure
to update this list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from compat.emulator import Emulator, Turn

from .test_wire import new_thread

RECORDINGS = "openai-dotnet__AssistantsTests_{}.json"

DEVIATIONS: dict[str, tuple[set[str], set[str]]] = {
    # (fields the server adds, fields it lacks)
    "thread.run.step": ({"expired_at"}, {"expires_at"}),  # the SDK's RunStep names it expired_at
    "thread.message": ({"status", "completed_at", "incomplete_at", "incomplete_details"}, set()),  # REST reads
}


def recorded_keys(realwire: Path, test: str, kind: str) -> set[str]:
    """The fields of the first object of this ``object`` kind in one recording (JSON bodies and list items)."""
    entries = json.loads((realwire / "p6_legacy_assistants" / RECORDINGS.format(test)).read_text())["Entries"]
    for entry in entries:
        body: Any = entry["ResponseBody"]
        if not isinstance(body, dict):
            continue
        for candidate in [body, *(body.get("data") or [])]:
            if isinstance(candidate, dict) and candidate.get("object") == kind:
                return set(candidate)
    raise AssertionError(f"no {kind} in {test}")


@pytest.fixture
def objects(http: httpx2.Client, emulator: Emulator) -> dict[str, dict[str, Any]]:
    """One of each legacy object, as the server sends it."""
    assistant_id, thread_id = new_thread(http)
    emulator.queue(Turn.text("Sunny."))
    run = http.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant_id}).json()
    return {
        "assistant": http.get(f"/assistants/{assistant_id}").json(),
        "thread": http.get(f"/threads/{thread_id}").json(),
        "thread.run": run,
        "thread.run.step": http.get(f"/threads/{thread_id}/runs/{run['id']}/steps").json()["data"][0],
        "thread.message": http.get(f"/threads/{thread_id}/messages").json()["data"][0],
    }


@pytest.mark.parametrize(
    ("kind", "test"),
    [
        ("assistant", "FunctionToolsWork"),
        ("thread", "BasicRunStepFunctionalityWorks"),
        ("thread.run", "FunctionToolsWork"),
        ("thread.run.step", "BasicRunStepFunctionalityWorks"),
        ("thread.message", "BasicMessageOperationsWork"),
    ],
)
def test_fields_are_the_recorded_ones(realwire: Path, objects: dict[str, dict[str, Any]], kind: str, test: str) -> None:
    ours, recorded = set(objects[kind]), recorded_keys(realwire, test, kind)
    added, lacking = DEVIATIONS.get(kind, (set(), set()))
    assert (ours - recorded, recorded - ours) == (added, lacking)
