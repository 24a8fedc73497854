"""Reading a downloaded CDR export: exact strings, CSV or gzip, streaming."""

from __future__ import annotations

import csv
import gzip
import io

import pytest

from flowroutenumbersandmessaging._cdr_columns import CDR_COLUMNS
from flowroutenumbersandmessaging.exceptions import CDRDownloadError
from tests.support.cdr_sample import SAMPLE_CSV

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


def formula_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["callerid", "custom_x_tag", "number_alias"])
    for cell in FORMULAS:
        writer.writerow([cell, cell, "-0.5"])
    return buffer.getvalue().encode()


def test_sample_export_parses_into_three_rows_of_25_exact_strings(client, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(SAMPLE_CSV)
    rows = client.cdrs.parse_cdr_export(str(path))
    assert len(rows) == 3
    assert all(list(row) == list(CDR_COLUMNS) for row in rows)
    assert rows[0]["total_cost"] == "0.00000000"
    assert rows[0]["line_information"] == ""
    assert rows[1]["line_information"] == "61"
    assert rows[1]["callerid"] == "+12069928999"
    assert rows[2]["customer_ip"] == "53.186.151.52:5080"
    assert all(isinstance(value, str) for row in rows for value in row.values())


def test_formula_injection_cells_come_back_exactly_as_written(client, tmp_path):
    path = tmp_path / "formulas.csv"
    path.write_bytes(formula_csv())
    rows = client.cdrs.parse_cdr_export(path)
    assert [row["callerid"] for row in rows] == FORMULAS
    assert [row["custom_x_tag"] for row in rows] == FORMULAS
    assert {row["number_alias"] for row in rows} == {"-0.5"}


def test_gzipped_export_parses_like_the_plain_one(client, tmp_path):
    plain, packed = tmp_path / "a.csv", tmp_path / "a.csv.gz"
    plain.write_bytes(SAMPLE_CSV)
    packed.write_bytes(gzip.compress(SAMPLE_CSV))
    assert client.cdrs.parse_cdr_export(packed) == client.cdrs.parse_cdr_export(plain)


def test_gzip_is_recognised_by_magic_bytes_not_by_file_name(client, tmp_path):
    path = tmp_path / "export.csv"  # a .csv name holding gzip, as S3 objects may
    path.write_bytes(gzip.compress(SAMPLE_CSV))
    assert len(client.cdrs.parse_cdr_export(path)) == 3


def test_multi_member_gzip_yields_the_rows_of_every_member(client, tmp_path):
    head, _, rest = SAMPLE_CSV.partition(b"\n")
    lines = rest.splitlines(keepends=True)
    path = tmp_path / "multi.gz"
    path.write_bytes(gzip.compress(head + b"\n" + lines[0]) + gzip.compress(b"".join(lines[1:])))
    assert [row["duration"] for row in client.cdrs.parse_cdr_export(path)] == ["37", "29", "106"]


def test_truncated_gzip_raises_instead_of_returning_partial_rows(client, tmp_path):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(SAMPLE_CSV * 50)[:-30])
    with pytest.raises(CDRDownloadError, match="truncated or corrupt"):
        client.cdrs.parse_cdr_export(path)


def test_iter_cdr_export_streams_rows_one_at_a_time(client, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(SAMPLE_CSV)
    rows = client.cdrs.iter_cdr_export(path)
    assert iter(rows) is rows
    assert next(rows)["direction"] == "Outbound"
    assert [row["direction"] for row in rows] == ["Inbound", "Outbound"]


def test_parse_is_the_list_of_iter(client, tmp_path):
    path = tmp_path / "formulas.csv"
    path.write_bytes(formula_csv())
    assert client.cdrs.parse_cdr_export(path) == list(client.cdrs.iter_cdr_export(path))


def test_a_byte_order_mark_does_not_rename_the_first_column(client, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE_CSV)
    assert list(client.cdrs.parse_cdr_export(path)[0])[:2] == ["direction", "start_time"]
