"""Run step operations: steps live in the store, written as the run's responses end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openai.types.beta.threads.runs import RunStep

from .._context import Context
from .._effects import Op, local
from ..store import Store
from ..store.records import StepRecord
from ._common import Listing, list_args, page_records, require

__all__ = ["list_steps", "retrieve_step"]


def retrieve_step(context: Context, args: Mapping[str, Any]) -> Op[RunStep]:
    """``steps.retrieve``: one step of one run of one thread."""

    def read(store: Store) -> RunStep:
        require(store, "run", args["run_id"], parent_id=args["thread_id"])
        return StepRecord.from_row(require(store, "step", args["step_id"], parent_id=args["run_id"]))

    return (yield from local(lambda: read(context.store)))


def list_steps(context: Context, args: Mapping[str, Any]) -> Op[Listing[RunStep]]:
    """``steps.list``: the run's steps, legacy paging."""
    paging = list_args(args)

    def read(store: Store) -> Listing[RunStep]:
        require(store, "run", args["run_id"], parent_id=args["thread_id"])
        records, has_more = page_records(store, "step", paging, parent_id=args["run_id"])
        return Listing(data=[StepRecord.from_row(r) for r in records], has_more=has_more)

    return (yield from local(lambda: read(context.store)))
