"""Response objects built from a request's parameters and a model turn.

Rules for the built-in tool calls of a turn (played against the emulator's ``Library``):

- a ``file_search_call`` has ``queries`` and ``status: completed``; its ``results`` (``attributes``,
  ``file_id``, ``filename``, ``score``, ``text``, ``vector_store_id``) are sent only when ``include`` has
  ``file_search_call.results``, else ``null``; unscripted results come from ``Library.search`` over the
  vector stores of the request's ``file_search`` tool, each query in turn, best first, at most the tool's
  ``max_num_results`` (unknown vector stores find nothing, as an empty one would);
- a ``code_interpreter_call`` runs in the container of the request's ``code_interpreter`` tool: a ``cntr_`` id
  (which must exist: a 400 naming ``tools[i].container`` otherwise) or ``{"type": "auto", "file_ids"}``, for
  which one container per response is created with copies of those files when the first call runs (an
  unknown file id fails the request with the library's 404; without the tool, an empty container is used);
  its ``outputs`` (the image as a ``data:`` URL, then the logs) are sent only when ``include`` has
  ``code_interpreter_call.outputs``, else ``null``; the image and the written files are added to the container;
- the turn's last message carries the citations, in this order: ``file_citation`` (``file_id``,
  ``filename``, ``index``, no marker in the text) by index, then ``container_file_citation`` with an empty
  span at 0 for a shown image, then one per written file over its ``sandbox:/mnt/data/<filename>`` link
  (a file the answer does not link is not cited).
"""

from __future__ import annotations

import base64
import copy
import json
import mimetypes
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, cast

from ._errors import ApiError, missing_parameter
from ._ids import IdFactory
from ._items import Item, message_item, output_text
from ._library import ContainerFile, Library
from ._params import CreateParams
from ._turns import BuiltinCall, CodeInterpreterCall, FileCitation, FileSearchCall, FileSearchResult, Turn, Usage

INCLUDE_FILE_SEARCH_RESULTS = "file_search_call.results"
INCLUDE_CODE_OUTPUTS = "code_interpreter_call.outputs"

_CLOSING_PUNCTUATION = ".!?…"

# What the live service answers in ``model`` for common aliases.
MODEL_SNAPSHOTS = {
    "gpt-4o": "gpt-4o-2024-08-06",
    "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
    "gpt-4.1": "gpt-4.1-2025-04-14",
    "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
    "gpt-5": "gpt-5-2025-08-07",
    "gpt-5-mini": "gpt-5-mini-2025-08-07",
    "gpt-5-nano": "gpt-5-nano-2025-08-07",
}

_TOOL_USAGE: dict[str, Any] = {
    "image_gen": {
        "input_tokens": 0,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": 0},
        "output_tokens": 0,
        "output_tokens_details": {"image_tokens": 0, "text_tokens": 0},
        "total_tokens": 0,
    },
    "web_search": {"num_requests": 0},
}


def count_tokens(text: str) -> int:
    """A deterministic token estimate: words and punctuation marks."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def response_skeleton(*, response_id: str, created_at: int, params: CreateParams, status: str) -> dict[str, Any]:
    """The response object before any output, in the live service's key order."""
    body: dict[str, Any] = {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": status,
        "background": params.background,
        "billing": {"payer": "developer"},
        "completed_at": None,
    }
    if params.conversation is not None:
        body["conversation"] = {"id": params.conversation}
    body.update(_echoed_fields(params))
    return body


def _echoed_fields(params: CreateParams) -> dict[str, Any]:
    reasoning = {"context": None, "effort": None, "summary": None, **params.reasoning}
    return {
        "error": None,
        "frequency_penalty": 0.0,
        "incomplete_details": None,
        "instructions": params.instructions,
        "max_output_tokens": params.max_output_tokens,
        "max_tool_calls": params.max_tool_calls,
        "model": MODEL_SNAPSHOTS.get(params.model, params.model),
        "moderation": None,
        "output": [],
        "parallel_tool_calls": params.parallel_tool_calls,
        "presence_penalty": 0.0,
        "previous_response_id": params.previous_response_id,
        "prompt_cache_key": params.echo.get("prompt_cache_key"),
        "prompt_cache_retention": "in_memory",
        "reasoning": reasoning,
        "safety_identifier": params.echo.get("safety_identifier"),
        "service_tier": params.echo.get("service_tier", "default"),
        "store": params.store,
        "temperature": params.temperature,
        "text": params.text,
        "tool_choice": params.tool_choice,
        "tool_usage": copy.deepcopy(_TOOL_USAGE),
        "tools": params.tools,
        "top_logprobs": params.echo.get("top_logprobs", 0),
        "top_p": params.top_p,
        "truncation": params.truncation,
        "usage": None,
        "user": params.echo.get("user"),
        "metadata": params.metadata,
    }


@dataclass
class ToolContext:
    """What a turn's built-in calls run against: the library, the request's tools and ``include``.

    ``question`` is the user's last message (the default query); the container of the response's code
    calls is created once, by the first of them.
    """

    library: Library
    tools: list[dict[str, Any]] = field(default_factory=list[dict[str, Any]])
    include: Collection[str] = ()
    question: str = ""
    _container_id: str | None = None

    @classmethod
    def of(cls, params: CreateParams, *, library: Library, question: str) -> ToolContext:
        """The context of a request."""
        return cls(library, params.tools, frozenset(params.include), question)

    def tool(self, kind: str) -> dict[str, Any] | None:
        """The request's first tool of type ``kind``."""
        return next((tool for tool in self.tools if tool.get("type") == kind), None)

    def container_id(self) -> str:
        """The container the response's code runs in, created on first use for ``{"type": "auto"}``."""
        if self._container_id is None:
            tool = self.tool("code_interpreter") or {}
            container = tool.get("container")
            if isinstance(container, str):
                self._container_id = container
            else:
                spec = cast("dict[str, Any]", container or {})
                self._container_id = self.library.new_container(
                    file_ids=cast("list[str]", spec.get("file_ids") or []),
                    memory_limit=str(spec.get("memory_limit") or "1g"),
                )
        return self._container_id


def check_builtin_tools(params: CreateParams, library: Library) -> None:
    """Reject a ``code_interpreter`` tool without a container, or naming a container that does not exist."""
    for index, tool in enumerate(params.tools):
        if tool.get("type") != "code_interpreter":
            continue
        container = tool.get("container")
        if container is None:
            raise missing_parameter(f"tools[{index}].container")
        if isinstance(container, str) and not library.container_exists(container):
            raise ApiError(400, f"Container with id '{container}' not found.", param=f"tools[{index}].container")


@dataclass(frozen=True)
class _Cited:
    """Something the answer cites: an uploaded file (``index``) or a container file (image or written)."""

    file_id: str
    filename: str
    index: int | None = None
    container_file: ContainerFile | None = None
    shown: bool = False


def output_items(turn: Turn, new_id: IdFactory, tools: ToolContext | None = None) -> list[Item]:
    """The output items a turn produces, in order: reasoning, built-in calls, messages, refusal, function calls.

    ``tools`` is needed when the turn has built-in calls.
    """
    items: list[Item] = []
    if turn.reasoning is not None:
        summary = [{"type": "summary_text", "text": turn.reasoning}] if turn.reasoning else []
        items.append({"id": new_id("rs_"), "type": "reasoning", "summary": summary})
    cited: list[_Cited] = []
    for call in turn.builtin_calls:
        if tools is None:
            raise ValueError("a turn with built-in tool calls is built with a ToolContext")
        item, cites = _builtin_item(call, new_id, tools)
        items.append(item)
        cited.extend(cites)
    status = "incomplete" if turn.incomplete_reason else "completed"
    last = len(turn.messages) - 1
    for position, text in enumerate(turn.messages):
        annotations = _annotations(text, cited) if position == last else []
        items.append(message_item(new_id("msg_"), "assistant", [output_text(text, annotations)], status))
    if turn.refusal_text is not None:
        items.append(message_item(new_id("msg_"), "assistant", [{"type": "refusal", "refusal": turn.refusal_text}]))
    for call in turn.calls:
        items.append(
            {
                "id": new_id("fc_"),
                "type": "function_call",
                "status": "completed",
                "arguments": call.arguments,
                "call_id": call.call_id or new_id("call_"),
                "name": call.name,
            }
        )
    return items


def _builtin_item(call: BuiltinCall, new_id: IdFactory, tools: ToolContext) -> tuple[Item, list[_Cited]]:
    if isinstance(call, FileSearchCall):
        return _file_search_item(call, new_id, tools)
    return _code_interpreter_item(call, new_id, tools)


def _file_search_item(call: FileSearchCall, new_id: IdFactory, tools: ToolContext) -> tuple[Item, list[_Cited]]:
    queries = list(call.queries) or [tools.question]
    results = _search_results(call, queries, tools)
    item: Item = {
        "id": new_id("fs_"),
        "type": "file_search_call",
        "status": "completed",
        "queries": queries,
        "results": [_result_body(result) for result in results]
        if INCLUDE_FILE_SEARCH_RESULTS in tools.include
        else None,
    }
    citations = call.citations if call.citations is not None else _best_files(results)
    return item, [_cited_file(citation, results, tools.library) for citation in citations]


def _search_results(call: FileSearchCall, queries: list[str], tools: ToolContext) -> list[FileSearchResult]:
    tool = tools.tool("file_search") or {}
    store_ids = cast("list[str]", tool.get("vector_store_ids") or [])
    if call.results is not None:
        default_store = store_ids[0] if store_ids else None
        return [result if result.vector_store_id else _with_store(result, default_store) for result in call.results]
    limit = int(tool.get("max_num_results") or 20)
    found: dict[tuple[str, str, str], FileSearchResult] = {}
    for query in queries:
        for store_id in store_ids:
            for hit in tools.library.search([store_id], query, max_results=limit):
                key = (store_id, hit.file_id, hit.text)
                if key not in found or found[key].score < hit.score:
                    found[key] = FileSearchResult(
                        hit.file_id, hit.filename, hit.text, hit.score, dict(hit.attributes), store_id
                    )
    return sorted(found.values(), key=lambda result: -result.score)[:limit]


def _with_store(result: FileSearchResult, store_id: str | None) -> FileSearchResult:
    return FileSearchResult(result.file_id, result.filename, result.text, result.score, result.attributes, store_id)


def _result_body(result: FileSearchResult) -> Item:
    return {
        "attributes": dict(result.attributes),
        "file_id": result.file_id,
        "filename": result.filename,
        "score": result.score,
        "text": result.text,
        "vector_store_id": result.vector_store_id,
    }


def _best_files(results: list[FileSearchResult]) -> list[FileCitation]:
    best = max((result.score for result in results), default=None)
    file_ids = dict.fromkeys(result.file_id for result in results if result.score == best)
    return [FileCitation(file_id) for file_id in file_ids]


def _cited_file(citation: FileCitation, results: list[FileSearchResult], library: Library) -> _Cited:
    filename = citation.filename
    if filename is None:
        named = {result.file_id: result.filename for result in results}
        stored = library.file(citation.file_id)
        filename = named.get(citation.file_id) or (stored.filename if stored else citation.file_id)
    return _Cited(citation.file_id, filename, index=citation.index)


def _code_interpreter_item(
    call: CodeInterpreterCall, new_id: IdFactory, tools: ToolContext
) -> tuple[Item, list[_Cited]]:
    container_id = tools.container_id()
    item_id = new_id("ci_")
    cited: list[_Cited] = []
    outputs: list[Item] = []
    if call.image is not None:
        filename, data = call.image
        shown = tools.library.add_container_file(container_id, filename=filename, data=data)
        cited.append(_Cited(shown.id, filename, container_file=shown, shown=True))
        outputs.append({"type": "image", "url": _data_url(filename, data)})
    if call.logs is not None:
        outputs.append({"type": "logs", "logs": call.logs})
    for filename, data in call.files:
        written = tools.library.add_container_file(container_id, filename=filename, data=data)
        cited.append(_Cited(written.id, filename, container_file=written))
    item: Item = {
        "id": item_id,
        "type": "code_interpreter_call",
        "status": "completed",
        "code": call.code,
        "container_id": container_id,
        "outputs": outputs if INCLUDE_CODE_OUTPUTS in tools.include else None,
    }
    return item, cited


def _data_url(filename: str, data: bytes) -> str:
    media_type = mimetypes.guess_type(filename)[0] or "image/png"
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def _annotations(text: str, cited: list[_Cited]) -> list[Item]:
    files = [item for item in cited if item.container_file is None]
    shown = [item for item in cited if item.shown]
    written = [item for item in cited if item.container_file is not None and not item.shown]
    annotations = sorted((_file_citation(item, text) for item in files), key=lambda annotation: annotation["index"])
    annotations.extend(_container_citation(item, 0, 0) for item in shown)
    linked: list[Item] = []
    for item in written:
        link = f"sandbox:/mnt/data/{item.filename}"
        start = text.find(link)
        if start >= 0:
            linked.append(_container_citation(item, start, start + len(link)))
    return annotations + sorted(linked, key=lambda annotation: annotation["start_index"])


def _file_citation(item: _Cited, text: str) -> Item:
    index = item.index if item.index is not None else default_citation_index(text)
    return {"type": "file_citation", "file_id": item.file_id, "filename": item.filename, "index": index}


def _container_citation(item: _Cited, start: int, end: int) -> Item:
    assert item.container_file is not None
    return {
        "type": "container_file_citation",
        "container_id": item.container_file.container_id,
        "end_index": end,
        "file_id": item.file_id,
        "filename": item.filename,
        "start_index": start,
    }


def default_citation_index(text: str) -> int:
    """Where the live service puts a ``file_citation``: the end of the text, before its final punctuation."""
    return len(text.rstrip().rstrip(_CLOSING_PUNCTUATION))


def finish(
    body: dict[str, Any], *, turn: Turn, output: list[Item], context_tokens: int, completed_at: int
) -> dict[str, Any]:
    """The terminal state of a response: status, output, usage, error or incomplete details."""
    final = copy.deepcopy(body)
    final["output"] = [] if turn.error else output
    if turn.error:
        final["status"] = "failed"
        final["error"] = {"code": turn.error.code, "message": turn.error.message}
        return final
    final["status"] = "incomplete" if turn.incomplete_reason else "completed"
    if turn.incomplete_reason:
        final["incomplete_details"] = {"reason": turn.incomplete_reason}
    else:
        final["completed_at"] = completed_at
    final["usage"] = usage_body(turn.usage or _estimate_usage(output, context_tokens))
    return final


def usage_body(usage: Usage) -> dict[str, Any]:
    """The ``usage`` object of a response."""
    return {
        "input_tokens": usage.input_tokens,
        "input_tokens_details": {"cached_tokens": usage.cached_tokens},
        "output_tokens": usage.output_tokens,
        "output_tokens_details": {"reasoning_tokens": usage.reasoning_tokens},
        "total_tokens": usage.input_tokens + usage.output_tokens,
    }


def context_tokens(instructions: str | None, context: list[Item]) -> int:
    """The estimated input tokens of a context: its text plus a few tokens of framing per item."""
    text = (instructions or "") + " " + " ".join(item_text(item) for item in context)
    return count_tokens(text) + 4 * len(context) + 3


def item_text(item: Item) -> str:
    """The words an item contributes to the context."""
    if item["type"] == "message":
        return " ".join(str(part.get("text") or part.get("refusal") or "") for part in item["content"])
    if item["type"] == "function_call":
        return f"{item['name']} {item['arguments']}"
    if item["type"] == "function_call_output":
        output = item["output"]
        return output if isinstance(output, str) else json.dumps(output)
    if item["type"] == "reasoning":
        return " ".join(part["text"] for part in item.get("summary", []))
    if item["type"] == "file_search_call":
        return " ".join(item.get("queries") or [])
    if item["type"] == "code_interpreter_call":
        return str(item.get("code") or "")
    return ""


def _estimate_usage(output: list[Item], input_tokens: int) -> Usage:
    reasoning = sum(count_tokens(item_text(item)) for item in output if item["type"] == "reasoning")
    visible = sum(count_tokens(item_text(item)) for item in output if item["type"] != "reasoning")
    return Usage(input_tokens=input_tokens, output_tokens=visible + reasoning, reasoning_tokens=reasoning)
