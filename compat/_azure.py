"""The drop-in Azure clients: ``openai.AzureOpenAI`` and ``openai.AsyncAzureOpenAI`` with our assistants and threads.

Legacy Azure code constructs ``AzureOpenAI(azure_endpoint=..., api_key=..., api_version="2024-05-01-preview")``
and calls ``client.beta.assistants...``; with ``from compat import AzureOpenAI`` the same code runs on the
Responses and Conversations APIs. Every argument of the SDK's client is taken as it is, plus ``store``,
``tenant``, ``model_map`` and ``map_retired_models`` as for :class:`compat.OpenAI`.

Rules:

- Responses and Conversations requests (``/responses...``, ``/conversations...``: the shim's and your own)
  go to Azure's v1 API, ``{azure_endpoint}/openai/v1/responses``: the API that serves conversations, and the
  one Azure documents the Responses API on. The v1 root is the client's base URL with a
  ``/deployments/{name}`` part removed (so ``azure_deployment`` does not route them) and ``v1/`` added,
  unless it already ends with ``/v1``: ``{azure_endpoint}/openai/v1/`` for ``azure_endpoint``, the same
  under a gateway's ``base_url``;
- the v1 API takes no dated ``api-version``: the legacy ``api_version`` (required by the SDK's client, e.g.
  ``2024-05-01-preview``) is accepted and still sent on the client's other requests (chat completions,
  files...), which keep the SDK's routes, but not on v1 requests; ``preview`` and ``latest``, the values
  the v1 API knows, are sent there too; an ``api-version`` given in a call's ``extra_query`` is kept;
- authentication is the SDK's: the ``api-key`` header, or ``Authorization: Bearer`` with an Entra ID
  token (``azure_ad_token`` / ``azure_ad_token_provider``), both of which the v1 API accepts;
- a model name in legacy code is the Azure deployment name, sent as ``model`` (map it with ``model_map``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx2
import openai
from openai._client import DEFAULT_MAX_RETRIES, Timeout
from openai._compat import model_copy
from openai._models import FinalRequestOptions
from openai._types import NOT_GIVEN, NotGiven, omit
from openai.auth import WorkloadIdentity, X509WorkloadIdentity
from openai.lib.azure import AsyncAzureADTokenProvider, AzureADTokenProvider

from ._client import AsyncLegacySurface, LegacySurface, Settings, StoreLike

__all__ = ["V1_API_VERSIONS", "V1_PATHS", "AsyncAzureOpenAI", "AzureOpenAI", "azure_v1_url"]

V1_PATHS = ("/responses", "/conversations")
"""The requests sent to Azure's v1 API: the Responses and Conversations APIs the shim runs on."""

V1_API_VERSIONS = frozenset({"preview", "latest"})
"""The ``api_version`` values Azure's v1 API takes; a dated one is not sent there."""


def azure_v1_url(base_url: httpx2.URL) -> httpx2.URL:
    """Azure's v1 API root for a client's base URL: ``https://x.openai.azure.com/openai/v1/``."""
    path = base_url.raw_path
    deployments = path.find(b"/deployments/")
    if deployments >= 0:
        path = path[: deployments + 1]
    if not path.endswith(b"/"):
        path += b"/"
    if not path.endswith(b"/v1/"):
        path += b"v1/"
    return base_url.copy_with(raw_path=path)


def _is_v1(url: str) -> bool:
    return any(url == path or url.startswith((f"{path}/", f"{path}?")) for path in V1_PATHS)


def _v1_target(base_url: httpx2.URL, url: str) -> httpx2.URL | None:
    """Where a request for ``url`` goes when it is a v1 request, else ``None``."""
    if not _is_v1(url):
        return None
    root = azure_v1_url(base_url)
    return root.copy_with(raw_path=root.raw_path + url.lstrip("/").encode())


def _v1_options(options: FinalRequestOptions, api_version: str) -> FinalRequestOptions:
    """The request's options without the client's dated ``api-version`` when it goes to the v1 API."""
    if not _is_v1(options.url) or api_version in V1_API_VERSIONS or "api-version" in options.params:
        return options
    options = model_copy(options)
    options.params = {**options.params, "api-version": omit}
    return options


class AzureOpenAI(LegacySurface, openai.AzureOpenAI):
    """``openai.AzureOpenAI`` whose ``beta.assistants`` and ``beta.threads`` run on Azure's v1 Responses and
    Conversations APIs (see the module's rules), with ``store``, ``tenant``, ``model_map`` and
    ``map_retired_models`` as for :class:`compat.OpenAI`."""

    def __init__(
        self,
        *,
        store: StoreLike = None,
        tenant: str | None = None,
        model_map: Mapping[str, str] | None = None,
        map_retired_models: bool | None = None,
        api_version: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        api_key: str | Callable[[], str] | None = None,
        admin_api_key: str | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: AzureADTokenProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        base_url: str | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.Client | None = None,
        _strict_response_validation: bool = False,
        _enforce_credentials: bool = True,
    ) -> None:
        # the SDK's overloads tell azure_endpoint from base_url; its implementation takes both optional, as we do
        super().__init__(  # pyright: ignore[reportCallIssue]
            api_version=api_version,
            azure_endpoint=azure_endpoint,
            azure_deployment=azure_deployment,
            api_key=api_key,
            admin_api_key=admin_api_key,
            workload_identity=workload_identity,
            azure_ad_token=azure_ad_token,
            azure_ad_token_provider=azure_ad_token_provider,
            organization=organization,
            project=project,
            webhook_secret=webhook_secret,
            websocket_base_url=websocket_base_url,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            _strict_response_validation=_strict_response_validation,
            _enforce_credentials=_enforce_credentials,
        )
        self._compat = Settings.given(store, tenant, model_map, map_retired_models)

    def copy(self, **kwargs: Any) -> AzureOpenAI:  # pyright: ignore[reportIncompatibleMethodOverride]
        """``openai.AzureOpenAI.copy`` that keeps this client's store (and tenant, unless the credentials change)."""
        copied = super().copy(**kwargs)
        copied._compat = self._compat.for_copy(self.compat_context)
        return copied

    with_options = copy  # pyright: ignore[reportAssignmentType, reportIncompatibleVariableOverride]

    def _prepare_url(self, url: str) -> httpx2.URL:
        return _v1_target(self.base_url, url) or super()._prepare_url(url)

    def _build_request(self, options: FinalRequestOptions, *, retries_taken: int = 0) -> httpx2.Request:
        return super()._build_request(_v1_options(options, self._api_version), retries_taken=retries_taken)


class AsyncAzureOpenAI(AsyncLegacySurface, openai.AsyncAzureOpenAI):
    """``openai.AsyncAzureOpenAI`` whose ``beta.assistants`` and ``beta.threads`` run on Azure's v1 Responses
    and Conversations APIs (see :class:`AzureOpenAI`)."""

    def __init__(
        self,
        *,
        store: StoreLike = None,
        tenant: str | None = None,
        model_map: Mapping[str, str] | None = None,
        map_retired_models: bool | None = None,
        api_version: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        api_key: str | Callable[[], Awaitable[str]] | None = None,
        admin_api_key: str | None = None,
        workload_identity: WorkloadIdentity | X509WorkloadIdentity | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: AsyncAzureADTokenProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        webhook_secret: str | None = None,
        base_url: str | None = None,
        websocket_base_url: str | httpx2.URL | None = None,
        timeout: float | Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        _strict_response_validation: bool = False,
        _enforce_credentials: bool = True,
    ) -> None:
        # the SDK's overloads tell azure_endpoint from base_url; its implementation takes both optional, as we do
        super().__init__(  # pyright: ignore[reportCallIssue]
            api_version=api_version,
            azure_endpoint=azure_endpoint,
            azure_deployment=azure_deployment,
            api_key=api_key,
            admin_api_key=admin_api_key,
            workload_identity=workload_identity,
            azure_ad_token=azure_ad_token,
            azure_ad_token_provider=azure_ad_token_provider,
            organization=organization,
            project=project,
            webhook_secret=webhook_secret,
            base_url=base_url,
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

    def copy(self, **kwargs: Any) -> AsyncAzureOpenAI:  # pyright: ignore[reportIncompatibleMethodOverride]
        """``openai.AsyncAzureOpenAI.copy`` that keeps this client's store (and tenant, unless the credentials
        change)."""
        copied = super().copy(**kwargs)
        copied._compat = self._compat.for_copy(self.compat_context)
        return copied

    with_options = copy  # pyright: ignore[reportAssignmentType, reportIncompatibleVariableOverride]

    def _prepare_url(self, url: str) -> httpx2.URL:
        return _v1_target(self.base_url, url) or super()._prepare_url(url)

    def _build_request(self, options: FinalRequestOptions, *, retries_taken: int = 0) -> httpx2.Request:
        return super()._build_request(_v1_options(options, self._api_version), retries_taken=retries_taken)
