"""One typed record per stored payload, and how each becomes a store row and back.

The store is a generic document table (:class:`~compat.store.base.StoredRecord`); this module is the one
place that knows what each kind of row holds:

===========  =================================  ==========================  ======================
kind         payload                            ``parent_id``               ``group_id``
===========  =================================  ==========================  ======================
assistant    :class:`AssistantRecord`           ``""``                      ``""``
thread       :class:`ThreadRecord`              ``""``                      ``""``
message      :class:`MessageRecord`             the thread                  the run that wrote it
run          :class:`RunRecord`                 the thread                  ``""``
step         :class:`StepRecord`                the run                     the thread
alias        :class:`AliasRecord`               its legacy thread / ``""``  its legacy ``object``
file         :class:`FileRecord`                ``""``                      ``""``
===========  =================================  ==========================  ======================

The JSON of every payload is the one earlier versions wrote, so existing stores read back unchanged. Rows
are built without revalidation (``model_construct``): their data is the dump of a validated model.
Run statuses are grouped here once (:data:`ACTIVE`, :data:`BUSY`, :data:`SETTLED`, :data:`FINAL`,
:data:`CUT_SHORT`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from openai.types.beta import Assistant
from openai.types.beta.threads import Run
from openai.types.beta.threads.run import Usage as RunUsage
from openai.types.beta.threads.runs import RunStep
from pydantic import BaseModel, field_validator

from ..translate.from_responses import MessageIncompleteReason
from ..translate.legacy import legacy_run
from .base import StoredRecord

__all__ = [
    "ACTIVE",
    "BUSY",
    "CUT_SHORT",
    "FINAL",
    "SETTLED",
    "AliasRecord",
    "AssistantRecord",
    "FileRecord",
    "MessageRecord",
    "RunRecord",
    "StepRecord",
    "ThreadRecord",
]

ACTIVE = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
"""A run in these states blocks its thread: no new run, no new message."""
BUSY = frozenset({"queued", "in_progress"})
"""A model turn is under way: the legacy API refused updates and cancels the shim cannot honour."""
FINAL = frozenset({"cancelled", "completed", "failed", "expired", "incomplete"})
"""A run in these states will never change again."""
SETTLED = FINAL | {"requires_action"}
"""Where ``runs.poll`` stops (the SDK's own list): final, or waiting for the caller's tool outputs."""
CUT_SHORT = frozenset({"failed", "cancelled"})
"""A run that ended before its turn did: the conversation may hold calls of it without outputs."""


def _dump(model: BaseModel) -> dict[str, Any]:
    # by alias: ``json_schema.schema`` is the field ``schema_``, which would not be read back otherwise
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)


AliasedObject = Literal["assistant", "thread", "thread.message", "thread.run", "thread.run.step"]
"""The legacy objects ``assistants-compat import`` brings back (their ``object`` field)."""


class AliasRecord(BaseModel):
    """A saved legacy object brought back by ``assistants-compat import``: its legacy id, what it now is, and
    the import's journal entry for it (see :mod:`compat.importer`).

    A thread became a new conversation and a message a new item: their ids (``legacy_id`` → ``new_id``)
    resolve where the legacy surface hands ids to an operation (:mod:`compat.ops._aliases`), once the thread
    is ``complete``. Assistants, runs and steps keep their ids (``new_id == legacy_id``): their rows only say
    they were imported. A thread's ``pending`` lists the legacy messages of the chunk being written, and
    ``written`` counts the items its conversation held before it, so an interrupted import can tell whether
    the chunk landed.

    Rows: the legacy id (``parent_id`` the legacy thread of a message, run or step; ``group_id`` the object
    type), and for a message also the item id, so that results name the legacy message again.
    """

    object: AliasedObject
    legacy_id: str
    new_id: str
    thread_id: str = ""
    created_at: int
    complete: bool = True
    pending: list[str] = []
    written: int = 0

    def to_rows(self) -> list[StoredRecord]:
        """The rows of this alias: the legacy id's, and for a message the item id's too."""
        data = self.model_dump(mode="json")
        rows = [
            StoredRecord.model_construct(
                kind="alias",
                id=self.legacy_id,
                parent_id=self.thread_id,
                group_id=self.object,
                created_at=self.created_at,
                data=data,
            )
        ]
        if self.new_id != self.legacy_id:
            rows.append(
                StoredRecord.model_construct(
                    kind="alias", id=self.new_id, group_id="new", created_at=self.created_at, data=data
                )
            )
        return rows

    @classmethod
    def from_row(cls, row: StoredRecord) -> AliasRecord:
        """Read an ``alias`` row back (either of a message's two)."""
        return cls.model_validate(dict(row.data))


class AssistantRecord:
    """An assistant lives only in the store: its row holds the legacy ``Assistant`` as returned."""

    @staticmethod
    def to_row(assistant: Assistant) -> StoredRecord:
        """The store row of ``assistant``."""
        return StoredRecord.model_construct(
            kind="assistant", id=assistant.id, created_at=assistant.created_at, data=_dump(assistant)
        )

    @staticmethod
    def from_row(row: StoredRecord) -> Assistant:
        """The assistant a row holds."""
        return Assistant.model_validate(dict(row.data))


class ThreadRecord(BaseModel):
    """What a conversation cannot hold about a thread: its tool resources, and the files its messages attached
    for the code interpreter (given to every run's container, not shown in ``tool_resources``)."""

    tool_resources: dict[str, Any] = {}
    attached_file_ids: list[str] = []
    filling: list[str] = []
    """Vector stores the shim made or added files to for the thread, which its next run waits for."""

    def to_row(self, *, thread_id: str, created_at: int) -> StoredRecord:
        """The store row of the thread ``thread_id``."""
        return StoredRecord.model_construct(
            kind="thread", id=thread_id, created_at=created_at, data=self.model_dump(mode="json")
        )

    @classmethod
    def from_row(cls, row: StoredRecord) -> ThreadRecord:
        """Read a ``thread`` row back."""
        return cls.model_validate(dict(row.data))


class FileRecord(BaseModel):
    """A file id the legacy objects show that the Files API does not know: a file a run's code wrote in its
    container (``cfile_...``), read back from there (see :mod:`compat.resources.files`)."""

    container_id: str
    filename: str = ""

    def to_row(self, *, file_id: str, created_at: int) -> StoredRecord:
        """The store row of the file ``file_id``."""
        return StoredRecord.model_construct(
            kind="file", id=file_id, created_at=created_at, data=self.model_dump(mode="json")
        )

    @classmethod
    def from_row(cls, row: StoredRecord) -> FileRecord:
        """Read a ``file`` row back."""
        return cls.model_validate(dict(row.data))


class MessageRecord(BaseModel):
    """What a conversation item cannot hold about a legacy message (its id is the item id)."""

    created_at: int
    metadata: dict[str, str] = {}
    attachments: list[dict[str, Any]] = []
    assistant_id: str | None = None
    run_id: str | None = None
    completed_at: int | None = None
    incomplete_at: int | None = None
    incomplete_reason: MessageIncompleteReason | None = None

    def to_row(self, *, message_id: str, thread_id: str) -> StoredRecord:
        """The store row of this message."""
        return StoredRecord.model_construct(
            kind="message",
            id=message_id,
            parent_id=thread_id,
            group_id=self.run_id or "",
            created_at=self.created_at,
            data=self.model_dump(mode="json"),
        )

    @classmethod
    def from_row(cls, row: StoredRecord) -> MessageRecord:
        """Read a ``message`` row back."""
        return cls.model_validate(dict(row.data))


class StepRecord:
    """A run step lives only in the store: its row holds the legacy ``RunStep`` as returned."""

    @staticmethod
    def to_row(step: RunStep) -> StoredRecord:
        """The store row of ``step``."""
        return StoredRecord.model_construct(
            kind="step",
            id=step.id,
            parent_id=step.run_id,
            group_id=step.thread_id,
            created_at=step.created_at,
            data=_dump(step),
        )

    @staticmethod
    def from_row(row: StoredRecord) -> RunStep:
        """The run step a row holds."""
        return RunStep.model_validate(dict(row.data))


class RunRecord(BaseModel):
    """A run: the legacy ``Run`` as last returned, plus what the shim needs to continue it.

    - ``response_ids`` / ``usages``: one entry per response (model turn) the run took;
    - ``tool_step_id``: the ``tool_calls`` step waiting for the caller's outputs, if any, and
      ``tool_step_first`` whether it is its response's first step (the one that reports its usage);
    - ``reasoning_effort`` and ``tool_resources`` (assistant's, thread's, run's, its messages' attached
      files): what every later turn sends again; ``include``: what the run's streamed steps show;
      ``asked_truncation``: the run set a ``truncation_strategy`` (sent upstream even where the default is not);
    - ``owner`` / ``deadline``: the process driving the run's current model turn (or answering its calls)
      and when others may take over (see :mod:`compat.ops._owner`);
    - ``check_calls``: the conversation may hold function calls of this run without outputs (the run
      stopped waiting for them, or a turn failed midway): they are answered before the thread goes on;
      ``pending_calls`` are those known to lack one (the calls a run waited for when it stopped waiting).
    """

    run: Run
    response_ids: list[str] = []
    usages: list[RunUsage | None] = []
    tool_step_id: str | None = None
    tool_step_first: bool = True
    reasoning_effort: str | None = None
    tool_resources: list[dict[str, Any] | None] = []
    include: list[str] = []
    asked_truncation: bool = False
    owner: str | None = None
    deadline: int | None = None
    check_calls: bool = False
    pending_calls: list[str] = []

    @field_validator("run", mode="before")
    @classmethod
    def _legacy_run(cls, value: object) -> object:
        return legacy_run(cast(Mapping[str, Any], value)) if isinstance(value, Mapping) else value

    @property
    def id(self) -> str:
        """The run id."""
        return self.run.id

    @property
    def thread_id(self) -> str:
        """The thread (conversation) id."""
        return self.run.thread_id

    @property
    def status(self) -> str:
        """The run's legacy status."""
        return self.run.status

    def with_run(self, **changes: Any) -> RunRecord:
        """This record with the run's fields changed (the legacy nulls of the run are kept)."""
        return self.model_copy(update={"run": self.run.model_copy(update=changes)})

    def failed(self, message: str, *, now: int) -> RunRecord:
        """This run ended ``failed`` with a ``server_error`` (a cut connection, a 5xx, a dead process): nobody
        drives it any more, and its calls may be left without outputs."""
        run = self.run.model_dump(mode="json", by_alias=True, warnings=False)
        ending = {"status": "failed", "failed_at": now, "expires_at": None, "required_action": None}
        error = {"code": "server_error", "message": message}
        return self.model_copy(
            update={
                "run": legacy_run({**run, **ending, "last_error": error}),
                "owner": None,
                "deadline": None,
                "check_calls": True,
            }
        )

    def to_row(self) -> StoredRecord:
        """The store row."""
        return StoredRecord.model_construct(
            kind="run",
            id=self.run.id,
            parent_id=self.run.thread_id,
            created_at=self.run.created_at,
            data=self.model_dump(mode="json", by_alias=True, warnings=False),
        )

    @classmethod
    def from_row(cls, row: StoredRecord) -> RunRecord:
        """Read a ``run`` row back."""
        return cls.model_validate(dict(row.data))
