"""``assistants-compat import``: saved legacy Assistants objects brought back, with the same ids.

::

    from compat import OpenAI
    from compat.importer import import_saved, read_paths

    saved, bad_files = read_paths([Path("exports/")])
    report = import_saved(OpenAI(), saved)

- Reading (:mod:`compat.importer._read`): JSON and JSONL files of legacy objects as the API returned them,
  list pages of them, or thread exports (``assistants-thread-export/v1``), validated with the SDK's types; a
  bad file is reported (file and line or JSON path) and nothing of it is imported.
- Writing (:mod:`compat.importer._write`): assistants to the store with their ids; each thread to a new
  conversation, its messages in ``created_at`` order, 20 items per request, its runs and steps as read-only
  history; a journal row per object, so a second import writes nothing and an interrupted one resumes.
- Old ids: a thread's and its messages' legacy ids resolve on every legacy method once the thread is
  complete (:mod:`compat.ops._aliases`); assistants, runs and steps keep theirs.

Objects of a thread import with it, in the same run: those found later, for a thread imported already, and
those whose thread is missing from the input, fail with their reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import openai

from .._effects import local, run_sync
from ._read import EXPORT_FORMAT, BadFile, Saved, input_files, read_file
from ._write import ImportFailed, ThreadPlan, import_assistants, import_thread, journal

if TYPE_CHECKING:
    from .._client import OpenAI
    from ..store.records import AliasRecord

__all__ = ["EXPORT_FORMAT", "KINDS", "BadFile", "Report", "Saved", "import_saved", "read_paths"]

KINDS = ("assistant", "thread", "message", "run", "step")
"""The kinds of objects counted in a :class:`Report`, in the user's words."""

Progress = Callable[[int, int], None]
"""Told ``(done, total)`` as objects are written."""

T = TypeVar("T")


@dataclass
class Report:
    """What an import did (or, with ``dry_run``, would do): counts per kind, and the reasons of failures."""

    dry_run: bool = False
    imported: Counter[str] = field(default_factory=Counter[str])
    skipped: Counter[str] = field(default_factory=Counter[str])
    failed: Counter[str] = field(default_factory=Counter[str])
    failures: list[str] = field(default_factory=list[str])

    def fail(self, kind: str, count: int, reason: str) -> None:
        """Count ``count`` objects of ``kind`` as failed, for ``reason``."""
        self.failed[kind] += count
        self.failures.append(reason)


def read_paths(paths: Sequence[Path]) -> tuple[Saved, list[BadFile]]:
    """The objects of every readable file under ``paths``, and the files that could not be read."""
    saved, bad = Saved(), list[BadFile]()
    for path in input_files(paths):
        try:
            saved.extend(read_file(path))
        except BadFile as error:
            bad.append(error)
    return saved, bad


def _unique(objects: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """The objects without repeats of an id (the first one read wins)."""
    seen: dict[str, T] = {}
    for obj in objects:
        seen.setdefault(key(obj), obj)
    return list(seen.values())


def _plans(saved: Saved, report: Report, entries: dict[str, AliasRecord]) -> list[ThreadPlan]:
    """The threads to import with their objects; the rest counted as skipped or failed."""
    plans = {t.id: ThreadPlan(t) for t in _unique(saved.threads, lambda t: t.id)}
    children: dict[str, list[tuple[str, str, Any]]] = {}
    for message, item in _unique(saved.messages, lambda m: m[0].id):
        children.setdefault(message.thread_id, []).append(("message", message.id, (message, item)))
    for run in _unique(saved.runs, lambda r: r.id):
        children.setdefault(run.thread_id, []).append(("run", run.id, run))
    for step in _unique(saved.steps, lambda s: s.id):
        children.setdefault(step.thread_id, []).append(("step", step.id, step))
    for thread_id in list(plans):
        if entries.get(thread_id) is not None and entries[thread_id].complete:
            report.skipped["thread"] += 1
            del plans[thread_id]
    for thread_id, objects in children.items():
        plan = plans.get(thread_id)
        for kind, object_id, obj in objects:
            if plan is not None:
                _add(plan, kind, obj)
            else:
                _not_planned(report, entries, thread_id, kind, object_id)
    return sorted(_checked(plans.values(), report), key=lambda p: p.thread.created_at)


def _not_planned(report: Report, entries: dict[str, AliasRecord], thread_id: str, kind: str, object_id: str) -> None:
    """An object whose thread is not imported now: skipped when it was imported, else failed."""
    if object_id in entries:
        report.skipped[kind] += 1
    elif thread_id in entries and entries[thread_id].complete:
        report.fail(kind, 1, f"{kind} {object_id}: its thread {thread_id} was imported before without it")
    else:
        report.fail(kind, 1, f"{kind} {object_id}: its thread {thread_id} is not in the input")


def _add(plan: ThreadPlan, kind: str, obj: Any) -> None:
    if kind == "message":
        plan.messages.append(obj)
    elif kind == "run":
        plan.runs.append(obj)
    else:
        plan.steps.append(obj)


def _checked(plans: Iterable[ThreadPlan], report: Report) -> Iterable[ThreadPlan]:
    """The plans in order, their messages oldest first; a step whose run is not in its thread fails it."""
    for plan in plans:
        plan.messages.sort(key=lambda pair: pair[0].created_at)
        runs = {run.id for run in plan.runs}
        orphans = [step.id for step in plan.steps if step.run_id not in runs]
        if orphans:
            reason = f"thread {plan.thread.id}: step {orphans[0]}: its run is not in the input"
            _fail_thread(report, plan, reason)
            continue
        yield plan


def _fail_thread(report: Report, plan: ThreadPlan, reason: str) -> None:
    report.fail("thread", 1, reason)
    for kind, count in (("message", len(plan.messages)), ("run", len(plan.runs)), ("step", len(plan.steps))):
        report.failed[kind] += count


def _count_thread(counter: Counter[str], plan: ThreadPlan) -> None:
    counter.update({"thread": 1, "message": len(plan.messages), "run": len(plan.runs), "step": len(plan.steps)})


def import_saved(client: OpenAI, saved: Saved, *, dry_run: bool = False, progress: Progress | None = None) -> Report:
    """Import ``saved`` with the client's upstream and store (its tenant); with ``dry_run`` write nothing.

    Failures of one thread (an upstream error, a conversation that does not match the journal) are reported
    and the next thread is imported; anything else (the store failing) raises.
    """
    report = Report(dry_run=dry_run)
    context = client.compat_context
    ids = [a.id for a in saved.assistants] + [t.id for t in saved.threads]
    ids += [m.id for m, _ in saved.messages] + [r.id for r in saved.runs] + [s.id for s in saved.steps]
    entries = run_sync(local(lambda: journal(context.store, ids)), client)
    assistants = [a for a in _unique(saved.assistants, lambda a: a.id) if a.id not in entries]
    report.skipped["assistant"] += len(_unique(saved.assistants, lambda a: a.id)) - len(assistants)
    plans = _plans(saved, report, entries)
    total = len(assistants) + sum(plan.count() for plan in plans)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None and count:
            progress(min(done, total), total)

    report.imported["assistant"] += len(assistants)
    if not dry_run and assistants:
        run_sync(local(lambda: import_assistants(context.store, assistants)), client)
    advance(len(assistants))
    for plan in plans:
        if dry_run:
            _count_thread(report.imported, plan)
            advance(plan.count())
            continue
        try:
            run_sync(import_thread(context, plan, advance), client)
        except (openai.APIError, ImportFailed) as error:
            _fail_thread(report, plan, f"thread {plan.thread.id}: {error}")
            continue
        _count_thread(report.imported, plan)
    return report
