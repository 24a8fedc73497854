"""The sums behind ``flowroute cdr summary``: calls, billed minutes and cost, per group.

Money is added up as ``Decimal`` from the file's text, so the total is the file's to the last
digit. Billed minutes come from the billed seconds (whole seconds, rounded up to the billing
increment by Flowroute), kept exact and shown to the hundredth.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ._common import Failure

if TYPE_CHECKING:
    from ..models import CDRRow

BAR_WIDTH = 20
MATPLOTLIB_MISSING = "--png needs matplotlib, which is not installed: pip install matplotlib"


def _day(row: CDRRow) -> str:
    return row.start_time.date().isoformat() if row.start_time else "unknown"


def _number(row: CDRRow) -> str:
    # The account's own number: called on an inbound call, calling on an outbound one.
    number = row.destination if row.direction == "Inbound" else row.callerid
    return (number or "unknown").lstrip("+")


def _direction(row: CDRRow) -> str:
    return row.direction or "unknown"


GROUPINGS: dict[str, Callable[[CDRRow], str]] = {
    "day": _day,
    "number": _number,
    "direction": _direction,
}


@dataclass
class Totals:
    """Calls, billed seconds and cost of some calls."""

    calls: int = 0
    billed_seconds: int = 0
    cost: Decimal = Decimal(0)

    def add(self, row: CDRRow) -> None:
        self.calls += 1
        self.billed_seconds += row.billed_duration or 0
        self.cost += row.total_cost or 0

    @property
    def billed_minutes(self) -> Decimal:
        return (Decimal(self.billed_seconds) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def as_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "billed_minutes": float(self.billed_minutes),
            "billed_seconds": self.billed_seconds,
            "cost": str(self.cost),
        }


def summarize(rows: Iterable[CDRRow], by: str) -> tuple[Totals, dict[str, Totals]]:
    """The totals of ``rows`` and their totals per group, groups in key order."""
    key = GROUPINGS[by]
    total = Totals()
    groups: dict[str, Totals] = {}
    for row in rows:
        total.add(row)
        groups.setdefault(key(row), Totals()).add(row)
    return total, dict(sorted(groups.items()))


def as_json(total: Totals, groups: dict[str, Totals], by: str) -> dict[str, Any]:
    """The totals, then ``by`` and ``groups``: one object per group, its key under ``by``."""
    return {
        **total.as_json(),
        "by": by,
        "groups": [{by: key, **group.as_json()} for key, group in groups.items()],
    }


def bar(calls: int, most: int) -> str:
    """A bar of block characters as long as ``calls`` is against ``most`` (one at least)."""
    if not calls:
        return ""
    return "█" * max(1, round(calls / most * BAR_WIDTH))


def load_pyplot() -> Any:
    """matplotlib's pyplot drawing to files, or a :class:`Failure` saying how to get it."""
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError:
        raise Failure(MATPLOTLIB_MISSING) from None
    matplotlib.use("Agg")  # files only: never open a window
    return importlib.import_module("matplotlib.pyplot")


def write_png(pyplot: Any, path: str, groups: dict[str, Totals], by: str) -> None:
    """A bar chart of the calls per group."""
    figure, axes = pyplot.subplots(figsize=(max(6.0, 0.35 * len(groups)), 4.0))
    axes.bar(list(groups), [group.calls for group in groups.values()])
    axes.set_xlabel(by)
    axes.set_ylabel("calls")
    axes.set_title(f"Calls per {by}")
    axes.tick_params(axis="x", labelrotation=90)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
