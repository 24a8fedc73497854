"""Python SDK for the Flowroute API: numbers, routes, SMS/MMS, E911, CNAM and CDR exports.

Every name in ``__all__`` is importable from here, but each module is loaded only when one
of its names is first used, so ``import flowroutenumbersandmessaging`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._config import RetryPolicy, Timeout
    from .exceptions import (
        APIConnectionError,
        APIException,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        CDRDownloadError,
        CDRLocalFileError,
        ErrorException,
        FlowrouteError,
        InvalidResponseError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ResponseTooLargeError,
        ServerError,
        UnexpectedRedirectError,
        UnprocessableEntityError,
        ValidationError,
    )
    from .flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient
    from .models import (
        AreaCode,
        CDRExport,
        CDRRow,
        CNAMRecord,
        DeliveryReceipt,
        E911Address,
        EdgeStrategy,
        Exchange,
        Media,
        Message,
        PhoneNumber,
        Portability,
        Route,
        parse_list,
    )
    from .pagination import paginate

# Where each public name lives.
_HOMES = {
    "._config": ("RetryPolicy", "Timeout"),
    ".exceptions": (
        "APIConnectionError",
        "APIException",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "CDRDownloadError",
        "CDRLocalFileError",
        "ErrorException",
        "FlowrouteError",
        "InvalidResponseError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitError",
        "ResponseTooLargeError",
        "ServerError",
        "UnexpectedRedirectError",
        "UnprocessableEntityError",
        "ValidationError",
    ),
    ".flowroutenumbersandmessaging_client": ("FlowroutenumbersandmessagingClient",),
    ".models": (
        "AreaCode",
        "CDRExport",
        "CDRRow",
        "CNAMRecord",
        "DeliveryReceipt",
        "E911Address",
        "EdgeStrategy",
        "Exchange",
        "Media",
        "Message",
        "PhoneNumber",
        "Portability",
        "Route",
        "parse_list",
    ),
    ".pagination": ("paginate",),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "APIConnectionError",
    "APIException",
    "APITimeoutError",
    "AreaCode",
    "AuthenticationError",
    "BadRequestError",
    "CDRDownloadError",
    "CDRExport",
    "CDRLocalFileError",
    "CDRRow",
    "CNAMRecord",
    "DeliveryReceipt",
    "E911Address",
    "EdgeStrategy",
    "ErrorException",
    "Exchange",
    "FlowrouteError",
    "FlowroutenumbersandmessagingClient",
    "InvalidResponseError",
    "Media",
    "Message",
    "NotFoundError",
    "PermissionDeniedError",
    "PhoneNumber",
    "Portability",
    "RateLimitError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "Route",
    "ServerError",
    "Timeout",
    "UnexpectedRedirectError",
    "UnprocessableEntityError",
    "ValidationError",
    "__version__",
    "paginate",
    "parse_list",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
