"""The package's public names are exactly the ones we mean to export."""

from __future__ import annotations

import inspect
import re

import flowroutenumbersandmessaging
from flowroutenumbersandmessaging import documents, exceptions, models
from flowroutenumbersandmessaging.controllers import (
    CDRsController,
    CNAMsController,
    E911sController,
    MessagesController,
    NumbersController,
    PortingController,
    RoutesController,
)

INTENDED = {
    "FlowroutenumbersandmessagingClient",
    "RetryPolicy",
    "Timeout",
    "__version__",
    "paginate",
    # errors
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
    # models
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
}


def test_all_is_sorted_and_is_the_intended_set():
    names = flowroutenumbersandmessaging.__all__
    assert names == sorted(names)
    assert len(names) == len(set(names))
    assert set(names) == INTENDED


def test_every_name_in_all_exists():
    for name in flowroutenumbersandmessaging.__all__:
        assert hasattr(flowroutenumbersandmessaging, name), name


def test_star_import_gives_exactly_all():
    namespace: dict = {}
    exec("from flowroutenumbersandmessaging import *", namespace)
    namespace.pop("__builtins__")
    assert set(namespace) == INTENDED


def test_every_error_class_is_exported_from_the_package_root():
    error_classes = {
        name
        for name in exceptions.__all__
        if inspect.isclass(getattr(exceptions, name))
        and issubclass(getattr(exceptions, name), BaseException)
    }
    assert error_classes <= set(flowroutenumbersandmessaging.__all__)
    for name in error_classes:
        assert getattr(flowroutenumbersandmessaging, name) is getattr(exceptions, name)


def test_exceptions_all_names_exist_and_are_sorted():
    for name in exceptions.__all__:
        assert hasattr(exceptions, name), name
    assert exceptions.__all__ == sorted(exceptions.__all__)


def test_documents_all_is_sorted_and_every_name_exists():
    assert documents.__all__ == sorted(documents.__all__)
    for name in documents.__all__:
        assert hasattr(documents, name), name


def test_every_model_is_exported_from_the_package_root():
    for name in models.__all__:
        assert hasattr(models, name), name
        assert getattr(flowroutenumbersandmessaging, name) is getattr(models, name)


def test_version_is_a_dotted_string():
    version = flowroutenumbersandmessaging.__version__
    assert isinstance(version, str)
    assert all(part.isdigit() for part in version.split(".")[:3])


def test_seed_import_path_still_works():
    from flowroutenumbersandmessaging.flowroutenumbersandmessaging_client import (
        FlowroutenumbersandmessagingClient,
    )

    assert FlowroutenumbersandmessagingClient is (
        flowroutenumbersandmessaging.FlowroutenumbersandmessagingClient
    )


def test_client_has_one_controller_per_resource(client):
    expected = {
        "numbers": NumbersController,
        "routes": RoutesController,
        "messages": MessagesController,
        "e911s": E911sController,
        "cnams": CNAMsController,
        "cdrs": CDRsController,
        "porting": PortingController,
    }
    for attribute, controller in expected.items():
        assert isinstance(getattr(client, attribute), controller), attribute


# The first line of a method's docstring ends with the request it sends.
ROUTE = re.compile(r"``(GET|POST|PUT|PATCH|DELETE) /v2(\.1)?/[a-z0-9_/{}]+``$")


def test_every_controller_method_docstring_says_what_it_sends_returns_and_raises(client):
    for attribute in ("numbers", "routes", "messages", "e911s", "cnams", "cdrs", "porting"):
        controller = type(getattr(client, attribute))
        for name, method in inspect.getmembers(controller, inspect.isfunction):
            if name.startswith("_"):
                continue
            doc = inspect.getdoc(method) or ""
            first_line = doc.splitlines()[0] if doc else ""
            where = f"{attribute}.{name}"
            assert ROUTE.search(first_line) or "nothing is sent" in first_line, where
            assert "return" in doc.lower() and "raise" in doc.lower(), where


def test_client_paginate_is_the_package_paginate_signature():
    client_signature = inspect.signature(
        flowroutenumbersandmessaging.FlowroutenumbersandmessagingClient.paginate
    )
    assert list(client_signature.parameters)[1:] == list(
        inspect.signature(flowroutenumbersandmessaging.paginate).parameters
    )
