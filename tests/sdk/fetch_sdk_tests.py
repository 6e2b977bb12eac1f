"""Fetch the installed openai SDK's source distribution, whose legacy resource tests ``tests/sdk`` runs.

A setup step, as installing packages is (``.ci/run`` runs it before the tests; run it once by hand to
include those tests locally)::

    python tests/sdk/fetch_sdk_tests.py

``pip download openai==<installed version> --no-binary :all: --no-deps`` from the package index into
``$XDG_CACHE_HOME/assistants-compat/openai-sdist/<version>/`` (``~/.cache/...``); nothing is done when it is
there already. The tests themselves never download anything: they read that cache.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DOWNLOAD_TIMEOUT = 300


def cache_dir(version: str) -> Path:
    """Where the sdist of openai ``version`` is kept."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "assistants-compat" / "openai-sdist" / version


def cached_sdist(version: str) -> Path | None:
    """The cached sdist of openai ``version``, if it was fetched."""
    cached = sorted(cache_dir(version).glob("openai-*.tar.gz"))
    return cached[0] if cached else None


def fetch(version: str) -> Path:
    """The sdist of openai ``version``, downloaded into the cache unless it is there; ``RuntimeError`` if not."""
    found = cached_sdist(version)
    if found is not None:
        return found
    cache = cache_dir(version)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as download:
        command = [sys.executable, "-m", "pip", "download", f"openai=={version}"]
        command += ["--no-binary", ":all:", "--no-deps", "--disable-pip-version-check", "-q", "-d", download]
        done = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT, check=False)
        archives = sorted(Path(download).glob("openai-*.tar.gz"))
        if done.returncode != 0 or not archives:
            raise RuntimeError(f"pip download openai=={version} failed:\n{done.stderr[-2000:]}")
        target = cache / archives[0].name
        os.replace(archives[0], target)  # atomic: a concurrent run sees the whole file or none
    return target


def main() -> int:
    """Fetch the sdist of the installed openai; exit status 1 when it cannot be had."""
    version = importlib.metadata.version("openai")
    try:
        path = fetch(version)
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"fetch_sdk_tests: {error}", file=sys.stderr)
        return 1
    print(f"fetch_sdk_tests: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
