"""Fixtures: a deterministic emulator and SDK clients wired to it in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx2
import openai
import pytest

from compat.emulator import AsyncEmulatorTransport, Emulator, EmulatorTransport, counter_ids, fixed_clock

BASE_URL = "http://emulator.local/v1"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(ids=counter_ids(), clock=fixed_clock(1_700_000_000))


@pytest.fixture
def client(emulator: Emulator) -> Iterator[openai.OpenAI]:
    http = httpx2.Client(transport=EmulatorTransport(emulator))
    with openai.OpenAI(api_key="test", base_url=BASE_URL, http_client=http, max_retries=0) as sdk:
        yield sdk


@pytest.fixture
async def async_client(emulator: Emulator) -> AsyncIterator[openai.AsyncOpenAI]:
    http = httpx2.AsyncClient(transport=AsyncEmulatorTransport(emulator))
    async with openai.AsyncOpenAI(api_key="test", base_url=BASE_URL, http_client=http, max_retries=0) as sdk:
        yield sdk


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
