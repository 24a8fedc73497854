"""The no-leak invariant: canary credentials appear nowhere an error,
a repr, a pickle, a traceback or a log line could carry them."""

from __future__ import annotations

import base64
import dataclasses
import logging
import pickle
import traceback
import types
from collections.abc import Iterator, Mapping
from typing import Any

from flowroutenumbersandmessaging.exceptions import FlowrouteError
from tests.support.canary import ACCESS_KEY, SECRET_KEY

OTHER_ACCESS_KEY = "canaryBB2d81c"
OTHER_SECRET_KEY = "canarySB-77aa11-other-secret"


def basic_token(access_key: str, secret_key: str) -> str:
    return base64.b64encode(f"{access_key}:{secret_key}".encode()).decode()


CANARIES = (
    ACCESS_KEY,
    SECRET_KEY,
    basic_token(ACCESS_KEY, SECRET_KEY),
    OTHER_ACCESS_KEY,
    OTHER_SECRET_KEY,
    basic_token(OTHER_ACCESS_KEY, OTHER_SECRET_KEY),
)
_SKIP = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def strings_reachable(obj: Any) -> Iterator[tuple[str, str]]:
    """Every string reachable from ``obj`` through args, ``vars()``, slots, containers and the
    exception chain (``__context__``/``__cause__``), with the path that reached it."""
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [("error", obj)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, (str, bytes)):
            yield path, value if isinstance(value, str) else value.decode("latin-1")
            continue
        if value is None or isinstance(value, (int, float, bool, _SKIP)) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, BaseException):
            stack.append((f"{path}.args", value.args))
            stack.append((f"{path}.__context__", value.__context__))
            stack.append((f"{path}.__cause__", value.__cause__))
        if isinstance(value, Mapping):
            stack.extend((f"{path}[{k!r}]", k) for k in value)
            stack.extend((f"{path}[{k!r}]", v) for k, v in value.items())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        if dataclasses.is_dataclass(value) or hasattr(value, "__dict__"):
            stack.extend((f"{path}.{k}", v) for k, v in vars(value).items())
        for cls in type(value).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if hasattr(value, slot):
                    stack.append((f"{path}.{slot}", getattr(value, slot)))


def leaks_in(text: str) -> list[str]:
    return [c for c in CANARIES if c in text]


def assert_no_leak(error: BaseException, log_text: str = "") -> None:
    """Check every surface of ``error`` (and the captured log text) for canary credentials."""
    surfaces = {
        "str": str(error),
        "repr": repr(error),
        "args": repr(error.args),
        "traceback": "".join(
            traceback.format_exception(type(error), error, error.__traceback__, chain=True)
        ),
        # What Sentry-like reporters capture: the repr of every local in every frame.
        "traceback locals": "".join(
            traceback.TracebackException.from_exception(error, capture_locals=True).format()
        ),
        "logs": log_text,
    }
    for name, text in surfaces.items():
        assert not leaks_in(text), f"credential in {name}: {text[:2000]}"
    for path, text in strings_reachable(error):
        assert not leaks_in(text), f"credential reachable at {path}"
    if isinstance(error, FlowrouteError):
        data = pickle.dumps(error)
        assert not leaks_in(data.decode("latin-1")), "credential in pickle"
        copy = pickle.loads(data)
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert copy.outcome_unknown == error.outcome_unknown
        for attribute in ("response_code", "sent", "retry_after", "errors"):
            if hasattr(error, attribute):
                assert getattr(copy, attribute) == getattr(error, attribute)
        assert copy.context == error.context
        if error.context.request is not None:
            auth = {k.lower(): v for k, v in error.context.request.headers.items()}
            assert auth.get("authorization", "[redacted]") == "[redacted]"


def sdk_records(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.name.split(".")[0] == "flowroutenumbersandmessaging"]
