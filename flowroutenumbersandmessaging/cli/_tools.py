"""``flowroute porting check``, ``flowroute segments`` and ``flowroute sandbox``."""

from __future__ import annotations

from typing import Any

import click

from ._common import Group, Settings, pass_settings


@click.group(cls=Group)
def porting() -> None:
    """Number porting: can these numbers move to Flowroute?"""


@porting.command()
@click.argument("numbers", nargs=-1, required=True)
@pass_settings
def check(settings: Settings, numbers: tuple[str, ...]) -> None:
    """Check whether numbers can be ported in."""
    answer = settings.client().porting.check_portability(list(numbers))
    if settings.out.as_json:
        settings.out.json(answer)
        return
    data = answer.get("data") if isinstance(answer, dict) else None
    data = data if isinstance(data, dict) else {}
    portable = set(data.get("portable") or ())
    hypernetwork = set(data.get("hypernetwork_enabled") or ())
    answered = [*(data.get("portable") or ()), *(data.get("nonportable") or ())]
    rows = [[number, number in portable, number in hypernetwork] for number in answered]
    settings.out.table(["number", "portable", "hypernetwork"], rows)


@click.command()
@click.argument("text")
@pass_settings
def segments(settings: Settings, text: str) -> None:
    """How a text is billed: its encoding and segment count."""
    from ..messaging import ASCII, count_segments

    counted = count_segments(text)
    if settings.out.as_json:
        settings.out.json(counted._asdict())
        return
    ascii_only = counted.encoding == ASCII
    encoding = f"{counted.encoding} ({'ASCII' if ascii_only else 'UCS-2'})"
    length = f"{counted.units} {'characters' if ascii_only else 'UTF-16 code units'}"
    settings.out.table(
        ["encoding", "segments", "length", "per segment"],
        [[encoding, counted.segments, length, counted.per_segment]],
    )


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def sandbox(arguments: tuple[str, ...]) -> Any:
    """Serve a local Flowroute API on a port (its own --help)."""
    from ..sandbox.__main__ import main

    return main(list(arguments))
