"""Python SDK for the Flowroute API: numbers, routes, SMS/MMS, E911, CNAM and CDR exports."""

from ._http import RetryPolicy, Timeout
from ._version import __version__
from .flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient

__all__ = [
    "FlowroutenumbersandmessagingClient",
    "RetryPolicy",
    "Timeout",
    "__version__",
]
