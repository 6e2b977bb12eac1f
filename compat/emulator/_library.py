"""Uploaded files, vector stores and containers: the state behind ``/files``, ``/vector_stores``, ``/containers``.

The ``Library`` is also the Python interface the emulator's built-in tools use: ``search`` answers a
``file_search_call`` from a small keyword index, ``new_container`` / ``add_container_file`` back a
``code_interpreter_call``. It is thread-safe; ids and the clock come from the emulator.

Rules of the lifecycle, as the live service shows them:

- an uploaded file is ``processed`` at once;
- a vector store created with files, a vector-store file and a file batch are ``in_progress`` when created and
  ``completed`` on the next read of anything in their vector store (so the SDK's ``*_and_poll`` helpers poll
  once); a cancelled batch's unfinished files stay ``cancelled``;
- ``usage_bytes`` of a vector-store file is its size once completed (0 before); a vector store's is their sum;
- the text of a file is split into chunks of ``max_chunk_size_tokens`` words overlapping by
  ``chunk_overlap_tokens`` (whitespace words stand in for tokens).
"""

from __future__ import annotations

import builtins
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ._errors import ApiError, not_found
from ._ids import Clock, IdFactory

DEFAULT_CHUNKING: dict[str, Any] = {
    "type": "static",
    "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400},
}
"""The ``auto`` chunking strategy as the service reports it once applied."""

_WORD = re.compile(r"\w+")


class FileNotFound(ApiError):
    """``404 No such File object: ...``, whose body also carries the service's ``detail`` copy."""

    def __init__(self, file_id: str, *, param: str = "id") -> None:
        super().__init__(404, f"No such File object: {file_id}", param=param)

    def body(self) -> dict[str, Any]:
        """The error envelope plus ``detail``, as the live service answers it."""
        return {**super().body(), "detail": {"message": self.message, "code": self.code}}


@dataclass(frozen=True)
class SearchHit:
    """One chunk of a file that shares at least one word with a search query."""

    file_id: str
    filename: str
    score: float
    text: str
    attributes: dict[str, Any]


@dataclass
class StoredFile:
    """An uploaded file (``POST /files``)."""

    id: str
    filename: str
    purpose: str
    data: builtins.bytes = field(repr=False)
    created_at: int
    expires_at: int | None = None

    def body(self) -> dict[str, Any]:
        """The ``file`` object."""
        return {
            "object": "file",
            "id": self.id,
            "purpose": self.purpose,
            "filename": self.filename,
            "bytes": len(self.data),
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "status": "processed",
            "status_details": None,
        }


@dataclass
class ContainerFile:
    """A file inside a container, at ``/mnt/data/<filename>``; ``source`` is ``user`` or ``assistant``."""

    id: str
    container_id: str
    path: str
    filename: str
    bytes: int
    created_at: int
    source: str
    data: builtins.bytes = field(default=b"", repr=False)

    def body(self) -> dict[str, Any]:
        """The ``container.file`` object."""
        return {
            "id": self.id,
            "object": "container.file",
            "created_at": self.created_at,
            "bytes": self.bytes,
            "container_id": self.container_id,
            "path": self.path,
            "source": self.source,
        }


@dataclass
class ContainerRecord:
    """A container and its files in upload order."""

    id: str
    created_at: int
    name: str
    expires_after: dict[str, Any]
    memory_limit: str = "1g"
    last_active_at: int = 0
    network_policy: dict[str, Any] | None = None
    files: dict[str, ContainerFile] = field(default_factory=dict[str, ContainerFile])

    def body(self) -> dict[str, Any]:
        """The ``container`` object."""
        body: dict[str, Any] = {
            "id": self.id,
            "object": "container",
            "created_at": self.created_at,
            "status": "running",
            "expires_after": self.expires_after,
            "last_active_at": self.last_active_at,
            "memory_limit": self.memory_limit,
            "name": self.name,
        }
        if self.network_policy is not None:
            body["network_policy"] = self.network_policy
        return body


@dataclass
class VectorStoreFileRecord:
    """A file attached to a vector store, with its chunks once indexed."""

    file_id: str
    vector_store_id: str
    created_at: int
    size: int
    chunking_strategy: dict[str, Any]
    attributes: dict[str, Any]
    chunks: list[str]
    batch_id: str | None = None
    status: str = "in_progress"

    def body(self) -> dict[str, Any]:
        """The ``vector_store.file`` object."""
        return {
            "id": self.file_id,
            "object": "vector_store.file",
            "usage_bytes": self.size if self.status == "completed" else 0,
            "created_at": self.created_at,
            "vector_store_id": self.vector_store_id,
            "status": self.status,
            "last_error": None,
            "chunking_strategy": self.chunking_strategy,
            "attributes": self.attributes,
        }


@dataclass
class FileBatchRecord:
    """A batch of files added to a vector store in one call."""

    id: str
    vector_store_id: str
    created_at: int
    file_ids: list[str]
    cancelled: bool = False

    def body(self, store: VectorStoreRecord) -> dict[str, Any]:
        """The ``vector_store.file_batch`` object; ``store`` holds the batch's files."""
        counts = store.counts(self.file_ids)
        status = "cancelled" if self.cancelled else "in_progress" if counts["in_progress"] else "completed"
        return {
            "id": self.id,
            "object": "vector_store.file_batch",
            "created_at": self.created_at,
            "status": status,
            "vector_store_id": self.vector_store_id,
            "file_counts": counts,
        }


@dataclass
class VectorStoreRecord:
    """A vector store: its settings and its files in the order they were added."""

    id: str
    created_at: int
    name: str | None
    description: str | None
    metadata: dict[str, str]
    expires_after: dict[str, Any] | None
    last_active_at: int
    files: dict[str, VectorStoreFileRecord] = field(default_factory=dict[str, VectorStoreFileRecord])
    batches: dict[str, FileBatchRecord] = field(default_factory=dict[str, FileBatchRecord])

    def counts(self, file_ids: Sequence[str] | None = None) -> dict[str, int]:
        """``file_counts`` over all files, or over ``file_ids`` (a batch's)."""
        records = self.files.values() if file_ids is None else [self.files[i] for i in file_ids if i in self.files]
        counts = {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0}
        for record in records:
            counts[record.status] += 1
            counts["total"] += 1
        return counts

    def body(self) -> dict[str, Any]:
        """The ``vector_store`` object."""
        counts = self.counts()
        expires_at = None
        if self.expires_after is not None:
            expires_at = self.last_active_at + int(self.expires_after.get("days", 0)) * 86_400
        return {
            "id": self.id,
            "object": "vector_store",
            "created_at": self.created_at,
            "name": self.name,
            "description": self.description,
            "usage_bytes": sum(f.size for f in self.files.values() if f.status == "completed"),
            "file_counts": counts,
            "status": "in_progress" if counts["in_progress"] else "completed",
            "expires_after": self.expires_after,
            "expires_at": expires_at,
            "last_active_at": self.last_active_at,
            "metadata": self.metadata,
        }


def split_chunks(text: str, *, max_words: int = 800, overlap: int = 400) -> list[str]:
    """``text`` cut into windows of ``max_words`` words, each starting ``max_words - overlap`` words later."""
    spans = [match.span() for match in re.finditer(r"\S+", text)]
    if not spans:
        return []
    step = max(1, max_words - overlap)
    chunks: list[str] = []
    for start in range(0, len(spans), step):
        window = spans[start : start + max_words]
        chunks.append(text[window[0][0] : window[-1][1]])
        if start + max_words >= len(spans):
            break
    return chunks


def words(text: str) -> set[str]:
    """The distinct lowercase words of ``text``."""
    return {word.lower() for word in _WORD.findall(text)}


class Library:
    """Files, vector stores and containers kept in memory; see the module docstring for the lifecycle."""

    def __init__(self, *, ids: IdFactory, clock: Clock) -> None:
        self.ids = ids
        self.clock = clock
        self.lock = threading.RLock()
        self.files: dict[str, StoredFile] = {}
        self.vector_stores: dict[str, VectorStoreRecord] = {}
        self.containers: dict[str, ContainerRecord] = {}

    # -- files -------------------------------------------------------------------------------------

    def file(self, file_id: str) -> StoredFile | None:
        """The uploaded file ``file_id``, or ``None``."""
        with self.lock:
            return self.files.get(file_id)

    def add_file(
        self, *, filename: str, data: bytes, purpose: str = "assistants", expires_after_seconds: int | None = None
    ) -> StoredFile:
        """Store an uploaded file (what ``POST /files`` does after checking the request)."""
        with self.lock:
            now = self.clock()
            expires_at = None if expires_after_seconds is None else now + expires_after_seconds
            stored = StoredFile(self.ids("file-"), filename, purpose, data, now, expires_at)
            self.files[stored.id] = stored
            return stored

    def uploaded(self, file_id: str, *, param: str = "id") -> StoredFile:
        """The uploaded file ``file_id``; a ``FileNotFound`` naming ``param`` otherwise."""
        with self.lock:
            stored = self.files.get(file_id)
            if stored is None:
                raise FileNotFound(file_id, param=param)
            return stored

    # -- vector stores -----------------------------------------------------------------------------

    def vector_store_exists(self, vector_store_id: str) -> bool:
        """Whether ``vector_store_id`` names a vector store."""
        with self.lock:
            return vector_store_id in self.vector_stores

    def vector_store(self, vector_store_id: str, *, settle: bool = True) -> VectorStoreRecord:
        """The vector store, with its pending files completed unless ``settle=False``; a 404 otherwise."""
        with self.lock:
            record = self.vector_stores.get(vector_store_id)
            if record is None:
                raise ApiError(404, f"No vector store found with id '{vector_store_id}'.")
            if settle:
                for stored in record.files.values():
                    if stored.status == "in_progress":
                        stored.status = "completed"
            return record

    def attach(
        self,
        record: VectorStoreRecord,
        file_id: str,
        *,
        attributes: dict[str, Any] | None = None,
        chunking_strategy: dict[str, Any] | None = None,
        batch_id: str | None = None,
    ) -> VectorStoreFileRecord:
        """Add an uploaded file to a vector store (``in_progress`` until the next read).

        ``chunking_strategy`` is a ``static`` one; anything else (``None``, ``{"type": "auto"}``) means the default.
        """
        with self.lock:
            stored = self.uploaded(file_id, param="file_id")
            strategy = chunking_strategy if chunking_strategy and "static" in chunking_strategy else DEFAULT_CHUNKING
            static = strategy["static"]
            text = stored.data.decode("utf-8", errors="replace")
            chunks = split_chunks(
                text, max_words=int(static["max_chunk_size_tokens"]), overlap=int(static["chunk_overlap_tokens"])
            )
            attached = VectorStoreFileRecord(
                file_id, record.id, self.clock(), len(stored.data), strategy, dict(attributes or {}), chunks, batch_id
            )
            record.files.pop(file_id, None)
            record.files[file_id] = attached
            record.last_active_at = attached.created_at
            return attached

    def search(self, vector_store_ids: Sequence[str], query: str, *, max_results: int = 10) -> list[SearchHit]:
        """Chunks sharing a word with ``query``, best first.

        The score is the share of the query's distinct words found in the chunk; ties keep the order of
        ``vector_store_ids``, then of the files in each store, then of the chunks in each file. Unknown
        vector stores are skipped.
        """
        wanted = words(query)
        if not wanted:
            return []
        hits: list[SearchHit] = []
        with self.lock:
            for vector_store_id in vector_store_ids:
                if vector_store_id not in self.vector_stores:
                    continue
                for attached in self.vector_store(vector_store_id).files.values():
                    hits.extend(self._file_hits(attached, wanted))
        hits.sort(key=lambda hit: -hit.score)
        return hits[: max(0, max_results)]

    def _file_hits(self, attached: VectorStoreFileRecord, wanted: set[str]) -> list[SearchHit]:
        if attached.status != "completed":
            return []
        stored = self.files.get(attached.file_id)
        filename = stored.filename if stored is not None else attached.file_id
        hits: list[SearchHit] = []
        for chunk in attached.chunks:
            shared = len(wanted & words(chunk))
            if shared:
                score = round(shared / len(wanted), 4)
                hits.append(SearchHit(attached.file_id, filename, score, chunk, dict(attached.attributes)))
        return hits

    # -- containers --------------------------------------------------------------------------------

    def container_exists(self, container_id: str) -> bool:
        """Whether ``container_id`` names a container."""
        with self.lock:
            return container_id in self.containers

    def container(self, container_id: str) -> ContainerRecord:
        """The container ``container_id``; a 404 otherwise."""
        with self.lock:
            record = self.containers.get(container_id)
            if record is None:
                raise not_found("Container", container_id)
            return record

    def new_container(
        self,
        *,
        file_ids: Sequence[str] = (),
        name: str = "",
        expires_after: dict[str, Any] | None = None,
        memory_limit: str = "1g",
        network_policy: dict[str, Any] | None = None,
    ) -> str:
        """Create a container with copies of the uploaded ``file_ids`` (as ``{"type": "auto"}`` does); its id."""
        with self.lock:
            uploads = [self.uploaded(file_id, param="file_ids") for file_id in file_ids]
            now = self.clock()
            record = ContainerRecord(
                self.ids("cntr_"),
                now,
                name,
                expires_after or {"anchor": "last_active_at", "minutes": 20},
                memory_limit,
                now,
                network_policy,
            )
            self.containers[record.id] = record
            for upload in uploads:
                self.add_container_file(record.id, filename=upload.filename, data=upload.data, source="user")
            return record.id

    def add_container_file(
        self, container_id: str, *, filename: str, data: bytes, source: str = "assistant"
    ) -> ContainerFile:
        """Write ``data`` to ``/mnt/data/<filename>`` in the container (a 404 ``ApiError`` if it is unknown)."""
        with self.lock:
            record = self.container(container_id)
            now = self.clock()
            added = ContainerFile(
                self.ids("cfile_"), container_id, f"/mnt/data/{filename}", filename, len(data), now, source, data
            )
            record.files[added.id] = added
            record.last_active_at = now
            return added

    def container_files(self, container_id: str) -> list[ContainerFile]:
        """The container's files, oldest first (a 404 ``ApiError`` if it is unknown)."""
        with self.lock:
            return list(self.container(container_id).files.values())
