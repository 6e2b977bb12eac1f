"""``assistants-compat check``: legacy calls found in source files, each argument judged by the parameter table.

Expected lines are built from the table itself (``lookup(...).how``), so they say exactly what the command
must print without restating the table's wording.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from compat.check import fix_source, scan_source
from compat.cli import main
from compat.params import lookup

LEGACY_CODE = """\
from openai import OpenAI

client = OpenAI()


def weather(self, thread, options):
    assistant = client.beta.assistants.create(model="gpt-4o", name="Weather")
    self.client.beta.threads.messages.create(thread.id, role="user", content="Hi")
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        truncation_strategy={"type": "last_messages", "last_messages": 4},
    )
    client.responses.create(model="gpt-4o", input="not legacy")
    client.beta.chat.completions.parse(model="gpt-4o", messages=[])
    get_client().beta.threads.runs.steps.list(run.id, thread_id=thread.id, colour="red", **options)
    client.beta.threads.runs.with_raw_response.retrieve(run.id, thread_id=thread.id)
"""


def how(method: str, name: str) -> str:
    return lookup(method, name).how


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    status = main(["check", *args])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err


def test_every_argument_of_every_legacy_call_is_reported_from_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "app.py"
    source.write_text(LEGACY_CODE)
    status, lines, _ = check(capsys, str(source))
    assert lines == [
        f"{source}:7: assistants.create model — native",
        f"{source}:7: assistants.create name — emulated ({how('assistants.create', 'name')})",
        f"{source}:8: messages.create thread_id — native",
        f"{source}:8: messages.create role — native",
        f"{source}:8: messages.create content — native",
        f"{source}:9: runs.create_and_poll thread_id — native",
        f"{source}:9: runs.create_and_poll assistant_id — emulated ({how('runs.create_and_poll', 'assistant_id')})",
        f"{source}:9: runs.create_and_poll truncation_strategy — emulated "
        f"({how('runs.create_and_poll', 'truncation_strategy')})",
        f"{source}:16: steps.list run_id — emulated ({how('steps.list', 'run_id')})",
        f"{source}:16: steps.list thread_id — native",
        f"{source}:16: steps.list colour — unsupported (not a parameter of steps.list)",
        f"{source}:16: steps.list **options — unknown (unpacked at run time: not checked)",
        f"{source}:17: runs.retrieve run_id — emulated ({how('runs.retrieve', 'run_id')})",
        f"{source}:17: runs.retrieve thread_id — native",
        "14 arguments of legacy calls in 1 file: 7 native, 5 emulated, 1 unsupported, 1 unknown",
    ]
    assert status == 1


def test_literal_values_are_judged_and_a_clean_file_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "ok.py"
    source.write_text(
        textwrap.dedent(
            """\
            async def go(client, thread_id):
                await client.beta.threads.runs.create(
                    thread_id, assistant_id="asst_1", truncation_strategy={"type": "auto"}, include=[]
                )
            """
        )
    )
    status, lines, _ = check(capsys, str(source))
    assert lines == [
        f"{source}:2: runs.create thread_id — native",
        f"{source}:2: runs.create assistant_id — emulated ({how('runs.create', 'assistant_id')})",
        f"{source}:2: runs.create truncation_strategy — emulated ({how('runs.create', 'truncation_strategy')})",
        f"{source}:2: runs.create include — emulated ({how('runs.create', 'include')})",
        "4 arguments of legacy calls in 1 file: 1 native, 3 emulated, 0 unsupported, 0 unknown",
    ]
    assert status == 0


def test_an_unknown_legacy_method_and_a_value_not_known_statically(tmp_path: Path) -> None:
    findings = scan_source(
        "client.beta.assistants.files.list()\nclient.beta.threads.runs.create('t', assistant_id='a', include=x)\n",
        path="x.py",
    )
    assert [str(finding) for finding in findings] == [
        "x.py:1: assistants.files.list — unsupported (not a method of the legacy Assistants API)",
        "x.py:2: runs.create thread_id — native",
        f"x.py:2: runs.create assistant_id — emulated ({how('runs.create', 'assistant_id')})",
        f"x.py:2: runs.create include — emulated ({how('runs.create', 'include')})",
    ]


def test_directories_are_scanned_without_virtualenvs_and_a_bad_file_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("client.beta.threads.retrieve('thread_1')\n")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "openai.py").write_text("client.beta.assistants.create(bogus=1)\n")
    (tmp_path / "broken.py").write_text("def (:\n")
    status, lines, err = check(capsys, str(tmp_path))
    assert lines == [
        f"{tmp_path / 'pkg' / 'a.py'}:1: threads.retrieve thread_id — native",
        "1 argument of legacy calls in 2 files: 1 native, 0 emulated, 0 unsupported, 0 unknown",
    ]
    assert err.startswith(f"{tmp_path / 'broken.py'}: cannot check: invalid syntax")
    assert status == 2


FIX_BEFORE = """\
import os
import openai
from openai import OpenAI as Client, NotFoundError

client = Client()
other = openai.OpenAI(
    api_key=os.environ["KEY"],
)
loop_client = openai.AsyncOpenAI()
errors = (openai.NotFoundError, NotFoundError)
"""

FIX_AFTER = """\
import os
import openai
import compat
from openai import NotFoundError
from compat import OpenAI as Client

client = Client()
other = compat.OpenAI(
    api_key=os.environ["KEY"],
)
loop_client = compat.AsyncOpenAI()
errors = (openai.NotFoundError, NotFoundError)
"""


def test_fix_moves_the_clients_to_compat_in_place_and_prints_each_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "app.py"
    source.write_text(FIX_BEFORE)
    status, lines, _ = check(capsys, "--fix", str(source))
    assert source.read_text() == FIX_AFTER
    assert lines == [
        f"{source}:3: + import compat",
        f"{source}:3: from openai import OpenAI as Client, NotFoundError → "
        "from openai import NotFoundError; from compat import OpenAI as Client",
        f"{source}:6: openai.OpenAI → compat.OpenAI",
        f"{source}:9: openai.AsyncOpenAI → compat.AsyncOpenAI",
        "0 arguments of legacy calls in 1 file: 0 native, 0 emulated, 0 unsupported, 0 unknown",
    ]
    assert status == 0
    # a second run finds nothing left to change
    assert check(capsys, "--fix", str(source))[1] == [
        "0 arguments of legacy calls in 1 file: 0 native, 0 emulated, 0 unsupported, 0 unknown"
    ]
    assert source.read_text() == FIX_AFTER


AZURE = """\
import openai
from openai import AzureOpenAI

azure = AzureOpenAI(
    api_version="2024-10-21",
)
other = openai.AsyncAzureOpenAI(api_version="2024-10-21")
"""


def test_fix_imports_the_azure_clients_from_compat_when_it_has_them() -> None:
    fixed, changes = fix_source(AZURE, shim_clients=["OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI"])
    assert fixed == (
        "import openai\n"
        "import compat\n"
        "from compat import AzureOpenAI\n"
        "\n"
        "azure = AzureOpenAI(\n"
        '    api_version="2024-10-21",\n'
        ")\n"
        'other = compat.AsyncAzureOpenAI(api_version="2024-10-21")\n'
    )
    assert [str(change) for change in changes] == [
        "2: + import compat",
        "2: from openai import AzureOpenAI → from compat import AzureOpenAI",
        "7: openai.AsyncAzureOpenAI → compat.AsyncAzureOpenAI",
    ]
    assert fix_source(fixed, shim_clients=["AzureOpenAI", "AsyncAzureOpenAI"]) == (fixed, [])


def test_fix_wraps_the_azure_clients_of_a_release_without_them() -> None:
    fixed, changes = fix_source(AZURE, shim_clients=["OpenAI", "AsyncOpenAI"])
    assert fixed == (
        "import openai\n"
        "import compat\n"
        "from openai import AzureOpenAI\n"
        "from compat import wrap\n"
        "\n"
        "azure = wrap(AzureOpenAI(\n"
        '    api_version="2024-10-21",\n'
        "))\n"
        'other = compat.wrap(openai.AsyncAzureOpenAI(api_version="2024-10-21"))\n'
    )
    assert [str(change) for change in changes] == [
        "2: + import compat",
        "2: from openai import AzureOpenAI → from openai import AzureOpenAI; from compat import wrap",
        '4: AzureOpenAI( api_version="2024-10-21", ) → wrap(AzureOpenAI(...))',
        '7: openai.AsyncAzureOpenAI(api_version="2024-10-21") → compat.wrap(openai.AsyncAzureOpenAI(...))',
    ]
    assert fix_source(fixed, shim_clients=["OpenAI", "AsyncOpenAI"]) == (fixed, [])


def test_fix_keeps_what_is_already_the_shim_and_code_without_openai() -> None:
    already = "from compat import OpenAI, wrap\nfrom openai import AzureOpenAI\nc = wrap(AzureOpenAI())\n"
    assert fix_source(already, shim_clients=["OpenAI", "AsyncOpenAI"]) == (already, [])
    plain = "import os\nprint(os.name)\n"
    assert fix_source(plain) == (plain, [])
    indented = "try:\n    from openai import AsyncOpenAI, APIError\nexcept ImportError:\n    pass\n"
    fixed, _ = fix_source(indented)
    assert fixed == (
        "try:\n    from openai import APIError\n    from compat import AsyncOpenAI\nexcept ImportError:\n    pass\n"
    )


def test_fix_rewrites_files_with_windows_line_endings_and_non_ascii_text(tmp_path: Path) -> None:
    source = tmp_path / "app.py"
    source.write_bytes('import openai\r\nname = "café"; client = openai.OpenAI()\r\n'.encode())
    assert main(["check", "--fix", str(source)]) == 0
    expected = 'import openai\r\nimport compat\r\nname = "café"; client = compat.OpenAI()\r\n'
    assert source.read_bytes().decode() == expected
