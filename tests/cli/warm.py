"""Runs ``flowroute`` commands as forks of one warmed-up interpreter, for the tests.

A cold start imports requests, click and the SDK again for every command: on a 2-core machine
that alone costs a few hundred milliseconds of CPU, and the suite runs dozens of commands. This
process imports them once; each command then runs in a fork of it, a separate process with its
own arguments, environment, stdout, stderr, signals and exit status, calling the same ``main``
the ``flowroute`` console script calls. A handful of tests still start the real console script
cold, so the start-up path is covered too.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout.
``{"argv": [...], "env": {...}, "out": path, "err": path}`` forks a command and answers
``{"pid": N}``; ``{"wait": N, "timeout": seconds}`` answers ``{"code": status}`` once it ended
(killed and ``-9`` after the timeout).
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import time
from typing import Any

# What a command may use, imported before any fork.
import rich.console
import rich.progress
import rich.table  # noqa: F401

import flowroutenumbersandmessaging.cli._app  # noqa: F401
from flowroutenumbersandmessaging.cli import main


def spawn(argv: list[str], env: dict[str, str], out: str, err: str) -> int:
    pid = os.fork()
    if pid:
        return pid
    # The child becomes the command and never returns into serve().
    os.environ.clear()
    os.environ.update(env)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    for fd, path in ((1, out), (2, err)):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
    try:
        code = main(argv)
    except SystemExit as done:  # argparse, inside `flowroute sandbox`
        code = done.code if isinstance(done.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    # The exit handlers (a coverage measurement of this process saves its data there), but not
    # the rest of an interpreter's shutdown, which would cost more than the command itself.
    atexit._run_exitfuncs()
    os._exit(code)


def wait(pid: int, timeout: float) -> int:
    give_up = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > give_up:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -9
        time.sleep(0.005)


def serve() -> None:
    for line in sys.stdin:
        request: dict[str, Any] = json.loads(line)
        if "wait" in request:
            reply = {"code": wait(request["wait"], request["timeout"])}
        else:
            reply = {"pid": spawn(**request)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
