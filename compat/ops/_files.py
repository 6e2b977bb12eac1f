"""Files for the built-in tools: inline vector stores and message attachments, as the legacy API handled them.

Rules:

- ``tool_resources.file_search.vector_stores`` (at most one, on an assistant or a thread) is created upstream
  (``vector_stores.create`` with its ``file_ids``, ``chunking_strategy`` and ``metadata``) and named by id in
  ``vector_store_ids``, which is what the legacy object then showed. A thread's gets the legacy default
  expiry: 7 days after it was last active.
- A message attachment with the ``file_search`` tool goes into the thread's vector store: added to the first
  of ``tool_resources.file_search.vector_store_ids``, or, when the thread has none, into a new one (7-day
  expiry) that the thread's ``tool_resources`` then name, as the legacy API did.
- An attachment with the ``code_interpreter`` tool is kept on the thread record (``attached_file_ids``): every
  later run's code interpreter container gets it, without showing it in ``tool_resources`` (the legacy API
  did not show it there either).
- The files are processed upstream in the background: the vector stores the shim made or filled for a
  thread are remembered on its record (``filling``), and the thread's next run first waits until their
  files are processed (``vector_stores.retrieve`` every second, at most a minute), as the legacy API's runs
  did.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import openai
from openai.types.responses import Response, ResponseOutputMessage

from .._context import Context
from .._effects import Op, call, local, sleep, write
from ..store import Store, StoredRecord
from ..store.records import FileRecord, ThreadRecord

__all__ = [
    "FILES_TIMEOUT_SECONDS",
    "annotation_file_row",
    "attach_files",
    "container_file_rows",
    "attachments_by_tool",
    "delete_vector_store",
    "create_inline_vector_stores",
    "has_inline_vector_stores",
    "into_vector_store",
    "search_store_ids",
    "stored_thread",
    "wait_for_files",
]

THREAD_VECTOR_STORE_EXPIRY: dict[str, Any] = {"anchor": "last_active_at", "days": 7}
"""The legacy API's expiry of the vector stores it made for threads."""

logger = logging.getLogger(__name__)

_VECTOR_STORE_KEYS = ("file_ids", "chunking_strategy", "metadata")

FILES_TIMEOUT_SECONDS = 60.0
"""How long a run waits for its thread's files to be processed before it starts anyway."""
_POLL_SECONDS = 1.0


def create_inline_vector_stores(value: object, options: Mapping[str, Any], *, for_thread: bool) -> Op[Any]:
    """``tool_resources`` with its inline ``file_search.vector_stores`` created upstream and named by id.

    ``value`` is returned unchanged when it has none (it was checked by the parameter table).
    """
    if not isinstance(value, Mapping):
        return value
    resources = cast("Mapping[str, Any]", value)
    file_search = resources.get("file_search")
    if not isinstance(file_search, Mapping):
        return resources
    section = cast("Mapping[str, Any]", file_search)
    inline = cast("Sequence[Mapping[str, Any]]", section.get("vector_stores") or [])
    created: list[str] = []
    for spec in inline:
        body = {key: spec[key] for key in _VECTOR_STORE_KEYS if spec.get(key) is not None}
        if for_thread:
            body["expires_after"] = THREAD_VECTOR_STORE_EXPIRY
        vector_store = yield from write(lambda api, body=body: api.vector_stores.create(**body, **options))
        created.append(vector_store.id)
    kept = {key: item for key, item in section.items() if key != "vector_stores"}
    if created or "vector_stores" in section:
        kept["vector_store_ids"] = [*cast("list[str]", kept.get("vector_store_ids") or []), *created]
    return {**resources, "file_search": kept}


def attachments_by_tool(attachments: Iterable[Mapping[str, Any]] | None) -> tuple[list[str], list[str]]:
    """The file ids attached for ``file_search`` and for ``code_interpreter``, each once, in order."""
    search: list[str] = []
    code: list[str] = []
    for attachment in attachments or []:
        file_id = cast(str, attachment.get("file_id"))
        for tool in cast("Iterable[Mapping[str, Any]]", attachment.get("tools") or []):
            target = search if tool.get("type") == "file_search" else code
            if file_id and file_id not in target:
                target.append(file_id)
    return search, code


def stored_thread(store: Store, thread_id: str) -> tuple[ThreadRecord, int | None]:
    """The thread's record and its creation time (an empty record and ``None`` for a native conversation)."""
    row = store.get("thread", thread_id)
    return (ThreadRecord.from_row(row), row.created_at) if row is not None else (ThreadRecord(), None)


def attach_files(
    context: Context,
    thread_id: str,
    attachments: Iterable[Mapping[str, Any]] | None,
    options: Mapping[str, Any],
) -> Op[None]:
    """Give a thread the files attached to its messages (see the module's rules)."""
    search, code = attachments_by_tool(attachments)
    if not search and not code:
        return
    record, _ = yield from local(lambda: stored_thread(context.store, thread_id))
    resources = dict(record.tool_resources)
    created = bool(search) and not search_store_ids(resources)
    if search:
        resources = yield from into_vector_store(resources, search, options)
    now = context.clock()
    used = search_store_ids(resources) if search else []
    theirs = yield from local(lambda: _record_attached(context.store, thread_id, used, code, now=now))
    if theirs is not None:
        # the thread's vector store changed meanwhile (another call made one, or it was replaced): the files
        # go there too, and one made here for nothing is deleted
        yield from into_vector_store({"file_search": {"vector_store_ids": [theirs]}}, search, options)
        if created:
            yield from delete_vector_store(used[0], options)


def _record_attached(store: Store, thread_id: str, made: Sequence[str], code: Sequence[str], *, now: int) -> str | None:
    """Merge the attachments into the thread's record, under the thread's lock; the thread's vector store when
    it is no longer the one the files went to (``made`` is then not recorded)."""
    with store.transaction(lock=thread_id):
        record, created_at = stored_thread(store, thread_id)
        resources = dict(record.tool_resources)
        current = search_store_ids(resources)
        theirs = current[0] if made and current and current[0] != made[0] else None
        if made and theirs is None:
            section = cast("dict[str, Any]", resources.get("file_search") or {})
            resources["file_search"] = {**section, "vector_store_ids": list(made)}
        filled = [theirs] if theirs is not None else list(made)
        updated = ThreadRecord(
            tool_resources=resources,
            attached_file_ids=[*record.attached_file_ids, *(f for f in code if f not in record.attached_file_ids)],
            filling=[*record.filling, *(v for v in filled if v not in record.filling)],
        )
        store.put(updated.to_row(thread_id=thread_id, created_at=now if created_at is None else created_at))
    return theirs


def delete_vector_store(vector_store_id: str, options: Mapping[str, Any]) -> Op[None]:
    """Delete a vector store the shim made for nothing, best effort (a failure is logged)."""
    try:
        yield from write(lambda api: api.vector_stores.delete(vector_store_id, **options))
    except openai.APIError:
        logger.warning("could not delete the spare vector store %s", vector_store_id, exc_info=True)


def into_vector_store(resources: dict[str, Any], file_ids: Sequence[str], options: Mapping[str, Any]) -> Op[Any]:
    """``resources`` once ``file_ids`` are in the thread's vector store (a new one when it has none)."""
    section = cast("dict[str, Any]", resources.get("file_search") or {})
    vector_store_ids = cast("list[str]", section.get("vector_store_ids") or [])
    if vector_store_ids:
        for file_id in file_ids:
            yield from write(
                lambda api, file_id=file_id: api.vector_stores.files.create(
                    vector_store_ids[0], file_id=file_id, **options
                )
            )
        return resources
    vector_store = yield from write(
        lambda api: api.vector_stores.create(
            file_ids=list(file_ids), expires_after=cast(Any, THREAD_VECTOR_STORE_EXPIRY), **options
        )
    )
    return {**resources, "file_search": {**section, "vector_store_ids": [vector_store.id]}}


def has_inline_vector_stores(value: object) -> bool:
    """Whether ``tool_resources`` asks for a vector store to be made (``file_search.vector_stores``)."""
    file_search = cast("Mapping[str, Any]", value).get("file_search") if isinstance(value, Mapping) else None
    return isinstance(file_search, Mapping) and bool(cast("Mapping[str, Any]", file_search).get("vector_stores"))


def search_store_ids(resources: Mapping[str, Any]) -> list[str]:
    """The vector stores ``tool_resources`` names for ``file_search``."""
    section = cast("Mapping[str, Any]", resources.get("file_search") or {})
    return list(cast("Sequence[str]", section.get("vector_store_ids") or []))


def wait_for_files(context: Context, thread_id: str, filling: Sequence[str], options: Mapping[str, Any]) -> Op[None]:
    """Before a run: wait until the files the shim put in the thread's vector stores (``filling``, from its
    record) are processed."""
    for vector_store_id in filling:
        yield from _until_processed(vector_store_id, options)
    yield from local(lambda: _filled(context.store, thread_id, filling))


def _until_processed(vector_store_id: str, options: Mapping[str, Any]) -> Op[None]:
    waited = 0.0
    while True:
        try:
            store = yield from call(lambda api: api.vector_stores.retrieve(vector_store_id, **options))
        except openai.NotFoundError:
            return  # deleted meanwhile: nothing to wait for
        if store.status != "in_progress" or store.file_counts.in_progress == 0:
            return
        if waited >= FILES_TIMEOUT_SECONDS:
            logger.warning("the files of vector store %s are still being processed; the run starts", vector_store_id)
            return
        yield from sleep(_POLL_SECONDS)
        waited += _POLL_SECONDS


def _filled(store: Store, thread_id: str, done: Sequence[str]) -> None:
    with store.transaction(lock=thread_id):
        row = store.get("thread", thread_id)
        if row is None:
            return
        record = ThreadRecord.from_row(row)
        left = [v for v in record.filling if v not in done]
        store.put(record.model_copy(update={"filling": left}).to_row(thread_id=thread_id, created_at=row.created_at))


def container_file_rows(response: Response, *, now: int) -> list[StoredRecord]:
    """The ``file`` rows of the container files a response cites (their ids are the legacy objects' file ids)."""
    rows: list[StoredRecord] = []
    for item in response.output:
        if not isinstance(item, ResponseOutputMessage):
            continue
        for part in item.content:
            if part.type != "output_text":
                continue
            for annotation in part.annotations:
                row = annotation_file_row(annotation.model_dump(mode="json"), now=now)
                if row is not None:
                    rows.append(row)
    return rows


def annotation_file_row(annotation: Mapping[str, Any], *, now: int) -> StoredRecord | None:
    """The ``file`` row of a ``container_file_citation`` annotation (``None`` for other annotations)."""
    if annotation.get("type") != "container_file_citation":
        return None
    record = FileRecord(container_id=str(annotation["container_id"]), filename=str(annotation.get("filename") or ""))
    return record.to_row(file_id=str(annotation["file_id"]), created_at=now)
