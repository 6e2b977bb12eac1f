"""Input items of requests turned into the items the service stores and answers.

Rules:
- a string input is one user message;
- messages get a ``msg_`` id and ``status: completed``; string content becomes one ``input_text`` part
  (``output_text`` with ``annotations: []`` and ``logprobs: []`` for assistant messages);
- ``function_call`` items keep their ``id`` or get a ``fc_`` one; stored ``function_call_output`` items also
  get a ``fc_`` id, as the live service does;
- ``reasoning`` items keep their id and content;
- ``file_search_call`` and ``code_interpreter_call`` items (replayed output of built-in tools) need their
  ``id`` and are kept with the service's keys (``queries``/``results``, ``code``/``container_id``/``outputs``);
- any other item type is rejected with a 400 naming the field.
"""

from __future__ import annotations

from typing import Any, cast

from ._errors import ApiError, invalid_type, invalid_value, missing_parameter
from ._ids import IdFactory

Item = dict[str, Any]

ROLES = ("user", "assistant", "system", "developer")


def input_to_items(value: object, *, param: str, new_id: IdFactory) -> list[Item]:
    """The stored form of a request's ``input`` (or ``items``) value."""
    if isinstance(value, str):
        return [message_item(new_id("msg_"), "user", [input_text(value)])]
    if not isinstance(value, list):
        raise invalid_type(param, "an array of input items or a string", value)
    raw = cast("list[object]", value)
    return [item_from_param(entry, param=f"{param}[{index}]", new_id=new_id) for index, entry in enumerate(raw)]


def item_from_param(entry: object, *, param: str, new_id: IdFactory) -> Item:
    """The stored form of one input item."""
    if not isinstance(entry, dict):
        raise invalid_type(param, "an object", entry)
    data = cast("dict[str, Any]", entry)
    kind = data.get("type", "message")
    if kind == "message":
        return _message_from_param(data, param=param, new_id=new_id)
    if kind == "function_call":
        return _function_call_from_param(data, param=param, new_id=new_id)
    if kind == "function_call_output":
        return _function_call_output_from_param(data, param=param, new_id=new_id)
    if kind == "reasoning":
        return {"id": data.get("id") or new_id("rs_"), **{k: v for k, v in data.items() if k != "id"}}
    if kind in _BUILTIN_CALL_KEYS:
        return _builtin_call_from_param(data, kind=kind, param=param)
    raise invalid_value(f"{param}.type", f"'{kind}' is not a supported item type.")


_BUILTIN_CALL_KEYS = {
    "file_search_call": ("queries", "results"),
    "code_interpreter_call": ("code", "container_id", "outputs"),
}


def _builtin_call_from_param(data: dict[str, Any], *, kind: str, param: str) -> Item:
    item: Item = {"id": _required_str(data, "id", param), "type": kind, "status": data.get("status") or "completed"}
    item.update({key: data.get(key) for key in _BUILTIN_CALL_KEYS[kind]})
    return item


def message_item(item_id: str, role: str, content: list[Item], status: str = "completed") -> Item:
    """A message item in the service's key order."""
    return {"id": item_id, "type": "message", "status": status, "content": content, "role": role}


def input_text(text: str) -> Item:
    """An ``input_text`` content part."""
    return {"type": "input_text", "text": text}


def output_text(text: str, annotations: list[Item] | None = None) -> Item:
    """An ``output_text`` content part as the service answers it."""
    return {"type": "output_text", "annotations": annotations or [], "logprobs": [], "text": text}


def _message_from_param(data: dict[str, Any], *, param: str, new_id: IdFactory) -> Item:
    role = data.get("role")
    if role is None:
        raise missing_parameter(f"{param}.role")
    if role not in ROLES:
        raise invalid_value(
            f"{param}.role",
            f"'{role}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.",
        )
    content = data.get("content")
    if content is None:
        raise missing_parameter(f"{param}.content")
    if isinstance(content, str):
        parts = [output_text(content) if role == "assistant" else input_text(content)]
    elif isinstance(content, list):
        raw = cast("list[object]", content)
        parts = [_content_part(part, param=f"{param}.content[{i}]") for i, part in enumerate(raw)]
    else:
        raise invalid_type(f"{param}.content", "an array of content parts or a string", content)
    return message_item(data.get("id") or new_id("msg_"), role, parts, data.get("status") or "completed")


def _content_part(part: object, *, param: str) -> Item:
    if not isinstance(part, dict):
        raise invalid_type(param, "an object", part)
    data = cast("dict[str, Any]", part)
    kind = data.get("type")
    if kind in {"input_text", "text"}:
        return input_text(_required_str(data, "text", param))
    if kind == "output_text":
        return {
            "type": "output_text",
            "annotations": data.get("annotations", []),
            "logprobs": [],
            "text": _required_str(data, "text", param),
        }
    if kind == "input_image":
        return {
            "type": "input_image",
            "detail": data.get("detail", "auto"),
            "file_id": data.get("file_id"),
            "image_url": data.get("image_url"),
        }
    if kind == "input_file":
        return {"type": "input_file", **{k: v for k, v in data.items() if k != "type"}}
    if kind == "refusal":
        return {"type": "refusal", "refusal": _required_str(data, "refusal", param)}
    raise invalid_value(f"{param}.type", f"'{kind}' is not a supported content part type.")


def _function_call_from_param(data: dict[str, Any], *, param: str, new_id: IdFactory) -> Item:
    return {
        "id": data.get("id") or new_id("fc_"),
        "type": "function_call",
        "status": data.get("status") or "completed",
        "arguments": _required_str(data, "arguments", param),
        "call_id": _required_str(data, "call_id", param),
        "name": _required_str(data, "name", param),
    }


def _function_call_output_from_param(data: dict[str, Any], *, param: str, new_id: IdFactory) -> Item:
    output = data.get("output")
    if output is None:
        raise missing_parameter(f"{param}.output")
    return {
        "id": data.get("id") or new_id("fc_"),
        "type": "function_call_output",
        "status": data.get("status") or "completed",
        "call_id": _required_str(data, "call_id", param),
        "output": output,
    }


def _required_str(data: dict[str, Any], key: str, param: str) -> str:
    value = data.get(key)
    if value is None:
        raise missing_parameter(f"{param}.{key}")
    if not isinstance(value, str):
        raise invalid_type(f"{param}.{key}", "a string", value)
    return value


def check_tool_calls(context: list[Item]) -> None:
    """Reject a context with an output that answers no call, or a call left without an output.

    The live service answers both with a 400 whose ``param`` is ``input``.
    """
    called: set[str] = set()
    answered: set[str] = set()
    for item in context:
        if item["type"] == "function_call":
            called.add(item["call_id"])
        elif item["type"] == "function_call_output":
            if item["call_id"] not in called:
                raise ApiError(
                    400,
                    f"No tool call found for function call output with call_id {item['call_id']}.",
                    param="input",
                )
            answered.add(item["call_id"])
    for item in context:
        if item["type"] == "function_call" and item["call_id"] not in answered:
            raise ApiError(400, f"No tool output found for function call {item['call_id']}.", param="input")
