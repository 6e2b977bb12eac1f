"""``assistants-compat check``: what the shim does with each legacy Assistants call in a code base.

:func:`scan_source` reads Python source with :mod:`ast` and finds the legacy calls: any expression ending
in ``.beta.assistants.<method>(...)``, ``.beta.threads.<method>(...)``, ``.beta.threads.messages.<method>``,
``.beta.threads.runs.<method>`` or ``.beta.threads.runs.steps.<method>`` (``client.beta...``,
``self.client.beta...``, ``get_client().beta...``). Each argument becomes a :class:`Finding` from the
parameter table (:data:`compat.params.PARAMETERS`)::

    app.py:12: runs.create_and_poll truncation_strategy — emulated (`auto` → `truncation: auto`; ...)

Rules:

- keyword arguments by name; positional ones by the name the SDK's method gives that position;
- a value the table accepts only sometimes (``include``, ``max_prompt_tokens``, ``truncation_strategy``)
  is judged when it is a literal; otherwise an ``unsupported`` row is reported as such (its reason says
  which values pass) and an ``emulated`` one as emulated;
- calls through ``with_raw_response`` / ``with_streaming_response`` are judged as the method they wrap;
- a name the table does not know and an unknown method of the legacy resources are ``unsupported``: the
  shim refuses them too;
- ``**kwargs`` cannot be read statically: reported as ``unknown``;
- a call reached through an alias (``runs = client.beta.threads.runs``) is not seen.

:func:`fix_source` rewrites the client imports to use the shim (see its rules).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openai.resources.beta.assistants import Assistants
from openai.resources.beta.threads.messages import Messages
from openai.resources.beta.threads.runs.runs import Runs
from openai.resources.beta.threads.runs.steps import Steps
from openai.resources.beta.threads.threads import Threads

import compat

from .params import PARAMETERS, Handling, Parameter

__all__ = ["Finding", "FixChange", "fix_file", "fix_source", "python_files", "scan_file", "scan_source"]

_RESOURCE_PATHS: dict[tuple[str, ...], str] = {
    ("assistants",): "assistants",
    ("threads",): "threads",
    ("threads", "messages"): "messages",
    ("threads", "runs"): "runs",
    ("threads", "runs", "steps"): "steps",
}
_RAW_VIEWS = ("with_raw_response", "with_streaming_response")
_SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".venv", "venv", "env", ".tox", ".nox", "node_modules", "site-packages", "__pycache__"}
)
_BY_KEY: dict[tuple[str, str], Parameter] = {(row.method, row.name): row for row in PARAMETERS}
_METHODS = frozenset(row.method for row in PARAMETERS)


@dataclass(frozen=True)
class Finding:
    """One argument of one legacy call, and what the shim does with it (``handling`` ``None``: unknown)."""

    path: str
    line: int
    method: str
    parameter: str
    handling: Handling | None
    detail: str

    def __str__(self) -> str:
        """``path:line: method parameter — handling (detail)``; a native row needs no detail."""
        where = f"{self.path}:{self.line}: {self.method} {self.parameter}".rstrip()
        if self.handling is Handling.NATIVE:
            return f"{where} — native"
        word = self.handling.value if self.handling is not None else "unknown"
        return f"{where} — {word} ({self.detail})"

    @property
    def unsupported(self) -> bool:
        """Whether the shim refuses this argument."""
        return self.handling is Handling.UNSUPPORTED


# -- finding legacy calls ---------------------------------------------------------------------------------


def _attribute_chain(node: ast.expr) -> list[str]:
    """``a.b.c`` → ``["b", "c"]`` (the attribute names, outermost last; the base expression is dropped)."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return names[::-1]


def _legacy_method(call: ast.Call) -> str | None:
    """The table's key for a legacy call (``"runs.create"``), through the SDK's raw views or not."""
    chain = _attribute_chain(call.func)
    if "beta" not in chain:
        return None
    after_beta = chain[len(chain) - chain[::-1].index("beta") :]
    names = [name for name in after_beta if name not in _RAW_VIEWS]
    if len(names) < 2 or names[0] not in ("assistants", "threads"):
        return None
    resource = _RESOURCE_PATHS.get(tuple(names[:-1]), ".".join(names[:-1]))
    return f"{resource}.{names[-1]}"


def _sdk_positional_names() -> dict[str, list[str]]:
    """Per legacy method, the names of the SDK method's positional parameters."""
    classes: dict[str, type] = {
        "assistants": Assistants,
        "threads": Threads,
        "messages": Messages,
        "runs": Runs,
        "steps": Steps,
    }
    names: dict[str, list[str]] = {}
    for method in _METHODS:
        resource, name = method.split(".")
        function: Callable[..., Any] = getattr(classes[resource], name)
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        parameters = inspect.signature(function).parameters.values()
        names[method] = [p.name for p in parameters if p.kind in positional and p.name != "self"]
    return names


# -- judging arguments ------------------------------------------------------------------------------------

_ANY_VALUE = ...  # stands for a value not known statically: not None, not empty


def _judge(row: Parameter, value: ast.expr | None) -> tuple[Handling, str]:
    """The handling of one argument: the row's, unless its ``reject`` predicate objects to the value."""
    if row.reject is None:
        return row.handling, row.how
    try:
        literal: Any = ast.literal_eval(value) if value is not None else _ANY_VALUE
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        literal = _ANY_VALUE
    if literal is _ANY_VALUE:
        if row.handling is Handling.UNSUPPORTED:
            return Handling.UNSUPPORTED, f"{row.name} {row.reject(_ANY_VALUE)}"
        return row.handling, row.how
    reason = row.reject(literal)
    if reason is not None:
        return Handling.UNSUPPORTED, f"{row.name} {reason}"
    if row.handling is Handling.UNSUPPORTED:
        return Handling.NATIVE, "the default value"
    return row.handling, row.how


def _argument_findings(
    call: ast.Call, method: str, positional: list[str], where: Callable[[str, Handling | None, str], Finding]
) -> Iterator[Finding]:
    named: list[tuple[str | None, ast.expr]] = []
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred):
            yield where(f"*{ast.unparse(argument.value)}", None, "unpacked at run time: not checked")
        elif index < len(positional):
            named.append((positional[index], argument))
        else:
            yield where(f"#{index + 1}", Handling.UNSUPPORTED, f"{method} takes {len(positional)} positional")
    named += [(keyword.arg, keyword.value) for keyword in call.keywords]
    for name, value in named:
        if name is None:
            yield where(f"**{ast.unparse(value)}", None, "unpacked at run time: not checked")
            continue
        row = _BY_KEY.get((method, name))
        if row is None:
            yield where(name, Handling.UNSUPPORTED, f"not a parameter of {method}")
            continue
        yield where(name, *_judge(row, value))


def _call_findings(call: ast.Call, path: str, positional: dict[str, list[str]]) -> Iterator[Finding]:
    method = _legacy_method(call)
    if method is None:
        return

    def where(parameter: str, handling: Handling | None, detail: str) -> Finding:
        return Finding(path, call.lineno, method, parameter, handling, detail)

    if method not in _METHODS:
        yield where("", Handling.UNSUPPORTED, "not a method of the legacy Assistants API")
        return
    yield from _argument_findings(call, method, positional[method], where)


def scan_source(source: str, *, path: str = "<source>") -> list[Finding]:
    """Every argument of every legacy Assistants call in ``source``, in source order.

    Raises ``SyntaxError`` when ``source`` is not Python.
    """
    tree = ast.parse(source, filename=path)
    positional = _sdk_positional_names()
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call)), key=lambda c: (c.lineno, c.col_offset)
    )
    return [finding for call in calls for finding in _call_findings(call, path, positional)]


def scan_file(path: Path) -> list[Finding]:
    """:func:`scan_source` on one file (UTF-8)."""
    return scan_source(path.read_text(encoding="utf-8"), path=str(path))


def python_files(paths: Iterable[Path]) -> list[Path]:
    """The ``.py`` files named, and those under the directories named (virtualenvs and VCS folders skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                found
                for found in path.rglob("*.py")
                if not any(part in _SKIPPED_DIRECTORIES for part in found.relative_to(path).parts[:-1])
            )
        else:
            files.append(path)
    return files


# -- rewriting the client imports -------------------------------------------------------------------------

_CLIENTS = ("OpenAI", "AsyncOpenAI", "AzureOpenAI", "AsyncAzureOpenAI")


def _shim_clients() -> frozenset[str]:
    """The SDK clients this release of the shim has its own of (the others get ``compat.wrap``)."""
    return frozenset(name for name in _CLIENTS if hasattr(compat, name))


@dataclass(frozen=True)
class FixChange:
    """One rewrite :func:`fix_source` made: where, and the text before and after."""

    line: int
    before: str
    after: str

    def __str__(self) -> str:
        """``line: before → after``, or ``line: + after`` for a line added there."""
        return f"{self.line}: {self.before} → {self.after}" if self.before else f"{self.line}: + {self.after}"


@dataclass(frozen=True)
class _Edit:
    start: int  # byte offsets in the UTF-8 source
    end: int
    text: str
    change: FixChange


class _Fixer:
    """The edits that move one module's OpenAI clients onto the shim."""

    def __init__(self, source: str, moved: Collection[str]) -> None:
        self.moved = frozenset(moved)  # the clients imported from compat; the others are wrapped
        self.wrapped_clients = frozenset(_CLIENTS) - self.moved
        self.source = source
        self.data = source.encode("utf-8")
        self.tree = ast.parse(source)
        self.newline = "\r\n" if "\r\n" in source else "\n"
        self.line_starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.parents: dict[ast.AST, ast.AST] = {
            child: node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)
        }
        self.edits: list[_Edit] = []

    def offset(self, line: int, column: int) -> int:
        """The byte offset of a node position (``column`` counts UTF-8 bytes, as :mod:`ast` does)."""
        return self.line_starts[line - 1] + column

    def span(self, node: ast.stmt | ast.expr) -> tuple[int, int]:
        """A node's byte span."""
        assert node.end_lineno is not None and node.end_col_offset is not None
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def text(self, node: ast.stmt | ast.expr) -> str:
        """A node's source text."""
        start, end = self.span(node)
        return self.data[start:end].decode("utf-8")

    def indent(self, node: ast.stmt) -> str:
        """The indentation of the line a statement starts on."""
        start = self.line_starts[node.lineno - 1]
        return self.data[start : start + node.col_offset].decode("utf-8")

    def replace(self, node: ast.stmt | ast.expr, text: str, *, shown: str | None = None) -> None:
        """Replace a node's text (``shown``: what to print as the new text)."""
        start, end = self.span(node)
        before = " ".join(self.text(node).split())
        change = FixChange(node.lineno, before, shown if shown is not None else text)
        self.edits.append(_Edit(start, end, text, change))

    def insert_after(self, node: ast.stmt, statement: str) -> None:
        """Add ``statement`` on a new line after ``node``, indented alike."""
        _, end = self.span(node)
        text = f"{self.newline}{self.indent(node)}{statement}"
        assert node.end_lineno is not None
        self.edits.append(_Edit(end, end, text, FixChange(node.end_lineno + 1, "", statement)))

    def wrapped(self, call: ast.Call, wrapper: str) -> bool:
        """Whether ``call`` is already the argument of a call to ``wrapper`` (``wrap`` or ``compat.wrap``)."""
        parent = self.parents.get(call)
        return isinstance(parent, ast.Call) and ast.unparse(parent.func) == wrapper

    def result(self) -> tuple[str, list[FixChange]]:
        """The rewritten source and the changes, in source order."""
        data = self.data
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            data = data[: edit.start] + edit.text.encode("utf-8") + data[edit.end :]
        changes = [edit.change for edit in sorted(self.edits, key=lambda e: (e.start, e.end))]
        return data.decode("utf-8"), changes


def _imported_from_compat(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "compat" and node.level == 0:
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(f"import {alias.asname or alias.name}" for alias in node.names if alias.name == "compat")
    return names


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _calls(tree: ast.Module) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _fix_from_imports(fixer: _Fixer, have: set[str]) -> None:
    """``from openai import OpenAI, AzureOpenAI, X`` → ``from compat import OpenAI`` (+ ``wrap``) and the rest."""
    for node in [n for n in ast.walk(fixer.tree) if isinstance(n, ast.ImportFrom)]:
        if node.module != "openai" or node.level != 0:
            continue
        moved = [alias for alias in node.names if alias.name in fixer.moved]
        wrapped = {alias.asname or alias.name for alias in node.names if alias.name in fixer.wrapped_clients}
        calls = [
            call
            for call in _calls(fixer.tree)
            if isinstance(call.func, ast.Name) and call.func.id in wrapped and not fixer.wrapped(call, "wrap")
        ]
        for call in calls:
            fixer.replace(call, f"wrap({fixer.text(call)})", shown=f"wrap({ast.unparse(call.func)}(...))")
        from_compat = [_alias_text(alias) for alias in moved]
        if calls and "wrap" not in have:
            from_compat.append("wrap")
            have.add("wrap")
        if not from_compat:
            continue
        kept = [_alias_text(alias) for alias in node.names if alias.name not in fixer.moved]
        statements = ([f"from openai import {', '.join(kept)}"] if kept else []) + [
            f"from compat import {', '.join(from_compat)}"
        ]
        separator = f"{fixer.newline}{fixer.indent(node)}"
        fixer.replace(node, separator.join(statements), shown="; ".join(statements))


def _fix_module_imports(fixer: _Fixer, have: set[str]) -> None:
    """``import openai`` … ``openai.OpenAI(`` → ``import compat`` … ``compat.OpenAI(`` (Azure: ``compat.wrap``)."""
    first_import: dict[str, ast.Import] = {}
    for node in sorted((n for n in ast.walk(fixer.tree) if isinstance(n, ast.Import)), key=lambda n: n.lineno):
        for alias in node.names:
            if alias.name == "openai":
                first_import.setdefault(alias.asname or "openai", node)
    changed: ast.Import | None = None
    for call in _calls(fixer.tree):
        if not isinstance(call.func, ast.Attribute) or ast.unparse(call.func.value) not in first_import:
            continue
        bound, name = ast.unparse(call.func.value), call.func.attr
        if name in fixer.moved:
            fixer.replace(call.func, f"compat.{name}")
        elif name in fixer.wrapped_clients and not fixer.wrapped(call, "compat.wrap"):
            fixer.replace(call, f"compat.wrap({fixer.text(call)})", shown=f"compat.wrap({bound}.{name}(...))")
        else:
            continue
        if changed is None or first_import[bound].lineno < changed.lineno:
            changed = first_import[bound]
    if changed is not None and "import compat" not in have:
        fixer.insert_after(changed, "import compat")
        have.add("import compat")


def fix_source(source: str, *, shim_clients: Collection[str] | None = None) -> tuple[str, list[FixChange]]:
    """``source`` with its OpenAI clients made by the shim, and the changes made (none: unchanged).

    ``shim_clients``: the clients ``compat`` has its own of (default: those of the installed release, among
    ``OpenAI``, ``AsyncOpenAI``, ``AzureOpenAI`` and ``AsyncAzureOpenAI``).

    Rules:

    - ``from openai import OpenAI`` (or another of ``shim_clients``; ``as`` names kept): those names are
      imported from ``compat`` instead; the other names stay imported from ``openai``;
    - a client the shim has none of (``from openai import AzureOpenAI`` on a release without it) stays
      imported from ``openai``: each call ``AzureOpenAI(...)`` becomes ``wrap(AzureOpenAI(...))``, with
      ``from compat import wrap``;
    - ``import openai``: ``openai.OpenAI(`` (and the other ``shim_clients``) becomes ``compat.OpenAI(``, a
      client the shim has none of ``compat.wrap(openai.AzureOpenAI(...))``, and ``import compat`` is added
      after ``import openai``; every other use of ``openai`` stays;
    - running it again changes nothing.
    """
    fixer = _Fixer(source, _shim_clients() if shim_clients is None else shim_clients)
    have = _imported_from_compat(fixer.tree)
    _fix_from_imports(fixer, have)
    _fix_module_imports(fixer, have)
    return fixer.result()


def fix_file(path: Path) -> list[FixChange]:
    """:func:`fix_source` on one file, rewritten in place when anything changed."""
    source = path.read_bytes().decode("utf-8")
    fixed, changes = fix_source(source)
    if changes:
        path.write_bytes(fixed.encode("utf-8"))
    return changes
