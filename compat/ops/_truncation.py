"""``truncation_strategy: {"type": "last_messages", "last_messages": N}``: only the thread's last N messages
reach the model, while the thread keeps everything.

A response made on a conversation reads all of it, so such a run's turns are made *beside* the conversation
and their items added to it afterwards.

Rules:

- The first turn lists the conversation's items, newest first, until it has N messages (one
  ``conversations.items.list`` request per 100 items), and sends the items from the Nth-newest message on,
  followed by the turn's own new items, as the response's ``input``, without ``conversation`` (and with
  ``store: true``, so later turns can follow it).
- A later turn (after tool outputs) follows the run's previous response (``previous_response_id``), which
  holds the same window and what the run added to it.
- When the turn ends, its new input items and its output items are added to the conversation
  (``conversations.items.create``, 20 per request) with the ids the response gave them; where the
  conversation answers other ids, the legacy objects use the conversation's.
- User messages are sent with their content; assistant messages as their text; function calls and their
  outputs as themselves; other items (reasoning, built-in tool calls) of the window are left out.
- The cost: one or more item-list requests per first turn and one or more item-create requests per turn.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, cast

from openai.types.beta.threads import Run
from openai.types.conversations import ConversationItem
from openai.types.responses import Response

from .._effects import Op, call, write
from ..translate.to_conversations import item_batches

__all__ = ["detached", "last_messages", "rejoin"]

logger = logging.getLogger(__name__)

_REQUEST_OPTIONS = ("extra_headers", "extra_query", "timeout")
_KEPT_OUTPUT = frozenset({"message", "function_call"})


def last_messages(run: Run) -> int | None:
    """N for a run truncated to its thread's last N messages, else ``None``."""
    strategy = run.truncation_strategy
    if strategy is None or strategy.type != "last_messages" or strategy.last_messages is None:
        return None
    return strategy.last_messages


def detached(run: Run, response_ids: Sequence[str], params: Mapping[str, Any]) -> Op[dict[str, Any]]:
    """The turn's ``responses.create`` arguments, made beside the conversation when the run is truncated.

    A truncated run's first turn has no new items of its own: its ``additional_messages`` were added to the
    conversation first (they are among the thread's last messages, as in the legacy API).
    """
    count = last_messages(run)
    if count is None:
        return dict(params)
    new_input = list(cast("Sequence[Any]", params.get("input") or []))
    base = {key: value for key, value in params.items() if key not in ("conversation", "input", "truncation")}
    if response_ids:
        return {**base, "previous_response_id": response_ids[-1], "input": new_input, "store": True}
    options = {key: params[key] for key in _REQUEST_OPTIONS if key in params}
    window = yield from _window(str(params["conversation"]), count, options)
    return {**base, "input": [*window, *new_input], "store": True}


def _window(conversation_id: str, count: int, options: Mapping[str, Any]) -> Op[list[dict[str, Any]]]:
    """The conversation's items from its ``count``-th newest message on, oldest first, as input items.

    A server that ignores ``after`` answers from the start again: the items past the cursor are taken, and
    the walk stops at an item it has seen (it never repeats or loops).
    """
    newest_first: list[ConversationItem] = []
    seen: set[str] = set()
    messages = 0
    after: str | None = None
    while messages < count:
        cursor = {"after": after} if after is not None else {}
        page = yield from call(
            lambda api, cursor=cursor: api.conversations.items.list(
                conversation_id, order="desc", limit=100, **cursor, **options
            )
        )
        items = list(page.data)
        ids = [item.id for item in items]
        if after is not None and after in ids:
            items = items[ids.index(after) + 1 :]
        fresh = [item for item in items if item.id not in seen]
        for item in fresh:
            newest_first.append(item)
            seen.add(str(item.id))
            messages += item.type == "message"
            if messages == count:
                break
        if not page.has_more or not fresh or len(fresh) < len(items):
            break
        after = fresh[-1].id
    return [entry for item in reversed(newest_first) if (entry := _as_input(item)) is not None]


def _as_input(item: ConversationItem) -> dict[str, Any] | None:
    """A conversation item as a response input item (see the module's rules), ``None`` to leave it out."""
    if item.type == "message":
        if item.role == "assistant":
            text = "".join(getattr(part, "text", "") or "" for part in item.content)
            return {"type": "message", "role": "assistant", "content": text}
        parts = [part.model_dump(mode="json", exclude_none=True) for part in item.content]
        return {"type": "message", "role": item.role, "content": parts}
    if item.type == "function_call":
        return {"type": "function_call", "call_id": item.call_id, "name": item.name, "arguments": item.arguments}
    if item.type == "function_call_output":
        output = item.output if isinstance(item.output, str) else [o.model_dump(mode="json") for o in item.output]
        return {"type": "function_call_output", "call_id": item.call_id, "output": output}
    return None


def rejoin(
    run: Run, conversation_id: str, response: Response, sent: Mapping[str, Any]
) -> Op[tuple[Response, dict[str, str]]]:
    """Add a truncated run's turn to its conversation (a later turn's tool outputs, then the output items);
    the response, with the conversation's ids where it gave other ones, and those ids by the response's."""
    if last_messages(run) is None:
        return response, {}
    options = {key: sent[key] for key in _REQUEST_OPTIONS if key in sent}
    new_input = (
        list(cast("Sequence[dict[str, Any]]", sent.get("input") or [])) if "previous_response_id" in sent else []
    )
    outputs = [item.model_dump(mode="json", exclude_none=True) for item in response.output if item.type in _KEPT_OUTPUT]
    added: list[str] = []
    for batch in item_batches([*new_input, *outputs]):
        created = yield from write(
            lambda api, batch=batch: api.conversations.items.create(conversation_id, items=cast(Any, batch), **options)
        )
        added += [str(item.id) for item in created.data]
    pairs = zip((str(o["id"]) for o in outputs), added[len(new_input) :], strict=False)
    renamed = {old: new for old, new in pairs if old != new}
    if not renamed:
        return response, {}
    logger.info("the conversation gave the truncated turn's items other ids: %s", renamed)
    output = [_renamed(item, renamed) for item in response.output]
    return response.model_copy(update={"output": output}), renamed


def _renamed(item: Any, renamed: Mapping[str, str]) -> Any:
    item_id = getattr(item, "id", None)
    return item.model_copy(update={"id": renamed[item_id]}) if isinstance(item_id, str) and item_id in renamed else item
