"""The installed openai SDK's own tests of the legacy resources, run against the compat clients.

The SDK's source distribution (not its wheel) ships its generated resource tests: every method of
``client.beta.assistants``, ``client.beta.threads``, ``threads.messages``, ``threads.runs`` and
``threads.runs.steps``, called plain, through ``with_raw_response`` and through ``with_streaming_response``,
sync and async, with the smallest and with every argument. This module runs them, unchanged, against
``compat.OpenAI`` / ``compat.AsyncOpenAI`` over the emulator:

1. the SDK's sdist for the installed version, which ``fetch_sdk_tests.py`` downloads beforehand into
   ``$XDG_CACHE_HOME/assistants-compat/openai-sdist/<version>/`` (``.ci/run`` runs it; the tests themselves
   download nothing). Without it the tests are skipped, and fail when ``CI`` is set;
2. the five test files and the helpers they import (``tests/utils.py``, the packages' ``__init__.py``) are
   extracted to a temporary folder, with ``conftest_sdk.py`` as their ``tests/conftest.py`` in place of the
   SDK's own (its fixtures are the only thing adapted, see that module) and a ``pytest.ini`` of our own;
3. pytest runs them in a subprocess, so that nothing of theirs reaches this session, and reports to a JUnit
   XML file, read back here.

The outcome is asserted exactly: every SDK test passes except those of :data:`EXPECTED_FAILURES`, and each of
those fails with its documented error. An entry that starts passing fails the check too: take it out of the
list (the list only shrinks as the library grows). A newer SDK brings its own tests; the same rules hold.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import skip_or_fail

from sdk.fetch_sdk_tests import cache_dir, cached_sdist

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "conftest_sdk.py"

SDK_TEST_FILES = (
    "tests/api_resources/beta/test_assistants.py",
    "tests/api_resources/beta/test_threads.py",
    "tests/api_resources/beta/threads/test_messages.py",
    "tests/api_resources/beta/threads/test_runs.py",
    "tests/api_resources/beta/threads/runs/test_steps.py",
)
"""The SDK's tests of the legacy resources, as the sdist holds them."""

SDK_SUPPORT_FILES = (
    "tests/__init__.py",
    "tests/utils.py",
    "tests/api_resources/__init__.py",
    "tests/api_resources/beta/__init__.py",
    "tests/api_resources/beta/threads/__init__.py",
    "tests/api_resources/beta/threads/runs/__init__.py",
)
"""What the test files import from the SDK's test tree (``from tests.utils import assert_matches_type``)."""

PYTEST_INI = """\
[pytest]
# the SDK's async tests carry no marker (its conftest marks them for pytest-asyncio): anyio runs them all
anyio_mode = auto
xfail_strict = true
filterwarnings =
    error
# the compat pytest plugin closes the network for every test: everything must come from the emulator
compat_offline = all
"""

RUN_TIMEOUT = 900


# -- the expected failures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedFailure:
    """SDK tests that fail on purpose, or until a feature is emulated, with the error they fail with.

    ``tests`` are ``<file under tests/api_resources>::<class>::<test>``, standing for every parametrization of
    the test (``loose``, ``strict`` and, async, ``aiohttp``), or a full id with its ``[parameter]``.
    """

    reason: str
    error: str
    tests: tuple[str, ...]


def _both(path: str, sync_class: str, *names: str) -> tuple[str, ...]:
    """``names`` of ``path`` in the sync test class and in its ``Async`` twin."""
    async_class = sync_class.replace("Test", "TestAsync", 1)
    return tuple(f"{path}::{cls}::{name}" for cls in (sync_class, async_class) for name in names)


_SUBMIT_WITHOUT_CALL_ID = tuple(
    f"test_{kind}_submit_tool_outputs_overload_{overload}"
    for overload in (1, 2)
    for kind in ("method", "raw_response", "streaming_response")
)

EXPECTED_FAILURES: tuple[ExpectedFailure, ...] = (
    ExpectedFailure(
        reason=(
            "legacy behaviour: the SDK's tests list with limit=0, which the legacy API refused (1 to 100) with "
            "this 400; the parameter table checks it (compat/validate.py, limit)"
        ),
        error="Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead.",
        tests=(
            *_both("beta/test_assistants.py", "TestAssistants", "test_method_list_with_all_params"),
            *_both("beta/threads/test_messages.py", "TestMessages", "test_method_list_with_all_params"),
            *_both("beta/threads/test_runs.py", "TestRuns", "test_method_list_with_all_params"),
            *_both("beta/threads/runs/test_steps.py", "TestSteps", "test_method_list_with_all_params"),
        ),
    ),
    ExpectedFailure(
        reason=(
            "legacy behaviour: the SDK's tests submit tool_outputs=[{}], and the legacy API required each "
            "output's tool_call_id (compat/validate.py, tool_outputs)"
        ),
        error="Missing required parameter: 'tool_outputs[0].tool_call_id'.",
        tests=_both("beta/threads/test_runs.py", "TestRuns", *_SUBMIT_WITHOUT_CALL_ID),
    ),
    ExpectedFailure(
        reason=(
            "legacy behaviour: the SDK's tests give tool_resources.file_search both vector_store_ids and an inline "
            "vector_stores, two vector stores where the legacy API attached at most one (compat/validate.py, "
            "tool_resources)"
        ),
        error="there can be a maximum of 1 vector store",
        tests=(
            *_both("beta/test_assistants.py", "TestAssistants", "test_method_create_with_all_params"),
            *_both(
                "beta/test_threads.py",
                "TestThreads",
                "test_method_create_with_all_params",
                "test_method_create_and_run_with_all_params_overload_1",
                "test_method_create_and_run_with_all_params_overload_2",
            ),
        ),
    ),
)


# -- the run ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One SDK test's result: ``passed``, ``failed`` (failures and errors alike) or ``skipped``."""

    status: str
    message: str = ""


def sdk_sdist(version: str) -> Path:
    """The openai ``version`` sdist fetched by ``fetch_sdk_tests.py`` (skipped without it, failed under ``CI``)."""
    found = cached_sdist(version)
    if found is None:
        skip_or_fail(
            "the openai sdist",
            f"no sdist of openai {version} in {cache_dir(version)}: run python tests/sdk/fetch_sdk_tests.py",
        )
    return found


def extract_sdk_tests(sdist: Path, folder: Path) -> None:
    """The SDK's legacy resource tests and their helpers, from ``sdist`` into ``folder/tests/...``."""
    with tarfile.open(sdist) as archive:
        members = {member.name.split("/", 1)[-1]: member for member in archive.getmembers() if member.isfile()}
        for name in (*SDK_SUPPORT_FILES, *SDK_TEST_FILES):
            member = members.get(name)
            source = archive.extractfile(member) if member is not None else None
            if source is None:
                pytest.fail(f"{sdist.name} has no {name}: the SDK moved its tests, update SDK_TEST_FILES")
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())


def _test_id(classname: str, name: str) -> str:
    """``beta/threads/test_runs.py::TestRuns::test_x[loose]`` from a JUnit ``classname`` and ``name``.

    A module that failed to import has no class name: its id is the module's dotted name.
    """
    if not classname:
        return name
    parts = classname.split(".")
    module = next((i for i, part in enumerate(parts) if part.startswith("test_")), len(parts) - 1)
    path = "/".join(parts[: module + 1]).removeprefix("tests/api_resources/") + ".py"
    return "::".join([path, *parts[module + 1 :], name])


def _outcome(case: ElementTree.Element) -> Outcome:
    problems = [*case.iter("failure"), *case.iter("error")]
    if problems:
        return Outcome("failed", "\n".join(p.get("message") or (p.text or "").strip()[-500:] for p in problems))
    skipped = case.find("skipped")
    if skipped is not None:
        return Outcome("skipped", skipped.get("message", ""))
    return Outcome("passed")


def read_junit(report: Path) -> dict[str, Outcome]:
    """Each test's outcome, by :func:`_test_id`, from pytest's JUnit XML report."""
    return {
        _test_id(case.get("classname", ""), case.get("name", "")): _outcome(case)
        for case in ElementTree.parse(report).iter("testcase")
    }


def run_sdk_tests(folder: Path) -> dict[str, Outcome]:
    """Run the extracted tests in a pytest subprocess with our fixtures; their outcomes."""
    shutil.copyfile(FIXTURES, folder / "tests" / "conftest.py")
    (folder / "pytest.ini").write_text(PYTEST_INI)
    report = folder / "report.xml"
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", "--tb=short"]
    command += ["-c", str(folder / "pytest.ini"), "--rootdir", str(folder), f"--junitxml={report}"]
    # neither this session's pytest options nor a store or tenant of the environment reach the run
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "COMPAT_"))}
    done = subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    if done.returncode not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or not report.exists():
        pytest.fail(f"the SDK's tests did not run (exit code {done.returncode}):\n{done.stdout[-4000:]}{done.stderr}")
    return read_junit(report)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """The outcome of every SDK legacy resource test of the installed openai version, against compat."""
    sdist = sdk_sdist(importlib.metadata.version("openai"))
    folder = tmp_path_factory.mktemp("sdk-tests")
    extract_sdk_tests(sdist, folder)
    return run_sdk_tests(folder)


def _matches(test_id: str, entry: str) -> bool:
    return test_id == entry or test_id.split("[", 1)[0] == entry


def _expected_entries() -> list[tuple[str, ExpectedFailure]]:
    return [(test, expected) for expected in EXPECTED_FAILURES for test in expected.tests]


# -- the checks -------------------------------------------------------------------------------------------


def test_every_legacy_resource_test_ran(outcomes: dict[str, Outcome]) -> None:
    files = {test_id.split("::", 1)[0] for test_id in outcomes}
    assert files == {name.removeprefix("tests/api_resources/") for name in SDK_TEST_FILES}
    skipped = {test_id: o.message for test_id, o in outcomes.items() if o.status == "skipped"}
    assert not skipped, f"SDK tests skipped: {skipped}"
    # each SDK test function runs loose and strict, the async ones with aiohttp too
    assert sum(1 for test_id in outcomes if test_id.endswith("[loose]")) > 100
    assert len(outcomes) > 500


def test_sdk_tests_pass_but_the_expected_failures(outcomes: dict[str, Outcome]) -> None:
    expected = [test for test, _ in _expected_entries()]
    unexpected = {
        test_id: outcome.message
        for test_id, outcome in outcomes.items()
        if outcome.status == "failed" and not any(_matches(test_id, entry) for entry in expected)
    }
    assert not unexpected, "SDK tests failing, not in EXPECTED_FAILURES:\n" + "\n".join(
        f"{test_id}: {message}" for test_id, message in unexpected.items()
    )


@pytest.mark.parametrize(("entry", "expected"), _expected_entries(), ids=[test for test, _ in _expected_entries()])
def test_expected_failure_still_fails(entry: str, expected: ExpectedFailure, outcomes: dict[str, Outcome]) -> None:
    matched = {test_id: outcome for test_id, outcome in outcomes.items() if _matches(test_id, entry)}
    assert matched, f"no SDK test {entry}: the SDK renamed or dropped it, take it out of EXPECTED_FAILURES"
    passing = sorted(test_id for test_id, outcome in matched.items() if outcome.status == "passed")
    assert not passing, f"now passing, take them out of EXPECTED_FAILURES ({expected.reason}): {passing}"
    other_errors = {
        test_id: outcome.message for test_id, outcome in matched.items() if expected.error not in outcome.message
    }
    assert not other_errors, f"failing for another reason than {expected.error!r}: {other_errors}"
