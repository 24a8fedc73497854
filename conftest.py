"""Before any test: say in one line what to install when the test extra is missing.

Without it pytest stops on the ``timeout`` setting in pyproject.toml with a long internal error,
or on the first test module that imports hypothesis or trustme.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

# What the suite needs beyond pytest: a pytest plugin (by the name pytest registers it under)
# and the libraries (by module), each with the distribution that provides it.
_PLUGINS = {"timeout": "pytest-timeout"}
_LIBRARIES = {"hypothesis": "hypothesis", "trustme": "trustme", "click": "click", "rich": "rich"}


def pytest_configure(config: pytest.Config) -> None:
    missing = [dist for name, dist in _PLUGINS.items() if not config.pluginmanager.hasplugin(name)]
    missing += [dist for name, dist in _LIBRARIES.items() if importlib.util.find_spec(name) is None]
    if missing:
        raise pytest.UsageError(
            f"the test suite needs {', '.join(missing)} from the test extra: install it with "
            f"{sys.executable} -m pip install -e '.[test]' (from the repository), then run "
            "the tests again"
        )
