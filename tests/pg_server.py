"""A throwaway PostgreSQL server for the tests: ``initdb`` into a temporary directory, listen on 127.0.0.1.

Reuse it from any test folder that is a package (has an ``__init__.py``): pytest then puts ``tests/`` on
``sys.path``, so a ``conftest.py`` there can say::

    from pg_server import postgres_url_or_skip

    @pytest.fixture(scope="session")
    def postgres_url() -> Iterator[str]:
        yield from postgres_url_or_skip()

(``tests/store/conftest.py`` does exactly this.) Outside pytest, ``with running_postgres() as dsn: ...``
gives a server for the block.

Rules:

- The binaries come from ``PATH`` or ``/usr/lib/postgresql/<version>/bin`` (newest first).
- PostgreSQL refuses to run as root: as root, every server command runs as the ``postgres`` user (or
  ``nobody``) through ``runuser``, and the temporary directory belongs to that user.
- The server listens on a free port of 127.0.0.1 only, with its socket in the temporary directory, password
  authentication for TCP, and durability switched off (it is thrown away).
- Without binaries, the tests that need the server fail when ``CI`` is set and are skipped otherwise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["PostgresNotFound", "find_bin_dir", "postgres_url_or_skip", "running_postgres"]

logger = logging.getLogger(__name__)

SERVER_USERS = ("postgres", "nobody")
START_TIMEOUT_SECONDS = 60


class PostgresNotFound(RuntimeError):
    """No PostgreSQL server binaries (``initdb``, ``pg_ctl``, ``postgres``) on this machine."""


def find_bin_dir() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    candidates = [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    for directory in candidates:
        if all((directory / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return directory
    raise PostgresNotFound(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or under "
        "/usr/lib/postgresql/*/bin; install them, e.g. `apt-get install -y postgresql`"
    )


def _version_key(path: Path) -> tuple[int, str]:
    version = path.parent.name
    return (int(version), version) if version.isdigit() else (0, version)


def postgres_url_or_skip() -> Iterator[str]:
    """Body of a session fixture: yields a DSN; skips (or fails under ``CI``) when PostgreSQL is missing."""
    try:
        bin_dir = find_bin_dir()
    except PostgresNotFound as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and PostgreSQL is required: {exc}", pytrace=False)
        pytest.skip(str(exc))
    with running_postgres(bin_dir) as dsn:
        yield dsn


@contextlib.contextmanager
def running_postgres(bin_dir: Path | None = None) -> Iterator[str]:
    """Start a fresh server for the block and yield its DSN; stop it and delete its files afterwards."""
    bin_dir = bin_dir or find_bin_dir()
    user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="compat-pg-"))
    try:
        password = secrets.token_hex(16)
        _prepare(root, password, user)
        _run(user, bin_dir / "initdb", *_initdb_args(root), "--pwfile", str(root / "pwfile"))
        port = _free_port()
        try:
            _run(user, bin_dir / "pg_ctl", *_start_args(root, port))
        except RuntimeError as exc:
            log = root / "server.log"
            raise RuntimeError(f"{exc}\nserver log:\n{log.read_text() if log.exists() else '(none)'}") from None
        try:
            yield f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"
        finally:
            _run(user, bin_dir / "pg_ctl", "stop", "-D", str(root / "data"), "-m", "immediate", "-w")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _server_user() -> str | None:
    """Who runs the server commands: ``None`` for ourselves, or an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresNotFound(f"running as root and none of the users {SERVER_USERS} exists to run PostgreSQL")


def _prepare(root: Path, password: str, user: str | None) -> None:
    (root / "pwfile").write_text(password + "\n")
    (root / "sockets").mkdir()
    if user is None:
        return
    for path in (root, root / "pwfile", root / "sockets"):
        shutil.chown(path, user=user, group=pwd.getpwnam(user).pw_gid)


def _initdb_args(root: Path) -> list[str]:
    return [
        "-D",
        str(root / "data"),
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
    ]


def _start_args(root: Path, port: int) -> list[str]:
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {root / 'sockets'}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    log = root / "server.log"
    return ["start", "-D", str(root / "data"), "-l", str(log), "-o", options, "-w", "-t", "60"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(user: str | None, program: Path, *args: str) -> None:
    command = [str(program), *args]
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    logger.debug("running %s", command)
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=START_TIMEOUT_SECONDS, check=False, cwd="/"
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
