"""Hostile names in Plotly hover labels: shown as text, never run, never turned into elements.

Plotly renders a subset of HTML in hover text, so a name like `"><img src=x onerror=...>`
would become an element if the chart scripts passed it through unescaped. The data is put
into the served database through manage.py (as the server itself was set up) and removed
afterwards, so the other browser tests see the curated dataset only.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.support import interior_point, wait_chart_ready, wait_map_date

SLUG = "hostile-hover"
SCRIPT = "<script>alert(1)</script>"
# Tags Plotly does render in labels (bold, links): unescaped, they would vanish into markup.
MARKUP = "<b>bold</b><a href='javascript:alert(1)'>link</a>"
IMG = '"><img src=x onerror=alert(1)>'
NAME = f"{SCRIPT}{MARKUP}{IMG} '\"\u202eexe.txt"
SHORT_NAME = f"{SCRIPT}<b>b</b>"
INSTRUMENT = f"{SCRIPT}{MARKUP}{IMG}"
# What a label must show literally, quotes included (charts.js escapes them as numeric
# references, which Plotly decodes; "&quot;" it would show as typed).
SHOWN = [SCRIPT, MARKUP, IMG]

CREATE = f"""
from actors.models import Actor
from initiatives.models import Initiative, Participation
initiative = Initiative.objects.create(
    slug={SLUG!r}, name={NAME!r}, short_name={SHORT_NAME!r}, sponsor=Actor.objects.get(slug="usa"),
    announced_on="2020-06-01", announced_on_precision="day", kind="initiative",
    status="active", summary="Hostile names.",
)
Participation.objects.create(
    initiative=initiative, actor=Actor.objects.get(slug="arg"), role="signatory",
    status="confirmed", joined_on="2020-07-01", joined_on_precision="day",
    instrument={INSTRUMENT!r},
)
"""
DELETE = f"""
from initiatives.models import Initiative
Initiative.objects.filter(slug={SLUG!r}).delete()
"""

# Script elements that are neither ours (src=) nor a JSON data block: injected ones.
FOREIGN_SCRIPTS = "script:not([src]):not([type='application/json'])"


@pytest.fixture(scope="module")
def hostile_initiative(atlas_server):
    atlas_server.manage("shell", "-c", CREATE)
    atlas_server.manage("refresh_views")  # also moves the version the response cache keys on
    try:
        yield SLUG
    finally:
        atlas_server.manage("shell", "-c", DELETE)
        atlas_server.manage("refresh_views")


@pytest.fixture
def watched(tab):
    """The tab, with every dialog (alert, confirm, prompt) recorded and dismissed."""
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.page.on("dialog", on_dialog)
    return tab, dialogs


def hover_label(page, chart: str):
    label = page.locator(f"{chart} .hoverlayer .hovertext")
    expect(label).to_have_count(1)
    return label.text_content()


def assert_nothing_ran(tab, dialogs):
    page = tab.page
    # Time for an injected image to be requested and fail, or its handler to fire.
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("[onerror], [onload], [onclick], [onmouseover]").count() == 0
    assert page.locator(FOREIGN_SCRIPTS).count() == 0
    assert page.locator(".hoverlayer a, .legend a").count() == 0  # no link made of the data
    # Not even the CSP refusing an inline style (Plotly draws <b> with one).
    assert tab.problems() == {}


def test_map_hover_shows_a_hostile_instrument_and_short_name_as_text(watched, hostile_initiative):
    tab, dialogs = watched
    page = tab.page
    # Two initiatives, so each hover line starts with the initiative's short name.
    tab.goto(f"/map/?initiative={hostile_initiative}&initiative=clean-network")
    wait_map_date(page, "latest")
    x, y = interior_point(page, "ARG")
    page.mouse.move(x, y)
    text = hover_label(page, "#map-chart")
    assert "Argentina" in text and "Clean Network: no part" in text
    # The short name starts the line of each initiative; the instrument follows.
    assert f"{SHORT_NAME}: signatory, confirmed — since 1 Jul 2020{SCRIPT}" in text
    assert all(part in text for part in SHOWN)
    # The legend names the overlap categories after the short name, as text too.
    legend = page.locator("#map-chart .legend").text_content()
    assert f"Only in {SHORT_NAME}" in legend
    assert_nothing_ran(tab, dialogs)


def test_timeline_hover_shows_a_hostile_name_as_text(watched, hostile_initiative):
    tab, dialogs = watched
    page = tab.page
    tab.goto(f"/timeline/?initiative={hostile_initiative}&kind=announcement")
    wait_chart_ready(page, "#timeline-chart")
    point = page.locator("#timeline-chart .scatterlayer path.point")
    expect(point).to_have_count(1)
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    text = hover_label(page, "#timeline-chart")
    assert text.startswith(f"1 Jun 2020: United States of America announces the {SCRIPT}{MARKUP}")
    assert all(part in text for part in SHOWN)
    assert_nothing_ran(tab, dialogs)


def test_a_direction_override_in_a_name_reorders_only_the_name(tab, hostile_initiative):
    """The name ends in U+202E (right-to-left override). Set in a <bdi>, it cannot pull the
    heading's own words after it ("…, latest") to the left of the name."""
    page = tab.page
    tab.goto(f"/map/?initiative={hostile_initiative}")
    wait_map_date(page, "latest")
    name_end, date = page.evaluate(
        """() => {
            const lines = document.querySelector('#map-heading bdi').getClientRects();
            const last = lines[lines.length - 1];
            const date = document.querySelector('#map-date-heading').getBoundingClientRect();
            return [{right: last.right, top: last.top}, {left: date.left, top: date.top}];
        }"""
    )
    on_a_later_line = date["top"] > name_end["top"] + 1
    assert on_a_later_line or date["left"] >= name_end["right"] - 1, (name_end, date)
    assert tab.problems() == {}
