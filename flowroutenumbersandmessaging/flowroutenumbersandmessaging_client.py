"""The client: owns credentials, options and one HTTP core; hands controllers out."""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Optional, Union, cast

from ._config import (
    DEFAULT_BASE_URI,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_SEND_LIMITS,
    RetryPolicy,
    Timeout,
    check_base_uri,
    check_send_limits,
    check_session,
    text_option,
    user_agent,
)
from ._http import HttpCore
from ._limiter import SendLimiter
from ._validate import seconds, whole_number
from .exceptions import ValidationError

if TYPE_CHECKING:
    import requests

    from .controllers.base_controller import BaseController
    from .controllers.cdrs_controller import CDRsController
    from .controllers.cnams_controller import CNAMsController
    from .controllers.e911s_controller import E911sController
    from .controllers.messages_controller import MessagesController
    from .controllers.numbers_controller import NumbersController
    from .controllers.porting_controller import PortingController
    from .controllers.routes_controller import RoutesController

DEFAULT_TIMEOUT = Timeout()
# Each controller's module (in ``controllers``) and class: imported when first used.
_CONTROLLERS = {
    "numbers": ("numbers_controller", "NumbersController"),
    "routes": ("routes_controller", "RoutesController"),
    "messages": ("messages_controller", "MessagesController"),
    "e911s": ("e911s_controller", "E911sController"),
    "cnams": ("cnams_controller", "CNAMsController"),
    "cdrs": ("cdrs_controller", "CDRsController"),
    "porting": ("porting_controller", "PortingController"),
}


class FlowroutenumbersandmessagingClient:
    """A Flowroute API client. Each instance has its own credentials, connections and options.

    The API is reached through seven controllers, one per resource (``client.numbers``,
    ``.routes``, ``.messages``, ``.e911s``, ``.cnams``, ``.cdrs``, ``.porting``), each created
    on first use. Every controller method returns the API's JSON document as a ``dict`` (or
    ``None`` for an empty answer) and raises a
    :class:`~flowroutenumbersandmessaging.exceptions.FlowrouteError` subclass. Use the client
    as a context manager, or call :meth:`close`, to release its connections.

    Args:
        basic_auth_user_name: API access key; defaults to ``$FR_ACCESS_KEY``.
        basic_auth_password: API secret key; defaults to ``$FR_SECRET_KEY``.
        base_uri: API root; defaults to ``$FR_BASE_URI``, then ``https://api.flowroute.com``.
            Plain ``http://`` is accepted only for loopback hosts (the sandbox, tests).
        timeout: per-attempt timeouts: a :class:`Timeout`, seconds, or ``(connect, read)``.
        deadline: seconds one call may take in all, retries and waits included.
        max_retries: retries after the first attempt (0 disables); see :class:`RetryPolicy`.
        retry_policy: full control over backoff and ``Retry-After`` handling.
        send_rate_limits: most sends per second, ``{"sms": 5, "mms": 1}`` by default;
            ``None`` turns the client-side limiter off.
        session: a ``requests.Session`` to send through (proxies, certificates). It is used as
            given; the SDK never changes its TLS settings and never closes it.
        max_connections: connections to the API kept open for reuse (the SDK's own session
            only): as many as threads sharing the client, so none opens one per call.
        max_response_bytes: largest API response body accepted (decoded).
        user_agent_suffix: appended to the ``User-Agent`` header.

    Raises:
        ValidationError: credentials missing, or an option of the wrong type or range.
    """

    def __init__(
        self,
        basic_auth_user_name: Optional[str] = None,
        basic_auth_password: Optional[str] = None,
        *,
        base_uri: Optional[str] = None,
        timeout: Union[Timeout, float, tuple[float, float]] = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_retries: Optional[int] = None,
        retry_policy: Optional[RetryPolicy] = None,
        send_rate_limits: Optional[Mapping[str, int]] = DEFAULT_SEND_LIMITS,
        session: Optional[requests.Session] = None,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        user_agent_suffix: Optional[str] = None,
    ) -> None:
        access_key = text_option(basic_auth_user_name, "basic_auth_user_name", "FR_ACCESS_KEY")
        secret_key = text_option(basic_auth_password, "basic_auth_password", "FR_SECRET_KEY")
        if not access_key or not secret_key:
            raise ValidationError(
                "Flowroute credentials missing: pass the access key and secret key, or set "
                "FR_ACCESS_KEY and FR_SECRET_KEY"
            )
        base = text_option(base_uri, "base_uri", "FR_BASE_URI") or DEFAULT_BASE_URI
        core = HttpCore(
            access_key=access_key,
            secret_key=secret_key,
            base_uri=check_base_uri(base),
            timeout=Timeout.of(timeout),
            deadline=seconds(deadline, "deadline"),
            retry=_policy(retry_policy or RetryPolicy(), max_retries),
            limiter=SendLimiter(check_send_limits(send_rate_limits)),
            session=check_session(session),
            max_connections=whole_number(max_connections, "max_connections", minimum=1),
            max_response_bytes=whole_number(max_response_bytes, "max_response_bytes", minimum=1),
            user_agent=user_agent(user_agent_suffix),
        )
        self._attach(core)

    def _attach(self, core: HttpCore) -> None:
        self._core = core
        self._controllers: dict[str, BaseController] = {}
        self._lock = threading.Lock()

    def _controller(self, name: str) -> BaseController:
        """The client's controller ``name``, created on first use (once, however many threads)."""
        controller = self._controllers.get(name)
        if controller is None:
            with self._lock:
                controller = self._controllers.get(name)
                if controller is None:
                    module, cls = _CONTROLLERS[name]
                    home = importlib.import_module(f".controllers.{module}", __package__)
                    controller = self._controllers[name] = getattr(home, cls)(self._core)
        return controller

    @property
    def numbers(self) -> NumbersController:
        """Phone numbers: browse and buy from inventory, list, look up, release, alias, callback."""
        return cast("NumbersController", self._controller("numbers"))

    @property
    def routes(self) -> RoutesController:
        """Voice routes: create, list, set a number's primary/failover route; edge strategies."""
        return cast("RoutesController", self._controller("routes"))

    @property
    def messages(self) -> MessagesController:
        """SMS and MMS: send, look up records, set the callback URLs for messages and receipts."""
        return cast("MessagesController", self._controller("messages"))

    @property
    def e911s(self) -> E911sController:
        """E911 addresses: list, validate, create, update, delete, associate with numbers."""
        return cast("E911sController", self._controller("e911s"))

    @property
    def cnams(self) -> CNAMsController:
        """CNAM (caller name) records: list, create, associate with numbers, unassociate, remove."""
        return cast("CNAMsController", self._controller("cnams"))

    @property
    def cdrs(self) -> CDRsController:
        """Call detail records: create an export, poll it, download and read its CSV."""
        return cast("CDRsController", self._controller("cdrs"))

    @property
    def porting(self) -> PortingController:
        """Number porting: check whether numbers can be ported to Flowroute."""
        return cast("PortingController", self._controller("porting"))

    def with_options(
        self,
        *,
        timeout: Union[Timeout, float, tuple[float, float], None] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_policy: Optional[RetryPolicy] = None,
    ) -> FlowroutenumbersandmessagingClient:
        """This client with other timeouts, deadline or retries, for one call or a few.

        Returns a new client sharing credentials, connections and the send limiter with this
        one (closing it leaves them open); options not given stay as they are::

            client.with_options(max_retries=0).numbers.list_account_phone_numbers()
            client.with_options(deadline=300).cdrs.create_cdr_export(filters)

        Raises:
            ValidationError: an option of the wrong type or range.
        """
        policy = retry_policy
        if max_retries is not None:
            policy = _policy(policy or self._core.retry, max_retries)
        twin = FlowroutenumbersandmessagingClient.__new__(FlowroutenumbersandmessagingClient)
        twin._attach(
            self._core.derive(
                timeout=Timeout.of(timeout) if timeout is not None else None,
                deadline=seconds(deadline, "deadline") if deadline is not None else None,
                retry=policy,
            )
        )
        return twin

    @property
    def base_uri(self) -> str:
        """The API root every call goes to, without a trailing slash."""
        return self._core.base_uri

    def paginate(
        self, list_method: Callable[..., Any], *args: Any, page_size: int = 100, **filters: Any
    ) -> Iterator[dict[str, Any]]:
        """Yield every item of a list method, page by page (by offset, never by ``links``).

        ``list_method`` is any controller method taking ``limit`` and ``offset``, such as
        ``client.numbers.list_account_phone_numbers``; ``args`` and ``filters`` are passed to
        it on every page. Pages are fetched as the iterator is consumed.

        Raises:
            ValidationError: ``page_size`` is not a positive int, or ``limit``/``offset`` was
                passed; before any request.
            InvalidResponseError: a page has no list at ``data``, or the server ignored the
                offset. Besides whatever the list method raises.
        """
        from .pagination import paginate

        return paginate(list_method, *args, page_size=page_size, **filters)

    def close(self) -> None:
        """Release the client's connections (a session passed in by the caller stays open)."""
        self._core.close()

    def __enter__(self) -> FlowroutenumbersandmessagingClient:
        """The client itself; leaving the ``with`` block closes it."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the client (see :meth:`close`); exceptions go on as they were."""
        self.close()

    def __repr__(self) -> str:
        return (
            f"<FlowroutenumbersandmessagingClient base_uri={self.base_uri!r} "
            f"access_key={self._core.access_key_hint}>"
        )

    def __reduce__(self) -> Any:
        raise TypeError("a Flowroute client cannot be pickled (it holds credentials)")


def _policy(policy: RetryPolicy, max_retries: Optional[int]) -> RetryPolicy:
    """``policy``, with ``max_retries`` when given."""
    if not isinstance(policy, RetryPolicy):
        raise ValidationError("retry_policy must be a RetryPolicy")
    return policy if max_retries is None else policy.with_max_retries(max_retries)
