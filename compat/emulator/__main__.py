"""``python -m compat.emulator --port N``: serve the emulator in the foreground."""

from __future__ import annotations

import argparse
import logging

from ._emulator import Emulator
from ._server import make_server

logger = logging.getLogger("compat.emulator")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m compat.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--background-polls", type=int, default=1)
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    httpd = make_server(Emulator(background_polls=args.background_polls), args.host, args.port)
    logger.info("emulator listening on http://%s:%s/v1", *httpd.server_address[:2])
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        logger.info("stopping")
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
