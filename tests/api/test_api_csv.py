"""?format=csv streams exactly the rows of the JSON pages of the same query."""

import csv
import io

import pytest

from config.api import neutralise
from tests.api.conftest import all_pages

pytestmark = pytest.mark.django_db

# Each list endpoint with a filtered query, and the column that identifies a row.
QUERIES = [
    ("initiatives", {"sponsor": "usa"}, "slug"),
    ("principles", {"topic": ["supply-chain", "untrusted-vendors"]}, "id"),
    ("topics", {"q": "data"}, "slug"),
    ("actors", {"kind": "company"}, "slug"),
    ("participations", {"initiative": "clean-network", "status": ["confirmed", "disputed"]}, "id"),
    ("measures", {"target": "huawei"}, "slug"),
    ("events", {"since": "2020-01-01", "until": "2020-12-31"}, "id"),
    ("sources", {"q": "5G"}, "key"),
]


def parse_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def as_cell(value) -> str:
    return neutralise(value)


@pytest.mark.parametrize(("endpoint", "params", "key"), QUERIES)
def test_csv_holds_exactly_the_rows_of_the_json_pages(api, endpoint, params, key):
    url = f"/api/v1/{endpoint}/"
    json_rows = all_pages(api, url, params)
    csv_rows = parse_csv(api.get(url, {**params, "format": "csv"}))
    assert json_rows, "the query should match something"
    assert [r[key] for r in csv_rows] == [str(r[key]) for r in json_rows]
    for json_row, csv_row in zip(json_rows, csv_rows, strict=True):
        for column, cell in csv_row.items():
            if column in json_row:
                assert cell == as_cell(json_row[column]), (column, cell, json_row[column])


@pytest.mark.parametrize(("endpoint", "params", "key"), QUERIES[:3])
def test_accept_header_asks_for_csv_too(api, endpoint, params, key):
    response = api.get(f"/api/v1/{endpoint}/", params, HTTP_ACCEPT="text/csv")
    assert len(parse_csv(response)) == len(all_pages(api, f"/api/v1/{endpoint}/", params))


def test_csv_has_no_page_cap(api):
    rows = parse_csv(api.get("/api/v1/actors/", {"format": "csv", "limit": 5}))
    assert len(rows) == 304  # limit paginates JSON; CSV streams every matching row


def test_compare_and_map_have_csv(api):
    rows = parse_csv(
        api.get(
            "/api/v1/compare/",
            {"initiatives": "gids,clean-network", "topic": "backdoors", "format": "csv"},
        )
    )
    assert [(r["topic"], r["initiative"], r["principle_order"]) for r in rows] == [
        ("backdoors", "gids", "7"),
        ("backdoors", "clean-network", ""),
    ]
    states = parse_csv(
        api.get(
            "/api/v1/map/", {"initiative": "clean-network", "as_of": "2020-05-06", "format": "csv"}
        )
    )
    assert len(states) == 250
    assert next(r for r in states if r["iso_alpha3"] == "CZE")["clean-network_role"] == "signatory"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("plain", "plain"),
        (None, ""),
        (["a", "=b"], "a; =b"),
        ("\tx", "'\tx"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, cell):
    assert neutralise(value) == cell


def test_hostile_data_is_neutralised_in_the_export(api):
    from initiatives.models import Topic

    Topic.objects.create(slug="formula", name="=cmd|' /C calc'!A0", description="@evil")
    rows = parse_csv(api.get("/api/v1/topics/", {"format": "csv", "q": "formula"}))
    assert rows == [
        {
            "slug": "formula",
            "name": "'=cmd|' /C calc'!A0",
            "description": "'@evil",
            "principle_count": "0",
        }
    ]


# Titles that exercise every quoting rule: separators, quotes, line breaks inside a field
# (LF, CR, CRLF), formula prefixes, an empty-looking start, non-ASCII and a lone "\.".
AWKWARD_TITLES = [
    'Comma, "quoted" and ""doubled""',
    "Two\nlines",
    "Carriage\rreturn",
    "Windows\r\nbreak",
    '"\nquote then break\n"',
    "=HYPERLINK(1)",
    "-minus",
    "@at",
    "+plus",
    "Ünïcødé — 数据安全 \u202eRLO",
    "\\.",
    " leading and trailing space ",
]


def test_the_events_export_is_the_text_the_row_writer_makes(api):
    """On PostgreSQL the database writes the events CSV itself (COPY); its bytes must be
    those of the row-by-row writer every other export uses."""
    from config.api import csv_lines
    from dashboard import services
    from dashboard.api import TimelineViewSet
    from dashboard.models import TimelineEntry
    from initiatives.models import Event, EventKind

    for n, title in enumerate(AWKWARD_TITLES):
        Event.objects.create(
            slug=f"awkward-{n}",
            date="2021-03-01",
            date_precision="day",
            kind=EventKind.OTHER,
            title=title,
        )
    services.refresh()
    response = api.get("/api/v1/events/", {"format": "csv"})
    body = b"".join(response.streaming_content)

    view = TimelineViewSet()
    header = [column.header for column in view.csv_columns]
    expected = "".join(csv_lines(header, view.csv_rows(TimelineEntry.objects.all())))
    assert body == expected.encode()
    titles = {row["title"] for row in csv.DictReader(io.StringIO(body.decode()[1:], newline=""))}
    assert set(AWKWARD_TITLES) - {t for t in AWKWARD_TITLES if t[0] in "=-@+"} <= titles
    assert {"'=HYPERLINK(1)", "'-minus", "'@at", "'+plus"} <= titles
