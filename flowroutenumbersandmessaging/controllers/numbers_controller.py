"""Phone numbers: inventory search, purchase, and the numbers on your account."""

from __future__ import annotations

from typing import Any, Optional

from .. import _ids
from ..exceptions import ValidationError
from .base_controller import BaseController
from .messages_controller import set_did_dlr_callback


class NumbersController(BaseController):
    """Phone numbers on your account, and numbers you can buy."""

    def list_available_area_codes(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        max_setup_cost: Optional[float] = None,
    ) -> Any:
        """List area codes that have purchasable numbers. ``GET /v2/numbers/available/areacodes``"""
        return self._get(
            "/v2/numbers/available/areacodes",
            {"limit": limit, "offset": offset, "max_setup_cost": max_setup_cost},
        )

    def list_available_exchange_codes(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        max_setup_cost: Optional[float] = None,
        areacode: Optional[int] = None,
    ) -> Any:
        """List exchanges that have purchasable numbers. ``GET /v2/numbers/available/exchanges``"""
        return self._get(
            "/v2/numbers/available/exchanges",
            {
                "limit": limit,
                "offset": offset,
                "max_setup_cost": max_setup_cost,
                "areacode": areacode,
            },
        )

    def search_for_purchasable_phone_numbers(
        self,
        starts_with: Optional[int] = None,
        contains: Optional[int] = None,
        ends_with: Optional[int] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        rate_center: Optional[str] = None,
        state: Optional[str] = None,
    ) -> Any:
        """Search the inventory of numbers you can buy. ``GET /v2/numbers/available``"""
        return self._get(
            "/v2/numbers/available",
            {
                "starts_with": starts_with,
                "contains": contains,
                "ends_with": ends_with,
                "limit": limit,
                "offset": offset,
                "rate_center": rate_center,
                "state": state,
            },
        )

    def purchase_a_phone_number(self, purchasable_number: _ids.IdLike) -> Any:
        """Buy a number from inventory. ``POST /v2/numbers/{number_id}``

        Never retried once the request may have reached Flowroute: a failure after that raises
        with ``outcome_unknown=True``; look the number up before buying again.
        """
        number = _ids.phone_number(purchasable_number, "purchasable_number")
        return self._post(f"/v2/numbers/{number}", create=True)

    def list_account_phone_numbers(
        self,
        starts_with: Optional[int] = None,
        ends_with: Optional[int] = None,
        contains: Optional[int] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> Any:
        """List the numbers on your account. ``GET /v2/numbers``"""
        return self._get(
            "/v2/numbers",
            {
                "starts_with": starts_with,
                "ends_with": ends_with,
                "contains": contains,
                "limit": limit,
                "offset": offset,
            },
        )

    def list_phone_number_details(self, number_id: _ids.IdLike) -> Any:
        """Details of one of your numbers, with its routes. ``GET /v2/numbers/{number_id}``"""
        return self._get(f"/v2/numbers/{_ids.phone_number(number_id)}")

    def release_a_did(self, number_id: _ids.IdLike) -> Any:
        """Release one of your numbers (returns None). ``DELETE /v2/numbers/{number_id}``"""
        return self._delete(f"/v2/numbers/{_ids.phone_number(number_id)}")

    def set_did_alias(self, number_id: _ids.IdLike, alias: str) -> Any:
        """Give one of your numbers a friendly name. ``PATCH /v2/numbers/{number_id}``"""
        number = _ids.phone_number(number_id)
        if not isinstance(alias, str):
            raise ValidationError(f"alias must be a string, not {type(alias).__name__}")
        return self._patch(f"/v2/numbers/{number}", {"type": "number", "alias": alias})

    def set_did_callback(self, number_id: _ids.IdLike, url: str) -> Any:
        """Set a number's DLR callback. ``POST /v2/numbers/{id}/relationships/dlr_callback``

        Same endpoint and implementation as ``messages.set_did_level_dlr_callback``.
        """
        return set_did_dlr_callback(self, number_id, url, "url")
