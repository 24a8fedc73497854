"""What every command shares: the settings of the run, failures, and list paging."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

import click

from ._output import Output

if TYPE_CHECKING:
    from ..flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient

F = TypeVar("F", bound=Callable[..., Any])

FAILED = 1
USAGE = 2
INTERRUPTED = 130

CREDENTIALS = (
    "set FR_ACCESS_KEY and FR_SECRET_KEY, or pass --access-key and --secret-key "
    "(before the command)"
)
# The largest page every list endpoint accepts.
PAGE_SIZE = 200


class Group(click.Group):
    """A command group that, given no command, shows its help (exit 0) on every click version.

    (click 8.2 and later make that a usage error, whose message is the whole help text.)
    """

    group_class = type  # its subgroups are of this class too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit()
        return super().parse_args(ctx, args)


class Failure(Exception):
    """A failure worded for the user (one line) and the exit status it ends with."""

    def __init__(self, message: str, status: int = FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Settings:
    """What the global flags chose. The client is built on first use: some commands need none."""

    def __init__(
        self,
        as_json: bool,
        access_key: Optional[str],
        secret_key: Optional[str],
        base_uri: Optional[str],
    ) -> None:
        self.out = Output(as_json)
        self._access_key = access_key
        self._secret_key = secret_key
        self._base_uri = base_uri
        self._client: Optional[FlowroutenumbersandmessagingClient] = None

    def client(self) -> FlowroutenumbersandmessagingClient:
        if self._client is None:
            if not self._access_key or not self._secret_key:
                raise Failure(f"no Flowroute credentials: {CREDENTIALS}", USAGE)
            from ..exceptions import ValidationError
            from ..flowroutenumbersandmessaging_client import FlowroutenumbersandmessagingClient

            try:
                self._client = FlowroutenumbersandmessagingClient(
                    self._access_key, self._secret_key, base_uri=self._base_uri
                )
            except ValidationError as error:
                raise Failure(f"{error} (set by --base-uri or FR_BASE_URI)", USAGE) from None
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


pass_settings = click.make_pass_decorator(Settings)


def list_options(command: F) -> F:
    """``--limit N`` (one page of N) and ``--all`` (every page), for a list command."""
    command = click.option(
        "--all", "all_pages", is_flag=True, help=f"Every item, {PAGE_SIZE} a request."
    )(command)
    return click.option(
        "--limit", type=click.IntRange(min=1), help="At most this many items (API default 10)."
    )(command)


def fetch(
    settings: Settings,
    list_method: Callable[..., Any],
    limit: Optional[int],
    all_pages: bool,
    *args: Any,
    **filters: Any,
) -> Any:
    """One page of a list method, or with ``--all`` every item as one ``{"data": [...]}``."""
    if not all_pages:
        return list_method(*args, limit=limit, **filters)
    if limit is not None:
        raise click.UsageError("give --limit or --all, not both", click.get_current_context())
    client = settings.client()
    return {"data": list(client.paginate(list_method, *args, page_size=PAGE_SIZE, **filters))}
