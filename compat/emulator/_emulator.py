"""The transport-free emulator of the Responses and Conversations APIs."""

from __future__ import annotations

import copy
import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from ._build import ToolContext, check_builtin_tools, context_tokens, finish, output_items, response_skeleton
from ._errors import ApiError, array_too_long, invalid_type, missing_parameter, not_found
from ._events import response_events
from ._ids import Clock, IdFactory, random_ids, real_clock
from ._items import Item, check_tool_calls, input_to_items
from ._library import Library
from ._library_routes import LIBRARY_ROUTES, RawContent
from ._model import default_turn, last_user_text
from ._params import CreateParams, parse_create, parse_metadata
from ._state import ConversationRecord, ResponseRecord
from ._stream import EventStream
from ._turns import Turn

logger = logging.getLogger("compat.emulator")

MAX_ITEMS_PER_CALL = 20

_JSON_HEADERS = {"content-type": "application/json"}
_SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}


@dataclass(frozen=True)
class RecordedRequest:
    """A request the emulator received: method, path (without ``/v1``), query and JSON body."""

    method: str
    path: str
    query: dict[str, list[str]]
    json: Any
    headers: dict[str, str] = field(default_factory=dict[str, str], compare=False, repr=False)


@dataclass
class EmulatorResponse:
    """What the emulator answers: a status, headers, and either a JSON ``body`` or an SSE ``stream``."""

    status: int
    headers: dict[str, str]
    body: Any = None
    stream: EventStream | None = None


Handler = Callable[["Emulator", "re.Match[str]", RecordedRequest], "Any"]


class Emulator:
    """A faithful, deterministic, in-memory fake of ``/v1/responses`` and ``/v1/conversations``.

    ``handle()`` serves one HTTP request; it is thread-safe. ``queue(*turns)`` scripts the next responses;
    without a queued turn, a rule-based model answers (see ``compat.emulator._model``).
    """

    def __init__(
        self,
        *,
        clock: Clock = real_clock,
        ids: IdFactory = random_ids,
        background_polls: int = 1,
        api_key: str | None = None,
        models: Collection[str] | None = None,
        require_input: bool = False,
    ) -> None:
        """``require_input``: refuse a response without ``input`` (as some Responses servers do)."""
        self.clock = clock
        self.require_input = require_input
        self.ids = ids
        self.background_polls = background_polls
        self.api_key = api_key
        self.models = models
        self.requests: list[RecordedRequest] = []
        self._turns: deque[Turn] = deque()
        self._conversations: dict[str, ConversationRecord] = {}
        self._responses: dict[str, ResponseRecord] = {}
        self._lock = threading.RLock()
        self.library = Library(ids=ids, clock=clock)

    # -- scripting ---------------------------------------------------------------------------------

    def queue(self, *turns: Turn) -> None:
        """Script the output of the next responses, one turn per response, in order."""
        with self._lock:
            self._turns.extend(turns)

    @property
    def pending_turns(self) -> int:
        """How many queued turns no response has played yet."""
        with self._lock:
            return len(self._turns)

    def conversation_items(self, conversation_id: str) -> list[Item]:
        """A copy of a conversation's items, oldest first (for assertions)."""
        with self._lock:
            return copy.deepcopy(self._conversation(conversation_id).items)

    # -- HTTP --------------------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, list[str]] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> EmulatorResponse:
        """Serve one request; ``path`` starts with ``/v1``. Errors come back as the API's envelope."""
        lowered = {key.lower(): value for key, value in (headers or {}).items()}
        request = RecordedRequest(method.upper(), _strip_prefix(path), dict(query or {}), body, lowered)
        with self._lock:
            self.requests.append(request)
        try:
            self._authenticate(lowered)
            result = self._route(request)
        except ApiError as error:
            logger.debug("%s %s -> %s %s", request.method, path, error.status, error.message)
            return EmulatorResponse(error.status, dict(_JSON_HEADERS), error.body())
        if isinstance(result, EventStream):
            return EmulatorResponse(200, dict(_SSE_HEADERS), stream=result)
        if isinstance(result, RawContent):
            return EmulatorResponse(200, {"content-type": result.content_type}, result.data)
        return EmulatorResponse(200, dict(_JSON_HEADERS), result)

    def _authenticate(self, headers: Mapping[str, str]) -> None:
        if self.api_key is None:
            return
        given = headers.get("authorization", "").removeprefix("Bearer ").strip()
        if given != self.api_key:
            masked = f"{given[:8]}*****{given[-4:]}" if len(given) > 12 else given
            raise ApiError(
                401,
                f"Incorrect API key provided: {masked}. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                code="invalid_api_key",
            )

    def _route(self, request: RecordedRequest) -> Any:
        for method, pattern, handler in _ROUTES:
            match = pattern.fullmatch(request.path)
            if match and method == request.method:
                return handler(self, match, request)
        raise ApiError(404, f"Invalid URL ({request.method} /v1{request.path})")

    # -- conversations -----------------------------------------------------------------------------

    def _conversation(self, conversation_id: str) -> ConversationRecord:
        record = self._conversations.get(conversation_id)
        if record is None:
            raise not_found("Conversation", conversation_id)
        return record

    def _unlocked_conversation(self, conversation_id: str) -> ConversationRecord:
        record = self._conversation(conversation_id)
        if record.locked_by is not None:
            raise ApiError(
                400,
                "Another process is currently operating on this conversation. Please retry in a few seconds.",
                param=None,
                code="conversation_locked",
            )
        return record

    def create_conversation(self, _match: re.Match[str], request: RecordedRequest) -> Any:
        """``POST /conversations``."""
        body = _object_body(request.json)
        items = self._new_items(body.get("items"), param="items")
        metadata = parse_metadata(body.get("metadata"))
        with self._lock:
            record = ConversationRecord(self.ids("conv_"), self.clock(), metadata, items)
            self._conversations[record.id] = record
            return record.body()

    def retrieve_conversation(self, match: re.Match[str], _request: RecordedRequest) -> Any:
        """``GET /conversations/{id}``."""
        with self._lock:
            return self._conversation(match["conv"]).body()

    def update_conversation(self, match: re.Match[str], request: RecordedRequest) -> Any:
        """``POST /conversations/{id}``: replaces the metadata."""
        body = _object_body(request.json)
        if "metadata" not in body:
            raise missing_parameter("metadata")
        metadata = parse_metadata(body["metadata"])
        with self._lock:
            record = self._conversation(match["conv"])
            record.metadata = metadata
            return record.body()

    def delete_conversation(self, match: re.Match[str], _request: RecordedRequest) -> Any:
        """``DELETE /conversations/{id}``."""
        with self._lock:
            record = self._conversation(match["conv"])
            del self._conversations[record.id]
            return {"id": record.id, "object": "conversation.deleted", "deleted": True}

    def create_items(self, match: re.Match[str], request: RecordedRequest) -> Any:
        """``POST /conversations/{id}/items``: answers the added items in a list wrapper."""
        body = _object_body(request.json)
        if "items" not in body:
            raise missing_parameter("items")
        with self._lock:
            record = self._unlocked_conversation(match["conv"])
            items = self._new_items(body["items"], param="items")
            record.items.extend(items)
            return _list_body(copy.deepcopy(items), has_more=False)

    def list_items(self, match: re.Match[str], request: RecordedRequest) -> Any:
        """``GET /conversations/{id}/items``: ``limit``, ``order`` (default desc), ``after``."""
        with self._lock:
            items = copy.deepcopy(self._conversation(match["conv"]).items)
        return _page(items, request.query)

    def retrieve_item(self, match: re.Match[str], _request: RecordedRequest) -> Any:
        """``GET /conversations/{id}/items/{item_id}``."""
        with self._lock:
            record = self._conversation(match["conv"])
            return copy.deepcopy(_find_item(record, match["item"]))

    def delete_item(self, match: re.Match[str], _request: RecordedRequest) -> Any:
        """``DELETE /conversations/{id}/items/{item_id}``: answers the conversation."""
        with self._lock:
            record = self._unlocked_conversation(match["conv"])
            record.items.remove(_find_item(record, match["item"]))
            return record.body()

    def _new_items(self, value: object, *, param: str) -> list[Item]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise invalid_type(param, "an array", value)
        items = cast("list[object]", value)
        if len(items) > MAX_ITEMS_PER_CALL:
            raise array_too_long(param, MAX_ITEMS_PER_CALL, len(items))
        return input_to_items(items, param=param, new_id=self.ids)

    # -- responses ---------------------------------------------------------------------------------

    def _response(self, response_id: str) -> ResponseRecord:
        record = self._responses.get(response_id)
        if record is None or not record.stored:
            raise not_found("Response", response_id)
        return record

    def create_response(self, _match: re.Match[str], request: RecordedRequest) -> Any:
        """``POST /responses``."""
        body = _object_body(request.json)
        if self.require_input and "input" not in body:
            raise missing_parameter("input")
        params = parse_create(body)
        self._check_model(params.model)
        check_builtin_tools(params, self.library)
        with self._lock:
            base = self._base_context(params)
            new_input = input_to_items(params.input, param="input", new_id=self.ids)
            context = [*base, *new_input]
            check_tool_calls(context)
            turn = self._turns.popleft() if self._turns else self._default_turn(context, params)
            if turn.error and turn.http_status:
                raise _http_failure(turn)
            record = self._start(params, turn, context=context, new_input=new_input)
            return self._answer(record, params, turn)

    def count_input_tokens(self, _match: re.Match[str], request: RecordedRequest) -> Any:
        """``POST /responses/input_tokens``: the input tokens the response of these parameters would read."""
        body = _object_body(request.json)
        params = parse_create({**body, "model": body.get("model") or "counted"})
        with self._lock:
            base = self._conversation(params.conversation).items if params.conversation is not None else []
            new_input = input_to_items(params.input, param="input", new_id=lambda prefix: f"{prefix}counted")
            context = [*copy.deepcopy(base), *new_input]
        return {"object": "response.input_tokens", "input_tokens": context_tokens(params.instructions, context)}

    def _default_turn(self, context: list[Item], params: CreateParams) -> Turn:
        return default_turn(context=context, params=params, library=self.library)

    def _check_model(self, model: str) -> None:
        if self.models is not None and model not in self.models:
            raise ApiError(400, f"The requested model '{model}' does not exist.", param="model", code="model_not_found")

    def _base_context(self, params: CreateParams) -> list[Item]:
        if params.conversation is not None:
            return copy.deepcopy(self._unlocked_conversation(params.conversation).items)
        if params.previous_response_id is not None:
            previous = self._responses.get(params.previous_response_id)
            if previous is None or not previous.stored:
                raise ApiError(
                    400,
                    f"Previous response with id '{params.previous_response_id}' not found.",
                    param="previous_response_id",
                    code="previous_response_not_found",
                )
            return copy.deepcopy(previous.context())
        return []

    def _start(self, params: CreateParams, turn: Turn, *, context: list[Item], new_input: list[Item]) -> ResponseRecord:
        status = "queued" if params.background else "in_progress"
        start = response_skeleton(response_id=self.ids("resp_"), created_at=self.clock(), params=params, status=status)
        tools = ToolContext.of(params, library=self.library, question=last_user_text(context))
        output = output_items(turn, self.ids, tools)
        final = finish(
            start,
            turn=turn,
            output=output,
            context_tokens=context_tokens(params.instructions, context),
            completed_at=self.clock(),
        )
        record = ResponseRecord(
            body=start,
            final=final,
            input_items=context if params.conversation is None else new_input,
            new_input=new_input,
            stored=params.store,
            conversation_id=params.conversation,
            polls_left=self.background_polls,
        )
        if params.stream:
            record.events = response_events(start=start, final=final)
        self._responses[record.id] = record
        if params.conversation is not None:
            self._conversations[params.conversation].locked_by = record.id
        return record

    def _answer(self, record: ResponseRecord, params: CreateParams, turn: Turn) -> Any:
        if params.stream:
            return EventStream(record.events, on_end=lambda: self._complete(record), cut_after=turn.cut_after_events)
        if params.background:
            return copy.deepcopy(record.body)
        self._complete(record)
        return copy.deepcopy(record.final)

    def _complete(self, record: ResponseRecord) -> None:
        with self._lock:
            if record.done:
                return
            record.done = True
            record.body = record.final
            conversation = self._conversations.get(record.conversation_id or "")
            if conversation is None:
                return
            conversation.locked_by = None
            if record.final["status"] in ("completed", "incomplete"):
                conversation.items.extend(copy.deepcopy([*record.new_input, *record.final["output"]]))

    def retrieve_response(self, match: re.Match[str], request: RecordedRequest) -> Any:
        """``GET /responses/{id}``; ``stream=true`` replays the events after ``starting_after``."""
        with self._lock:
            record = self._response(match["resp"])
            if _query_flag(request.query, "stream"):
                return self._replay(record, request.query)
            if not record.done and record.body["background"]:
                self._poll(record)
            return copy.deepcopy(record.body)

    def _poll(self, record: ResponseRecord) -> None:
        record.polls_left -= 1
        if record.polls_left <= 0:
            self._complete(record)
        else:
            record.body = {**record.body, "status": "in_progress"}

    def _replay(self, record: ResponseRecord, query: Mapping[str, list[str]]) -> EventStream:
        events = record.events or response_events(start=record.body, final=record.final)
        after = int(query.get("starting_after", ["-1"])[0])
        return EventStream([e for e in events if e["sequence_number"] > after], on_end=lambda: self._complete(record))

    def delete_response(self, match: re.Match[str], _request: RecordedRequest) -> Any:
        """``DELETE /responses/{id}``."""
        with self._lock:
            record = self._response(match["resp"])
            del self._responses[record.id]
            return {"id": record.id, "object": "response.deleted", "deleted": True}

    def cancel_response(self, match: re.Match[str], _request: RecordedRequest) -> Any:
        """``POST /responses/{id}/cancel``: only background responses; cancelling twice is harmless."""
        with self._lock:
            record = self._response(match["resp"])
            if not record.body["background"]:
                raise ApiError(400, "Cannot cancel a synchronous response.")
            if not record.done:
                record.final = {**record.body, "status": "cancelled", "output": [], "usage": None}
                self._complete(record)
            return copy.deepcopy(record.body)

    def list_input_items(self, match: re.Match[str], request: RecordedRequest) -> Any:
        """``GET /responses/{id}/input_items``: newest first by default."""
        with self._lock:
            items = copy.deepcopy(self._response(match["resp"]).input_items)
        return _page(items, request.query)


def _strip_prefix(path: str) -> str:
    path = path.split("?", 1)[0].rstrip("/")
    return path.removeprefix("/v1")


def _object_body(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, "We could not parse the JSON body of your request.")
    return cast("dict[str, Any]", value)


def _http_failure(turn: Turn) -> ApiError:
    assert turn.error is not None and turn.http_status is not None
    kind = "server_error" if turn.http_status >= 500 else "invalid_request_error"
    return ApiError(turn.http_status, turn.error.message, type=kind, code=turn.error.code)


def _find_item(record: ConversationRecord, item_id: str) -> Item:
    for item in record.items:
        if item["id"] == item_id:
            return item
    raise not_found("Item", item_id)


def _query_flag(query: Mapping[str, list[str]], key: str) -> bool:
    return query.get(key, ["false"])[0].lower() == "true"


def _page(items: list[Item], query: Mapping[str, list[str]]) -> dict[str, Any]:
    limit = _limit(query)
    order = query.get("order", ["desc"])[0]
    if order not in ("asc", "desc"):
        raise ApiError(
            400,
            f"Invalid value for 'order': '{order}'. Supported values are: 'asc' and 'desc'.",
            param="order",
            code="invalid_value",
        )
    ordered = items if order == "asc" else items[::-1]
    after = query.get("after", [None])[0]
    if after is not None:
        ids = [item["id"] for item in ordered]
        if after not in ids:
            raise not_found("Item", after)
        ordered = ordered[ids.index(after) + 1 :]
    return _list_body(ordered[:limit], has_more=len(ordered) > limit)


def _limit(query: Mapping[str, list[str]]) -> int:
    raw = query.get("limit", ["20"])[0]
    if not raw.lstrip("-").isdigit():
        raise ApiError(
            400,
            "Invalid type for 'limit': expected an integer, but got a string instead.",
            param="limit",
            code="invalid_type",
        )
    limit = int(raw)
    if not 1 <= limit <= 100:
        bound = (
            "below minimum value. Expected a value >= 1"
            if limit < 1
            else "above maximum value. Expected a value <= 100"
        )
        raise ApiError(
            400,
            f"Invalid 'limit': integer {bound}, but got {limit} instead.",
            param="limit",
            code="integer_below_min_value" if limit < 1 else "integer_above_max_value",
        )
    return limit


def _list_body(data: list[Item], *, has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "has_more": has_more,
        "last_id": data[-1]["id"] if data else None,
    }


_CONV = r"/conversations/(?P<conv>[^/]+)"
_RESP = r"/responses/(?P<resp>[^/]+)"
_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = [
    ("POST", re.compile(r"/conversations"), Emulator.create_conversation),
    ("GET", re.compile(_CONV), Emulator.retrieve_conversation),
    ("POST", re.compile(_CONV), Emulator.update_conversation),
    ("DELETE", re.compile(_CONV), Emulator.delete_conversation),
    ("POST", re.compile(_CONV + "/items"), Emulator.create_items),
    ("GET", re.compile(_CONV + "/items"), Emulator.list_items),
    ("GET", re.compile(_CONV + r"/items/(?P<item>[^/]+)"), Emulator.retrieve_item),
    ("DELETE", re.compile(_CONV + r"/items/(?P<item>[^/]+)"), Emulator.delete_item),
    ("POST", re.compile(r"/responses"), Emulator.create_response),
    ("POST", re.compile(r"/responses/input_tokens"), Emulator.count_input_tokens),
    ("GET", re.compile(_RESP), Emulator.retrieve_response),
    ("DELETE", re.compile(_RESP), Emulator.delete_response),
    ("POST", re.compile(_RESP + "/cancel"), Emulator.cancel_response),
    ("GET", re.compile(_RESP + "/input_items"), Emulator.list_input_items),
    *LIBRARY_ROUTES,
]
