"""The legacy surface is typed and checked as the SDK's: statically (pyright) and at call time (``TypeError``).

The static tests type-check the user files in ``tests/typing`` with the project's pyright settings (strict),
and the same files with ``compat`` replaced by ``openai``: the diagnostics must be the same, since the legacy
methods are the SDK's own types.
"""

from __future__ import annotations

import inspect
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

import compat

REPO = Path(__file__).resolve().parent.parent
USER_FILES = REPO / "tests" / "typing"

# resource path under ``client.beta`` (the same as tests/test_surface.py walks)
RESOURCES = ["assistants", "threads", "threads.messages", "threads.runs", "threads.runs.steps"]

Diagnostic = tuple[int, str, str]  # (line, severity, first line of the message)


@pytest.fixture(scope="module")
def diagnostics(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Diagnostic]]:
    """Pyright's diagnostics of each user file, and of its twin written against ``openai`` (``sdk_<name>``)."""
    twins = tmp_path_factory.mktemp("sdk")
    files = sorted(USER_FILES.glob("*.py"))
    for file in files:
        source = file.read_text(encoding="utf-8").replace("import compat\n", "import openai as compat\n")
        (twins / f"sdk_{file.name}").write_text(source, encoding="utf-8")
    found = _pyright([*files, *sorted(twins.glob("*.py"))])
    return {name: sorted(found.get(name, [])) for name in [f.name for f in files] + [f"sdk_{f.name}" for f in files]}


def _pyright(files: list[Path]) -> dict[str, list[Diagnostic]]:
    executable = shutil.which("pyright", path=str(Path(sys.executable).parent))
    command = [executable] if executable else [sys.executable, "-m", "pyright"]
    result = subprocess.run(
        [*command, "--outputjson", "--pythonpath", sys.executable, *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["summary"]["filesAnalyzed"] == len(files), result.stdout
    found: dict[str, list[Diagnostic]] = {}
    for entry in report["generalDiagnostics"]:
        line = entry["range"]["start"]["line"] + 1
        found.setdefault(Path(entry["file"]).name, []).append(
            (line, entry["severity"], entry["message"].splitlines()[0])
        )
    return found


def expected_errors(file: Path) -> Iterator[tuple[int, str]]:
    """``# error: <start of message>`` comments: the error each announces is on the next line of code."""
    pending: list[str] = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.fullmatch(r"\s*# error: (.+)", line)
        if match:
            pending.append(match.group(1))
        elif pending:
            yield from ((number, message) for message in pending)
            pending = []


def test_user_code_type_checks_with_the_sdk_types(diagnostics: dict[str, list[Diagnostic]]) -> None:
    found = diagnostics["user_code.py"]
    assert [d for d in found if d[1] == "error"] == []
    revealed = [message for _, severity, message in found if severity == "information"]
    assert revealed == ['Type of "run" is "Run"', 'Type of "run" is "Run"']
    assert found == diagnostics["sdk_user_code.py"]


def test_mistakes_are_reported_as_against_the_sdk(diagnostics: dict[str, list[Diagnostic]]) -> None:
    found = diagnostics["user_mistakes.py"]
    wanted = sorted(expected_errors(USER_FILES / "user_mistakes.py"))
    assert len(found) == len(wanted) == 6
    for (line, severity, message), (wanted_line, start) in zip(found, wanted, strict=True):
        assert (line, severity) == (wanted_line, "error")
        assert message.startswith(start), (line, message)
    assert found == diagnostics["sdk_user_mistakes.py"]


# --- at call time ---------------------------------------------------------------------------------------


class NoRequests:
    """An HTTP transport that records and refuses every request: argument errors must come first."""

    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        raise AssertionError(f"unexpected request: {request.method} {request.url}")


@pytest.fixture
def transport() -> NoRequests:
    return NoRequests()


@pytest.fixture
def client(is_async: bool, transport: NoRequests) -> Iterator[Any]:
    """Our client, sync or async, on a transport that refuses every request."""
    options: dict[str, Any] = {"api_key": "test", "base_url": "http://127.0.0.1:9/v1", "max_retries": 0}
    mock = httpx2.MockTransport(transport)
    if is_async:
        ours: Any = compat.AsyncOpenAI(
            **options, http_client=httpx2.AsyncClient(transport=mock), store="sqlite://:memory:"
        )
    else:
        ours = compat.OpenAI(**options, http_client=httpx2.Client(transport=mock), store="sqlite://:memory:")
    yield ours
    ours.compat_context.store.close()
    assert transport.requests == []


async def outcome(result: Any) -> Any:
    """Await a coroutine method's result; the call itself raised already for the others."""
    return await result if inspect.isawaitable(result) else result


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_a_misspelt_keyword_raises_type_error_before_any_request(is_async: bool, client: Any) -> None:
    runs = client.beta.threads.runs
    resource = "AsyncRuns" if is_async else "Runs"
    with pytest.raises(
        TypeError, match=rf"^{resource}\.create\(\) got an unexpected keyword argument 'assistant_idd'$"
    ):
        await outcome(runs.create(thread_id="thread_1", assistant_idd="asst_1"))
    with pytest.raises(TypeError, match=rf"^{resource}\.stream\(\) got an unexpected keyword argument 'event_handlr'$"):
        runs.stream(thread_id="thread_1", assistant_id="asst_1", event_handlr=None)


@pytest.mark.anyio
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_a_missing_argument_raises_type_error_before_any_request(is_async: bool, client: Any) -> None:
    beta = client.beta
    with pytest.raises(TypeError, match=r"Runs\.create\(\) missing 1 required keyword-only argument: 'assistant_id'$"):
        await outcome(beta.threads.runs.create("thread_1"))
    with pytest.raises(TypeError, match=r"Messages\.create\(\) missing 1 required positional argument: 'thread_id'$"):
        await outcome(beta.threads.messages.create(role="user", content="hi"))
    with pytest.raises(TypeError, match=r"Steps\.list\(\) missing 1 required keyword-only argument: 'thread_id'$"):
        await outcome(beta.threads.runs.steps.list("run_1"))


def legacy_methods() -> list[tuple[bool, str, str]]:
    """(async?, resource path, name) of every legacy method, sync and async."""
    sdk = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1")
    names = [
        (path, name)
        for path in RESOURCES
        for name, value in inspect.getmembers(type(_resolve(sdk.beta, path)))
        if not name.startswith(("_", "with_")) and callable(value)
    ]
    return [(is_async, path, name) for is_async in (False, True) for path, name in names]


def _resolve(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


def bad_calls(sdk_function: Any) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Calls Python refuses whatever the values: an unknown keyword, no arguments, one positional too many."""
    signature = inspect.signature(sdk_function)
    parameters = list(signature.parameters.values())[1:]
    positional = [p for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    keyword_only = [p.name for p in parameters if p.kind is p.KEYWORD_ONLY]
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [((), {"not_a_parameter": 1})]
    if any(p.default is p.empty for p in parameters):
        calls.append(((), {}))
    calls.append((("x",) * (len(positional) + 1), {}))
    if keyword_only:
        calls.append((("x",) * (len(positional) + 1), {keyword_only[0]: "x"}))
    if positional:
        calls.append((("x",), {positional[0].name: "x"}))
    return calls


@pytest.mark.anyio
@pytest.mark.parametrize(("is_async", "path", "name"), legacy_methods(), ids=str)
async def test_argument_errors_are_pythons_for_the_sdk_method(path: str, name: str, client: Any) -> None:
    ours = getattr(_resolve(client.beta, path), name)
    sdk_function = inspect.unwrap(ours)
    for args, kwargs in bad_calls(sdk_function):
        # binding fails before the SDK function's body runs: nothing is sent
        with pytest.raises(TypeError) as theirs:
            sdk_function(None, *args, **kwargs)
        with pytest.raises(TypeError) as raised:
            await outcome(ours(*args, **kwargs))
        assert str(raised.value) == str(theirs.value), (args, kwargs)
