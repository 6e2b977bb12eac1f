"""``client.files`` that also reads the files a run's code wrote, by the file ids the legacy objects show.

The legacy API copied what the code interpreter wrote into the Files API (purpose ``assistants_output``).
The Responses API leaves those files in the run's container, and the legacy objects name them by their
container file id (``cfile_...``, see :mod:`compat.translate.from_responses`). For such an id, known from a
``file`` row the run stored (:class:`~compat.store.records.FileRecord`), ``files.retrieve`` answers a
``FileObject`` built from the container file and ``files.content`` its bytes, both read from the container.
Every other id, and every other method, is the SDK's own.

Containers expire upstream (after about 20 idle minutes on OpenAI), and their files with them: download
what you want to keep.
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import Mapping
from typing import Any, TypedDict

import httpx2
import openai
from openai._legacy_response import HttpxBinaryResponseContent
from openai._types import Body, Headers, NotGiven, Query, not_given
from openai.resources.files import AsyncFiles as SDKAsyncFiles, Files as SDKFiles
from openai.types import FileObject
from openai.types.containers import FileRetrieveResponse

from .._context import Context
from ..store.records import FileRecord
from ._raw import RawCall, raw_mode, respond_async, respond_sync

__all__ = ["AsyncFiles", "Files"]


def _record(context: Context, file_id: str) -> FileRecord | None:
    """Where a container file id lives (``None`` for any other id)."""
    if not file_id.startswith("cfile_"):
        return None
    row = context.store.get("file", file_id)
    return FileRecord.from_row(row) if row is not None else None


def _file_object(file: FileRetrieveResponse, record: FileRecord) -> FileObject:
    """The ``FileObject`` the legacy API showed for a file the code interpreter wrote."""
    return FileObject(
        id=file.id,
        object="file",
        bytes=file.bytes or 0,
        created_at=file.created_at,
        filename=record.filename or posixpath.basename(file.path),
        purpose="assistants_output",
        status="processed",
    )


class Files(SDKFiles):
    """The SDK's ``files``, reading container file ids from their container (see the module)."""

    def __init__(self, client: openai.OpenAI, context: Context) -> None:
        """The files of ``client``; ``context`` holds the store that knows the container files."""
        super().__init__(client)
        self._context = context

    def retrieve(
        self,
        file_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> FileObject:
        """The SDK's ``files.retrieve``; for a container file id, a ``FileObject`` built from the container file."""
        options = _Options(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout)
        record = _record(self._context, file_id) if file_id else None
        if record is None:
            return super().retrieve(file_id, **options)
        arguments, mode = _plain_call(file_id, options)

        def produce() -> FileObject:
            file = self._client.containers.files.retrieve(
                file_id, container_id=record.container_id, **_request_options(arguments)
            )
            return _file_object(file, record)

        if mode is None:
            return produce()
        # a raw-response view: the SDK's wrapper around the FileObject, as for the legacy methods
        return respond_sync(RawCall(mode, self, SDKFiles.retrieve, arguments), produce)

    def content(
        self,
        file_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> HttpxBinaryResponseContent:
        """The SDK's ``files.content``; for a container file id, the file's bytes read from its container."""
        options = _Options(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout)
        record = _record(self._context, file_id) if file_id else None
        if record is None:
            return super().content(file_id, **options)
        return self._client.containers.files.content.retrieve(file_id, container_id=record.container_id, **options)


class AsyncFiles(SDKAsyncFiles):
    """The SDK's async ``files``, reading container file ids from their container (see the module)."""

    def __init__(self, client: openai.AsyncOpenAI, context: Context) -> None:
        """The files of ``client``; ``context`` holds the store that knows the container files."""
        super().__init__(client)
        self._context = context

    async def _find(self, file_id: str) -> FileRecord | None:
        if not file_id or not file_id.startswith("cfile_"):
            return None
        return await asyncio.to_thread(_record, self._context, file_id)

    async def retrieve(
        self,
        file_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> FileObject:
        """The SDK's ``files.retrieve``; for a container file id, a ``FileObject`` built from the container file."""
        options = _Options(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout)
        record = await self._find(file_id)
        if record is None:
            return await super().retrieve(file_id, **options)
        arguments, mode = _plain_call(file_id, options)

        async def produce() -> FileObject:
            file = await self._client.containers.files.retrieve(
                file_id, container_id=record.container_id, **_request_options(arguments)
            )
            return _file_object(file, record)

        if mode is None:
            return await produce()
        return await respond_async(RawCall(mode, self, SDKAsyncFiles.retrieve, arguments), produce)

    async def content(
        self,
        file_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | httpx2.Timeout | NotGiven | None = not_given,
    ) -> HttpxBinaryResponseContent:
        """The SDK's ``files.content``; for a container file id, the file's bytes read from its container."""
        options = _Options(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout)
        record = await self._find(file_id)
        if record is None:
            return await super().content(file_id, **options)
        return await self._client.containers.files.content.retrieve(
            file_id, container_id=record.container_id, **options
        )


def _plain_call(file_id: str, options: _Options) -> tuple[dict[str, Any], str | None]:
    """The call's arguments without the raw-response header, and the wrapper that header asked for."""
    arguments: dict[str, Any] = {"file_id": file_id}
    arguments.update({name: value for name, value in options.items() if value is not None and value is not not_given})
    return arguments, raw_mode(arguments)


def _request_options(arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in arguments.items() if name != "file_id"}


class _Options(TypedDict):
    extra_headers: Headers | None
    extra_query: Query | None
    extra_body: Body | None
    timeout: float | httpx2.Timeout | NotGiven | None
