"""What commands print: the JSON document with ``--json``, else tables and short lines.

rich is imported only when something is drawn, so ``--json`` and ``--help`` never pay for it.
Progress goes to stderr, and only when stderr is a terminal: a script reading stdout, or a log
file, gets the result alone.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence

import click

if TYPE_CHECKING:
    from rich.console import RenderableType

# A table column: its header, and the item's attribute it shows ("id" is the item's id).
Column = tuple[str, str]
# Changes a live progress line: description=..., completed=... (rich's Progress.update).
Update = Callable[..., None]


class Output:
    """Prints for one run: JSON on stdout with ``--json``, rich tables and lines otherwise."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def json(self, value: Any) -> None:
        click.echo(json.dumps(value, indent=2, ensure_ascii=False))

    def items(self, document: Any, columns: Sequence[Column]) -> None:
        """A list document: its ``data`` items, one row each."""
        if self.as_json:
            self.json(document)
            return
        items = _data(document)
        rows = [[_value(item, key) for _, key in columns] for item in _list(items)]
        self.table([header for header, _ in columns], rows)

    def record(self, document: Any) -> None:
        """A single-resource document: its fields, one row each, and what it includes."""
        if self.as_json:
            self.json(document)
            return
        data = _mapping(_data(document))
        rows: list[list[Any]] = [["id", data.get("id")], ["type", data.get("type")]]
        rows += [[key, value] for key, value in _mapping(data.get("attributes")).items()]
        for name, related in _mapping(data.get("relationships")).items():
            rows.append([name, _reference(_mapping(related).get("data"))])
        for item in _list(_mapping(document).get("included")):
            rows.append([f"included {_reference(item)}", _mapping(item).get("attributes")])
        self.table(["field", "value"], rows)

    def done(self, document: Any, message: str) -> None:
        """A change's outcome: the API's answer with ``--json`` (null for none), else a line."""
        if self.as_json:
            self.json(document)
        else:
            click.echo(message)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        total: Optional[Sequence[Any]] = None,
    ) -> None:
        """Rows under headers; ``total``, if given, as a last row set apart."""
        from rich.table import Table

        table = Table()
        for header in headers:
            table.add_column(header, overflow="fold")  # long ids wrap, never lose characters
        for row in rows:
            table.add_row(*(_cell(value) for value in row))
        if total is not None:
            table.add_section()
            table.add_row(*(_cell(value) for value in total))
        from rich.console import Console

        Console(soft_wrap=False).print(table)


@contextlib.contextmanager
def progress(description: str, *, transfer: bool = False) -> Iterator[Optional[Update]]:
    """A live progress line on stderr; yields its update function, or None when nobody watches.

    Drawn only when stderr is a terminal. ``transfer`` shows bytes and speed, else the time
    spent. The line disappears when the block ends: the result is printed after it.
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
    if transfer:
        columns += [BarColumn(), DownloadColumn(), TransferSpeedColumn()]
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as shown:
        task = shown.add_task(description, total=None)

        def update(**fields: Any) -> None:
            shown.update(task, **fields)

        yield update


def created_id(document: Any) -> str:
    """The id of what a create answered with ("?" if the answer has none)."""
    return str(_mapping(_data(document)).get("id", "?"))


def _cell(value: Any) -> RenderableType:
    """One value as a table cell. Text is never read as rich markup: it comes from the API."""
    from rich.table import Table
    from rich.text import Text

    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        headers = list(dict.fromkeys(key for v in value for key in v))
        nested = Table(*headers, box=None, pad_edge=False)
        for v in value:
            nested.add_row(*(_cell(v.get(key)) for key in headers))
        return nested
    if value is None:
        return Text("-")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, (dict, list)):
        return Text(json.dumps(value, ensure_ascii=False))
    return Text(str(value))


def _data(document: Any) -> Any:
    return _mapping(document).get("data")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _value(item: Any, key: str) -> Any:
    if key == "id":
        return _mapping(item).get("id")
    return _mapping(_mapping(item).get("attributes")).get(key)


def _reference(linked: Any) -> str:
    linked = _mapping(linked)
    return f"{linked.get('type')} {linked.get('id')}" if linked else "-"
