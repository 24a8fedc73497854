"""Porting: can these numbers be moved to Flowroute?"""

from __future__ import annotations

from typing import Any, Sequence, Union

from .. import _ids
from ..exceptions import ValidationError
from .base_controller import BaseController


class PortingController(BaseController):
    """Number porting checks."""

    def check_portability(self, numbers: Union[_ids.IdLike, Sequence[_ids.IdLike]]) -> Any:
        """Which numbers can be ported in. ``POST /v2/portorders/portability``

        ``numbers`` is a list (or tuple) of 11-digit numbers, or a single one; the E.164 ``+``
        the API requires is added where missing.
        """
        items = [numbers] if isinstance(numbers, (str, int)) else numbers
        if not isinstance(items, (list, tuple)) or not items:
            raise ValidationError("numbers must be a phone number or a non-empty list of them")
        body = {
            "numbers": ["+" + _ids.phone_number(n, f"numbers[{i}]") for i, n in enumerate(items)]
        }
        return self._post("/v2/portorders/portability", body, create=False)

    checkPortability = check_portability
