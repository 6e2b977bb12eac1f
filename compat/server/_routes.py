"""The legacy Assistants operations: one row per path and method of the spec, each a call of the library.

Every operation of the legacy API (the paths of the OpenAPI spec under ``/assistants`` and ``/threads``) is
one row of :data:`OPERATIONS`: the spec's ``operationId``, method and path, and the legacy method of
``compat.AsyncOpenAI().beta`` that carries it out (``threads.runs`` + ``create``). A request becomes that
method's keyword arguments; nothing is translated here.

Rules (:meth:`Operation.arguments`):

- path parameters (``{thread_id}``) are passed by their names;
- query parameters are those the row lists: ``limit`` as an integer when it reads as one (else as given,
  for the library to refuse with the legacy wording), ``include[]`` (or ``include``, repeated) as a list,
  the others as strings; other query parameters are ignored, as the legacy API ignored them;
- the JSON body is an object whose fields are the method's other parameters: a field the method does not
  take (or one naming a path or query parameter) is a 400 ``unknown_parameter``; a required one missing a
  400 ``missing_required_parameter``; an empty body is ``{}``;
- the method's signature is the SDK's own (``compat`` binds its legacy methods to them), read once.

Results: a list method's page becomes ``{"object": "list", "data", "first_id", "last_id", "has_more"}``,
any other result its legacy JSON (``to_dict``: explicitly set ``null``s kept, unset fields left out);
``stream: true`` answers the legacy SSE stream (:mod:`._sse`).
"""

# pyright: reportDeprecated=false
# (the legacy methods carry the SDK's deprecation marks)

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

from openai import AsyncStream, BaseModel

from .._client import AsyncOpenAI
from ..resources.assistants import AsyncAssistants
from ..resources.messages import AsyncMessages
from ..resources.runs import AsyncRuns
from ..resources.steps import AsyncSteps
from ..resources.threads import AsyncThreads
from ._errors import missing_parameter, unknown_parameter

__all__ = ["LIST_QUERY", "OPERATIONS", "Operation"]

LIST_QUERY = ("limit", "order", "after", "before")

_REQUEST_OPTIONS = frozenset({"self", "extra_headers", "extra_query", "extra_body", "timeout"})

_RESOURCE_CLASSES: dict[str, type] = {
    "assistants": AsyncAssistants,
    "threads": AsyncThreads,
    "threads.messages": AsyncMessages,
    "threads.runs": AsyncRuns,
    "threads.runs.steps": AsyncSteps,
}


@dataclass(frozen=True)
class Operation:
    """One path and method of the legacy API and the legacy method serving it."""

    operation_id: str
    method: str
    path: str
    resource: str
    name: str
    query: tuple[str, ...] = ()
    path_params: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path_params", tuple(re.findall(r"{(\w+)}", self.path)))

    @cached_property
    def _parameters(self) -> Mapping[str, inspect.Parameter]:
        method = getattr(_RESOURCE_CLASSES[self.resource], self.name)
        return inspect.signature(inspect.unwrap(method)).parameters

    @cached_property
    def body_params(self) -> frozenset[str]:
        """The body fields the method takes."""
        not_body = _REQUEST_OPTIONS | set(self.path_params) | {_query_argument(name) for name in self.query}
        return frozenset(name for name in self._parameters if name not in not_body)

    @cached_property
    def required_body_params(self) -> tuple[str, ...]:
        """The body fields the method cannot do without."""
        empty = inspect.Parameter.empty
        return tuple(p.name for p in self._parameters.values() if p.name in self.body_params and p.default is empty)

    @property
    def is_list(self) -> bool:
        """Whether the method answers a page of a list."""
        return self.name == "list"

    def arguments(
        self, *, path: Mapping[str, str], query: Sequence[tuple[str, str]], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The method's keyword arguments for a request; legacy 400s for fields it does not take or needs."""
        arguments: dict[str, Any] = {name: path[name] for name in self.path_params}
        arguments.update(_query_arguments(self.query, query))
        for name in body:
            if name not in self.body_params:
                raise unknown_parameter(name)
        for name in self.required_body_params:
            if name not in body:
                raise missing_parameter(name)
        arguments.update(body)
        return arguments

    async def call(self, client: AsyncOpenAI, arguments: Mapping[str, Any]) -> Any:
        """Call the legacy method of ``client``: its result, the first page of a list, or an event stream."""
        target: Any = client.beta
        for attribute in self.resource.split("."):
            target = getattr(target, attribute)
        result = getattr(target, self.name)(**arguments)
        # a list answers an AsyncPaginator, awaited for its first page; the others are coroutines
        return await result

    def to_json(self, result: Any) -> Any:
        """The legacy JSON of a (non-streaming) result."""
        if self.is_list:
            data = [cast(BaseModel, item).to_dict(mode="json") for item in result.data]
            return {
                "object": "list",
                "data": data,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None,
                "has_more": bool(result.has_more),
            }
        return cast(BaseModel, result).to_dict(mode="json")

    @staticmethod
    def is_stream(result: Any) -> bool:
        """Whether the result is a legacy event stream (``stream: true``)."""
        return isinstance(result, AsyncStream)


def _query_argument(name: str) -> str:
    """The keyword argument a query parameter fills: ``include[]`` fills ``include``."""
    return name.removesuffix("[]")


def _query_arguments(names: Sequence[str], query: Sequence[tuple[str, str]]) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    for name in names:
        argument = _query_argument(name)
        values = [value for key, value in query if key in (name, argument)]
        if not values:
            continue
        if name.endswith("[]"):
            arguments[argument] = values
        elif name == "limit":
            arguments[argument] = _integer_or_text(values[-1])
        else:
            arguments[argument] = values[-1]
    return arguments


def _integer_or_text(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


_THREAD = "/threads/{thread_id}"
_MESSAGE = f"{_THREAD}/messages/{{message_id}}"
_RUN = f"{_THREAD}/runs/{{run_id}}"

OPERATIONS: tuple[Operation, ...] = (
    Operation("listAssistants", "GET", "/assistants", "assistants", "list", LIST_QUERY),
    Operation("createAssistant", "POST", "/assistants", "assistants", "create"),
    Operation("getAssistant", "GET", "/assistants/{assistant_id}", "assistants", "retrieve"),
    Operation("modifyAssistant", "POST", "/assistants/{assistant_id}", "assistants", "update"),
    Operation("deleteAssistant", "DELETE", "/assistants/{assistant_id}", "assistants", "delete"),
    Operation("createThread", "POST", "/threads", "threads", "create"),
    # before /threads/{thread_id}, which would take "runs" for a thread id
    Operation("createThreadAndRun", "POST", "/threads/runs", "threads", "create_and_run"),
    Operation("getThread", "GET", _THREAD, "threads", "retrieve"),
    Operation("modifyThread", "POST", _THREAD, "threads", "update"),
    Operation("deleteThread", "DELETE", _THREAD, "threads", "delete"),
    Operation("listMessages", "GET", f"{_THREAD}/messages", "threads.messages", "list", (*LIST_QUERY, "run_id")),
    Operation("createMessage", "POST", f"{_THREAD}/messages", "threads.messages", "create"),
    Operation("getMessage", "GET", _MESSAGE, "threads.messages", "retrieve"),
    Operation("modifyMessage", "POST", _MESSAGE, "threads.messages", "update"),
    Operation("deleteMessage", "DELETE", _MESSAGE, "threads.messages", "delete"),
    Operation("listRuns", "GET", f"{_THREAD}/runs", "threads.runs", "list", LIST_QUERY),
    Operation("createRun", "POST", f"{_THREAD}/runs", "threads.runs", "create", ("include[]",)),
    Operation("getRun", "GET", _RUN, "threads.runs", "retrieve"),
    Operation("modifyRun", "POST", _RUN, "threads.runs", "update"),
    Operation("cancelRun", "POST", f"{_RUN}/cancel", "threads.runs", "cancel"),
    Operation("listRunSteps", "GET", f"{_RUN}/steps", "threads.runs.steps", "list", (*LIST_QUERY, "include[]")),
    Operation("getRunStep", "GET", f"{_RUN}/steps/{{step_id}}", "threads.runs.steps", "retrieve", ("include[]",)),
    Operation("submitToolOuputsToRun", "POST", f"{_RUN}/submit_tool_outputs", "threads.runs", "submit_tool_outputs"),
)
"""Every operation of the legacy API (``operationId`` as the spec spells it, typo included)."""
