"""Input checks, in one place: every value a caller hands the SDK is checked here before use.

A check returns the value in the form the SDK sends (or stores) and raises
:class:`~flowroutenumbersandmessaging.exceptions.ValidationError` naming the parameter when the
value cannot be used. Nothing is sent for a value that fails.

``bool`` is an ``int`` to Python but never a count, an id or a number of seconds to us, so the
primitives below refuse it.
"""

from __future__ import annotations

import math
from typing import Optional

from .exceptions import ValidationError


def is_int(value: object) -> bool:
    """An ``int`` that is not a ``bool``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """An ``int`` or ``float`` that is not a ``bool``."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def whole_number(value: object, what: str, *, minimum: int = 0) -> int:
    """An int of at least ``minimum`` (a count, a size, a number of retries)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return value
    raise ValidationError(f"{what} must be an int of {minimum} or more, got {value!r:.40}")


def seconds(value: object, what: str, *, allow_zero: bool = False) -> float:
    """A number of seconds: positive (or, with ``allow_zero``, 0 or more)."""
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (value > 0 or (allow_zero and value == 0))
    ):
        return float(value)
    bound = "finite, 0 or more," if allow_zero else "finite positive"
    raise ValidationError(f"{what} must be a {bound} number of seconds, got {value!r:.40}")


def optional_whole_number(value: object, what: str, *, minimum: int = 0) -> Optional[int]:
    """:func:`whole_number`, or None."""
    return None if value is None else whole_number(value, what, minimum=minimum)
