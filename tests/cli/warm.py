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
import importlib
import json
import os
import pkgutil
import signal
import sys
import time
from typing import Any

import flowroutenumbersandmessaging
from flowroutenumbersandmessaging.cli import main

# What a command may use, imported once before any fork. The package loads most of its modules
# (the client with requests, the controllers, the models) and the libraries it parses with on
# first use, which in a fork would mean on every command, at a few hundred milliseconds each.
PRELOAD = ["dateutil.parser", "email.utils", "rich.console", "rich.progress", "rich.table"]
PRELOAD += [
    module.name
    for module in pkgutil.walk_packages(
        flowroutenumbersandmessaging.__path__, "flowroutenumbersandmessaging."
    )
    if not module.name.endswith(("__main__", "pytest_plugin"))
]
for name in PRELOAD:
    importlib.import_module(name)


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
