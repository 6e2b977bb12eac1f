"""Load on ``assistants-compat serve``: M concurrent legacy flows through the server against the emulator.

    python benchmarks/server_load.py [--flows N] [--concurrency M] [--workers 1 2] [--stores sqlite postgresql]

Each flow is the polled weather example of the Assistants function-calling guide, sent by the stock ``openai``
SDK (``AsyncOpenAI``, no compat import) to the server: ``threads.create``, ``messages.create``,
``runs.create_and_poll`` (it stops at ``requires_action``), ``runs.submit_tool_outputs_and_poll``,
``messages.list``: 5 legacy calls, 7 HTTP requests (each ``..._and_poll`` also reads the run once). Each of
the M runners creates its assistant first (untimed) and then takes flows until N have run; M warm-up flows
run first, untimed.

Everything is on 127.0.0.1: the emulator (its rule-based model calls both weather functions, then answers)
in a child process, the server in its own processes (``--workers``), the client here. For every number of
workers and every store (SQLite in a temporary file; PostgreSQL on a throwaway server, when its binaries are
installed), printed: flows per second, the flow's latency p50/p99 and one legacy call's latency p50/p99.

Then the server's overhead per call: the same flow run sequentially (no load), through one server worker with
a SQLite store, and in-process with ``compat.AsyncOpenAI`` on a SQLite store against the same emulator; the
difference per flow, divided by the 5 legacy calls of a flow.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import openai
from _server import emulator_process

import compat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pg_server import PostgresNotFound, find_bin_dir, running_postgres

INSTRUCTIONS = "You are a weather bot. Use the provided functions to answer questions."
MESSAGE = "What's the current temperature in San Francisco, and the rain probability today?"
OUTPUTS = {"get_current_temperature": "57", "get_rain_probability": "0.06"}
TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_temperature",
            "description": "Get the current temperature for a specific location",
            "parameters": {
                "type": "object",
                "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
                "required": ["location", "unit"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_rain_probability",
            "description": "Get the probability of rain for a specific location",
            "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]},
        },
    },
]
CALLS_PER_FLOW = 5
START_TIMEOUT_SECONDS = 60.0


@dataclass
class Timings:
    """Seconds per flow and per legacy call, the flows that failed, and when the timed flows began and ended."""

    flows: list[float] = field(default_factory=list[float])
    calls: list[float] = field(default_factory=list[float])
    errors: int = 0
    first_start: float = float("inf")
    last_end: float = 0.0

    @property
    def flows_per_second(self) -> float:
        """Timed flows over the time from the first one's start to the last one's end."""
        span = self.last_end - self.first_start
        return len(self.flows) / span if self.flows and span > 0 else 0.0


async def weather_flow(client: Any, assistant_id: str, calls: list[float]) -> None:
    """The guide's polled flow; each legacy call's time is appended to ``calls``."""

    async def timed(call: Awaitable[Any]) -> Any:
        start = time.perf_counter()
        result = await call
        calls.append(time.perf_counter() - start)
        return result

    threads = client.beta.threads
    thread = await timed(threads.create())
    await timed(threads.messages.create(thread_id=thread.id, role="user", content=MESSAGE))
    run = await timed(threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant_id))
    assert run.status == "requires_action", run.status
    outputs = [
        {"tool_call_id": call.id, "output": OUTPUTS[call.function.name]}
        for call in run.required_action.submit_tool_outputs.tool_calls
    ]
    run = await timed(
        threads.runs.submit_tool_outputs_and_poll(thread_id=thread.id, run_id=run.id, tool_outputs=outputs)
    )
    assert run.status == "completed", run.status
    messages = await timed(threads.messages.list(thread_id=thread.id))
    assert len(messages.data) == 2


async def load(client: Any, *, flows: int, concurrency: int) -> Timings:
    """``flows`` timed flows, ``concurrency`` at a time, after as many warm-up flows."""
    timings = Timings()
    remaining = flows + concurrency

    async def runner() -> None:
        nonlocal remaining
        assistant = await client.beta.assistants.create(instructions=INSTRUCTIONS, model="gpt-4o", tools=TOOLS)
        while remaining > 0:
            remaining -= 1
            warm_up = remaining >= flows
            calls: list[float] = []
            start = time.perf_counter()
            try:
                await weather_flow(client, assistant.id, calls)
            except Exception as exc:  # counted and reported: a load test goes on
                timings.errors += 1
                print(f"  flow failed: {exc!r}"[:300], file=sys.stderr)
                continue
            end = time.perf_counter()
            if not warm_up:
                timings.flows.append(end - start)
                timings.calls.extend(calls)
                timings.first_start = min(timings.first_start, start)
                timings.last_end = max(timings.last_end, end)

    await asyncio.gather(*(runner() for _ in range(concurrency)))
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@contextmanager
def server_process(*, upstream: str, store: str, workers: int) -> Iterator[str]:
    """``assistants-compat serve`` on a free port of 127.0.0.1; yields its base URL once ``/health`` answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    command = [
        *(sys.executable, "-m", "compat.cli", "serve", "--port", str(port), "--workers", str(workers)),
        *("--upstream", upstream, "--store", store, "--log-level", "warning"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            try:
                if httpx2.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        # every worker answers before the load starts
        for _ in range(4 * workers):
            httpx2.get(f"http://127.0.0.1:{port}/health", timeout=5)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(START_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def store_urls(stores: list[str], directory: Path) -> Iterator[dict[str, Callable[[str], str]]]:
    """For each store kind available, a function naming a fresh store (one per configuration)."""
    with ExitStack() as stack:
        available: dict[str, Callable[[str], str]] = {}
        if "sqlite" in stores:
            available["sqlite"] = lambda name: f"sqlite:///{directory / f'{name}.db'}"
        if "postgresql" in stores:
            try:
                dsn = stack.enter_context(running_postgres(find_bin_dir()))
            except PostgresNotFound as exc:
                print(f"postgresql: skipped ({exc})")
            else:
                available["postgresql"] = lambda name: _fresh_database(dsn, name)
        yield available


def _fresh_database(dsn: str, name: str) -> str:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE bench_{name}")
    return dsn.rsplit("/", 1)[0] + f"/bench_{name}"


async def under_load(base_url: str, *, flows: int, concurrency: int) -> Timings:
    limits = httpx2.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2)
    http = httpx2.AsyncClient(limits=limits, timeout=60)
    async with openai.AsyncOpenAI(api_key="sk-bench", base_url=base_url, max_retries=0, http_client=http) as client:
        return await load(client, flows=flows, concurrency=concurrency)


def report_load(workers: int, store: str, timings: Timings) -> None:
    print(
        f"{workers:>7}  {store:<10}  {timings.flows_per_second:8.1f}  "
        f"{percentile(timings.flows, 0.5) * 1000:9.1f}  {percentile(timings.flows, 0.99) * 1000:9.1f}  "
        f"{percentile(timings.calls, 0.5) * 1000:9.2f}  {percentile(timings.calls, 0.99) * 1000:9.2f}  "
        f"{timings.errors:6d}"
    )


async def sequential_overhead(upstream: str, directory: Path, flows: int) -> None:
    """The flow without load: through one server worker, and with the library in-process."""
    with server_process(upstream=upstream, store=f"sqlite:///{directory / 'overhead.db'}", workers=1) as base_url:
        served = await under_load(base_url, flows=flows, concurrency=1)
    store = f"sqlite:///{directory / 'in-process.db'}"
    async with compat.AsyncOpenAI(api_key="sk-bench", base_url=upstream, max_retries=0, store=store) as library:
        in_process = await load(library, flows=flows, concurrency=1)
    server_ms = statistics.median(served.flows) * 1000
    library_ms = statistics.median(in_process.flows) * 1000
    added = (server_ms - library_ms) / CALLS_PER_FLOW
    print(
        f"overhead, {flows} sequential flows ({CALLS_PER_FLOW} legacy calls each, medians): "
        f"server {server_ms:.1f} ms/flow, in-process library {library_ms:.1f} ms/flow, "
        f"{added:+.2f} ms per call"
    )


async def main_async(args: argparse.Namespace) -> None:
    with emulator_process([]) as upstream, tempfile.TemporaryDirectory(prefix="server-load-") as tmp:
        directory = Path(tmp)
        print(
            f"server load: {args.flows} polled weather flows, {args.concurrency} at a time, stock openai SDK -> "
            f"assistants-compat serve -> emulator, on 127.0.0.1 ({os.cpu_count()} CPUs)"
        )
        print("workers  store        flows/s  flow p50  flow p99  call p50  call p99  errors")
        print("                                     (ms)      (ms)      (ms)      (ms)")
        with store_urls(args.stores, directory) as stores:
            for store, fresh in stores.items():
                for workers in args.workers:
                    url = fresh(f"{store}_{workers}")
                    with server_process(upstream=upstream, store=url, workers=workers) as base_url:
                        timings = await under_load(base_url, flows=args.flows, concurrency=args.concurrency)
                    report_load(workers, store, timings)
        await sequential_overhead(upstream, directory, args.overhead_flows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--flows", type=int, default=200, help="timed flows per configuration (default 200)")
    parser.add_argument("--concurrency", type=int, default=8, help="flows at a time (default 8)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="server workers (default: 1 2)")
    parser.add_argument(
        "--stores", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"], help="stores"
    )
    parser.add_argument("--overhead-flows", type=int, default=30, help="sequential flows for the overhead (30)")
    args = parser.parse_args(argv)
    # the SDK marks the legacy methods deprecated; this is legacy code on purpose
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    if min(args.flows, args.concurrency, args.overhead_flows, *args.workers) < 1:
        parser.error("every count must be at least 1")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
