"""The public surface: legacy method signatures match the SDK's, the parameter table covers them, exports."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

import openai
import pytest

import compat
from compat import params, resources

REPO = Path(__file__).resolve().parent.parent

# resource path under ``client.beta`` -> the name used in the parameter table
RESOURCES = {
    "assistants": "assistants",
    "threads": "threads",
    "threads.messages": "messages",
    "threads.runs": "runs",
    "threads.runs.steps": "steps",
}


def resolve(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


def legacy_methods(resource: Any) -> list[str]:
    """Public callables of an SDK resource, minus the ``with_raw_response`` / ``with_streaming_response`` views."""
    return sorted(
        name
        for name, value in inspect.getmembers(type(resource))
        if not name.startswith("_") and callable(value) and not name.startswith("with_")
    )


def clients(is_async: bool) -> tuple[Any, Any]:
    """(the SDK's client, ours), sync or async; nothing is sent."""
    options: dict[str, Any] = {"api_key": "test", "base_url": "http://127.0.0.1:9/v1"}
    if is_async:
        return openai.AsyncOpenAI(**options), compat.AsyncOpenAI(**options, store="sqlite://:memory:")
    return openai.OpenAI(**options), compat.OpenAI(**options, store="sqlite://:memory:")


def all_methods() -> list[tuple[str, str, str]]:
    """(resource path, table prefix, method name) for every legacy method of the SDK."""
    sdk = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1")
    return [
        (path, prefix, name) for path, prefix in RESOURCES.items() for name in legacy_methods(resolve(sdk.beta, path))
    ]


def test_the_sdk_has_31_legacy_methods() -> None:
    assert len(all_methods()) == 31


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("path", "prefix", "name"), all_methods(), ids=str)
def test_methods_are_bound_to_the_sdks(path: str, prefix: str, name: str, is_async: bool) -> None:
    """Each legacy method is the SDK's function behind our own: same signature, annotations, docs; async alike."""
    theirs, ours = clients(is_async)
    try:
        their_method = getattr(resolve(theirs.beta, path), name)
        our_method = getattr(resolve(ours.beta, path), name)
        assert name in vars(type(our_method.__self__)), "inherited from the SDK: it would send the legacy request"
        assert inspect.unwrap(our_method) is inspect.unwrap(their_method)
        assert inspect.signature(our_method) == inspect.signature(their_method)
        assert inspect.iscoroutinefunction(our_method) == inspect.iscoroutinefunction(inspect.unwrap(their_method))
        assert our_method.__doc__, f"{prefix}.{name} has no docstring"
    finally:
        ours.compat_context.store.close()


def resource_modules() -> list[ModuleType]:
    return [importlib.import_module(f"compat.resources.{m.name}") for m in pkgutil.iter_modules(resources.__path__)]


def test_public_names_of_the_resources_have_docstrings() -> None:
    """Classes and functions of ``compat.resources``, and the public members each class defines."""
    public = [
        (f"{module.__name__}.{name}", value)
        for module in resource_modules()
        for name, value in vars(module).items()
        # pydantic also files parametrized models (``Listing[Any]``) under the module; they are not names
        if name.isidentifier() and not name.startswith("_")
        if (inspect.isclass(value) or inspect.isfunction(value)) and value.__module__ == module.__name__
    ]
    members = [
        (f"{where}.{name}", member)
        for where, value in public
        if inspect.isclass(value)
        for name, member in vars(value).items()
        if not name.startswith("_")
    ]
    undocumented = [where for where, value in public + members if not getattr(value, "__doc__", None)]
    assert not undocumented


def test_every_parameter_has_a_row() -> None:
    sdk = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1")
    rows = {(p.method, p.name) for p in params.PARAMETERS}
    wanted = {
        (f"{prefix}.{name}", parameter)
        for path, prefix, name in all_methods()
        for parameter in inspect.signature(getattr(resolve(sdk.beta, path), name)).parameters
    }
    missing = sorted(wanted - rows)
    assert not missing, f"compat/params.py has no row for these legacy parameters (owners: add them): {missing}"


def test_no_row_for_a_parameter_the_sdk_lacks() -> None:
    sdk = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1")
    wanted = {
        (f"{prefix}.{name}", parameter)
        for path, prefix, name in all_methods()
        for parameter in inspect.signature(getattr(resolve(sdk.beta, path), name)).parameters
    }
    extra = sorted({(p.method, p.name) for p in params.PARAMETERS} - wanted)
    assert not extra, f"compat/params.py has rows for parameters the SDK does not have: {extra}"


def test_each_row_appears_once() -> None:
    keys = [(p.method, p.name) for p in params.PARAMETERS]
    assert len(keys) == len(set(keys))


def test_migration_guide_shows_the_current_table() -> None:
    guide = (REPO / "MIGRATION.md").read_text(encoding="utf-8")
    table = params.markdown_table()
    start = guide.index("<!-- parameter-table -->\n") + len("<!-- parameter-table -->\n")
    end = guide.index("<!-- /parameter-table -->")
    assert guide[start:end].strip("\n") + "\n" == table, "regenerate MIGRATION.md's table from params.markdown_table()"


def test_all_is_the_public_names() -> None:
    public = {name for name in vars(compat) if not name.startswith("_")}
    modules = {name for name, value in vars(compat).items() if inspect.ismodule(value)}
    assert sorted(compat.__all__) == sorted(public - modules)


def raw_views(is_async: bool) -> list[tuple[str, str]]:
    """(resource path, method) of every method the SDK's ``with_raw_response`` view wraps."""
    sdk = clients(is_async)[0]
    return [
        (path, name)
        for path in RESOURCES
        for name, value in sorted(vars(resolve(sdk.beta.with_raw_response, path)).items())
        if not name.startswith("_") and callable(value)
    ]


VIEWS = ["with_raw_response", "with_streaming_response"]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("view", [f"beta.{view}" for view in VIEWS] + [f"{view}.beta" for view in VIEWS])
def test_raw_and_streaming_response_views_wrap_our_methods(view: str, is_async: bool) -> None:
    """Every method of the SDK's views is the SDK's wrapper around our legacy method (behaviour: test_raw_responses)."""
    _, client = clients(is_async)
    try:
        views = raw_views(is_async)
        assert len(views) == 23
        for path, name in views:
            wrapper = resolve(resolve(client, view), f"{path}.{name}")
            assert wrapper.__wrapped__ == getattr(resolve(client.beta, path), name), f"{view}.{path}.{name}"
    finally:
        client.compat_context.store.close()
