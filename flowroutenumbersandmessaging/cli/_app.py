"""The ``flowroute`` command group: global flags, the client, and how a failure is reported."""

from __future__ import annotations

import errno
from typing import Any, Optional, Sequence

import click

from . import INSTALL_HINT
from ._cdr import cdr
from ._common import FAILED, INTERRUPTED, USAGE, Failure, Group, Settings
from ._e911_cnam import cnam, e911
from ._messages import messages
from ._numbers_routes import numbers, routes
from ._tools import porting, sandbox, segments

# What to do next, by error class name, looked up along the error's class hierarchy.
_HINTS = {
    "ValidationError": "Nothing was sent",
    "AuthenticationError": "Check the access key and secret key (FR_ACCESS_KEY and "
    "FR_SECRET_KEY, or --access-key and --secret-key)",
    "PermissionDeniedError": "The account may not do this to that record",
    "NotFoundError": "Check the number or id",
    "RateLimitError": "Flowroute is limiting requests: wait a moment and try again",
    "ServerError": "Flowroute had a problem: try again in a moment",
    "APITimeoutError": "No answer in time: try again, or check the network",
    "APIConnectionError": "Check the network and the API address (--base-uri or FR_BASE_URI)",
}


def failure_for(error: Exception) -> Failure:
    """The one line (and exit status) an exception raised by a command comes out as."""
    from ..exceptions import FlowrouteError, ValidationError

    if isinstance(error, FlowrouteError):
        status = USAGE if isinstance(error, ValidationError) else FAILED
        hints = [_HINTS[c.__name__] for c in type(error).__mro__ if c.__name__ in _HINTS]
        # An unknown outcome already says to check first; "try again" would be wrong there.
        if not hints or error.outcome_unknown:
            return Failure(str(error), status)
        said = str(error).rstrip()
        return Failure(f"{said}{'' if said.endswith('.') else '.'} {hints[0]}", status)
    if isinstance(error, ModuleNotFoundError) and error.name in ("click", "rich"):
        return Failure(INSTALL_HINT)
    if isinstance(error, OSError):
        return Failure(str(error))
    return Failure(f"unexpected {type(error).__name__}: {error}")


class _Group(Group):
    """The root group: whatever a command raises leaves as a :class:`Failure`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, Failure):
            raise
        except KeyboardInterrupt:
            raise Failure("interrupted", INTERRUPTED) from None
        except Exception as error:
            if isinstance(error, OSError) and error.errno == errno.EPIPE:
                raise  # stdout closed early (`| head`): click quietens it
            raise failure_for(error) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout and nothing else.")
@click.option(
    "--access-key", envvar="FR_ACCESS_KEY", show_envvar=True, metavar="KEY", help="API access key."
)
@click.option(
    "--secret-key",
    envvar="FR_SECRET_KEY",
    show_envvar=True,
    metavar="KEY",
    help="API secret key (never shown).",
)
@click.option(
    "--base-uri",
    envvar="FR_BASE_URI",
    show_envvar=True,
    metavar="URL",
    help="API root (default https://api.flowroute.com).",
)
@click.version_option(package_name="flowroutenumbersandmessaging", prog_name="flowroute")
@click.pass_context
def cli(
    ctx: click.Context,
    as_json: bool,
    access_key: Optional[str],
    secret_key: Optional[str],
    base_uri: Optional[str],
) -> None:
    """Everyday Flowroute work: numbers, routes, messages, E911, CNAM and call records.

    Global flags go before the command: flowroute --json numbers list
    """
    settings = Settings(as_json, access_key, secret_key, base_uri)
    ctx.obj = settings
    ctx.call_on_close(settings.close)


for command in (numbers, routes, messages, e911, cnam, cdr, porting, segments, sandbox):
    cli.add_command(command)


def run(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; every way it can end is an exit status, never a traceback."""
    try:
        result = cli.main(
            args=None if argv is None else list(argv), prog_name="flowroute", standalone_mode=False
        )
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx else "flowroute"
        return _report(f"{error.format_message()} (see '{where} --help')", USAGE)
    except click.ClickException as error:
        return _report(error.format_message(), error.exit_code)
    except click.Abort:  # Ctrl-C while click itself was running (parsing), not a command
        return _report("interrupted", INTERRUPTED)
    except Failure as failure:
        return _report(failure.message, failure.status)
    return result if isinstance(result, int) else 0


def _report(message: str, status: int) -> int:
    # click words some errors over several lines; the contract is one line.
    click.echo(f"error: {' '.join(message.split())}", err=True)
    return status
