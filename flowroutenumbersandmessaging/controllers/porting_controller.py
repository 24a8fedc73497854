"""Porting: can these numbers be moved to Flowroute?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence, Union, cast

from .. import _validate
from .._validate import IdLike
from .base_controller import BaseController

if TYPE_CHECKING:
    from ..documents import PortabilityDocument


class PortingController(BaseController):
    """Number porting checks."""

    def check_portability(self, numbers: Union[IdLike, Sequence[IdLike]]) -> PortabilityDocument:
        """Which numbers can be ported in. ``POST /v2/portorders/portability``

        ``numbers`` is a list (or tuple) of 11-digit numbers, or a single one; the E.164 ``+``
        the API requires is added where missing. Returns the numbers sorted into
        ``portable``, ``nonportable`` and ``hypernetwork_enabled``. Changes nothing, so it is
        retried like a read.

        Raises:
            ValidationError: ``numbers`` is empty or holds something that is not a number.
        """
        body = _validate.portability_body(numbers)
        verdicts = self._post("/v2/portorders/portability", body, create=False)
        return cast("PortabilityDocument", verdicts)

    checkPortability = check_portability
