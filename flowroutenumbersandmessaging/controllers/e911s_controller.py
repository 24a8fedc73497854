"""E911 addresses: validate, create, update and delete them; attach them to numbers."""

from __future__ import annotations

import re
from typing import Any, Optional, Union

from .. import _ids
from ..exceptions import ValidationError
from .base_controller import BaseController

Field = Optional[Union[str, int]]

# Parameter order of validate_address/create_address/update_address, as in the seed README.
_FIELDS = (
    "label",
    "first_name",
    "last_name",
    "street_name",
    "street_number",
    "city",
    "state",
    "country",
    "zipcode",
    "address_type",
    "address_type_number",
)
_REQUIRED = _FIELDS[:9]
_WIRE_NAMES = {"zipcode": "zip"}
# Fields that are numbers more often than not; ints are sent as strings, like the API returns them.
_NUMERIC = frozenset({"street_number", "zipcode", "address_type_number"})
_STATE = re.compile(r"[A-Za-z]{2}")
_COUNTRIES = ("US", "CA")


def address_attributes(*values: Field, partial: bool) -> dict[str, str]:
    """The wire attributes of an E911 address from the fields in ``_FIELDS`` order.

    ``partial`` (update): only the fields given, at least one. Otherwise every field but
    ``address_type``/``address_type_number`` is required. Those two go together.
    """
    given = {name: value for name, value in zip(_FIELDS, values) if value is not None}
    missing = [name for name in _REQUIRED if name not in given]
    if not partial and missing:
        raise ValidationError(f"E911 address is missing {', '.join(missing)}")
    if partial and not given:
        raise ValidationError("update_address needs at least one field to change")
    if ("address_type" in given) != ("address_type_number" in given):
        raise ValidationError("address_type and address_type_number go together: give both")
    attributes = {}
    for name, value in given.items():
        if isinstance(value, int) and not isinstance(value, bool) and name in _NUMERIC:
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"{name} must be a non-empty string")
        attributes[_WIRE_NAMES.get(name, name)] = value
    if "state" in attributes and not _STATE.fullmatch(attributes["state"]):
        raise ValidationError(
            f"state must be a 2-letter code such as WA, got {given['state']!r:.20}"
        )
    if "country" in attributes and attributes["country"].upper() not in _COUNTRIES:
        raise ValidationError(f"country must be US or CA, got {given['country']!r:.20}")
    return attributes


class E911sController(BaseController):
    """E911 address records and their association with your numbers."""

    def list_e911s(
        self,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        state: Optional[str] = None,
        label: Optional[str] = None,
        street_name: Optional[str] = None,
        city: Optional[str] = None,
    ) -> Any:
        """List your E911 addresses, optionally filtered. ``GET /v2/e911s``"""
        return self._get(
            "/v2/e911s",
            {
                "limit": limit,
                "offset": offset,
                "state": state,
                "label": label,
                "street_name": street_name,
                "city": city,
            },
        )

    def get_e911(self, e911_id: _ids.IdLike) -> Any:
        """One E911 address. ``GET /v2/e911s/{e911_id}``"""
        return self._get(f"/v2/e911s/{_ids.record_id(e911_id, 'e911_id')}")

    def validate_address(
        self,
        label: str,
        first_name: str,
        last_name: str,
        street_name: str,
        street_number: Union[str, int],
        city: str,
        state: str,
        country: str,
        zipcode: Union[str, int],
        address_type: Optional[str] = None,
        address_type_number: Field = None,
    ) -> Any:
        """Check an address without saving it (returns None if valid). ``POST /v2/e911s/validate``

        An address Flowroute cannot geocode raises ``BadRequestError``; a bad field raises
        ``UnprocessableEntityError``.
        """
        attributes = address_attributes(
            label,
            first_name,
            last_name,
            street_name,
            street_number,
            city,
            state,
            country,
            zipcode,
            address_type,
            address_type_number,
            partial=False,
        )
        body = {"data": {"type": "e911", "attributes": attributes}}
        return self._post("/v2/e911s/validate", body, create=False)

    def create_address(
        self,
        label: str,
        first_name: str,
        last_name: str,
        street_name: str,
        street_number: Union[str, int],
        city: str,
        state: str,
        country: str,
        zipcode: Union[str, int],
        address_type: Optional[str] = None,
        address_type_number: Field = None,
    ) -> Any:
        """Validate and save a new E911 address. ``POST /v2/e911s``"""
        attributes = address_attributes(
            label,
            first_name,
            last_name,
            street_name,
            street_number,
            city,
            state,
            country,
            zipcode,
            address_type,
            address_type_number,
            partial=False,
        )
        body = {"data": {"type": "e911", "attributes": attributes}}
        return self._post("/v2/e911s", body, create=True)

    def update_address(
        self,
        e911_id: _ids.IdLike,
        label: Optional[str] = None,
        first_name: Optional[str] = None,
        last_name: Optional[str] = None,
        street_name: Optional[str] = None,
        street_number: Field = None,
        city: Optional[str] = None,
        state: Optional[str] = None,
        country: Optional[str] = None,
        zipcode: Field = None,
        address_type: Optional[str] = None,
        address_type_number: Field = None,
    ) -> Any:
        """Change some fields of an E911 address. ``PATCH /v2/e911s/{e911_id}``

        Only the fields given are sent; the others keep their values.
        """
        record = _ids.record_id(e911_id, "e911_id")
        attributes = address_attributes(
            label,
            first_name,
            last_name,
            street_name,
            street_number,
            city,
            state,
            country,
            zipcode,
            address_type,
            address_type_number,
            partial=True,
        )
        body = {"data": {"type": "e911", "id": record, "attributes": attributes}}
        return self._patch(f"/v2/e911s/{record}", body)

    def delete_address(self, e911_id: _ids.IdLike) -> Any:
        """Delete an E911 address no number uses any more. ``DELETE /v2/e911s/{e911_id}``"""
        return self._delete(f"/v2/e911s/{_ids.record_id(e911_id, 'e911_id')}")

    def associate(self, e911_id: _ids.IdLike, number_id: _ids.IdLike) -> Any:
        """Assign an E911 address. ``PATCH /v2/numbers/{id}/relationships/e911s/{e911_id}``

        Note the order: the E911 record first, as in the seed README. Repeating it is harmless
        (charged once).
        """
        record = _ids.record_id(e911_id, "e911_id")
        number = _ids.phone_number(number_id)
        return self._patch(f"/v2/numbers/{number}/relationships/e911s/{record}")

    def disconnect(self, number_id: _ids.IdLike) -> Any:
        """Remove a number's E911 address. ``DELETE /v2/numbers/{number_id}/relationships/e911s``"""
        return self._delete(f"/v2/numbers/{_ids.phone_number(number_id)}/relationships/e911s")

    def list_dids_for_e911(
        self,
        e911_id: _ids.IdLike,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> Any:
        """List the numbers using an E911 address. ``GET /v2/e911s/{id}/relationships/numbers``"""
        record = _ids.record_id(e911_id, "e911_id")
        return self._get(
            f"/v2/e911s/{record}/relationships/numbers", {"limit": limit, "offset": offset}
        )
