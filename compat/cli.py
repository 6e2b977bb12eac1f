"""``assistants-compat``: the command-line entry point."""

from __future__ import annotations

import argparse
import os
import sys

from .demo import run_streaming_weather, run_weather, weather_client


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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
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
