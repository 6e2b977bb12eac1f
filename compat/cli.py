"""``assistants-compat``: the command-line entry point."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .check import fix_file, python_files, scan_file
from .demo import run_streaming_weather, run_weather, weather_client
from .doctor import Options, diagnose, failed, format_table
from .emulator import ScriptError

if TYPE_CHECKING:
    from .check import Finding


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistants-compat",
        description="Keep OpenAI Assistants API code running on the Responses and Conversations APIs.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser(
        "demo",
        help="run the Assistants function-calling weather example through the shim",
        description=(
            "Run the weather example of the Assistants function-calling guide through compat.OpenAI, "
            "polling and then streaming. Offline by default (in-process emulator, temporary SQLite store)."
        ),
    )
    demo.add_argument(
        "--live",
        action="store_true",
        help="talk to OpenAI with OPENAI_API_KEY and the default store instead of the offline emulator",
    )
    _serve_parser(commands)
    _check_parser(commands)
    _doctor_parser(commands)
    _import_parser(commands)
    return parser


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the legacy Assistants REST API (any language's legacy code, OPENAI_BASE_URL=.../v1)",
        description=(
            "Serve the legacy Assistants REST API and SSE streams over the Responses and Conversations APIs, "
            "with the callers' own credentials; every other /v1 path is forwarded to the upstream. "
            "Needs the server extra: pip install 'assistants-compat[server]'."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument(
        "--upstream",
        metavar="URL",
        help="the OpenAI API to call (default: $COMPAT_UPSTREAM_URL or https://api.openai.com/v1)",
    )
    serve.add_argument("--workers", type=int, default=1, help="worker processes (share state: use PostgreSQL)")
    serve.add_argument(
        "--store", metavar="URL", help="the state store (default: $COMPAT_STORE_URL or the default SQLite file)"
    )
    serve.add_argument(
        "--emulator",
        action="store_true",
        help="use an offline emulator of the Responses and Conversations APIs as the upstream",
    )
    serve.add_argument("--script", metavar="FILE", help="with --emulator: a JSON list of model turns to play first")
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow browser calls from ORIGIN (repeatable; default: no CORS)",
    )
    serve.add_argument("--max-body-bytes", type=int, help="largest request body accepted (default: 32 MiB)")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.script and not args.emulator:
        parser.error("--script needs --emulator")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    try:
        from .server._config import ServerConfig
        from .server._run import RunOptions, run
    except ImportError as exc:
        print(f"assistants-compat serve needs the server extra: pip install 'assistants-compat[server]' ({exc})")
        return 2

    config = ServerConfig.from_env()
    config = replace(
        config,
        upstream=args.upstream or config.upstream,
        store_url=args.store or config.store_url,
        cors_origins=tuple(args.cors_origin) or config.cors_origins,
        max_body_bytes=args.max_body_bytes or config.max_body_bytes,
    )
    options = RunOptions(
        host=args.host,
        port=args.port,
        workers=args.workers,
        emulator=args.emulator,
        script=Path(args.script) if args.script else None,
        log_level=args.log_level,
    )
    try:
        run(config, options, echo=lambda line: print(f"assistants-compat: {line}", file=sys.stderr))
    except ScriptError as exc:
        print(f"assistants-compat serve: {exc}", file=sys.stderr)
        return 2
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="report what the shim does with each argument of the legacy Assistants calls in Python sources",
        description=(
            "Scan Python files (and directories) for legacy Assistants calls (client.beta.assistants..., "
            "client.beta.threads...) and print, per argument, file:line: method parameter — native | emulated "
            "(how) | unsupported (why), from the shim's parameter table. Exit status 1 when an unsupported "
            "argument is used, 2 when a file cannot be read."
        ),
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="Python files or directories to scan")
    check.add_argument(
        "--fix",
        action="store_true",
        help="first rewrite the OpenAI client imports to use compat, in place, printing each change",
    )


def _check(args: argparse.Namespace) -> int:

    unreadable = 0
    findings: list[Finding] = []
    files = python_files(Path(path) for path in args.paths)
    for path in files:
        try:
            if args.fix:
                for change in fix_file(path):
                    print(f"{path}:{change}")
            findings += scan_file(path)
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as error:
            print(f"{path}: cannot check: {error}", file=sys.stderr)
            unreadable += 1
    for finding in findings:
        print(finding)
    counts = Counter(finding.handling.value if finding.handling else "unknown" for finding in findings)
    summary = ", ".join(f"{counts[word]} {word}" for word in ("native", "emulated", "unsupported", "unknown"))
    print(f"{_plural(len(findings), 'argument')} of legacy calls in {_plural(len(files), 'file')}: {summary}")
    if unreadable:
        return 2
    return 1 if counts["unsupported"] else 0


def _doctor_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check the upstream, the store and the stored assistants' models",
        description=(
            "Check that this setup can run legacy Assistants code: the store (reachable, schema version, file "
            "permissions, tenant) and the upstream (key accepted, conversations, responses, streaming, every "
            "stored assistant's model available; retired models flagged with their replacement). Writes "
            "nothing but one conversation, deleted at once. Exit status 1 when a check fails."
        ),
    )
    doctor.add_argument(
        "--upstream", metavar="URL", help="the API to check (default: $OPENAI_BASE_URL or https://api.openai.com/v1)"
    )
    doctor.add_argument(
        "--store", metavar="URL", help="the state store (default: $COMPAT_STORE_URL or the default SQLite file)"
    )
    doctor.add_argument(
        "--emulator", action="store_true", help="check against the in-process emulator instead of an upstream"
    )
    doctor.add_argument("--tenant", metavar="NAME", help="the tenant to check (default: $COMPAT_TENANT)")
    doctor.add_argument("--model", metavar="NAME", help="the model of the response checks")


def _doctor(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:

    if args.emulator and args.upstream:
        parser.error("--emulator and --upstream exclude each other")
    options = Options(
        upstream=args.upstream, store=args.store, emulator=args.emulator, tenant=args.tenant, model=args.model
    )
    checks = diagnose(options)
    print(format_table(checks))
    failures = sum(check.status == "FAIL" for check in checks)
    print(f"doctor: {_plural(failures, 'check')} failed" if failures else "doctor: all checks passed")
    return 1 if failed(checks) else 0


def _import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = commands.add_parser(
        "import",
        help="bring saved legacy assistants, threads, messages, runs and steps back, with their ids",
        description=(
            "Import legacy Assistants objects saved as JSON or JSONL (objects as the API returned them, list "
            "pages of them, or assistants-thread-export/v1 files; directories are read recursively): assistants "
            "into the store, each thread into a new conversation with its messages, runs and steps as history. "
            "Their old ids keep working on every legacy method. A journal in the store makes it safe to run "
            "again: nothing is imported twice, and an interrupted import resumes. Exit status 1 when something "
            "failed, 2 when nothing could be started."
        ),
    )
    importer.add_argument("paths", nargs="+", metavar="PATH", help="JSON or JSONL files, or directories of them")
    importer.add_argument(
        "--store", metavar="URL", help="the state store (default: $COMPAT_STORE_URL or the default SQLite file)"
    )
    importer.add_argument("--tenant", metavar="NAME", help="the tenant to import into (default: $COMPAT_TENANT)")
    importer.add_argument(
        "--upstream", metavar="URL", help="the API to write to (default: $OPENAI_BASE_URL or https://api.openai.com/v1)"
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="read and validate, report what would be imported, write nothing"
    )
    importer.add_argument("--quiet", action="store_true", help="no progress line")


class _ProgressLine:
    """``import: 12/40 objects`` on stderr, rewritten in place; silent when stderr is not a terminal."""

    def __init__(self, *, quiet: bool) -> None:
        self.shown = not quiet and sys.stderr.isatty()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if self.shown:
            print(f"\rimport: {done}/{total} objects", end="", file=sys.stderr, flush=True)
            self.drawn = True

    def close(self) -> None:
        if self.drawn:
            print(file=sys.stderr)


def _counts(counter: Counter[str]) -> str:
    from .importer import KINDS

    return ", ".join(_plural(counter[kind], kind) for kind in KINDS)


def _import(args: argparse.Namespace) -> int:

    import openai

    from . import OpenAI
    from .importer import import_saved, read_paths
    from .store import open_store

    saved, bad_files = read_paths([Path(path) for path in args.paths])
    for bad in bad_files:
        print(f"assistants-compat import: {bad}", file=sys.stderr)
    try:
        store = open_store(args.store)
    except Exception as error:  # any backend's connection error (sqlite3, psycopg...), never a traceback
        print(f"assistants-compat import: cannot open the store: {error}", file=sys.stderr)
        return 2
    progress = _ProgressLine(quiet=args.quiet)
    try:
        with OpenAI(store=store, tenant=args.tenant, base_url=args.upstream or None) as client:
            report = import_saved(client, saved, dry_run=args.dry_run, progress=progress)
    except openai.OpenAIError as error:
        print(f"assistants-compat import: {error}", file=sys.stderr)
        return 2
    finally:
        progress.close()
        store.close()
    print(f"{'would import' if report.dry_run else 'imported'}: {_counts(report.imported)}")
    print(f"skipped (imported before): {_counts(report.skipped)}")
    print(f"failed: {_counts(report.failed)}, {_plural(len(bad_files), 'bad file')}")
    failures = [str(bad) for bad in bad_files] + report.failures
    for reason in failures:
        print(f"  {reason}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(parser, args)
    if args.command == "check":
        return _check(args)
    if args.command == "doctor":
        return _doctor(parser, args)
    if args.command == "import":
        return _import(args)
    if args.command != "demo":
        parser.print_help()
        return 2
    if args.live and not os.environ.get("OPENAI_API_KEY"):
        print("assistants-compat demo --live needs OPENAI_API_KEY", file=sys.stderr)
        return 2
    with weather_client(live=bool(args.live)) as client:
        print("== polling: runs.create_and_poll, runs.submit_tool_outputs_and_poll")
        messages = run_weather(client, echo=print)
        print("== streaming: runs.stream with an AssistantEventHandler, submit_tool_outputs_stream")
        streamed = run_streaming_weather(client, echo=print)
    return 0 if messages and streamed else 1


if __name__ == "__main__":
    sys.exit(main())
