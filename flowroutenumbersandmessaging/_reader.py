"""The one reader that builds every model in :mod:`models` from a JSON object.

A model is a plain frozen dataclass. The reader looks at its fields once, on first use, and
from then on knows for each field where its value is and how to convert it:

* Where: by default the attribute of the field's name, in the resource object's
  ``attributes`` (an object without ``attributes``, such as a CSV row, the portability answer,
  a legacy webhook or a receipt inside a message, holds its values itself). ``id`` is the
  resource object's own id, beside its attributes. Field metadata built by :func:`source`,
  :func:`related`, :func:`link` and :func:`included` names other places.
* How: from the field's type. ``str``, ``bool``, ``int``, ``Decimal`` and ``datetime`` convert
  the wire value (see the converters below); ``tuple[str, ...]`` is a list of strings; a tuple
  of a model builds that model from each item; ``Mapping`` copies an object. A field named
  ``id`` or ending in ``_id`` is an identifier: a string, or an integer made a string.
* ``raw`` is the object the model was built from.

A value that is present but cannot be what its field says raises
:class:`~.exceptions.InvalidResponseError` naming the model and where the value was; a field
read loosely (``source(loose=True)``) becomes ``None`` instead and the value stays on ``raw``.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Mapping
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, NamedTuple, Optional, Sequence, TypeVar

from .exceptions import InvalidResponseError

T = TypeVar("T")

_KEY = "flowroute"
_ATTRIBUTES = "attributes"
_INTEGER = re.compile(r"-?[0-9]+\Z")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


class _Source(NamedTuple):
    paths: tuple[tuple[str, ...], ...]
    loose: bool = False
    included: bool = False


def source(*paths: str, loose: bool = False) -> Mapping[str, Any]:
    """Field metadata: read the field at ``paths`` (dotted, in the resource object), in order.

    ``"attributes.from"`` is an attribute, ``"id"`` or ``"links.self"`` sit in the object
    itself. The first path holding a value wins; with no paths the field is read where it
    would be by default. ``loose``: a value that does not convert becomes ``None``.
    """
    return _metadata(paths, loose=loose)


def related(*names: str) -> Mapping[str, Any]:
    """Field metadata: the id a to-one relationship points at, under the first of ``names``."""
    return source(*(f"relationships.{name}.data.id" for name in names))


def link(name: str) -> Mapping[str, Any]:
    """Field metadata: one of the object's ``links``; a link object instead of a URL is ``None``."""
    return source(f"links.{name}", loose=True)


def included(relationship: str) -> Mapping[str, Any]:
    """Field metadata: the resources a to-many relationship names, found in ``included``.

    A resource the relationship names but the document does not include is built from its
    ``{"type", "id"}`` pair alone: it still exists, only its details are missing.
    """
    return _metadata((f"relationships.{relationship}.data",), included=True)


def _metadata(
    paths: Sequence[str], *, loose: bool = False, included: bool = False
) -> Mapping[str, Any]:
    return {_KEY: _Source(tuple(tuple(path.split(".")) for path in paths), loose, included)}


def build(model: type[T], obj: Any, resources: Sequence[Any]) -> T:
    """One ``model`` from one object; ``resources`` is its document's ``included`` list."""
    name = model.__name__
    if not isinstance(obj, Mapping):
        raise InvalidResponseError(f"{name}: expected a JSON object, got {_kind(obj)}")
    attributes = obj.get(_ATTRIBUTES)
    if attributes is None:
        attributes = obj
    elif not isinstance(attributes, Mapping):
        raise InvalidResponseError(
            f"{name}: expected an object at attributes, got {_kind(attributes)}"
        )
    values = {field.name: field.read(name, obj, attributes, resources) for field in _plan(model)}
    # mypy cannot see the dataclass fields of a type variable; these are exactly those fields.
    return model(raw=obj, **values)  # type: ignore[call-arg]


def single(model: type, doc: Any) -> tuple[Mapping[str, Any], Sequence[Any]]:
    """The resource object of a single-resource document, and the document's ``included``."""
    data = _data(model, doc)
    if not isinstance(data, Mapping):
        raise InvalidResponseError(
            f"{model.__name__}: expected one object at data, got {_kind(data)}"
        )
    return data, _included(doc)


def listing(model: type, doc: Any) -> tuple[list[Any], Sequence[Any]]:
    """The items of a list document, and the document's ``included``."""
    data = _data(model, doc)
    if not isinstance(data, list):
        raise InvalidResponseError(f"{model.__name__}: expected a list at data, got {_kind(data)}")
    return data, _included(doc)


class _Mismatch(Exception):
    """A value is present but is not what the field holds; ``expected`` says what would be."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


class _Place(NamedTuple):
    """Where a value may be: a key of the attributes or of the object itself, then keys below."""

    in_attributes: bool
    key: str
    below: tuple[str, ...]
    label: str


class _Field(NamedTuple):
    name: str
    places: tuple[_Place, ...]
    convert: Callable[[Any], Any]
    required: bool
    loose: bool
    included: bool

    def read(
        self,
        model: str,
        obj: Mapping[str, Any],
        attributes: Mapping[str, Any],
        resources: Sequence[Any],
    ) -> Any:
        """The value at the first place holding one, converted; the empty value if none does."""
        for place in self.places:
            value = (attributes if place.in_attributes else obj).get(place.key)
            if place.below:
                value = _dig(value, place.below)
            if value is None:
                continue
            if self.included:
                value = _resolve(value, resources)
            try:
                converted = self.convert(value)
            except _Mismatch as mismatch:
                if not self.loose:
                    raise InvalidResponseError(
                        f"{model}.{place.label}: expected {mismatch.expected}, got {_shown(value)}"
                    ) from None
                converted = None
            if converted is not None:
                return converted
        if self.required:
            raise InvalidResponseError(f"{model}: the object has no {self.places[0].label}")
        return self.convert(None)


# Two threads may both work out a model's plan on its first use; the plans are equal, and
# either may stay: a lock would cost every later call for nothing.
_PLANS: dict[type, tuple[_Field, ...]] = {}


def _plan(model: type) -> tuple[_Field, ...]:
    # Worked out on first use, not at import: resolving string annotations costs an eval each.
    plan = _PLANS.get(model)
    if plan is None:
        hints = typing.get_type_hints(model)
        fields = [f for f in dataclasses.fields(model) if f.name != "raw"]
        plan = _PLANS[model] = tuple(_field(model, f, hints[f.name]) for f in fields)
    return plan


def _field(model: type, field: dataclasses.Field[Any], hint: Any) -> _Field:
    declared = field.metadata.get(_KEY, _Source(()))
    default = (field.name,) if field.name == "id" else (_ATTRIBUTES, field.name)
    missing = dataclasses.MISSING
    return _Field(
        name=field.name,
        places=tuple(_place(path) for path in declared.paths or (default,)),
        convert=_converter(model, field.name, hint),
        required=field.default is missing and field.default_factory is missing,
        loose=declared.loose,
        included=declared.included,
    )


def _converter(model: type, name: str, hint: Any) -> Callable[[Any], Any]:
    if typing.get_origin(hint) is typing.Union:
        (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
    if name == "id" or name.endswith("_id"):
        return _ident
    origin = typing.get_origin(hint)
    if origin is tuple:
        element = typing.get_args(hint)[0]
        return _texts if element is str else _models(element)
    if origin is Mapping:
        return _mapping
    converter = _SCALARS.get(hint)
    if converter is None:
        raise TypeError(f"{model.__name__}.{name}: the reader has no converter for {hint!r}")
    return converter


def _place(path: tuple[str, ...]) -> _Place:
    in_attributes = path[0] == _ATTRIBUTES
    within = path[1:] if in_attributes else path
    return _Place(in_attributes, within[0], within[1:], ".".join(within))


def _dig(node: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _resolve(linkage: Any, resources: Sequence[Any]) -> list[Any]:
    """The included resource for each ``{"type", "id"}`` pair, or the pair itself."""
    if not isinstance(linkage, list):
        return []
    index = {_identity(item): item for item in resources if isinstance(item, Mapping)}
    return [index.get(_identity(item), item) for item in linkage if isinstance(item, Mapping)]


def _identity(resource: Mapping[str, Any]) -> tuple[str, str]:
    return str(resource.get("type")), str(resource.get("id"))


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


# --- converters: each takes the wire value (None when absent) and returns the field's value --


def _ident(value: Any) -> Optional[str]:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Mismatch("an id")


def _text(value: Any) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise _Mismatch("text")


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Mismatch("a list of strings")
    return tuple(value)


def _flag(value: Any) -> Optional[bool]:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _Mismatch("true or false")


def _integer(value: Any) -> Optional[int]:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(value.strip())
    raise _Mismatch("an integer")


def _money(value: Any) -> Optional[Decimal]:
    if value is None or value == "":
        return None
    amount: Optional[Decimal] = None
    if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool):
        # str() of a float is its shortest round-trip form: 1.25 -> Decimal("1.25").
        try:
            amount = Decimal(value) if isinstance(value, str) else Decimal(str(value))
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        raise _Mismatch("a decimal amount")
    return amount


def _time(value: Any) -> Optional[datetime]:
    """Any of the API's timestamp formats, as an aware UTC datetime; naive means UTC."""
    if value is None or value == "":
        return None
    moment: Optional[datetime] = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        moment = _parse_time(value.strip())
    if moment is None:
        raise _Mismatch("a timestamp")
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _parse_time(text: str) -> Optional[datetime]:
    # Imported here so that importing the SDK does not pay for dateutil (or email) up front.
    import email.utils

    from dateutil.parser import isoparse

    # ISO 8601 in all the API's variants (``Z``, ``+00``, space separator, 1-6 fraction
    # digits); datetime.fromisoformat reads none of those before Python 3.11.
    try:
        return isoparse(text)
    except (ValueError, OverflowError):
        pass
    # RFC 1123 (``Fri, 01 Jun 2018 00:17:52 GMT``), sent by CNAM associations.
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _models(model: Any) -> Callable[[Any], tuple[Any, ...]]:
    def convert(value: Any) -> tuple[Any, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise _Mismatch("a list")
        return tuple(model.from_json(item) for item in value)

    return convert


def _mapping(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _Mismatch("an object")
    return dict(value)


_SCALARS: dict[Any, Callable[[Any], Any]] = {
    str: _text,
    bool: _flag,
    int: _integer,
    Decimal: _money,
    datetime: _time,
}


def _data(model: type, doc: Any) -> Any:
    if not isinstance(doc, Mapping):
        raise InvalidResponseError(f"{model.__name__}: expected a JSON document, got {_kind(doc)}")
    if "data" not in doc:
        raise InvalidResponseError(f"{model.__name__}: the document has no data")
    return doc["data"]


def _included(doc: Mapping[str, Any]) -> Sequence[Any]:
    included = doc.get("included")
    return included if isinstance(included, list) else ()


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
