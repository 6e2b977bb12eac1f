"""HTTP handlers of ``/files``, ``/vector_stores`` and ``/containers``, over the emulator's ``Library``.

Rules:

- request bodies are JSON, except the uploads (``POST /files``, ``POST /containers/{id}/files``), which are
  ``multipart/form-data`` and reach the handlers as raw bytes;
- ``GET .../content`` answers the file's bytes with a content type guessed from its name;
- lists page with ``limit``, ``order`` (default ``desc``, newest first), ``after`` and ``before`` (a cursor
  naming no listed object is ignored);
- a missing file is ``404 No such File object: <id>`` with the service's extra ``detail`` copy; other missing
  objects answer ``404 <Kind> with id '<id>' not found.`` (vector stores: ``No vector store found with id``);
- vector-store search scores chunks by the query's words (see ``Library.search``); ``filters`` and
  ``ranking_options.ranker`` are accepted and ignored, ``rewrite_query`` leaves the query as it is, and
  ``ranking_options.score_threshold`` drops lower scores.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from ._errors import ApiError, invalid_type, invalid_value, missing_parameter, not_found
from ._library import (
    DEFAULT_CHUNKING,
    FileBatchRecord,
    Library,
    StoredFile,
    VectorStoreFileRecord,
    VectorStoreRecord,
)

if TYPE_CHECKING:
    from ._emulator import Emulator, RecordedRequest

FILE_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
FILE_STATUSES = ("in_progress", "completed", "failed", "cancelled")

Match = re.Match[str]
LibraryHandler = Callable[["Emulator", Match, "RecordedRequest"], Any]


@dataclass(frozen=True)
class RawContent:
    """A non-JSON answer: the bytes of a file and their content type."""

    data: bytes
    content_type: str


@dataclass(frozen=True)
class FormField:
    """One part of a ``multipart/form-data`` body."""

    value: bytes
    filename: str | None = None


# -- request helpers -------------------------------------------------------------------------------


def parse_form(request: RecordedRequest) -> dict[str, FormField]:
    """The fields of a multipart body, by name (the last one wins)."""
    content_type = request.headers.get("content-type", "")
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    if not isinstance(request.json, bytes) or found is None:
        raise ApiError(400, "Expected a multipart/form-data request body.")
    raw = request.json
    fields: dict[str, FormField] = {}
    for part in raw.split(b"--" + found[1].encode())[1:-1]:
        head, _, value = part.partition(b"\r\n\r\n")
        name = re.search(rb';\s*name="?([^";\r\n]+)"?', head)
        filename = re.search(rb';\s*filename="([^"]*)"', head) or re.search(rb";\s*filename=([^;\r\n]+)", head)
        if name is not None:
            fields[name[1].decode()] = FormField(
                value.removesuffix(b"\r\n"), filename[1].decode() if filename is not None else None
            )
    return fields


def json_body(request: RecordedRequest) -> dict[str, Any]:
    """The JSON object body of a request (``{}`` without one)."""
    value: object = request.json
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, "We could not parse the JSON body of your request.")
    return cast("dict[str, Any]", value)


def _string_list(body: Mapping[str, Any], key: str) -> list[str]:
    given: object = body.get(key)
    value = given
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in cast("list[object]", value)):
        raise invalid_type(key, "an array of strings", given)
    return cast("list[str]", value)


def _mapping(body: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_type(key, "an object", value)
    return dict(cast("dict[str, Any]", value))


def _chunking(body: Mapping[str, Any]) -> dict[str, Any]:
    strategy = _mapping(body, "chunking_strategy")
    if strategy is None or strategy.get("type") == "auto":
        return DEFAULT_CHUNKING
    static = strategy.get("static")
    if strategy.get("type") != "static" or not isinstance(static, dict):
        raise invalid_value("chunking_strategy", "expected {'type': 'auto'} or {'type': 'static', 'static': {...}}.")
    settings = cast("dict[str, Any]", static)
    size, overlap = settings.get("max_chunk_size_tokens"), settings.get("chunk_overlap_tokens")
    if not isinstance(size, int) or not isinstance(overlap, int) or not 100 <= size <= 4096:
        raise invalid_value("chunking_strategy.static.max_chunk_size_tokens", "expected an integer from 100 to 4096.")
    if not 0 <= overlap <= size // 2:
        raise invalid_value(
            "chunking_strategy.static.chunk_overlap_tokens", "must not exceed half of max_chunk_size_tokens."
        )
    return {"type": "static", "static": {"max_chunk_size_tokens": size, "chunk_overlap_tokens": overlap}}


def page(
    objects: Sequence[dict[str, Any]],
    query: Mapping[str, list[str]],
    *,
    default_limit: int = 20,
    max_limit: int = 100,
) -> dict[str, Any]:
    """A list envelope over ``objects`` (oldest first) for ``limit``, ``order``, ``after``, ``before``."""
    limit = _limit(query, default_limit, max_limit)
    order = query.get("order", ["desc"])[0]
    if order not in ("asc", "desc"):
        raise invalid_value("order", f"'{order}'. Supported values are: 'asc' and 'desc'.")
    ordered = list(objects) if order == "asc" else list(objects)[::-1]
    after, before = query.get("after", [None])[0], query.get("before", [None])[0]
    ids = [obj["id"] for obj in ordered]
    if after in ids:
        ordered = ordered[ids.index(after) + 1 :]
    ids = [obj["id"] for obj in ordered]
    if before in ids:
        ordered = ordered[: ids.index(before)]
        data = ordered[-limit:]
    else:
        data = ordered[:limit]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": len(ordered) > limit,
    }


def _limit(query: Mapping[str, list[str]], default: int, maximum: int) -> int:
    raw = query.get("limit", [str(default)])[0]
    if not raw.lstrip("-").isdigit():
        raise invalid_type("limit", "an integer", raw)
    limit = int(raw)
    if not 1 <= limit <= maximum:
        raise invalid_value("limit", f"expected an integer from 1 to {maximum}, but got {limit} instead.")
    return limit


def _content_type(filename: str) -> str:
    guessed = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def _uploaded(library: Library, file_id: str, *, param: str = "id") -> StoredFile:
    return library.uploaded(file_id, param=param)


# -- files -----------------------------------------------------------------------------------------


def create_file(emulator: Emulator, _match: Match, request: RecordedRequest) -> Any:
    """``POST /files`` (multipart ``file``, ``purpose``, ``expires_after[anchor]``, ``expires_after[seconds]``)."""
    form = parse_form(request)
    upload, purpose = form.get("file"), form.get("purpose")
    if upload is None:
        raise missing_parameter("file")
    if purpose is None:
        raise missing_parameter("purpose")
    name = purpose.value.decode()
    if name not in FILE_PURPOSES:
        supported = ", ".join(f"'{p}'" for p in FILE_PURPOSES)
        raise invalid_value("purpose", f"'{name}'. Supported values are: {supported}.")
    stored = emulator.library.add_file(
        filename=upload.filename or "upload", data=upload.value, purpose=name, expires_after_seconds=_expiry(form)
    )
    return stored.body()


def _expiry(form: Mapping[str, FormField]) -> int | None:
    seconds = form.get("expires_after[seconds]")
    if seconds is None:
        return None
    text = seconds.value.decode()
    if not text.isdigit() or not 3600 <= int(text) <= 2_592_000:
        raise invalid_value("expires_after.seconds", f"expected an integer from 3600 to 2592000, but got {text!r}.")
    return int(text)


def list_files(emulator: Emulator, _match: Match, request: RecordedRequest) -> Any:
    """``GET /files``: ``purpose``, ``limit`` (up to 10000), ``order``, ``after``."""
    purpose = request.query.get("purpose", [None])[0]
    with emulator.library.lock:
        stored = [f.body() for f in emulator.library.files.values() if purpose in (None, f.purpose)]
    return page(stored, request.query, default_limit=10_000, max_limit=10_000)


def retrieve_file(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /files/{id}``."""
    return _uploaded(emulator.library, match["file"]).body()


def file_content(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /files/{id}/content``: the uploaded bytes."""
    stored = _uploaded(emulator.library, match["file"])
    return RawContent(stored.data, _content_type(stored.filename))


def delete_file(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``DELETE /files/{id}``."""
    library = emulator.library
    with library.lock:
        stored = _uploaded(library, match["file"])
        del library.files[stored.id]
    return {"object": "file", "deleted": True, "id": stored.id}


# -- vector stores ---------------------------------------------------------------------------------


def create_vector_store(emulator: Emulator, _match: Match, request: RecordedRequest) -> Any:
    """``POST /vector_stores``: files given are ``in_progress`` until the next read."""
    body = json_body(request)
    file_ids = _string_list(body, "file_ids")
    chunking = _chunking(body)
    library = emulator.library
    with library.lock:
        for file_id in file_ids:
            _uploaded(library, file_id, param="file_ids")
        now = library.clock()
        record = VectorStoreRecord(
            library.ids("vs_"),
            now,
            body.get("name"),
            body.get("description"),
            dict(_mapping(body, "metadata") or {}),
            _mapping(body, "expires_after"),
            now,
        )
        library.vector_stores[record.id] = record
        for file_id in file_ids:
            library.attach(record, file_id, chunking_strategy=chunking)
        record.last_active_at = now
        return record.body()


def retrieve_vector_store(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /vector_stores/{id}``."""
    with emulator.library.lock:
        return emulator.library.vector_store(match["vs"]).body()


def update_vector_store(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``POST /vector_stores/{id}``: ``name``, ``expires_after``, ``metadata``."""
    body = json_body(request)
    with emulator.library.lock:
        record = emulator.library.vector_store(match["vs"])
        if "name" in body:
            record.name = body["name"]
        if "expires_after" in body:
            record.expires_after = _mapping(body, "expires_after")
        if "metadata" in body:
            record.metadata = dict(_mapping(body, "metadata") or {})
        return record.body()


def list_vector_stores(emulator: Emulator, _match: Match, request: RecordedRequest) -> Any:
    """``GET /vector_stores``."""
    library = emulator.library
    with library.lock:
        stores = [library.vector_store(i).body() for i in list(library.vector_stores)]
    return page(stores, request.query)


def delete_vector_store(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``DELETE /vector_stores/{id}``."""
    library = emulator.library
    with library.lock:
        record = library.vector_store(match["vs"], settle=False)
        del library.vector_stores[record.id]
    return {"id": record.id, "object": "vector_store.deleted", "deleted": True}


def _attached(record: VectorStoreRecord, file_id: str) -> VectorStoreFileRecord:
    attached = record.files.get(file_id)
    if attached is None:
        raise not_found("Vector store file", file_id)
    return attached


def _attributes(body: Mapping[str, Any]) -> dict[str, Any]:
    return _mapping(body, "attributes") or {}


def create_vector_store_file(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``POST /vector_stores/{id}/files``: ``file_id``, ``attributes``, ``chunking_strategy``."""
    body = json_body(request)
    file_id = body.get("file_id")
    if not isinstance(file_id, str):
        raise missing_parameter("file_id")
    library = emulator.library
    with library.lock:
        record = library.vector_store(match["vs"])
        _uploaded(library, file_id, param="file_id")
        attached = library.attach(record, file_id, attributes=_attributes(body), chunking_strategy=_chunking(body))
        return attached.body()


def retrieve_vector_store_file(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /vector_stores/{id}/files/{file_id}``."""
    with emulator.library.lock:
        return _attached(emulator.library.vector_store(match["vs"]), match["file"]).body()


def update_vector_store_file(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``POST /vector_stores/{id}/files/{file_id}``: replaces ``attributes``."""
    body = json_body(request)
    if "attributes" not in body:
        raise missing_parameter("attributes")
    with emulator.library.lock:
        attached = _attached(emulator.library.vector_store(match["vs"]), match["file"])
        attached.attributes = _attributes(body)
        return attached.body()


def _filtered(files: Sequence[VectorStoreFileRecord], query: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    wanted = query.get("filter", [None])[0]
    if wanted is not None and wanted not in FILE_STATUSES:
        raise invalid_value("filter", f"'{wanted}'. Supported values are: {', '.join(FILE_STATUSES)}.")
    return [f.body() for f in files if wanted in (None, f.status)]


def list_vector_store_files(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``GET /vector_stores/{id}/files``: ``filter`` by status, paged."""
    with emulator.library.lock:
        files = list(emulator.library.vector_store(match["vs"]).files.values())
        return page(_filtered(files, request.query), request.query)


def delete_vector_store_file(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``DELETE /vector_stores/{id}/files/{file_id}``: detaches the file, which stays uploaded."""
    with emulator.library.lock:
        record = emulator.library.vector_store(match["vs"], settle=False)
        del record.files[_attached(record, match["file"]).file_id]
    return {"id": match["file"], "object": "vector_store.file.deleted", "deleted": True}


def vector_store_file_content(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /vector_stores/{id}/files/{file_id}/content``: the parsed text, one page."""
    library = emulator.library
    with library.lock:
        _attached(library.vector_store(match["vs"]), match["file"])
        stored = _uploaded(library, match["file"])
    text = stored.data.decode("utf-8", errors="replace")
    return {
        "object": "vector_store.file_content.page",
        "data": [{"type": "text", "text": text}],
        "has_more": False,
        "next_page": None,
    }


# -- file batches ----------------------------------------------------------------------------------


def _batch_entries(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``file_ids`` (sharing ``attributes`` and ``chunking_strategy``) or ``files``, one of them."""
    if ("file_ids" in body) == ("files" in body):
        raise ApiError(400, "Exactly one of 'file_ids' or 'files' must be provided.", param="file_ids")
    if "file_ids" in body:
        ids = _string_list(body, "file_ids")
        shared = {"attributes": _attributes(body), "chunking_strategy": _chunking(body)}
        entries = [{"file_id": file_id, **shared} for file_id in ids]
    else:
        given: object = body["files"]
        files = given
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in cast("list[object]", files)):
            raise invalid_type("files", "an array of objects", given)
        entries = [
            {"file_id": f.get("file_id"), "attributes": _attributes(f), "chunking_strategy": _chunking(f)}
            for f in cast("list[dict[str, Any]]", files)
        ]
    if not entries:
        raise ApiError(400, "Invalid 'file_ids': empty array. Expected an array with minimum length 1.")
    return entries


def _batch(record: VectorStoreRecord, batch_id: str) -> FileBatchRecord:
    batch = record.batches.get(batch_id)
    if batch is None:
        raise not_found("Vector store file batch", batch_id)
    return batch


def create_file_batch(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``POST /vector_stores/{id}/file_batches``: the batch's files are ``in_progress`` until the next read."""
    entries = _batch_entries(json_body(request))
    library = emulator.library
    with library.lock:
        record = library.vector_store(match["vs"])
        for entry in entries:
            if not isinstance(entry["file_id"], str):
                raise missing_parameter("files.file_id")
            _uploaded(library, entry["file_id"], param="file_ids")
        batch = FileBatchRecord(library.ids("vsfb_"), record.id, library.clock(), [e["file_id"] for e in entries])
        record.batches[batch.id] = batch
        for entry in entries:
            library.attach(
                record,
                entry["file_id"],
                attributes=entry["attributes"],
                chunking_strategy=entry["chunking_strategy"],
                batch_id=batch.id,
            )
        return batch.body(record)


def retrieve_file_batch(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /vector_stores/{id}/file_batches/{batch_id}``."""
    with emulator.library.lock:
        record = emulator.library.vector_store(match["vs"])
        return _batch(record, match["batch"]).body(record)


def cancel_file_batch(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``POST .../file_batches/{batch_id}/cancel``: unfinished files are cancelled; a finished batch is kept."""
    with emulator.library.lock:
        record = emulator.library.vector_store(match["vs"], settle=False)
        batch = _batch(record, match["batch"])
        pending = [record.files[i] for i in batch.file_ids if i in record.files]
        pending = [f for f in pending if f.status == "in_progress"]
        for attached in pending:
            attached.status = "cancelled"
        batch.cancelled = batch.cancelled or bool(pending)
        return batch.body(record)


def list_file_batch_files(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``GET .../file_batches/{batch_id}/files``: ``filter`` by status, paged."""
    with emulator.library.lock:
        record = emulator.library.vector_store(match["vs"])
        batch = _batch(record, match["batch"])
        files = [f for f in record.files.values() if f.batch_id == batch.id]
        return page(_filtered(files, request.query), request.query)


# -- search ----------------------------------------------------------------------------------------


def _queries(body: Mapping[str, Any]) -> list[str]:
    given: object = body.get("query")
    query = given
    if query is None:
        raise missing_parameter("query")
    if isinstance(query, str):
        return [query]
    if isinstance(query, list) and query and all(isinstance(q, str) for q in cast("list[object]", query)):
        return cast("list[str]", query)
    raise invalid_type("query", "a string or an array of strings", given)


def _max_results(body: Mapping[str, Any]) -> int:
    value = body.get("max_num_results", 10)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 50:
        raise invalid_value("max_num_results", f"expected an integer from 1 to 50, but got {value!r} instead.")
    return value


def search_vector_store(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``POST /vector_stores/{id}/search``: keyword scoring over the store's chunks (see the module rules)."""
    body = json_body(request)
    queries = _queries(body)
    limit = _max_results(body)
    threshold = float((_mapping(body, "ranking_options") or {}).get("score_threshold") or 0)
    library = emulator.library
    with library.lock:
        record = library.vector_store(match["vs"])
        hits = library.search([record.id], " ".join(queries), max_results=limit)
    data = [
        {
            "file_id": hit.file_id,
            "filename": hit.filename,
            "score": hit.score,
            "attributes": hit.attributes,
            "content": [{"type": "text", "text": hit.text}],
        }
        for hit in hits
        if hit.score >= threshold
    ]
    return {
        "object": "vector_store.search_results.page",
        "search_query": queries,
        "data": data,
        "has_more": False,
        "next_page": None,
    }


# -- containers ------------------------------------------------------------------------------------


def create_container(emulator: Emulator, _match: Match, request: RecordedRequest) -> Any:
    """``POST /containers``: ``name``, ``file_ids`` (copied in), ``expires_after``, ``memory_limit``."""
    body = json_body(request)
    name = body.get("name")
    if not isinstance(name, str):
        raise missing_parameter("name")
    file_ids = _string_list(body, "file_ids")
    library = emulator.library
    with library.lock:
        for file_id in file_ids:
            _uploaded(library, file_id, param="file_ids")
        container_id = library.new_container(
            file_ids=file_ids,
            name=name,
            expires_after=_mapping(body, "expires_after"),
            memory_limit=str(body.get("memory_limit") or "1g"),
            network_policy=_mapping(body, "network_policy"),
        )
        return library.container(container_id).body()


def list_containers(emulator: Emulator, _match: Match, request: RecordedRequest) -> Any:
    """``GET /containers``."""
    with emulator.library.lock:
        containers = [c.body() for c in emulator.library.containers.values()]
    return page(containers, request.query)


def retrieve_container(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /containers/{id}``."""
    return emulator.library.container(match["cntr"]).body()


def delete_container(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``DELETE /containers/{id}``."""
    library = emulator.library
    with library.lock:
        record = library.container(match["cntr"])
        del library.containers[record.id]
    return {"id": record.id, "object": "container.deleted", "deleted": True}


def create_container_file(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``POST /containers/{id}/files``: a multipart ``file``, or JSON ``file_id`` copying an uploaded file."""
    library = emulator.library
    if isinstance(request.json, bytes):
        upload = parse_form(request).get("file")
        if upload is None:
            raise missing_parameter("file")
        filename, data = upload.filename or "upload", upload.value
    else:
        file_id = json_body(request).get("file_id")
        if not isinstance(file_id, str):
            raise missing_parameter("file_id")
        stored = _uploaded(library, file_id, param="file_id")
        filename, data = stored.filename, stored.data
    added = library.add_container_file(match["cntr"], filename=filename, data=data, source="user")
    return added.body()


def _container_file(emulator: Emulator, match: Match) -> Any:
    record = emulator.library.container(match["cntr"])
    found = record.files.get(match["cfile"])
    if found is None:
        raise not_found("Container file", match["cfile"])
    return found


def list_container_files(emulator: Emulator, match: Match, request: RecordedRequest) -> Any:
    """``GET /containers/{id}/files``."""
    files = [f.body() for f in emulator.library.container_files(match["cntr"])]
    return page(files, request.query)


def retrieve_container_file(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /containers/{id}/files/{file_id}``."""
    with emulator.library.lock:
        return _container_file(emulator, match).body()


def container_file_content(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``GET /containers/{id}/files/{file_id}/content``: the file's bytes."""
    with emulator.library.lock:
        found = _container_file(emulator, match)
    return RawContent(found.data, _content_type(found.filename))


def delete_container_file(emulator: Emulator, match: Match, _request: RecordedRequest) -> Any:
    """``DELETE /containers/{id}/files/{file_id}``."""
    with emulator.library.lock:
        found = _container_file(emulator, match)
        del emulator.library.container(match["cntr"]).files[found.id]
    return {"id": found.id, "object": "container.file.deleted", "deleted": True}


_VS = r"/vector_stores/(?P<vs>[^/]+)"
_VS_FILE = _VS + r"/files/(?P<file>[^/]+)"
_BATCH = _VS + r"/file_batches/(?P<batch>[^/]+)"
_CNTR = r"/containers/(?P<cntr>[^/]+)"
_CFILE = _CNTR + r"/files/(?P<cfile>[^/]+)"
LIBRARY_ROUTES: list[tuple[str, re.Pattern[str], LibraryHandler]] = [
    ("POST", re.compile(r"/files"), create_file),
    ("GET", re.compile(r"/files"), list_files),
    ("GET", re.compile(r"/files/(?P<file>[^/]+)"), retrieve_file),
    ("GET", re.compile(r"/files/(?P<file>[^/]+)/content"), file_content),
    ("DELETE", re.compile(r"/files/(?P<file>[^/]+)"), delete_file),
    ("POST", re.compile(r"/vector_stores"), create_vector_store),
    ("GET", re.compile(r"/vector_stores"), list_vector_stores),
    ("GET", re.compile(_VS), retrieve_vector_store),
    ("POST", re.compile(_VS), update_vector_store),
    ("DELETE", re.compile(_VS), delete_vector_store),
    ("POST", re.compile(_VS + "/search"), search_vector_store),
    ("POST", re.compile(_VS + "/files"), create_vector_store_file),
    ("GET", re.compile(_VS + "/files"), list_vector_store_files),
    ("GET", re.compile(_VS_FILE), retrieve_vector_store_file),
    ("POST", re.compile(_VS_FILE), update_vector_store_file),
    ("DELETE", re.compile(_VS_FILE), delete_vector_store_file),
    ("GET", re.compile(_VS_FILE + "/content"), vector_store_file_content),
    ("POST", re.compile(_VS + "/file_batches"), create_file_batch),
    ("GET", re.compile(_BATCH), retrieve_file_batch),
    ("POST", re.compile(_BATCH + "/cancel"), cancel_file_batch),
    ("GET", re.compile(_BATCH + "/files"), list_file_batch_files),
    ("POST", re.compile(r"/containers"), create_container),
    ("GET", re.compile(r"/containers"), list_containers),
    ("GET", re.compile(_CNTR), retrieve_container),
    ("DELETE", re.compile(_CNTR), delete_container),
    ("POST", re.compile(_CNTR + "/files"), create_container_file),
    ("GET", re.compile(_CNTR + "/files"), list_container_files),
    ("GET", re.compile(_CFILE), retrieve_container_file),
    ("GET", re.compile(_CFILE + "/content"), container_file_content),
    ("DELETE", re.compile(_CFILE), delete_container_file),
]
"""The routes of the library endpoints, paths without ``/v1``, for the emulator's route table."""
