"""``flowroute``: the command line for everyday Flowroute work.

Installed with the ``cli`` extra (``pip install "flowroutenumbersandmessaging[cli]"``), which
brings click and rich. This module imports neither, so that ``flowroute`` on an install without
the extra can say in one line how to get it, instead of failing with a traceback.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

__all__ = ["INSTALL_HINT", "main"]

INSTALL_HINT = (
    "the flowroute command needs the cli extra; install it with: "
    'pip install "flowroutenumbersandmessaging[cli]"'
)
_EXTRA = ("click", "rich")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run ``flowroute`` with ``argv`` (default: the process's arguments); the exit status.

    0 on success, 1 when the API or the network failed, 2 for a usage error (bad flags, bad
    input caught before anything is sent, missing credentials), 130 on Ctrl-C.
    """
    try:
        from ._app import run
    except ModuleNotFoundError as error:
        if error.name not in _EXTRA:
            raise
        return _fail(INSTALL_HINT, 1)
    except KeyboardInterrupt:  # while importing, before click can see it
        return _fail("interrupted", 130)
    return run(argv)


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"error: {message}\n")
    return status
