"""Assistant operations: assistants live only in the local store (kind ``assistant``, ``asst_`` ids)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openai.types.beta import Assistant, AssistantDeleted

from .._context import Context
from .._effects import Op
from .._errors import not_found
from ..store import StoredRecord
from ..translate.legacy import assistant_from_params, updated_assistant
from ._common import Listing, check_metadata, list_args, page_records, require

__all__ = [
    "create_assistant",
    "delete_assistant",
    "list_assistants",
    "retrieve_assistant",
    "update_assistant",
]


def _record(assistant: Assistant) -> StoredRecord:
    return StoredRecord(
        kind="assistant",
        id=assistant.id,
        created_at=assistant.created_at,
        data=assistant.model_dump(mode="json", exclude_unset=True),
    )


def _stored(context: Context, assistant_id: str) -> Assistant:
    return Assistant.model_validate(dict(require(context.store, "assistant", assistant_id).data))


def create_assistant(context: Context, args: Mapping[str, Any]) -> Op[Assistant]:
    """``assistants.create``: a new assistant in the store."""
    metadata = check_metadata(args.get("metadata"))
    assistant = assistant_from_params(
        assistant_id=context.ids("asst"), created_at=context.clock(), params=args, metadata=metadata
    )
    context.store.put(_record(assistant))
    return assistant
    yield


def retrieve_assistant(context: Context, args: Mapping[str, Any]) -> Op[Assistant]:
    """``assistants.retrieve``: the stored assistant, or the legacy 404."""
    return _stored(context, args["assistant_id"])
    yield


def update_assistant(context: Context, args: Mapping[str, Any]) -> Op[Assistant]:
    """``assistants.update``: only the given fields change; ``metadata`` replaces the old one."""
    metadata = check_metadata(args["metadata"]) if "metadata" in args else None
    current = _stored(context, args["assistant_id"])
    fields = {name: value for name, value in args.items() if name not in ("assistant_id", "metadata")}
    assistant = updated_assistant(current, params=fields, metadata=metadata)
    context.store.put(_record(assistant))
    return assistant
    yield


def list_assistants(context: Context, args: Mapping[str, Any]) -> Op[Listing[Assistant]]:
    """``assistants.list``: one page of the stored assistants."""
    records, has_more = page_records(context.store, "assistant", list_args(args))
    data = [Assistant.model_validate(dict(record.data)) for record in records]
    return Listing[Assistant](data=data, has_more=has_more)
    yield


def delete_assistant(context: Context, args: Mapping[str, Any]) -> Op[AssistantDeleted]:
    """``assistants.delete``: removes the stored assistant."""
    assistant_id: str = args["assistant_id"]
    if not context.store.delete("assistant", assistant_id):
        raise not_found(f"No assistant found with id '{assistant_id}'.")
    return AssistantDeleted(id=assistant_id, object="assistant.deleted", deleted=True)
    yield
