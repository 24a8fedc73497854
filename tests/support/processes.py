"""Starting the processes the tests send Ctrl-C to."""

from __future__ import annotations

import signal
from typing import Callable, Optional


def ctrl_c_restored() -> Optional[Callable[[], None]]:
    """The ``preexec_fn`` for a process that must stop on SIGINT, as it does in a terminal.

    A test run started with Ctrl-C ignored (``nohup``, a background job of a script) passes
    that on to every process it starts, which would then ignore the tests' SIGINT; otherwise
    nothing is needed (and ``preexec_fn`` is best avoided in a process with threads).
    """
    return _default_sigint if signal.getsignal(signal.SIGINT) is signal.SIG_IGN else None


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
