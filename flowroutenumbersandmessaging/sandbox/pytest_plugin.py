"""pytest fixtures that run your tests against a local Flowroute sandbox.

The package registers this module as a ``pytest11`` plugin, so once it is installed the
fixtures are available in any test suite, with no import::

    def test_welcome_text_is_sent(flowroute_client, flowroute_sandbox):
        my_app.send_welcome(flowroute_client, "12065550100")
        (sent,) = [r for r in flowroute_sandbox.requests if r.path == "/v2.1/messages"]
        assert sent.json["data"]["attributes"]["body"].startswith("Welcome")

Fixtures (each test gets a fresh sandbox, so state never leaks between tests):

``flowroute_sandbox``
    A running :class:`~flowroutenumbersandmessaging.sandbox.Sandbox`: ``base_uri``,
    ``requests``, ``faults``, ``webhooks``, ``receive_sms(...)``, ``approve_cnam(...)``...
``flowroute_client``
    A ``FlowroutenumbersandmessagingClient`` pointed at it (``flowroute_sandbox.client()``).
``flowroute_sandbox_options``
    The keyword arguments given to ``Sandbox(...)``; override it in a ``conftest.py`` to set
    credentials, ``cnam_approval_seconds``, ``request_log_size``, ``webhook_retry_delays``...::

        @fixture
        def flowroute_sandbox_options():
            return {"cnam_approval_seconds": 0}

Without the installed entry point (a source checkout), enable the plugin with
``pytest -p flowroutenumbersandmessaging.sandbox.pytest_plugin`` or
``pytest_plugins = ["flowroutenumbersandmessaging.sandbox.pytest_plugin"]`` in the root
``conftest.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

# Installing the package registers this plugin in every pytest run of the environment, so
# importing it loads nothing but pytest: the sandbox and the SDK are imported by the fixtures.
if TYPE_CHECKING:
    from ..flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient
    from . import Sandbox

    # mypy checks the package as Python 3.9 and cannot parse current pytest's own sources
    # (they use ``match``), so it sees this signature instead of following the import.
    def fixture(function: _F) -> _F: ...

else:
    from pytest import fixture


@fixture
def flowroute_sandbox_options() -> dict[str, Any]:
    """Keyword arguments for ``Sandbox(...)``; override to configure the sandbox."""
    return {}


@fixture
def flowroute_sandbox(flowroute_sandbox_options: dict[str, Any]) -> Iterator[Sandbox]:
    """A fresh running sandbox for one test."""
    from . import Sandbox

    with Sandbox(**flowroute_sandbox_options) as sandbox:
        yield sandbox


@fixture
def flowroute_client(
    flowroute_sandbox: Sandbox,
) -> Iterator[FlowroutenumbersandmessagingClient]:
    """An SDK client for ``flowroute_sandbox``, closed after the test."""
    client = flowroute_sandbox.client()
    yield client
    client.close()
