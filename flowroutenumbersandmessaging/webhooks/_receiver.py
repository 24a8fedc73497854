"""The receiver: a WSGI application that checks, parses, dedupes and dispatches callbacks."""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any, Callable, Iterable, Optional, Union

from ..exceptions import ValidationError
from ._events import (
    MAX_BODY_BYTES,
    Body,
    CDRExportEvent,
    DeliveryReceiptEvent,
    Event,
    InboundMessage,
    WebhookError,
    body_bytes,
    parse_webhook,
)
from ._stores import DedupeStore, MemoryDedupeStore
from ._tokens import Tokens, expected_tokens, matches

logger = logging.getLogger("flowroutenumbersandmessaging.webhooks")

_CONTENT_LENGTH = re.compile(r"[0-9]{1,19}")
_CHUNK = 64 * 1024
_ANSWERS = {
    200: "ok",
    400: "not a Flowroute callback",
    403: "forbidden",
    405: "POST only",
    409: "this callback is being handled; post it again later",
    413: f"the body is over {MAX_BODY_BYTES} bytes",
    500: "not handled; post it again later",
}

Handler = Callable[[Any], object]


class WebhookReceiver:
    """Receives Flowroute's callbacks and hands your handlers typed events.

    A WSGI application (serve it with any WSGI server, or mount it in Flask or Django), and
    :meth:`handle` for frameworks that hand you the body and the URL. Each callback is answered:

    ========  ==============================================================================
    200       handled; or a duplicate of a callback already handled (the handler is not
              called again); or a kind with no handler configured (accepted and ignored)
    400       not a well-formed callback
    403       tokens are configured and the URL has none of them (checked before the body
              is read)
    405       not a POST (with ``Allow: POST``)
    409       the same callback is being handled right now: Flowroute will post it again
    413       the body is over 1 MiB (from ``Content-Length``, or while reading; never more
              than that is read)
    500       the handler raised (logged, without the body) or the dedupe store failed;
              the claim is released so that Flowroute's next post is handled
    ========  ==============================================================================

    Args:
        on_message: called with each :class:`InboundMessage` (inbound SMS and MMS).
        on_receipt: called with each :class:`DeliveryReceiptEvent`.
        on_cdr_export: called with each :class:`CDRExportEvent`.
        tokens: a token or tokens (see :func:`add_token`); a callback must carry one of
            them. None accepts callbacks without a token.
        store: a dedupe store shared by every process that receives the same callbacks;
            a new :class:`MemoryDedupeStore` by default.

    Handlers run on the thread serving the request (several at once on a threaded server).
    They must be quick, as Flowroute waits for the answer, and idempotent: a handler that did
    part of its work and then raised runs again on the re-post.
    """

    def __init__(
        self,
        on_message: Optional[Callable[[InboundMessage], object]] = None,
        on_receipt: Optional[Callable[[DeliveryReceiptEvent], object]] = None,
        on_cdr_export: Optional[Callable[[CDRExportEvent], object]] = None,
        tokens: Optional[Tokens] = None,
        store: Optional[DedupeStore] = None,
    ) -> None:
        handlers: dict[type, Optional[Handler]] = {
            InboundMessage: on_message,
            DeliveryReceiptEvent: on_receipt,
            CDRExportEvent: on_cdr_export,
        }
        names = ("on_message", "on_receipt", "on_cdr_export")
        for name, handler in zip(names, handlers.values()):
            if handler is not None and not callable(handler):
                raise ValidationError(f"{name} must be callable, not {type(handler).__name__}")
        if store is not None:
            missing = [m for m in ("claim", "is_done", "done", "release") if not hasattr(store, m)]
            if missing:
                raise ValidationError(f"store must have {', '.join(missing)}")
        self._handlers = handlers
        self._tokens = None if tokens is None else expected_tokens(tokens)
        self._store: DedupeStore = store if store is not None else MemoryDedupeStore()

    def __repr__(self) -> str:
        tokens = "none" if self._tokens is None else len(self._tokens)
        return f"<WebhookReceiver tokens={tokens} store={self._store!r}>"

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        status = self._serve(environ)
        body = f"{_ANSWERS[status]}\n".encode()
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ]
        if status == 405:
            headers.append(("Allow", "POST"))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [body]

    def handle(self, body: Body, url: str) -> int:
        """Handle one POSTed callback; returns the HTTP status to answer.

        ``body`` is the request body as received (bytes, or text); ``url`` the URL as
        requested, absolute or its path and query (it carries the token).
        """
        if not self._authorized(url):
            return 403
        try:
            data = body_bytes(body)
        except WebhookError:
            return 400
        if len(data) > MAX_BODY_BYTES:
            return 413
        return self._process(data)

    def _authorized(self, url: str) -> bool:
        if self._tokens is None or matches(url, self._tokens):
            return True
        logger.info("refused a callback without a valid token")
        return False

    def _serve(self, environ: dict[str, Any]) -> int:
        if environ.get("REQUEST_METHOD") != "POST":
            return 405
        if not self._authorized("?" + str(environ.get("QUERY_STRING", ""))):
            return 403
        body = _read_body(environ)
        return body if isinstance(body, int) else self._process(body)

    def _process(self, data: bytes) -> int:
        try:
            event = parse_webhook(data)
        except WebhookError as error:
            logger.info("refused a malformed callback: %s", error)
            return 400
        store = self._store
        try:
            if not store.claim(event.id):
                return 200 if store.is_done(event.id) else 409
        except Exception:
            logger.exception("the dedupe store failed on callback %s", event.id)
            return 500
        handler = self._handlers[type(event)]
        if handler is not None and not self._call(handler, event):
            return 500
        try:
            store.done(event.id)
        except Exception:
            # Handled all the same: answering 200 stops a re-post that would run it again.
            logger.exception("could not mark callback %s done", event.id)
        return 200

    def _call(self, handler: Handler, event: Event) -> bool:
        try:
            handler(event)
        except Exception:
            logger.exception("the %s handler raised on callback %s", event.kind, event.id)
            try:
                self._store.release(event.id)
            except Exception:
                logger.exception("could not release callback %s", event.id)
            return False
        return True


def _read_body(environ: dict[str, Any]) -> Union[bytes, int]:
    """The body, or the status to answer: 413 past the cap, 400 when cut short or unreadable."""
    declared = str(environ.get("CONTENT_LENGTH") or "").strip()
    if declared:
        if not _CONTENT_LENGTH.fullmatch(declared):
            return 400
        limit = int(declared)
        if limit > MAX_BODY_BYTES:
            return 413
    elif environ.get("wsgi.input_terminated"):
        # Read one byte past the cap to tell "exactly the cap" from "over it".
        limit = MAX_BODY_BYTES + 1
    else:
        limit = 0
    stream = environ["wsgi.input"]
    chunks: list[bytes] = []
    received = 0
    try:
        while received < limit:
            chunk = stream.read(min(limit - received, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
    except OSError:
        return 400
    if received > MAX_BODY_BYTES:
        return 413
    if declared and received < limit:
        return 400
    return b"".join(chunks)
