"""Misbehaviour on cue: the sandbox's fault controls (fail, delay, drop the next requests)."""

from __future__ import annotations

import fnmatch
import json
import threading
from dataclasses import dataclass
from typing import Any, Optional, Union

from ._app import Response, error_response


@dataclass
class _Rule:
    kind: str
    method: str
    path: str
    times: int
    status: int = 0
    retry_after: Optional[str] = None
    body: Any = None
    seconds: float = 0.0
    after_processing: bool = False

    def matches(self, method: str, path: str) -> bool:
        method_ok = self.method == "*" or self.method == method
        return method_ok and (self.path == path or fnmatch.fnmatchcase(path, self.path))


@dataclass
class Planned:
    """What the fault layer does to one request."""

    delay: float = 0.0
    fail: Optional[Response] = None
    drop: bool = False
    drop_after: bool = False


class Faults:
    """Misbehaviour on cue for the next matching requests.

    ``method`` is an HTTP method (or ``"*"``); ``path`` is the request path, exactly or as an
    ``fnmatch`` glob (``"/v2/numbers/*"``). Each rule applies to the next ``times`` matching
    requests, then disappears. A delay combines with a failure or a drop. Faults apply to CDR
    download URLs (``"/_sandbox/cdr-files/*"``) as well as to the API.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Rule] = []

    def fail_next(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        retry_after: Union[int, float, str, None] = None,
        body: Any = None,
    ) -> None:
        """Answer ``status`` without touching state (with ``Retry-After`` if given).

        ``body`` is a dict (sent as JSON), a str or bytes; by default the API's error document.
        """
        if not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code, got {status}")
        header = None if retry_after is None else _retry_after(retry_after)
        self._add(_Rule("fail", method.upper(), path, times, status, header, body))

    def delay_next(self, method: str, path: str, seconds: float, *, times: int = 1) -> None:
        """Wait ``seconds`` before handling the request."""
        if seconds < 0:
            raise ValueError("seconds must be 0 or more")
        self._add(_Rule("delay", method.upper(), path, times, seconds=seconds))

    def drop_next(
        self, method: str, path: str, *, times: int = 1, after_processing: bool = False
    ) -> None:
        """Close the connection with no response.

        With ``after_processing=True`` the request is applied to the sandbox's state first:
        the client cannot tell whether it took effect (the "ambiguous outcome" case).
        """
        self._add(_Rule("drop", method.upper(), path, times, after_processing=after_processing))

    def clear(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self._rules.clear()

    @property
    def pending(self) -> int:
        """How many faults are still waiting for a request."""
        with self._lock:
            return sum(r.times for r in self._rules)

    def _add(self, rule: _Rule) -> None:
        if rule.times < 1:
            raise ValueError("times must be 1 or more")
        with self._lock:
            self._rules.append(rule)

    def plan(self, method: str, path: str) -> Planned:
        planned = Planned()
        with self._lock:
            delay = self._take(method, path, ("delay",))
            action = self._take(method, path, ("fail", "drop"))
        if delay is not None:
            planned.delay = delay.seconds
        if action is not None and action.kind == "drop":
            planned.drop, planned.drop_after = True, action.after_processing
        elif action is not None:
            planned.fail = _fault_response(action)
        return planned

    def _take(self, method: str, path: str, kinds: tuple[str, ...]) -> Optional[_Rule]:
        for rule in self._rules:
            if rule.kind in kinds and rule.matches(method, path):
                rule.times -= 1
                if rule.times == 0:
                    self._rules.remove(rule)
                return rule
        return None


def _retry_after(value: Union[int, float, str]) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value)


def _fault_response(rule: _Rule) -> Response:
    headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
    if rule.body is None:
        return error_response(rule.status, f"Injected fault: {rule.status}.", headers)
    if isinstance(rule.body, (dict, list)):
        body = json.dumps(rule.body).encode()
        return Response(rule.status, body, {"Content-Type": "application/json", **headers})
    raw = rule.body.encode() if isinstance(rule.body, str) else bytes(rule.body)
    return Response(rule.status, raw, {"Content-Type": "text/plain", **headers})
