"""The `clusterdir` command's entry point, also run as `python -m generator`.

Ctrl-C or SIGTERM while the program is still starting (importing MkDocs, folium, ICU takes a
moment) ends it at once with one line, before anything is done; `cli.main` then takes over.

`python -m generator` puts the working folder first on the module path: unless the package lives
there (a checkout), it is taken off before anything else is imported, so that a `yaml.py` that
anyone left in the folder a build runs in is never imported (as root, in CI). The `clusterdir`
command does not put it there at all.
"""

import os
import signal
import sys


def _starting(signum: int, frame: object) -> None:
    sys.stderr.write("clusterdir: interrupted\n")
    os._exit(130)  # nothing has been done yet: nothing to clean up


def _without_the_working_folder() -> None:
    """Take the working folder that `python -m` put first on the module path off it, unless
    this package was found there."""
    package_home = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    first = sys.path[0] if sys.path else None
    if first is None or sys.flags.safe_path or os.path.abspath(first) != os.getcwd():
        return
    if os.path.realpath(first) != os.path.realpath(package_home):
        del sys.path[0]


def run() -> None:
    """Run the command line and exit with its status."""
    _without_the_working_folder()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _starting)
    from generator.cli import main

    sys.exit(main(restore_signals=False))


if __name__ == "__main__":
    run()
