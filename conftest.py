"""Before any test: run the suite in parallel, and say in one line what to install when the test
extra is missing.

Without the extra pytest would stop on the ``--numprocesses`` of ``addopts`` in pyproject.toml
(an unknown option without pytest-xdist), on the ``timeout`` setting (without pytest-timeout)
with a long internal error, or on the first test module that imports hypothesis or trustme.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

# What the suite needs beyond pytest: the pytest plugins (by the name pytest registers them
# under) and the libraries (by module), each with the distribution that provides it.
_PLUGINS = {"timeout": "pytest-timeout", "xdist": "pytest-xdist"}
_LIBRARIES = {"hypothesis": "hypothesis", "trustme": "trustme", "click": "click", "rich": "rich"}

# The suite keeps compiled modules (in the checkout's git-ignored __pycache__ folders) even where
# PYTHONDONTWRITEBYTECODE is set: without them every test process rewrites the asserts of every
# test module again (about 2.5 s each) and every interpreter a test starts compiles the SDK again.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# Test processes for ``--numprocesses=auto``: most tests wait on loopback sockets, subprocesses
# and timers rather than compute, so one more worker than there are CPUs keeps every CPU busy.
_EXTRA_WORKERS = 1


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if not pluginmanager.hasplugin("xdist"):
        # Accept the option addopts gives, so that pytest_configure can say what is missing.
        parser.addoption("--numprocesses")


def pytest_configure(config: pytest.Config) -> None:
    missing = [dist for name, dist in _PLUGINS.items() if not config.pluginmanager.hasplugin(name)]
    missing += [dist for name, dist in _LIBRARIES.items() if importlib.util.find_spec(name) is None]
    if missing:
        raise pytest.UsageError(
            f"the test suite needs {', '.join(missing)} from the test extra: install it with "
            f"{sys.executable} -m pip install -e '.[test]' (from the repository), then run "
            "the tests again"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist reads it
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return (len(usable) if usable else os.cpu_count() or 1) + _EXTRA_WORKERS
