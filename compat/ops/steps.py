"""Run step operations: steps live in the store, written as the run's responses end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from openai._models import construct_type
from openai.types.beta.threads.runs import RunStep

from .._context import Context
from .._effects import Op
from ..store import StoredRecord
from ._common import Listing, list_args, page_records, require

__all__ = ["list_steps", "retrieve_step"]


def _step(record: StoredRecord) -> RunStep:
    return cast(RunStep, construct_type(type_=RunStep, value=dict(record.data)))


def retrieve_step(context: Context, args: Mapping[str, Any]) -> Op[RunStep]:
    """``steps.retrieve``: one step of one run of one thread."""
    thread_id: str = args["thread_id"]
    run_id: str = args["run_id"]
    step_id: str = args["step_id"]
    require(context.store, "run", run_id, parent_id=thread_id)
    return _step(require(context.store, "step", step_id, parent_id=run_id))
    yield


def list_steps(context: Context, args: Mapping[str, Any]) -> Op[Listing[RunStep]]:
    """``steps.list``: the run's steps, legacy paging."""
    thread_id: str = args["thread_id"]
    run_id: str = args["run_id"]
    require(context.store, "run", run_id, parent_id=thread_id)
    records, has_more = page_records(context.store, "step", list_args(args), parent_id=run_id)
    return Listing[RunStep](data=[_step(r) for r in records], has_more=has_more)
    yield
