"""What every controller shares: one call into the HTTP core per endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Optional

from .. import _validate

if TYPE_CHECKING:
    from .._http import HttpCore
    from ..documents import Document


class BaseController:
    """A controller is a namespace of endpoints over the client's :class:`HttpCore`.

    Errors any endpoint may raise, besides those its docstring names: ``ValidationError``
    for bad input (raised before anything is sent), ``AuthenticationError`` for wrong
    credentials, and, once the call's retries are spent, ``RateLimitError``, ``ServerError``,
    ``APIConnectionError`` or ``APITimeoutError``. A create (send, purchase, new record) is
    never retried once it may have reached Flowroute: its error then has
    ``outcome_unknown=True``.
    """

    def __init__(self, core: HttpCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_uri={self._core.base_uri!r}>"

    # The verbs return the decoded document (None for an empty body); each endpoint casts it
    # to its type in ``documents``, which is imported only for type checkers.

    def _get(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Optional[Document]:
        return self._core.request("GET", path, params=params)

    def _post(
        self,
        path: str,
        body: Optional[Mapping[str, Any]] = None,
        *,
        create: bool,
        send_kind: Optional[str] = None,
    ) -> Optional[Document]:
        """POST. ``create=True`` marks a call that must never happen twice (no blind retry)."""
        return self._core.request("POST", path, body=body, create=create, send_kind=send_kind)

    def _patch(self, path: str, body: Optional[Mapping[str, Any]] = None) -> Optional[Document]:
        return self._core.request("PATCH", path, body=body)

    def _delete(self, path: str) -> Optional[Document]:
        return self._core.request("DELETE", path)

    def _no_content(self, method: str, path: str, body: Optional[Mapping[str, Any]] = None) -> None:
        """A call that answers 204. Each one sets state, so it is retried like any idempotent
        call (even the POSTs)."""
        self._core.request(method, path, body=body)

    def _set_did_dlr_callback(self, number_id: _validate.IdLike, url: str, what: str) -> None:
        """One endpoint under two v3 names: ``numbers.set_did_callback`` and
        ``messages.set_did_level_dlr_callback``."""
        number = _validate.phone_number(number_id)
        body = _validate.did_callback_body(url, what)
        self._no_content("POST", f"/v2/numbers/{number}/relationships/dlr_callback", body)
