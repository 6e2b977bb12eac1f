"""Files, vector stores and containers of the emulator, driven through the SDK and the ``Library`` interface."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import openai
import pytest
from openai.types import FileDeleted, FileObject, VectorStore, VectorStoreDeleted, VectorStoreSearchResponse
from openai.types.containers import FileCreateResponse, FileRetrieveResponse
from openai.types.vector_stores import VectorStoreFile, VectorStoreFileDeleted

from compat.emulator import Emulator, counter_ids, fixed_clock, serve
from compat.emulator._library import ContainerFile, SearchHit, split_chunks

NOW = 1_700_000_000
STATIC = {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}}
PARIS = b"Paris is the capital of France. The Eiffel tower stands in Paris."
ROME = b"Rome is the capital of Italy."


def _file(file_id: str, filename: str, size: int, purpose: str = "assistants") -> FileObject:
    return FileObject(
        id=file_id,
        object="file",
        purpose=purpose,  # type: ignore[arg-type]
        filename=filename,
        bytes=size,
        created_at=NOW,
        expires_at=None,
        status="processed",
        status_details=None,
    )


def _counts(*, in_progress: int = 0, completed: int = 0, cancelled: int = 0) -> dict[str, int]:
    total = in_progress + completed + cancelled
    return {"in_progress": in_progress, "completed": completed, "failed": 0, "cancelled": cancelled, "total": total}


def _vs_file(file_id: str, vs_id: str, size: int, *, status: str = "completed", **extra: Any) -> VectorStoreFile:
    return VectorStoreFile.model_validate(
        {
            "id": file_id,
            "object": "vector_store.file",
            "usage_bytes": size if status == "completed" else 0,
            "created_at": NOW,
            "vector_store_id": vs_id,
            "status": status,
            "last_error": None,
            "chunking_strategy": STATIC,
            "attributes": {},
            **extra,
        }
    )


def _not_found(message: str, param: str | None = None) -> dict[str, Any]:
    return {"message": message, "type": "invalid_request_error", "param": param, "code": None}


# -- files -----------------------------------------------------------------------------------------


def test_files_round_trip(client: openai.OpenAI, emulator: Emulator) -> None:
    paris = client.files.create(file=("paris.txt", PARIS), purpose="assistants")
    image = client.files.create(file=("cat.png", b"\x89PNG"), purpose="vision")
    assert paris == _file("file-0001", "paris.txt", len(PARIS))
    assert image == _file("file-0002", "cat.png", 4, "vision")
    assert client.files.list().data == [image, paris]
    assert client.files.list(purpose="vision").data == [image]
    first = client.files.list(order="asc", limit=1)
    assert (first.data, first.has_more, first.last_id) == ([paris], True, "file-0001")
    assert client.files.list(order="asc", after="file-0001").data == [image]
    assert client.files.retrieve("file-0001") == paris
    content = client.files.content("file-0002")
    assert (content.content, content.response.headers["content-type"]) == (b"\x89PNG", "image/png")
    assert client.files.content("file-0001").response.headers["content-type"] == "text/plain; charset=utf-8"
    assert client.files.delete("file-0001") == FileDeleted(id="file-0001", object="file", deleted=True)
    assert client.files.list().data == [image]
    assert emulator.library.file("file-0001") is None


def test_file_expiry(client: openai.OpenAI) -> None:
    upload = client.files.create(
        file=("batch.jsonl", b"{}"), purpose="batch", expires_after={"anchor": "created_at", "seconds": 3600}
    )
    assert upload == _file("file-0001", "batch.jsonl", 2, "batch").model_copy(update={"expires_at": NOW + 3600})
    with pytest.raises(openai.BadRequestError) as bad:
        client.files.create(file=("a", b"a"), purpose="batch", expires_after={"anchor": "created_at", "seconds": 5})
    assert bad.value.body == {
        "message": "Invalid value for 'expires_after.seconds': expected an integer from 3600 to 2592000, but got '5'.",
        "type": "invalid_request_error",
        "param": "expires_after.seconds",
        "code": "invalid_value",
    }


def test_concurrent_uploads_keep_counts(client: openai.OpenAI, emulator: Emulator) -> None:
    store = client.vector_stores.create()

    def attach(n: int) -> str:
        return client.vector_stores.files.upload_and_poll(vector_store_id=store.id, file=(f"{n}.txt", b"word")).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(attach, range(16)))
    assert len(set(ids)) == 16
    done = client.vector_stores.retrieve(store.id)
    assert (done.file_counts.completed, done.file_counts.total, done.usage_bytes) == (16, 16, 64)
    assert len(emulator.library.search([store.id], "word", max_results=50)) == 16


def test_missing_file_answers_as_the_service(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client.files.retrieve("fake_id")
    assert missing.value.response.json() == {
        "error": _not_found("No such File object: fake_id", "id"),
        "detail": {"message": "No such File object: fake_id", "code": None},
    }
    with pytest.raises(openai.NotFoundError):
        client.files.content("fake_id")


def test_file_upload_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as bad:
        client.files.create(file=("a.txt", b"a"), purpose="nonsense")  # type: ignore[arg-type]
    assert bad.value.body == {
        "message": "Invalid value for 'purpose': 'nonsense'. Supported values are: 'assistants', 'batch', "
        "'fine-tune', 'vision', 'user_data', 'evals'.",
        "type": "invalid_request_error",
        "param": "purpose",
        "code": "invalid_value",
    }
    with pytest.raises(openai.BadRequestError) as missing:
        client.post("/files", body={"purpose": "assistants"}, cast_to=object)
    assert missing.value.body == _not_found("Expected a multipart/form-data request body.") | {"param": None}


# -- vector stores ---------------------------------------------------------------------------------


def test_vector_store_lifecycle(client: openai.OpenAI) -> None:
    paris = client.files.create(file=("paris.txt", PARIS), purpose="assistants")
    created = client.vector_stores.create(
        name="cities",
        file_ids=[paris.id],
        metadata={"team": "a"},
        expires_after={"anchor": "last_active_at", "days": 2},
        description="Capitals",
    )
    expected = {
        "id": "vs_0002",
        "object": "vector_store",
        "created_at": NOW,
        "name": "cities",
        "description": "Capitals",
        "usage_bytes": 0,
        "file_counts": _counts(in_progress=1),
        "status": "in_progress",
        "expires_after": {"anchor": "last_active_at", "days": 2},
        "expires_at": NOW + 2 * 86_400,
        "last_active_at": NOW,
        "metadata": {"team": "a"},
    }
    assert created == VectorStore.model_validate(expected)
    done = {**expected, "status": "completed", "file_counts": _counts(completed=1), "usage_bytes": len(PARIS)}
    assert client.vector_stores.retrieve("vs_0002") == VectorStore.model_validate(done)
    updated = client.vector_stores.update("vs_0002", name="towns", metadata={"team": "b"})
    assert updated == VectorStore.model_validate({**done, "name": "towns", "metadata": {"team": "b"}})
    empty = client.vector_stores.create()
    assert [store.id for store in client.vector_stores.list()] == [empty.id, "vs_0002"]
    assert client.vector_stores.delete("vs_0002") == VectorStoreDeleted(
        id="vs_0002", object="vector_store.deleted", deleted=True
    )
    with pytest.raises(openai.NotFoundError) as gone:
        client.vector_stores.retrieve("vs_0002")
    assert gone.value.body == _not_found("No vector store found with id 'vs_0002'.")


def test_vector_store_files(client: openai.OpenAI, emulator: Emulator) -> None:
    store = client.vector_stores.create(name="cities")
    attached = client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("paris.txt", PARIS), attributes={"country": "fr"}
    )
    assert attached == _vs_file("file-0002", store.id, len(PARIS), attributes={"country": "fr"})
    assert [r.json for r in emulator.requests if r.path == f"/vector_stores/{store.id}/files"] == [
        {"file_id": "file-0002", "attributes": {"country": "fr"}}
    ]
    created = client.vector_stores.files.create(
        vector_store_id=store.id,
        file_id=client.files.create(file=("rome.txt", ROME), purpose="assistants").id,
        chunking_strategy={"type": "static", "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 50}},
    )
    small = {"type": "static", "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 50}}
    assert created == _vs_file("file-0003", store.id, len(ROME), status="in_progress", chunking_strategy=small)
    listed = client.vector_stores.files.list(vector_store_id=store.id, filter="completed")
    rome = _vs_file("file-0003", store.id, len(ROME), chunking_strategy=small)
    assert listed.data == [rome, attached]
    assert client.vector_stores.files.list(vector_store_id=store.id, filter="in_progress").data == []
    changed = client.vector_stores.files.update(file_id="file-0003", vector_store_id=store.id, attributes={"n": 1})
    assert changed == _vs_file("file-0003", store.id, len(ROME), chunking_strategy=small, attributes={"n": 1})
    pages = list(client.vector_stores.files.content(file_id="file-0002", vector_store_id=store.id))
    assert [(p.type, p.text) for p in pages] == [("text", PARIS.decode())]
    assert client.vector_stores.files.delete(file_id="file-0002", vector_store_id=store.id) == VectorStoreFileDeleted(
        id="file-0002", object="vector_store.file.deleted", deleted=True
    )
    after = client.vector_stores.retrieve(store.id)
    assert (after.file_counts.total, after.usage_bytes) == (1, len(ROME))
    with pytest.raises(openai.NotFoundError) as gone:
        client.vector_stores.files.retrieve(file_id="file-0002", vector_store_id=store.id)
    assert gone.value.body == _not_found("Vector store file with id 'file-0002' not found.")


def _batch(batch_id: str, vs_id: str, status: str, counts: dict[str, int]) -> dict[str, Any]:
    # The SDK's VectorStoreFileBatch declares object "vector_store.files_batch"; the wire says "file_batch".
    return {
        "id": batch_id,
        "object": "vector_store.file_batch",
        "created_at": NOW,
        "status": status,
        "vector_store_id": vs_id,
        "file_counts": counts,
    }


def test_file_batches(client: openai.OpenAI) -> None:
    store = client.vector_stores.create()
    uploaded = client.vector_stores.file_batches.upload_and_poll(
        store.id, files=[("paris.txt", PARIS), ("rome.txt", ROME)]
    )
    assert uploaded.to_dict() == _batch("vsfb_0004", store.id, "completed", _counts(completed=2))
    third = client.files.create(file=("c.txt", b"third"), purpose="assistants")
    polled = client.vector_stores.file_batches.create_and_poll(
        store.id, files=[{"file_id": third.id, "attributes": {"k": "v"}}]
    )
    assert polled.to_dict() == _batch("vsfb_0006", store.id, "completed", _counts(completed=1))
    ids = [f.id for f in client.vector_stores.file_batches.list_files("vsfb_0004", vector_store_id=store.id)]
    assert sorted(ids) == ["file-0002", "file-0003"]
    asc = client.vector_stores.file_batches.list_files("vsfb_0004", vector_store_id=store.id, order="asc", limit=1)
    assert ([f.id for f in asc.data], asc.has_more) == ([ids[-1]], True)
    before = client.vector_stores.file_batches.list_files(
        "vsfb_0004", vector_store_id=store.id, order="asc", before=ids[0]
    )
    assert [f.id for f in before.data] == [ids[-1]]
    kept = client.vector_stores.file_batches.cancel("vsfb_0004", vector_store_id=store.id)
    assert kept.to_dict() == uploaded.to_dict()


def test_cancelling_a_pending_batch(client: openai.OpenAI) -> None:
    store = client.vector_stores.create()
    upload = client.files.create(file=("a.txt", b"alpha"), purpose="assistants")
    pending = client.vector_stores.file_batches.create(store.id, file_ids=[upload.id])
    assert pending.to_dict() == _batch("vsfb_0003", store.id, "in_progress", _counts(in_progress=1))
    cancelled = client.vector_stores.file_batches.cancel(pending.id, vector_store_id=store.id)
    assert cancelled.to_dict() == _batch("vsfb_0003", store.id, "cancelled", _counts(cancelled=1))
    files = client.vector_stores.file_batches.list_files(pending.id, vector_store_id=store.id, filter="cancelled")
    assert [(f.id, f.status, f.usage_bytes) for f in files.data] == [(upload.id, "cancelled", 0)]
    assert client.vector_stores.retrieve(store.id).file_counts.cancelled == 1
    with pytest.raises(openai.BadRequestError) as both:
        client.vector_stores.file_batches.create(store.id, file_ids=[upload.id], files=[{"file_id": upload.id}])
    assert both.value.body == _not_found("Exactly one of 'file_ids' or 'files' must be provided.", "file_ids")


def test_search(client: openai.OpenAI) -> None:
    store = client.vector_stores.create()
    # upload_and_poll uploads in threads, so ids would depend on scheduling: upload one by one here
    uploads = [client.files.create(file=f, purpose="assistants") for f in [("paris.txt", PARIS), ("rome.txt", ROME)]]
    client.vector_stores.file_batches.create_and_poll(store.id, file_ids=[u.id for u in uploads])
    found = client.vector_stores.search(store.id, query="capital of Italy", max_num_results=5, rewrite_query=True)
    rome = VectorStoreSearchResponse.model_validate(
        {
            "file_id": "file-0003",
            "filename": "rome.txt",
            "score": 1.0,
            "attributes": {},
            "content": [{"type": "text", "text": ROME.decode()}],
        }
    )
    paris = VectorStoreSearchResponse.model_validate(
        {
            "file_id": "file-0002",
            "filename": "paris.txt",
            "score": 0.6667,
            "attributes": {},
            "content": [{"type": "text", "text": PARIS.decode()}],
        }
    )
    assert found.data == [rome, paris]
    assert found.to_dict()["search_query"] == ["capital of Italy"]
    assert client.vector_stores.search(store.id, query=["eiffel", "tower"]).data == [
        paris.model_copy(update={"score": 1.0})
    ]
    best = client.vector_stores.search(store.id, query="capital Italy", ranking_options={"score_threshold": 0.9})
    assert best.data == [rome]
    assert client.vector_stores.search(store.id, query="zebra").data == []
    with pytest.raises(openai.BadRequestError) as bad:
        client.vector_stores.search(store.id, query="x", max_num_results=51)
    assert bad.value.body == _not_found(
        "Invalid value for 'max_num_results': expected an integer from 1 to 50, but got 51 instead.",
        "max_num_results",
    ) | {"code": "invalid_value"}


# -- containers ------------------------------------------------------------------------------------


def _cfile(file_id: str, container_id: str, filename: str, size: int) -> FileCreateResponse:
    return FileCreateResponse(
        id=file_id,
        object="container.file",
        created_at=NOW,
        bytes=size,
        container_id=container_id,
        path=f"/mnt/data/{filename}",
        source="user",
    )


def test_containers(client: openai.OpenAI) -> None:
    upload = client.files.create(file=("data.csv", b"x,y\n1,2\n"), purpose="user_data")
    container = client.containers.create(name="work", file_ids=[upload.id])
    assert container.to_dict() == {
        "id": "cntr_0002",
        "object": "container",
        "created_at": NOW,
        "status": "running",
        "expires_after": {"anchor": "last_active_at", "minutes": 20},
        "last_active_at": NOW,
        "memory_limit": "1g",
        "name": "work",
    }
    assert client.containers.retrieve("cntr_0002").to_dict() == container.to_dict()
    copied = _cfile("cfile_0003", "cntr_0002", "data.csv", 8)
    uploaded = client.containers.files.create("cntr_0002", file=("plot.py", b"print('hi')"))
    assert uploaded == _cfile("cfile_0004", "cntr_0002", "plot.py", 11)
    by_id = client.containers.files.create("cntr_0002", file_id=upload.id)
    assert by_id == _cfile("cfile_0005", "cntr_0002", "data.csv", 8)
    listed = client.containers.files.list("cntr_0002", order="asc")
    assert [f.to_dict() for f in listed.data] == [copied.to_dict(), uploaded.to_dict(), by_id.to_dict()]
    retrieved = client.containers.files.retrieve("cfile_0004", container_id="cntr_0002")
    assert retrieved == FileRetrieveResponse.model_validate(uploaded.to_dict())
    content = client.containers.files.content.retrieve("cfile_0004", container_id="cntr_0002")
    assert (content.content, content.response.headers["content-type"]) == (
        b"print('hi')",
        "text/x-python; charset=utf-8",
    )
    client.containers.files.delete("cfile_0004", container_id="cntr_0002")
    with pytest.raises(openai.NotFoundError) as gone:
        client.containers.files.retrieve("cfile_0004", container_id="cntr_0002")
    assert gone.value.body == _not_found("Container file with id 'cfile_0004' not found.")
    assert [c.id for c in client.containers.list()] == ["cntr_0002"]
    client.containers.delete("cntr_0002")
    with pytest.raises(openai.NotFoundError) as missing:
        client.containers.retrieve("cntr_0002")
    assert missing.value.body == _not_found("Container with id 'cntr_0002' not found.")


def test_container_create_errors(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client.containers.create(name="c", file_ids=["file-nope"])
    assert missing.value.body == _not_found("No such File object: file-nope", "file_ids")
    assert client.containers.list().data == []


# -- the Library interface -------------------------------------------------------------------------


def test_library_interface(client: openai.OpenAI, emulator: Emulator) -> None:
    library = emulator.library
    paris = library.add_file(filename="paris.txt", data=PARIS)
    assert library.file(paris.id) == paris and library.file("file-x") is None
    store = client.vector_stores.create(file_ids=[paris.id])
    other = client.vector_stores.create()
    client.vector_stores.files.upload_and_poll(vector_store_id=other.id, file=("rome.txt", ROME))
    assert library.vector_store_exists(store.id) and not library.vector_store_exists("vs_x")
    hits = library.search([other.id, store.id, "vs_x"], "Capital, of FRANCE?", max_results=5)
    assert hits == [
        SearchHit(paris.id, "paris.txt", 1.0, PARIS.decode(), {}),
        SearchHit("file-0004", "rome.txt", 0.6667, ROME.decode(), {}),
    ]
    assert library.search([store.id], "capital", max_results=0) == []
    assert library.search([store.id], "...") == []
    container_id = library.new_container(file_ids=[paris.id], name="auto")
    assert library.container_exists(container_id) and not library.container_exists("cntr_x")
    made = library.add_container_file(container_id, filename="out.png", data=b"\x89PNG")
    assert made == ContainerFile(
        "cfile_0007", container_id, "/mnt/data/out.png", "out.png", 4, NOW, "assistant", b"\x89PNG"
    )
    assert [f.path for f in library.container_files(container_id)] == ["/mnt/data/paris.txt", "/mnt/data/out.png"]
    assert client.containers.files.content.retrieve(made.id, container_id=container_id).content == b"\x89PNG"


def test_chunks_overlap() -> None:
    text = " ".join(f"w{i}" for i in range(10))
    assert split_chunks(text, max_words=4, overlap=2) == ["w0 w1 w2 w3", "w2 w3 w4 w5", "w4 w5 w6 w7", "w6 w7 w8 w9"]
    assert split_chunks("  ") == []


# -- async and HTTP --------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_flow(async_client: openai.AsyncOpenAI) -> None:
    store = await async_client.vector_stores.create(name="async")
    attached = await async_client.vector_stores.files.upload_and_poll(vector_store_id=store.id, file=("rome.txt", ROME))
    assert attached == _vs_file("file-0002", store.id, len(ROME))
    batch = await async_client.vector_stores.file_batches.upload_and_poll(store.id, files=[("paris.txt", PARIS)])
    assert batch.to_dict() == _batch("vsfb_0004", store.id, "completed", _counts(completed=1))
    found = await async_client.vector_stores.search(store.id, query="Eiffel")
    assert [(hit.file_id, hit.score) for hit in found.data] == [("file-0003", 1.0)]
    container = await async_client.containers.create(name="c")
    added = await async_client.containers.files.create(container.id, file=("a.txt", b"abc"))
    content = await async_client.containers.files.content.retrieve(added.id, container_id=container.id)
    assert content.content == b"abc"


def test_over_real_http() -> None:
    emulator = Emulator(ids=counter_ids(), clock=fixed_clock(NOW))
    with serve(emulator) as server:
        http = httpx2.Client()
        with openai.OpenAI(api_key="t", base_url=server.base_url, http_client=http, max_retries=0) as client:
            upload = client.files.create(file=("paris.txt", PARIS), purpose="assistants")
            assert upload == _file("file-0001", "paris.txt", len(PARIS))
            assert client.files.content(upload.id).content == PARIS
            store = client.vector_stores.create(file_ids=[upload.id])
            found = client.vector_stores.search(store.id, query="paris")
            assert [hit.filename for hit in found.data] == ["paris.txt"]
            with pytest.raises(openai.NotFoundError) as missing:
                client.files.retrieve("fake_id")
            assert missing.value.body == _not_found("No such File object: fake_id", "id")
