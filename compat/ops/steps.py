"""Run step operations: steps live in the store, written as the run's responses end.

Steps are stored with the content of their file search results; a request shows it only when its
``include`` asks for it, as the legacy API did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from openai.types.beta.threads.runs import RunStep

from .._context import Context
from .._effects import Op, local
from ..store import Store
from ..store.records import StepRecord
from ..translate.from_responses import step_for_include
from ._common import Listing, list_args, page_records, require

__all__ = ["list_steps", "retrieve_step"]


def _include(args: Mapping[str, Any]) -> list[str]:
    return list(cast("Sequence[str]", args.get("include") or []))


def retrieve_step(context: Context, args: Mapping[str, Any]) -> Op[RunStep]:
    """``steps.retrieve``: one step of one run of one thread."""

    def read(store: Store) -> RunStep:
        require(store, "run", args["run_id"], parent_id=args["thread_id"])
        step = StepRecord.from_row(require(store, "step", args["step_id"], parent_id=args["run_id"]))
        return step_for_include(step, include=_include(args))

    return (yield from local(lambda: read(context.store)))


def list_steps(context: Context, args: Mapping[str, Any]) -> Op[Listing[RunStep]]:
    """``steps.list``: the run's steps, legacy paging."""
    paging = list_args(args)

    def read(store: Store) -> Listing[RunStep]:
        require(store, "run", args["run_id"], parent_id=args["thread_id"])
        records, has_more = page_records(store, "step", paging, parent_id=args["run_id"])
        include = _include(args)
        steps = [step_for_include(StepRecord.from_row(r), include=include) for r in records]
        return Listing(data=steps, has_more=has_more)

    return (yield from local(lambda: read(context.store)))
