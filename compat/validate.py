"""The checks of legacy arguments: every given argument is checked here before anything is sent or stored.

The parameter table (:mod:`compat.params`) names a validator for each parameter that needs one, and
:func:`compat.params.check` runs them all for every legacy method alike; operations and translators then
take their arguments as valid. A validator is called as ``validator(value, param, args)``: the value, the
name the legacy API used for it in errors (``messages[0].metadata``), and every argument of the call (for
rules that span two, such as a message's ``role`` and ``content``). It raises ``openai.BadRequestError``
with the legacy wording, or returns.

The rules of message content are those of the conversion itself (:mod:`compat.translate.to_conversations`
raises the legacy errors as it converts); the validators run it once, before any request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from openai.types.beta import AssistantTool, AssistantToolChoiceOption, Thread
from openai.types.beta.assistant_response_format_option import AssistantResponseFormatOption
from openai.types.beta.threads.run import TruncationStrategy
from pydantic import TypeAdapter, ValidationError

from ._errors import bad_request
from .translate.to_conversations import message_to_item, thread_message_to_item

__all__ = [
    "Validator",
    "attachments",
    "json_kind",
    "limit",
    "message_content",
    "metadata",
    "model",
    "number_between",
    "order",
    "response_format",
    "role",
    "thread_messages",
    "tool_choice",
    "tool_outputs",
    "tool_resources",
    "tools",
    "truncation_strategy",
]

Validator = Callable[[object, str, Mapping[str, Any]], None]

_TOOL = TypeAdapter[AssistantTool](AssistantTool)
_RESPONSE_FORMAT = TypeAdapter[AssistantResponseFormatOption](AssistantResponseFormatOption)
_TOOL_CHOICE = TypeAdapter[AssistantToolChoiceOption](AssistantToolChoiceOption)
_TRUNCATION = TypeAdapter[TruncationStrategy](TruncationStrategy)


def _invalid(param: str, error: ValidationError) -> Exception:
    detail = error.errors()[0]["msg"] if error.errors() else str(error)
    return bad_request(f"Invalid '{param}': {detail}.", param=param)


def json_kind(value: object) -> str:
    """How the API names a JSON value's type in its errors (``a boolean``, ``an integer``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, Mapping):
        return "an object"
    return "an array" if isinstance(value, (list, tuple)) else f"a {type(value).__name__}"


def metadata(value: object, param: str, args: Mapping[str, Any] | None = None) -> None:
    """Legacy metadata: at most 16 pairs, keys ≤ 64 characters, string values ≤ 512 characters."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise bad_request(f"Invalid type for '{param}': expected an object.", param=param)
    pairs = cast(Mapping[object, object], value)
    if len(pairs) > 16:
        raise bad_request(
            f"Invalid '{param}': too many properties. Expected an object with at most 16 properties, "
            f"but got an object with {len(pairs)} properties instead.",
            param=param,
        )
    for key, item in pairs.items():
        if not isinstance(key, str) or len(key) > 64:
            raise bad_request(f"Invalid '{param}': keys must be strings of at most 64 characters.", param=param)
        if not isinstance(item, str):
            raise bad_request(
                f"Invalid type for '{param}.{key}': expected a string, but got {json_kind(item)} instead.",
                param=f"{param}.{key}",
            )
        if len(item) > 512:
            raise bad_request(
                f"Invalid '{param}.{key}': string too long. Expected a string with maximum length 512, "
                f"but got a string with length {len(item)} instead.",
                param=f"{param}.{key}",
                code="string_above_max_length",
            )


def number_between(low: float, high: float) -> Validator:
    """A number from ``low`` to ``high`` (``None`` means the default)."""

    def check(value: object, param: str, args: Mapping[str, Any]) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise bad_request(
                f"Invalid '{param}': expected a number between {low:g} and {high:g}, but got {value!r} instead.",
                param=param,
            )

    return check


def limit(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A list's ``limit``: 1 to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise bad_request(
            f"Invalid '{param}': integer below minimum or above maximum value. "
            f"Expected a value between 1 and 100, but got {value!r} instead.",
            param=param,
            code="integer_out_of_range",
        )


def order(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A list's ``order``: ``asc`` or ``desc``."""
    if value not in ("asc", "desc"):
        raise bad_request(f"Invalid value for '{param}': expected one of 'asc' or 'desc', got {value!r}.", param=param)


def model(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A model name: a non-empty string (``None`` on a run: the assistant's)."""
    if value is not None and (not isinstance(value, str) or not value):
        raise bad_request(f"Invalid '{param}': expected a non-empty string.", param=param)


def tools(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A list of legacy tools, each of a known type with its definition."""
    if value is None:
        return
    if not isinstance(value, (list, tuple)):
        raise bad_request(f"Invalid type for '{param}': expected an array.", param=param)
    for index, tool in enumerate(cast("Sequence[object]", value)):
        try:
            _TOOL.validate_python(tool)
        except ValidationError as error:
            raise _invalid(f"{param}[{index}]", error) from error


def response_format(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``auto``, or a ``text`` / ``json_object`` / ``json_schema`` format."""
    if value is None:
        return
    try:
        _RESPONSE_FORMAT.validate_python(value)
    except ValidationError as error:
        raise _invalid(param, error) from error


def tool_choice(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``auto`` / ``none`` / ``required``, or a named tool."""
    if value is None:
        return
    try:
        _TOOL_CHOICE.validate_python(value)
    except ValidationError as error:
        raise _invalid(param, error) from error


def truncation_strategy(value: object, param: str, args: Mapping[str, Any]) -> None:
    """``{"type": "auto" | "last_messages", "last_messages": N}``."""
    if value is None:
        return
    try:
        _TRUNCATION.validate_python(value)
    except ValidationError as error:
        raise _invalid(param, error) from error


def tool_resources(value: object, param: str, args: Mapping[str, Any] | None = None) -> None:
    """Legacy ``tool_resources``: ``code_interpreter.file_ids``, ``file_search.vector_store_ids``."""
    if value is None:
        return
    file_search = cast("Mapping[str, object]", value).get("file_search") if isinstance(value, Mapping) else None
    if isinstance(file_search, Mapping) and "vector_stores" in file_search:
        name = f"{param}.file_search.vector_stores"
        raise bad_request(
            f"'{name}' is not yet supported by assistants-compat: create the vector store with "
            "client.vector_stores.create and pass its id in 'vector_store_ids'.",
            param=name,
        )
    try:
        Thread.model_validate({"id": "", "object": "thread", "created_at": 0, "tool_resources": value})
    except ValidationError as error:
        raise _invalid(param, error) from error


def attachments(value: object, param: str, args: Mapping[str, Any] | None = None) -> None:
    """Message attachments: only none yet (files go through ``tool_resources``)."""
    if value:
        raise bad_request(
            f"'{param}' is not yet supported by assistants-compat: the legacy API attached files to the "
            "thread's vector store or code interpreter; upload them with the files API and name them in "
            "'tool_resources'.",
            param=param,
        )


def thread_messages(value: object, param: str, args: Mapping[str, Any]) -> None:
    """The messages of ``threads.create`` or a run's ``additional_messages``: each a valid message."""
    if value is None:
        return
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
        raise bad_request(f"Invalid type for '{param}': expected an array of messages.", param=param)
    for index, message in enumerate(cast("Sequence[object]", value)):
        at = f"{param}[{index}]"
        thread_message_to_item(message, param=at)
        raw = cast("Mapping[str, Any]", message)
        attachments(raw.get("attachments"), f"{at}.attachments")
        metadata(raw.get("metadata"), f"{at}.metadata")


def role(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A message's role: ``user`` or ``assistant``."""
    if value not in ("user", "assistant"):
        raise bad_request(
            f"Invalid value for '{param}': expected one of 'user' or 'assistant', got {value!r}.", param=param
        )


def message_content(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A message's content for its role (images in user messages only)."""
    message_to_item(role=args.get("role"), content=value)


def tool_outputs(value: object, param: str, args: Mapping[str, Any]) -> None:
    """A list of ``{"tool_call_id": str, "output": str}``."""
    if not isinstance(value, (list, tuple)):
        raise bad_request(f"Invalid type for '{param}': expected an array.", param=param)
    for index, output in enumerate(cast("Sequence[object]", value)):
        at = f"{param}[{index}]"
        if not isinstance(output, Mapping):
            raise bad_request(f"Invalid type for '{at}': expected an object.", param=at)
        fields = cast("Mapping[str, object]", output)
        for key in ("tool_call_id", "output"):
            if key in fields and not isinstance(fields[key], str):
                raise bad_request(
                    f"Invalid type for '{at}.{key}': expected a string, but got {json_kind(fields[key])} instead.",
                    param=f"{at}.{key}",
                )
