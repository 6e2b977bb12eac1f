"""In-memory records of conversations and responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._events import Event
from ._items import Item


@dataclass
class ConversationRecord:
    """A conversation: metadata, items in order, and the response currently operating on it."""

    id: str
    created_at: int
    metadata: dict[str, str]
    items: list[Item] = field(default_factory=list[Item])
    locked_by: str | None = None

    def body(self) -> dict[str, Any]:
        """The ``conversation`` object."""
        return {
            "id": self.id,
            "object": "conversation",
            "created_at": self.created_at,
            "metadata": self.metadata,
        }


@dataclass
class ResponseRecord:
    """A response: its current body, its final body, and what completing it changes."""

    body: dict[str, Any]
    final: dict[str, Any]
    input_items: list[Item]
    new_input: list[Item]
    stored: bool
    conversation_id: str | None = None
    events: list[Event] = field(default_factory=list[Event])
    polls_left: int = 0
    done: bool = False

    @property
    def id(self) -> str:
        """The response id."""
        return self.body["id"]

    def context(self) -> list[Item]:
        """What a follow-up with ``previous_response_id`` sees: this response's input and output."""
        return [*self.input_items, *self.final["output"]]
