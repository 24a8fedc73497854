"""Small immutable value objects, without :mod:`dataclasses`.

Importing :mod:`dataclasses` pulls in :mod:`inspect`, and each dataclass compiles its methods
when its module is imported: together more than the rest of the SDK's import time. The values
that every import needs (timeouts, the retry policy, an error's request and response) derive
from :class:`Record` instead.
"""

from __future__ import annotations

from typing import Any


class Record:
    """Equal by type and fields, hashable, shown by field, frozen after ``__init__``.

    A subclass names its fields in ``__slots__``, takes them as parameters of the same names
    and passes them on as keywords to ``Record.__init__``. Pickling rebuilds it through its own
    ``__init__``, so a value is checked however it was made.
    """

    __slots__: tuple[str, ...] = ()

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), tuple(zip(self.__slots__, self._values()))))


def _rebuild(cls: type[Record], fields: tuple[tuple[str, Any], ...]) -> Record:
    return cls(**dict(fields))
