"""Assistant operations: assistants live only in the local store (kind ``assistant``, ``asst_`` ids)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openai.types.beta import Assistant, AssistantDeleted

from .._context import Context
from .._effects import Op, local
from .._errors import not_found
from ..store import Store
from ..store.records import AssistantRecord
from ..translate.legacy import assistant_from_params, updated_assistant
from ._common import Listing, list_args, metadata_of, page_records, request_options, require
from ._files import create_inline_vector_stores

__all__ = [
    "create_assistant",
    "delete_assistant",
    "list_assistants",
    "retrieve_assistant",
    "stored_assistant",
    "update_assistant",
]


def stored_assistant(store: Store, assistant_id: str) -> Assistant:
    """The stored assistant, or the legacy 404 (a store function: run it with :func:`local`)."""
    return AssistantRecord.from_row(require(store, "assistant", assistant_id))


def _with_vector_stores(args: Mapping[str, Any]) -> Op[Mapping[str, Any]]:
    """``args`` once the inline vector stores of its ``tool_resources`` exist upstream (see ``_files``)."""
    if args.get("tool_resources") is None:
        return args
    resources = yield from create_inline_vector_stores(args["tool_resources"], request_options(args), for_thread=False)
    return {**args, "tool_resources": resources}


def create_assistant(context: Context, args: Mapping[str, Any]) -> Op[Assistant]:
    """``assistants.create``: a new assistant in the store."""
    metadata = metadata_of(args)
    params = yield from _with_vector_stores(args)
    assistant = assistant_from_params(
        assistant_id=context.ids("asst"), created_at=context.clock(), params=params, metadata=metadata
    )
    yield from local(lambda: context.store.put(AssistantRecord.to_row(assistant)))
    return assistant


def retrieve_assistant(context: Context, args: Mapping[str, Any]) -> Op[Assistant]:
    """``assistants.retrieve``: the stored assistant, or the legacy 404."""
    return (yield from local(lambda: stored_assistant(context.store, args["assistant_id"])))


def update_assistant(context: Context, args: Mapping[str, Any]) -> Op[Assistant]:
    """``assistants.update``: only the given fields change; ``metadata`` replaces the old one."""
    metadata = metadata_of(args) if "metadata" in args else None
    if args.get("tool_resources") is not None:  # the 404 before anything is made upstream
        yield from local(lambda: stored_assistant(context.store, args["assistant_id"]))
    params = yield from _with_vector_stores(args)
    fields = {name: value for name, value in params.items() if name not in ("assistant_id", "metadata")}

    def update(store: Store) -> Assistant:
        with store.transaction():
            current = stored_assistant(store, args["assistant_id"])
            assistant = updated_assistant(current, params=fields, metadata=metadata)
            store.put(AssistantRecord.to_row(assistant))
        return assistant

    return (yield from local(lambda: update(context.store)))


def list_assistants(context: Context, args: Mapping[str, Any]) -> Op[Listing[Assistant]]:
    """``assistants.list``: one page of the stored assistants."""
    paging = list_args(args)
    records, has_more = yield from local(lambda: page_records(context.store, "assistant", paging))
    return Listing(data=[AssistantRecord.from_row(r) for r in records], has_more=has_more)


def delete_assistant(context: Context, args: Mapping[str, Any]) -> Op[AssistantDeleted]:
    """``assistants.delete``: removes the stored assistant."""
    assistant_id: str = args["assistant_id"]
    if not (yield from local(lambda: context.store.delete("assistant", assistant_id))):
        raise not_found(f"No assistant found with id '{assistant_id}'.")
    return AssistantDeleted(id=assistant_id, object="assistant.deleted", deleted=True)
