"""The `clusterdir` command's entry point, also run as `python -m generator`.

Ctrl-C or SIGTERM while the program is still starting (importing MkDocs, folium, ICU takes a
moment) ends it at once with one line, before anything is done; `cli.main` then takes over.
"""

import os
import signal
import sys


def _starting(signum: int, frame: object) -> None:
    sys.stderr.write("clusterdir: interrupted\n")
    os._exit(130)  # nothing has been done yet: nothing to clean up


def run() -> None:
    """Run the command line and exit with its status."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _starting)
    from generator.cli import main

    sys.exit(main(restore_signals=False))


if __name__ == "__main__":
    run()
