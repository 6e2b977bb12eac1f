"""Running the server: uvicorn with one or more worker processes, optionally over an in-process emulator.

``assistants-compat serve`` ends here. The settings go to the workers through the environment
(:meth:`ServerConfig.to_env`): uvicorn starts each worker by importing ``compat.server:app_from_env``.
With ``emulator=True`` the upstream is an offline emulator served on 127.0.0.1 by this (parent) process, so
every worker talks to the same one; the store is then a temporary SQLite file unless one is named, since
the emulator's conversations end with the process.
"""

from __future__ import annotations

import logging
import os
import signal
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

import uvicorn

from ..emulator import Emulator, load_script, serve
from ._config import ServerConfig

__all__ = ["RunOptions", "run"]

logger = logging.getLogger("compat.server")


@dataclass(frozen=True)
class RunOptions:
    """Where and how to serve: address, worker processes, emulator and its script, log level."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    emulator: bool = False
    script: Path | None = None
    log_level: str = "info"


def run(config: ServerConfig, options: RunOptions, echo: Callable[[str], None] = logger.info) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), telling ``echo`` where; ``ScriptError`` for a bad script."""
    # uvicorn re-raises the SIGTERM it handled once it has shut down; ending with SystemExit instead of the
    # default action lets the temporary store (and the emulator) be cleaned up
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with ExitStack() as stack:
        if options.emulator:
            emulator = Emulator()
            if options.script is not None:
                emulator.queue(*load_script(options.script))
            upstream = stack.enter_context(serve(emulator)).base_url
            store_url = config.store_url
            if store_url is None:
                directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="assistants-compat-serve-"))
                store_url = f"sqlite:///{Path(directory) / 'state.db'}"
            config = replace(config, upstream=upstream, store_url=store_url)
        os.environ.update(config.to_env())
        base_url = f"http://{options.host}:{options.port}/v1"
        echo(f"serving the Assistants API at {base_url} over {config.upstream}")
        echo(f"point legacy code at it with OPENAI_BASE_URL={base_url}")
        uvicorn.run(
            "compat.server:app_from_env",
            factory=True,
            host=options.host,
            port=options.port,
            workers=options.workers,
            log_level=options.log_level,
            # the caller's address and request line only: headers (keys) are never logged
            access_log=options.log_level == "debug",
        )


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)
