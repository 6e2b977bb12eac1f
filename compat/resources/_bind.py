"""Legacy methods bound to the SDK's own: a legacy resource names the SDK method and the operation, nothing else.

::

    class Runs(_sdk.Runs):
        create = streamable(_sdk.Runs.create, runs.create_run, runs.stream_run)
        list = page(_sdk.Runs.list, runs.list_runs)

Each factory returns a function of the SDK method's own type (overloads included) for the type checker, and
carries the SDK method's signature and docstring (``functools.wraps``; an overloaded method's docstring is its
first overload's) for ``inspect``, ``help`` and IDEs: the legacy surface is the installed SDK's, never restated,
so it cannot drift from it. Nothing here calls the SDK method.

Rules, per call:

- the arguments are matched to the SDK method's parameters; an unknown keyword, a missing argument or too
  many positional ones raise the ``TypeError`` Python raises for the SDK method, before anything else;
- the arguments the caller gave (:func:`compat._context.given`), path ids included, are checked against the
  parameter table (``compat.params.check``, row key ``"runs.create"``: the SDK class without ``Async``); an
  async ``list`` checks them when its paginator fetches, as the SDK's sends its request only then;
- the operation gets them with the resource's ``_context``; its effects run on the resource's ``_client``;
- legacy ids of imported threads and messages resolve here, in the arguments and in the result (every page,
  every streamed event): each operation is wrapped by ``compat.ops._aliases.with_aliases``.

Kinds, sync or async as the SDK method (a coroutine function, or a method of an ``Async...`` class):

- :func:`call`: the operation's result;
- :func:`page`: a ``list`` method's page (sync) or paginator (async), see ``_pages``;
- :func:`streamable`: ``stream=True`` answers the legacy event stream of the streaming operation, otherwise as
  :func:`call`;
- :func:`manager`: the SDK's ``AssistantStreamManager`` over the streaming operation, started when the manager
  is entered, with the caller's ``event_handler``.

A call made through the SDK's ``with_raw_response`` / ``with_streaming_response`` views (their header in
``extra_headers``) runs the same way and answers the SDK's response wrapper around the result (``_raw``); a
``manager`` has no such form, so the header is dropped there.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from typing_extensions import get_overloads

from .._context import Context, given
from .._effects import Op, run_async, run_sync
from ..ops._aliases import with_aliases
from ..ops._common import Listing
from ..params import check, check_path_ids
from ._pages import CompatAsyncPaginator, sync_page
from ._raw import RawCall, raw_mode, respond_async, respond_sync
from ._streams import async_stream_manager, open_async_stream, open_stream, stream_manager

__all__ = ["Parameters", "call", "manager", "page", "streamable", "table_key"]

F = TypeVar("F", bound=Callable[..., Any])

Operation = Callable[[Context, Mapping[str, Any]], Op[Any]]
"""An operation of ``compat.ops``: the context and the caller's arguments in, the effects it needs out."""

ListOperation = Callable[[Context, Mapping[str, Any]], Op[Listing[Any]]]
"""A list operation of ``compat.ops``: one page of the list the arguments ask for."""

Drive = Callable[[Context, Any, dict[str, Any]], Any]
"""What a bound method does with the resource's context, its client and the checked arguments."""


def call(sdk_method: F, operation: Operation) -> F:
    """A method answering the operation's result."""
    operation = with_aliases(operation)

    def sync(context: Context, client: Any, args: dict[str, Any]) -> Any:
        return run_sync(operation(context, args), client)

    async def async_(context: Context, client: Any, args: dict[str, Any]) -> Any:
        return await run_async(operation(context, args), client)

    return _bind(sdk_method, async_ if _is_coroutine(sdk_method) else sync)


def page(sdk_method: F, operation: ListOperation) -> F:
    """A ``list`` method: a ``SyncCursorPage``, or an ``AsyncPaginator`` that runs when awaited or iterated.

    As the SDK's async ``list`` sends nothing before its paginator is awaited, the table's objections to the
    arguments (a 400, as the server's was) come then too; an argument Python refuses, and an empty path id
    (the SDK's ``ValueError``), still raise at once.
    """
    returned = typing.get_type_hints(sdk_method)["return"]
    operation = with_aliases(operation)
    if not _on_async_resource(sdk_method):

        def sync(context: Context, client: Any, args: dict[str, Any]) -> Any:
            return sync_page(lambda a: operation(context, a), args, client, returned)

        return _bind(sdk_method, sync)
    method = table_key(sdk_method)
    sdk_page = typing.get_args(returned)[1]  # AsyncPaginator[Model, AsyncCursorPage[Model]]

    def async_(context: Context, client: Any, args: dict[str, Any]) -> Any:
        # the SDK raises its ValueError for an empty id when list is called, before any paginator
        check_path_ids(method, args)

        def fetch(page_args: Mapping[str, Any]) -> Op[Listing[Any]]:
            check(method, page_args)
            return operation(context, page_args)

        return CompatAsyncPaginator(fetch, args, client, sdk_page)

    return _bind(sdk_method, async_, check_on_call=False)


def streamable(sdk_method: F, operation: Operation, stream_operation: Operation) -> F:
    """A method with ``stream``: the legacy event stream when it is true, else the operation's result."""
    operation, stream_operation = with_aliases(operation), with_aliases(stream_operation)

    def sync(context: Context, client: Any, args: dict[str, Any]) -> Any:
        if args.get("stream"):
            return open_stream(stream_operation(context, args), client)
        return run_sync(operation(context, args), client)

    async def async_(context: Context, client: Any, args: dict[str, Any]) -> Any:
        if args.get("stream"):
            return await open_async_stream(stream_operation(context, args), client)
        return await run_async(operation(context, args), client)

    return _bind(sdk_method, async_ if _is_coroutine(sdk_method) else sync)


def manager(sdk_method: F, stream_operation: Operation) -> F:
    """A ``...stream`` helper: the SDK's stream manager; the operation starts when the manager is entered."""
    stream_operation = with_aliases(stream_operation)

    def sync(context: Context, client: Any, args: dict[str, Any]) -> Any:
        handler = args.pop("event_handler", None)
        return stream_manager(lambda: stream_operation(context, args), client, handler)

    def async_(context: Context, client: Any, args: dict[str, Any]) -> Any:
        handler = args.pop("event_handler", None)
        return async_stream_manager(lambda: stream_operation(context, args), client, handler)

    return _bind(sdk_method, async_ if _on_async_resource(sdk_method) else sync, raw=False)


def _bind(sdk_method: F, drive: Drive, *, check_on_call: bool = True, raw: bool = True) -> F:
    """The legacy method: ``drive`` behind the SDK method's face (``functools.wraps``), async if ``drive`` is.

    With ``raw``, a call through a raw or streaming-response view answers the SDK's response wrapper.
    """
    parameters = Parameters(sdk_method, check_on_call=check_on_call)
    if inspect.iscoroutinefunction(drive):
        method = _async_method(parameters, drive)
    else:
        method = _sync_method(parameters, drive, raw=raw, on_async=_on_async_resource(sdk_method))
    functools.update_wrapper(method, sdk_method)
    if not method.__doc__:
        # an overloaded SDK method documents its overloads, not the implementation
        method.__doc__ = next((o.__doc__ for o in get_overloads(inspect.unwrap(sdk_method)) if o.__doc__), None)
    # the function takes the SDK method's parameters at runtime; F tells the type checker so
    return cast(F, method)


def _sync_method(parameters: Parameters, drive: Drive, *, raw: bool, on_async: bool) -> Callable[..., Any]:
    """A method whose ``drive`` answers at once; on an async resource (a ``list`` answering its paginator) its
    raw form is a coroutine, which the SDK's async views await."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = parameters.arguments(args, kwargs)
        # the hot path pays this look-up only; the header comes from the SDK's views
        if "extra_headers" in arguments and (mode := raw_mode(arguments)) is not None and raw:
            call = RawCall(mode, self, parameters.function, dict(arguments))
            respond = respond_async if on_async else respond_sync
            return respond(call, lambda: drive(self._context, self._client, arguments))
        return drive(self._context, self._client, arguments)

    return method


def _async_method(parameters: Parameters, drive: Drive) -> Callable[..., Any]:
    async def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = parameters.arguments(args, kwargs)
        if "extra_headers" in arguments and (mode := raw_mode(arguments)) is not None:
            call = RawCall(mode, self, parameters.function, dict(arguments))
            return await respond_async(call, lambda: drive(self._context, self._client, arguments))
        return await drive(self._context, self._client, arguments)

    return method


def table_key(sdk_method: Callable[..., Any]) -> str:
    """The method's key in the parameter table: ``"runs.create"`` for ``Runs.create`` and ``AsyncRuns.create``."""
    function = inspect.unwrap(sdk_method)
    return function.__qualname__.split(".")[0].removeprefix("Async").lower() + "." + function.__name__


def _is_coroutine(sdk_method: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(inspect.unwrap(sdk_method))


def _on_async_resource(sdk_method: Callable[..., Any]) -> bool:
    return inspect.unwrap(sdk_method).__qualname__.startswith("Async")


class Parameters:
    """An SDK method's parameters, read once, for matching each call's arguments as Python would.

    With ``check_on_call``, the arguments are also checked against the parameter table at once.

    ``arguments`` is the per-call hot path: a few set and dict look-ups instead of ``Signature.bind``. Its
    errors are the ``TypeError`` messages CPython gives for a call of the SDK function itself.
    """

    def __init__(self, sdk_method: Callable[..., Any], *, check_on_call: bool = True) -> None:
        function = inspect.unwrap(sdk_method)
        kinds = inspect.Parameter
        # ``self`` is bound by the legacy method; it is not among the caller's arguments
        params = list(inspect.signature(function).parameters.values())[1:]
        self.function: Callable[..., Any] = function
        self.qualname: str = function.__qualname__
        self.method = table_key(function) if check_on_call else None
        self.positional = tuple(p.name for p in params if p.kind is kinds.POSITIONAL_OR_KEYWORD)
        self.keyword_only = tuple(p.name for p in params if p.kind is kinds.KEYWORD_ONLY)
        self.names = frozenset(self.positional + self.keyword_only)
        self.required = tuple(p.name for p in params if p.default is kinds.empty)
        self.positional_defaults = sum(1 for name in self.positional if name not in self.required)
        unsupported = [p for p in params if p.kind not in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)]
        if unsupported:
            raise TypeError(f"{self.qualname}: cannot bind a legacy method to parameters like {unsupported[0]}")

    def arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The arguments the caller gave, by name, once Python would accept them and the table does."""
        # zip stops at the parameters; surplus positional arguments are refused below, after the keywords
        bound = dict(zip(self.positional, args, strict=False))
        for name in kwargs:
            if name not in self.names:
                raise TypeError(f"{self.qualname}() got an unexpected keyword argument '{name}'")
            if name in bound:
                raise TypeError(f"{self.qualname}() got multiple values for argument '{name}'")
        if len(args) > len(self.positional):
            raise TypeError(self._too_many(len(args), kwargs))
        bound.update(kwargs)
        for name in self.required:
            if name not in bound:
                raise TypeError(self._missing(bound))
        arguments = {name: _plain(value) for name, value in given(bound).items()}
        if self.method is not None:
            check(self.method, arguments)
        return arguments

    def _too_many(self, count: int, kwargs: Mapping[str, Any]) -> str:
        """CPython's message, which counts ``self`` among the SDK function's positional arguments."""
        most, given_count = len(self.positional) + 1, count + 1
        fewest = most - self.positional_defaults
        takes = (
            f"from {fewest} to {most} positional arguments" if fewest < most else _count(most, "positional argument")
        )
        keyword_only = sum(1 for name in kwargs if name in self.keyword_only)
        if keyword_only:
            also = _count(keyword_only, "keyword-only argument")
            gave = f"{_count(given_count, 'positional argument')} (and {also}) were"
        else:
            gave = f"{given_count} {'was' if given_count == 1 else 'were'}"
        return f"{self.qualname}() takes {takes} but {gave} given"

    def _missing(self, bound: Mapping[str, Any]) -> str:
        """CPython's message: the missing positional arguments first, else the missing keyword-only ones."""
        positional = [name for name in self.required if name in self.positional and name not in bound]
        names = positional or [name for name in self.required if name not in bound]
        kind = "positional" if positional else "keyword-only"
        return f"{self.qualname}() missing {_count(len(names), f'required {kind} argument')}: {_listing(names)}"


def _plain(value: Any) -> Any:
    """An argument as JSON-like data: pydantic models (``Thread``, ``FunctionDefinition``...) become the dicts the
    SDK would have sent for them, inside lists and dicts too."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in cast("dict[Any, Any]", value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in cast("list[Any]", value)]
    return value


def _listing(names: list[str]) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'``: as CPython lists missing arguments."""
    quoted = [repr(name) for name in names]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
