"""Legacy thread messages → Conversations API items.

Rules:

- A legacy message is one ``message`` item with the same role; only ``user`` and ``assistant`` exist.
- ``user`` content: a string or a ``text`` part → ``input_text``; ``image_file`` → ``input_image`` with
  ``file_id``; ``image_url`` → ``input_image`` with ``image_url``; ``detail`` is carried, ``"auto"``
  when not given (the Conversations API requires it).
- ``assistant`` content: a string or a ``text`` part → ``output_text`` with ``annotations: []``. Images
  are rejected: the Conversations API accepts them in user messages only.
- Content is a non-empty string or a non-empty list of parts; anything else raises ``BadRequestError``
  naming the parameter (``messages[1].content[0].type``): nothing is ever dropped silently.
- At most 20 items go in one ``conversations.items.create`` call (:func:`item_batches`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from .._errors import bad_request

__all__ = ["MAX_ITEMS_PER_CALL", "item_batches", "message_to_item", "thread_message_to_item"]

MAX_ITEMS_PER_CALL = 20
_DETAILS = ("auto", "low", "high")
_MESSAGE_KEYS = frozenset({"role", "content", "attachments", "metadata"})

Item = dict[str, Any]


def _at(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _mapping(value: object, param: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise bad_request(f"Invalid type for '{param}': expected an object.", param=param)
    return cast("Mapping[str, Any]", value)


def _text(value: object, param: str) -> str:
    if not isinstance(value, str):
        raise bad_request(f"Invalid type for '{param}': expected a string.", param=param)
    return value


def _detail(image: Mapping[str, Any], param: str) -> str:
    detail = image.get("detail")
    if detail is None:
        return "auto"
    if detail not in _DETAILS:
        raise bad_request(
            f"Invalid value for '{param}.detail': expected one of 'auto', 'low' or 'high', got {detail!r}.",
            param=f"{param}.detail",
        )
    return str(detail)


def _image_part(kind: str, part: Mapping[str, Any], param: str) -> Item:
    image = _mapping(part.get(kind), f"{param}.{kind}")
    key, wire = ("file_id", "file_id") if kind == "image_file" else ("url", "image_url")
    source = image.get(key)
    if not isinstance(source, str) or not source:
        raise bad_request(f"Missing required parameter: '{param}.{kind}.{key}'.", param=f"{param}.{kind}.{key}")
    return {"type": "input_image", wire: source, "detail": _detail(image, f"{param}.{kind}")}


def _text_part(role: str, text: str) -> Item:
    if role == "assistant":
        return {"type": "output_text", "text": text, "annotations": []}
    return {"type": "input_text", "text": text}


def _part(role: str, part: object, param: str) -> Item:
    data = _mapping(part, param)
    kind = data.get("type")
    if kind == "text":
        return _text_part(role, _text(data.get("text"), f"{param}.text"))
    if kind in ("image_file", "image_url"):
        if role != "user":
            raise bad_request(
                f"Invalid '{param}.type': image content is supported in user messages only.",
                param=f"{param}.type",
            )
        return _image_part(str(kind), data, param)
    raise bad_request(
        f"Invalid value for '{param}.type': expected one of 'text', 'image_file' or 'image_url', got {kind!r}.",
        param=f"{param}.type",
    )


def _content(role: str, content: object, param: str) -> list[Item]:
    if isinstance(content, str):
        if not content:
            raise bad_request(f"Invalid '{param}': empty string. Expected a non-empty string.", param=param)
        return [_text_part(role, content)]
    if isinstance(content, Mapping) or not isinstance(content, (list, tuple)):
        raise bad_request(f"Invalid type for '{param}': expected a string or an array of content parts.", param=param)
    parts = cast("Sequence[object]", content)
    if not parts:
        raise bad_request(f"Invalid '{param}': empty array. Expected at least one content part.", param=param)
    return [_part(role, part, f"{param}[{index}]") for index, part in enumerate(parts)]


def message_to_item(*, role: object, content: object, param: str = "") -> Item:
    """The conversation item of one legacy message; ``param`` prefixes the names in errors."""
    if role not in ("user", "assistant"):
        name = _at(param, "role")
        raise bad_request(
            f"Invalid value for '{name}': expected one of 'user' or 'assistant', got {role!r}.", param=name
        )
    role_name = str(role)
    return {"type": "message", "role": role_name, "content": _content(role_name, content, _at(param, "content"))}


def thread_message_to_item(message: object, *, param: str) -> Item:
    """The item of one message of ``threads.create(messages=[...])`` (``param`` as ``messages[0]``)."""
    data = _mapping(message, param)
    for key in data:
        if key not in _MESSAGE_KEYS:
            raise bad_request(f"Unknown parameter: '{param}.{key}'.", param=f"{param}.{key}")
    for key in ("role", "content"):
        if key not in data:
            raise bad_request(f"Missing required parameter: '{param}.{key}'.", param=f"{param}.{key}")
    return message_to_item(role=data["role"], content=data["content"], param=param)


def item_batches(items: Sequence[Item], size: int = MAX_ITEMS_PER_CALL) -> Iterator[list[Item]]:
    """The items in order, at most ``size`` per ``conversations.items.create`` call."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
