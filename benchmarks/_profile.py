"""Where a flow's time goes: its own time (cProfile's ``tottime``) per bucket of code, for ``--profile``.

Each function's own time goes to a bucket chosen by the path of its file (``compat/store/`` is the store,
``compat/translate/`` translation, any other file under ``compat/`` "compat other", so modules may move
inside the package; ``pydantic/`` and ``openai/_models.py`` model building; ``httpx2/``, ``httpcore2/``,
``h11/``, ``socket.py``, ... HTTP), or, for functions written in C, by their name (``sqlite3.Connection.execute``
is the database driver, ``_socket.socket.recv`` HTTP, ``pydantic_core`` model building, ``_json`` json).

Generic code has its time handed to its callers, in proportion to the time spent under each: built-ins
without a bucket of their own (``isinstance``, ``dict.get``, ...), generated code (``<string>``), the
standard library's modules without a bucket of their own (``typing``, ``copy``, ``contextlib``, ...) and
``typing_extensions``. So what pydantic spends in ``isinstance`` counts as model building, and the shim's
``copy.deepcopy`` as the shim's. The list of the largest differences by file that follows the table shows
own time as cProfile measured it, nothing handed on.

The table shows HTTP with, as part of it, the time in socket reads: mostly waiting for the server, which
works meanwhile in its own process (and a client that works longer between reads finds its data already
there, so it waits less); the total without them is the client's own work.

Profiled time is longer than real time: cProfile's cost per call lands on every function, so call-heavy
buckets (model building, the shim's own code) grow most. Compare the buckets with each other, and the sides
with each other, rather than with the unprofiled medians.

The shim's store can be wrapped in a :class:`CountingStore` (public ``compat.store.Store`` protocol only),
which counts the store calls and commits; the SQL statements are the calls of ``sqlite3``'s ``execute``,
``executemany`` and ``executescript`` that cProfile saw. The wrapper's own time is left out of the figures.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import sysconfig
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, cast

import compat
from compat.store import Store

BUCKETS = (
    "store (compat/store)",
    "database driver (sqlite3, psycopg)",
    "translation (compat/translate)",
    "compat other",
    "emulator (compat/emulator)",
    "model building (pydantic, openai/_models)",
    "json",
    "HTTP (httpx2, httpcore, h11, socket, ...)",
    "HTTP: waiting in socket reads",
    "SDK stream helpers (openai/lib/streaming)",
    "SDK other (openai/)",
    "other",
)
STORE, DRIVER, TRANSLATE, COMPAT, EMULATOR, MODELS, JSON, HTTP, HTTP_WAIT, HELPERS, SDK, OTHER = BUCKETS
ROWS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (f"  of which {HTTP_WAIT.split(': ')[1]}", (HTTP_WAIT,))
    if bucket == HTTP_WAIT
    else (bucket, (HTTP, HTTP_WAIT))
    if bucket == HTTP
    else (bucket, (bucket,))
    for bucket in BUCKETS
)
"""The table's rows: (label, buckets summed); the socket reads are shown as part of HTTP."""

COMPAT_ROOT = os.path.realpath(os.path.dirname(compat.__file__)) + os.sep
COMPAT_SUBPACKAGES = {"store": STORE, "translate": TRANSLATE, "emulator": EMULATOR}

# (pattern searched in a file path with "/" separators, bucket); the first match wins.
FILE_BUCKETS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), bucket)
    for pattern, bucket in (
        (r"/openai/lib/streaming/", HELPERS),
        (r"/openai/_models\.py$|/pydantic/|/pydantic_core/", MODELS),
        (r"/sqlite3/|/psycopg[^/]*/", DRIVER),
        (r"/json/", JSON),
        (r"/(httpx|httpcore|h11|h2)\d*/|/(anyio|sniffio|certifi|idna)/|/(socket|ssl|selectors)\.py$", HTTP),
        (r"/openai/", SDK),
    )
)
# Functions written in C, by their name as cProfile gives it ("<method 'execute' of 'sqlite3.Connection' objects>").
BUILTIN_BUCKETS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), bucket)
    for pattern, bucket in (
        (r"\bsqlite3\.|\bpsycopg", DRIVER),
        (r"\bpydantic_core\b", MODELS),
        (r"\b_json\b", JSON),
        (r"'(recv|recv_into|recvfrom|read|poll|select)' of '(_socket|_ssl|select)\.|method select\.", HTTP_WAIT),
        (r"\b_socket\b|\bselect\.|\b_ssl\b", HTTP),
    )
)
GENERIC = re.compile(r"[/\\]typing_extensions\.py$")
"""Third-party modules that are as generic as the standard library's: their time goes to their callers."""
SQL_STATEMENT = re.compile(r"'execute(many|script)?' of 'sqlite3\.")
PROFILER = re.compile(r"_lsprof")
MEASUREMENT = "the benchmark's own measuring (left out)"
THIS_FILE = os.path.realpath(__file__)

Func = tuple[str, int, str]
"""cProfile's key of a function: (file, line, name); the file of a built-in is ``~``."""


def _is_builtin(func: Func) -> bool:
    return func[0] == "~"


def _file_bucket(path: str) -> str:
    real = os.path.realpath(path)
    if real.startswith(COMPAT_ROOT):
        return COMPAT_SUBPACKAGES.get(real[len(COMPAT_ROOT) :].split(os.sep)[0], COMPAT)
    slashed = real.replace(os.sep, "/")
    return next((bucket for pattern, bucket in FILE_BUCKETS if pattern.search(slashed)), OTHER)


def _builtin_bucket(name: str) -> str | None:
    return next((bucket for pattern, bucket in BUILTIN_BUCKETS if pattern.search(name)), None)


STDLIB = os.path.realpath(sysconfig.get_paths()["stdlib"]) + os.sep
SITE_PACKAGES = re.compile(r"[/\\](site|dist)-packages[/\\]")
_PREFIXES = sorted(
    {os.path.realpath(path) + os.sep for path in (sysconfig.get_paths()["purelib"], STDLIB)}, key=len, reverse=True
)


def _short(path: str) -> str:
    """A file's path from its package root (``compat/store/sqlite.py``, ``httpx2/_client.py``, ``typing.py``)."""
    real = os.path.realpath(path)
    if real.startswith(COMPAT_ROOT):
        return "compat/" + real[len(COMPAT_ROOT) :].replace(os.sep, "/")
    prefix = next((prefix for prefix in _PREFIXES if real.startswith(prefix)), None)
    return real[len(prefix) :].replace(os.sep, "/") if prefix else os.path.basename(real)


def _is_stdlib(path: str) -> bool:
    real = os.path.realpath(path)
    return real.startswith(STDLIB) and not SITE_PACKAGES.search(real[len(STDLIB) - 1 :])


class _Attribution:
    """A profile's own time by bucket, and by file (C functions by name) as cProfile measured it.

    For the buckets, generic code is handed to its callers: built-ins without a bucket of their own
    (``isinstance``, ``dict.get``), generated code (``<string>``) and standard library modules without a
    bucket of their own (``typing``, ``copy``, ``contextlib``, ``inspect``, ...).
    """

    def __init__(self, stats: Mapping[Func, Any]) -> None:
        self.stats = stats
        self.buckets: dict[str, float] = defaultdict(float)  # bucket -> seconds
        self.files: dict[str, float] = defaultdict(float)  # file or C function -> seconds
        self.file_buckets: dict[str, str] = {}  # file or C function -> its own bucket, if any
        self.statements = 0
        self._shares: dict[Func, dict[str, float]] = {}
        for func, (_cc, calls, own, _cumulative, _callers) in stats.items():
            if _is_builtin(func) and SQL_STATEMENT.search(func[2]):
                self.statements += calls
            if PROFILER.search(func[2]) or self._own_bucket(func) == MEASUREMENT:
                continue
            unit = func[2] if _is_builtin(func) else _short(func[0])
            self.files[unit] += own
            self.file_buckets[unit] = self._own_bucket(func) or "(to callers)"
            for bucket, share in self._bucket_shares(func).items():
                self.buckets[bucket] += own * share

    @staticmethod
    def _own_bucket(func: Func) -> str | None:
        """The bucket of ``func`` itself, ``None`` when its time goes to its callers."""
        if _is_builtin(func):
            return _builtin_bucket(func[2])
        path = func[0]
        if path.startswith("<"):  # <string>, <frozen …>: generated or frozen code
            return None
        if os.path.realpath(path) == THIS_FILE:  # measuring, not measured
            return MEASUREMENT
        bucket = _file_bucket(path)
        return None if bucket == OTHER and (_is_stdlib(path) or GENERIC.search(path)) else bucket

    def _bucket_shares(self, func: Func) -> dict[str, float]:
        """The buckets ``func``'s own time goes to, with their shares (summing to 1)."""
        shares, _cut = self._resolve(func, frozenset())
        return shares or {OTHER: 1.0}

    def _resolve(self, func: Func, seen: frozenset[Func]) -> tuple[dict[str, float], bool]:
        """``func``'s bucket shares, and whether a cycle of callers was cut on the way (then the shares are
        those of the other callers only, and not kept); empty when every caller was cut."""
        if func in self._shares:
            return self._shares[func], False
        bucket = self._own_bucket(func)
        if bucket:
            self._shares[func] = {bucket: 1.0}
            return self._shares[func], False
        callers: Mapping[Func, Any] = self.stats[func][4]
        resolved: list[tuple[float, dict[str, float]]] = []
        cut = False
        for caller, edge in callers.items():
            if caller in seen or caller not in self.stats:
                cut = cut or caller in seen
                continue
            shares, caller_cut = self._resolve(caller, seen | {func})
            cut = cut or caller_cut
            if shares:
                resolved.append((edge[2], shares))
        total = sum(weight for weight, _ in resolved)
        result: dict[str, float] = defaultdict(float)
        for weight, shares in resolved:
            for bucket, share in shares.items():
                result[bucket] += share * (weight / total if total else 1 / len(resolved))
        if not result and not cut:
            result[OTHER] = 1.0  # called from nowhere we know of
        if not cut:
            self._shares[func] = dict(result)
        return dict(result), cut


class Profiled:
    """One side's flows run under cProfile, and what its store was asked meanwhile (when it is counted)."""

    def __init__(self, name: str, flow: Callable[[], object], store: CountingStore | None = None) -> None:
        self.name = name
        self.flow = flow
        self.store = store
        self.flows = 0
        self.wall = 0.0
        self.counts: dict[str, int] = {}
        self._profile = cProfile.Profile()

    def run(self) -> None:
        before = dict(self.store.counts) if self.store else {}
        start = time.perf_counter()
        self._profile.enable()
        try:
            self.flow()
        finally:
            self._profile.disable()
            self.wall += time.perf_counter() - start
            self.flows += 1
            if self.store:
                for name, count in self.store.counts.items():
                    self.counts[name] = self.counts.get(name, 0) + count - before.get(name, 0)

    def attribution(self) -> _Attribution:
        return _Attribution(pstats.Stats(self._profile).stats)  # pyright: ignore[reportAttributeAccessIssue]


def profile(sides: Sequence[Profiled], n: int, reference: Profiled) -> None:
    """Runs each side once unprofiled (a warm-up), then ``n`` times under cProfile, the sides taking turns, and
    prints where their time went."""
    for side in sides:
        side.flow()
    for _ in range(n):
        for side in sides:
            side.run()
    report(sides, reference)


def report(sides: Sequence[Profiled], reference: Profiled, top: int = 10) -> None:
    """Prints the buckets' own time per flow of every side, and each other side's difference from ``reference``."""
    attributions = {side.name: side.attribution() for side in sides}
    others = [side for side in sides if side is not reference]

    def per_flow(side: Profiled, *buckets: str) -> float:
        seconds = attributions[side.name].buckets
        return sum(seconds.get(bucket, 0.0) for bucket in buckets) * 1000 / side.flows

    flows = ", ".join(f"{side.name} x{side.flows}" for side in sides)
    print(f"\nprofile: own time (cProfile tottime) per flow by bucket, {flows}.")
    print("cProfile's per-call cost inflates every figure, call-heavy buckets most: compare the buckets and the")
    print("sides with each other, not with the medians above. Waiting for the server is in the socket reads.")
    width = max(len(label) for label, _ in ROWS)
    cell = max(17, *(len(side.name) + 2 for side in sides))  # "ms/flow  share"
    diff = max(10, *(len(f"{side.name} - {reference.name}") + 2 for side in others))

    def line(label: str, cells: Sequence[str], diffs: Sequence[str]) -> None:
        print(f"{label:{width}}" + "".join(f"{c:>{cell}}" for c in cells) + "".join(f"{d:>{diff}}" for d in diffs))

    def row(label: str, values: Mapping[str, float], share: bool = True) -> None:
        line(
            label,
            [
                f"{values[side.name]:.2f} "
                + (f"{_share(values[side.name], totals[side.name]):>6}" if share else " " * 6)
                for side in sides
            ],
            [f"{values[side.name] - values[reference.name]:+.2f}" for side in others],
        )

    line("", [side.name for side in sides], [f"{side.name} - {reference.name}" for side in others])
    line("", ["ms/flow  share"] * len(sides), ["ms/flow"] * len(others))
    totals = {side.name: per_flow(side, *BUCKETS) for side in sides}
    for label, buckets in ROWS:
        row(label, {side.name: per_flow(side, *buckets) for side in sides})
    row("total own time", totals)
    row(
        "total, socket reads left out",
        {side.name: totals[side.name] - per_flow(side, HTTP_WAIT) for side in sides},
        share=False,
    )
    row("wall time, profiled", {side.name: side.wall * 1000 / side.flows for side in sides}, share=False)
    for side in sides:
        _report_store(side, attributions[side.name])
    for side in others:
        _report_files(side, reference, attributions, top)


def _share(part: float, total: float) -> str:
    return f"{part / total:.1%}" if total else "-"


def _report_store(side: Profiled, attribution: _Attribution) -> None:
    if side.store is None:
        return
    calls = ", ".join(
        f"{name} {count / side.flows:.1f}" for name, count in sorted(side.counts.items()) if name != "commits"
    )
    print(
        f"{side.name}: per flow {attribution.statements / side.flows:.1f} SQL statements (sqlite3 execute calls),"
        f" {side.counts.get('commits', 0) / side.flows:.1f} commits; store calls: {calls or 'none'}"
    )


def _report_files(side: Profiled, reference: Profiled, attributions: Mapping[str, _Attribution], top: int) -> None:
    ours, theirs = attributions[side.name], attributions[reference.name]
    diffs = {
        unit: ours.files.get(unit, 0.0) * 1000 / side.flows - theirs.files.get(unit, 0.0) * 1000 / reference.flows
        for unit in set(ours.files) | set(theirs.files)
    }
    own_buckets = {**theirs.file_buckets, **ours.file_buckets}
    print(f"largest differences {side.name} - {reference.name} by file, own time as measured (ms/flow):")
    for unit in sorted(diffs, key=lambda unit: -abs(diffs[unit]))[:top]:
        print(f"  {diffs[unit]:+7.2f}  {unit}  [{own_buckets[unit]}]")


WRITES = re.compile(r"(put|delete|insert|update|upsert|set)")
"""Store methods that write (by name); each call made outside a transaction commits on its own."""


class CountingStore:
    """A :class:`compat.store.Store` that counts the calls of each of its methods, then asks ``store``.

    Methods are passed through by name, so whatever the store protocol offers is counted. ``transaction``
    counts its outermost uses only; ``commits`` are those plus the writing calls (``put``, ``put_many``,
    ``delete``, ...) made outside any transaction, each of which commits on its own (``put_many`` in one
    transaction of its own).
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._depth = 0
        self.counts: dict[str, int] = defaultdict(int)

    def as_store(self) -> Store:
        """This object, typed as the protocol it implements."""
        return cast(Store, self)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if name.startswith("_") or not callable(attribute) or name == "close":
            return attribute
        if name == "transaction":
            return self._transaction
        if name == "for_tenant":
            return self._for_tenant

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.counts[name] += 1
            if not self._depth and WRITES.match(name):
                self.counts["commits"] += 1
            return attribute(*args, **kwargs)

        return counted

    def _for_tenant(self, tenant: str) -> Store:
        """A tenant's handle, counted into the same tallies (clients use their tenant's handle)."""
        scoped = CountingStore(self._store.for_tenant(tenant))
        scoped.counts = self.counts
        return scoped.as_store()

    @contextmanager
    def _transaction(self, *args: Any, **kwargs: Any) -> Iterator[None]:
        with self._store.transaction(*args, **kwargs):
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
        if not self._depth:
            self.counts["transaction (outermost)"] += 1
            self.counts["commits"] += 1
