"""CNAM (caller name) records: create, list, remove, and attach them to numbers."""

from __future__ import annotations

import re
from typing import Any, Optional

from .. import _ids
from ..exceptions import ValidationError
from .base_controller import BaseController

# Flowroute's CNAM storage rules: up to 15 characters, at least one letter, and besides
# letters, digits and space only - _ . , @ + & ' / "
_CNAM_VALUE = re.compile(r"""[A-Za-z0-9 \-_.,@+&'/"]{1,15}""")
_LETTER = re.compile(r"[A-Za-z]")


def checked_cnam_value(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"cnam_value must be a string, not {type(value).__name__}")
    if not _CNAM_VALUE.fullmatch(value) or not _LETTER.search(value):
        raise ValidationError(
            "cnam_value must be 1 to 15 characters with at least one letter, using only "
            "letters, digits, space and - _ . , @ + & ' / \" "
            f"(got {value!r:.40})"
        )
    return value


class CNAMsController(BaseController):
    """Caller-name records and their association with your long-code numbers."""

    def list_cnams(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        is_approved: Optional[bool] = None,
        value: Optional[str] = None,
    ) -> Any:
        """List your CNAM records, optionally only (un)approved ones. ``GET /v2/cnams``"""
        return self._get(
            "/v2/cnams",
            {"limit": limit, "offset": offset, "is_approved": is_approved, "value": value},
        )

    def get_cnam(self, cnam_id: _ids.IdLike) -> Any:
        """One CNAM record. ``GET /v2/cnams/{cnam_id}``"""
        return self._get(f"/v2/cnams/{_ids.record_id(cnam_id, 'cnam_id')}")

    def create_cnam_record(self, cnam_value: str) -> Any:
        """Create a CNAM record (approval takes up to 48 hours). ``POST /v2/cnams``"""
        return self._post("/v2/cnams", {"value": checked_cnam_value(cnam_value)}, create=True)

    def associate_cnam(self, cnam_id: _ids.IdLike, number_id: _ids.IdLike) -> Any:
        """Assign a CNAM record. ``PATCH /v2/numbers/{id}/relationships/cnam/{cnam_id}``

        The record must be approved first. ``number_id`` is used as given (no look-up request).
        """
        record = _ids.record_id(cnam_id, "cnam_id")
        number = _ids.phone_number(number_id)
        return self._patch(f"/v2/numbers/{number}/relationships/cnam/{record}")

    def unassociate_cnam(self, number_id: _ids.IdLike) -> Any:
        """Stop showing a CNAM record for a number. ``DELETE /v2/numbers/{id}/relationships/cnam``

        The record itself stays on your account.
        """
        return self._delete(f"/v2/numbers/{_ids.phone_number(number_id)}/relationships/cnam")

    unassociate = unassociate_cnam

    def remove_cnam(self, cnam_id: _ids.IdLike) -> Any:
        """Delete a CNAM record (numbers using it lose it). ``DELETE /v2/cnams/{cnam_id}``"""
        return self._delete(f"/v2/cnams/{_ids.record_id(cnam_id, 'cnam_id')}")
