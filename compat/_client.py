"""The drop-in clients: ``openai.OpenAI`` and ``openai.AsyncOpenAI`` with our assistants and threads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, cast

import httpx2
import openai
from openai._client import (
    DEFAULT_MAX_RETRIES,
    DataResidency,
    NotGiven,
    Timeout,
    WorkloadIdentity,
    X509WorkloadIdentity,
    _Provider,
    not_given,
)
from openai._compat import cached_property

from ._context import Context, Opener, auto_truncation_for, tenant_name
from .models import ModelMap
from .resources.beta import AsyncBeta, Beta
from .resources.files import AsyncFiles, Files
from .store import Store, open_store

__all__ = ["AsyncOpenAI", "OpenAI", "wrap"]

StoreLike = Store | str | None
"""A store, a store URL, or ``None`` for ``COMPAT_STORE_URL`` / the default SQLite file."""


def _context(
    client: openai.OpenAI | openai.AsyncOpenAI, store: StoreLike | Opener, tenant: str | None, models: ModelMap
) -> Context:
    """The context of ``client``: the store (opened from a URL on first use) scoped to the client's tenant.

    A store handle that is already scoped (``store.for_tenant(...)``) is used as it is.
    """
    base_url = str(client.base_url)
    auto_truncation = auto_truncation_for(base_url)
    if isinstance(store, Store) and store.tenant:
        return Context(store, models=models, auto_truncation=auto_truncation)
    opener = store if isinstance(store, Opener) else Opener(_open(store))
    api_key, organization, project = client.api_key, client.organization, client.project

    def tenant_of(root: Store) -> str:
        return tenant_name(
            root, name=tenant, api_key=api_key, organization=organization, project=project, base_url=base_url
        )

    return Context(opener, tenant=tenant_of, models=models, auto_truncation=auto_truncation)


class Settings:
    """What a compat client adds to the SDK's: its store, tenant and model map, carried over to its copies."""

    def __init__(self, store: StoreLike | Opener, tenant: str | None, models: ModelMap) -> None:
        """``store`` as given to the client (or a copy's shared opener); ``tenant`` and ``models`` as given."""
        self.store = store
        self.tenant = tenant
        self.models = models

    @classmethod
    def given(
        cls, store: StoreLike, tenant: str | None, model_map: Mapping[str, str] | None, map_retired: bool | None
    ) -> Settings:
        """The settings of a client's constructor arguments."""
        return cls(store, tenant, ModelMap(model_map, map_retired=map_retired))

    def context(self, client: openai.OpenAI | openai.AsyncOpenAI) -> Context:
        """The context of ``client`` (see :func:`_context`)."""
        return _context(client, self.store, self.tenant, self.models)

    def for_copy(self, context: Context) -> Settings:
        """A copy's settings: the same store (its tenant again from the copy's credentials) and model map."""
        return Settings(context.store_for_copies, self.tenant, self.models)


def _open(store: Store | str | None) -> Callable[[], Store]:
    return (lambda: store) if isinstance(store, Store) else (lambda: open_store(store))


class LegacySurface:
    """What a compat client adds to the SDK's sync client: ``beta.assistants`` / ``beta.threads`` and the
    ``files`` that also read the files runs' code wrote, over the client's context (store, tenant, models)."""

    _compat: Settings

    @cached_property
    def compat_context(self) -> Context:
        """The store, clock and id factory behind ``beta.assistants`` and ``beta.threads``."""
        return self._compat.context(cast(openai.OpenAI, self))

    @cached_property
    def beta(self) -> Beta:
        """The SDK's ``beta`` with the legacy ``assistants`` and ``threads``."""
        return Beta(cast(openai.OpenAI, self), self.compat_context)

    @cached_property
    def files(self) -> Files:
        """The SDK's ``files``, which also read the files runs' code wrote (``compat.resources.files``)."""
        return Files(cast(openai.OpenAI, self), self.compat_context)


class AsyncLegacySurface:
    """:class:`LegacySurface` for the SDK's async clients."""

    _compat: Settings

    @cached_property
    def compat_context(self) -> Context:
        """The store, clock and id factory behind ``beta.assistants`` and ``beta.threads``."""
        return self._compat.context(cast(openai.AsyncOpenAI, self))

    @cached_property
    def beta(self) -> AsyncBeta:
        """The SDK's ``beta`` with the legacy ``assistants`` and ``threads``."""
        return AsyncBeta(cast(openai.AsyncOpenAI, self), self.compat_context)

    @cached_property
    def files(self) -> AsyncFiles:
        """The SDK's ``files``, which also read the files runs' code wrote (``compat.resources.files``)."""
        return AsyncFiles(cast(openai.AsyncOpenAI, self), self.compat_context)


class OpenAI(LegacySurface, openai.OpenAI):
    """``openai.OpenAI`` whose ``beta.assistants`` and ``beta.threads`` run on Responses + Conversations.

    Takes every argument of ``openai.OpenAI`` plus ``store``: a :class:`compat.store.Store` or a store URL
    (``sqlite:///state.db``, ``postgresql://...``); by default ``COMPAT_STORE_URL`` or a SQLite file in the
    user's data directory (see ``compat.store.default_store_path``); and ``tenant``: the name under which
    stored objects are kept (default ``COMPAT_TENANT``, else a fingerprint of the credentials; see
    ``compat._context``); ``model_map`` and ``map_retired_models``: the model names sent upstream for those
    the legacy code uses (see :mod:`compat.models`).
    """

    def __init__(
        self,
        *,
        store: StoreLike = None,
        tenant: str | None = None,
        model_map: Mapping[str, str] | None = None,
        map_retired_models: bool | None = None,
        api_key: str | Callable[[], str] | None = None,
        admin_api_key: str | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
        provider: _Provider | None = None,
        base_url: str | httpx2.URL | NotGiven | None = not_given,
        data_residency: DataResidency | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        timeout: float | Timeout | NotGiven | None = not_given,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.Client | None = None,
        _strict_response_validation: bool = False,
        _enforce_credentials: bool = True,
    ) -> None:
        super().__init__(
            api_key=api_key,
            admin_api_key=admin_api_key,
            workload_identity=workload_identity,
            organization=organization,
            project=project,
            webhook_secret=webhook_secret,
            provider=provider,
            base_url=base_url,
            data_residency=data_residency,
            websocket_base_url=websocket_base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            _strict_response_validation=_strict_response_validation,
            _enforce_credentials=_enforce_credentials,
        )
        self._compat = Settings.given(store, tenant, model_map, map_retired_models)

    def copy(self, **kwargs: Any) -> OpenAI:  # pyright: ignore[reportIncompatibleMethodOverride]
        """``openai.OpenAI.copy`` that keeps this client's store (and its tenant, unless the credentials change)."""
        copied = super().copy(**kwargs)
        copied._compat = self._compat.for_copy(self.compat_context)
        return copied

    with_options = copy  # pyright: ignore[reportAssignmentType, reportIncompatibleVariableOverride]


class AsyncOpenAI(AsyncLegacySurface, openai.AsyncOpenAI):
    """``openai.AsyncOpenAI`` whose ``beta.assistants`` and ``beta.threads`` run on Responses + Conversations.

    Takes every argument of ``openai.AsyncOpenAI`` plus ``store`` (see :class:`OpenAI`).
    """

    def __init__(
        self,
        *,
        store: StoreLike = None,
        tenant: str | None = None,
        model_map: Mapping[str, str] | None = None,
        map_retired_models: bool | None = None,
        api_key: str | Callable[[], Awaitable[str]] | None = None,
        admin_api_key: str | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
        provider: _Provider | None = None,
        base_url: str | httpx2.URL | NotGiven | None = not_given,
        data_residency: DataResidency | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        timeout: float | Timeout | NotGiven | None = not_given,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        _strict_response_validation: bool = False,
        _enforce_credentials: bool = True,
    ) -> None:
        super().__init__(
            api_key=api_key,
            admin_api_key=admin_api_key,
            workload_identity=workload_identity,
            organization=organization,
            project=project,
            webhook_secret=webhook_secret,
            provider=provider,
            base_url=base_url,
            data_residency=data_residency,
            websocket_base_url=websocket_base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            _strict_response_validation=_strict_response_validation,
            _enforce_credentials=_enforce_credentials,
        )
        self._compat = Settings.given(store, tenant, model_map, map_retired_models)

    def copy(self, **kwargs: Any) -> AsyncOpenAI:  # pyright: ignore[reportIncompatibleMethodOverride]
        """``openai.AsyncOpenAI.copy`` that keeps this client's store (and tenant, unless the credentials change)."""
        copied = super().copy(**kwargs)
        copied._compat = self._compat.for_copy(self.compat_context)
        return copied

    with_options = copy  # pyright: ignore[reportAssignmentType, reportIncompatibleVariableOverride]


ClientT = TypeVar("ClientT", openai.OpenAI, openai.AsyncOpenAI)


def wrap(
    client: ClientT,
    *,
    store: StoreLike = None,
    tenant: str | None = None,
    model_map: Mapping[str, str] | None = None,
    map_retired_models: bool | None = None,
) -> ClientT:
    """Give an existing ``openai.OpenAI`` or ``openai.AsyncOpenAI`` the legacy Assistants surface, in place.

    Returns the same client object, whose ``beta.assistants`` and ``beta.threads`` now run on the
    Responses and Conversations APIs with state in ``store`` and ``tenant`` (defaults as for :class:`OpenAI`).
    """
    context = _context(client, store, tenant, ModelMap(model_map, map_retired=map_retired_models))
    if isinstance(client, openai.AsyncOpenAI):
        client.__dict__["beta"] = AsyncBeta(client, context)
        client.__dict__["files"] = AsyncFiles(client, context)
    else:
        client.__dict__["beta"] = Beta(client, context)
        client.__dict__["files"] = Files(client, context)
    return client
