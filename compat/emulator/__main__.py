"""``python -m compat.emulator --port N [--script FILE]``: serve the emulator in the foreground.

With ``--script``, the responses play the script's turns in order (see ``compat.emulator._script``), then
the rule-based default model answers.
"""

from __future__ import annotations

import argparse
import logging

from ._emulator import Emulator
from ._script import ScriptError, load_script
from ._server import make_server

logger = logging.getLogger("compat.emulator")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m compat.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--background-polls", type=int, default=1)
    parser.add_argument("--script", metavar="FILE", help="a JSON list of model turns to play first, in order")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    emulator = Emulator(background_polls=args.background_polls)
    if args.script:
        try:
            emulator.queue(*load_script(args.script))
        except ScriptError as exc:
            parser.exit(2, f"python -m compat.emulator: {exc}\n")
    httpd = make_server(emulator, args.host, args.port)
    logger.info("emulator listening on http://%s:%s/v1", *httpd.server_address[:2])
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        logger.info("stopping")
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
