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
- The files are processed upstream in the background; a run started at once may not find them yet (the
  legacy API waited for them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from openai.types.responses import Response, ResponseOutputMessage

from .._context import Context
from .._effects import Op, local, write
from ..store import Store, StoredRecord
from ..store.records import FileRecord, ThreadRecord

__all__ = [
    "annotation_file_row",
    "attach_files",
    "container_file_rows",
    "attachments_by_tool",
    "create_inline_vector_stores",
    "into_vector_store",
    "stored_thread",
]

THREAD_VECTOR_STORE_EXPIRY: dict[str, Any] = {"anchor": "last_active_at", "days": 7}
"""The legacy API's expiry of the vector stores it made for threads."""

_VECTOR_STORE_KEYS = ("file_ids", "chunking_strategy", "metadata")


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
    record, created_at = yield from local(lambda: stored_thread(context.store, thread_id))
    resources = dict(record.tool_resources)
    if search:
        resources = yield from into_vector_store(resources, search, options)
    attached = [*record.attached_file_ids, *(f for f in code if f not in record.attached_file_ids)]
    updated = ThreadRecord(tool_resources=resources, attached_file_ids=attached)
    row = updated.to_row(thread_id=thread_id, created_at=context.clock() if created_at is None else created_at)
    yield from local(lambda: context.store.put(row))


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
