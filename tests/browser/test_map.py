"""The signatory map in a real browser: drawn offline, moved through time, clicked, exported.

The dated fact used throughout: the Czech Republic joined the Clean Network on 6 May 2020
(the US–Czech joint declaration on 5G security). On 5 May it has no part; from 6 May on it
is a member.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    chart_category,
    fetch_csv,
    hex_to_rgb,
    interior_point,
    map_states,
    rendered_fill,
    script_category,
    table_category,
    wait_chart_ready,
    wait_map_date,
)

BEFORE, JOINED = "2020-05-05", "2020-05-06"
OVERLAP = "/map/?initiative=clean-network&initiative=future-of-the-internet&as_of=2022-05-01"


def czech_everywhere(page) -> dict:
    """CZE's category as the figure, the painted path, the table and the script see it."""
    chart = chart_category(page, "CZE")
    return {
        "chart": chart["category"],
        "fill": rendered_fill(page, "CZE") == hex_to_rgb(chart["colour"]),
        "table": table_category(page, "CZE"),
        "script": script_category(page, "CZE"),
    }


NOT_IN = {"chart": "none", "fill": True, "table": None, "script": "none"}
MEMBER = {"chart": "member", "fill": True, "table": "member", "script": "member"}


def steps(page) -> list:
    return page.evaluate("window.atlasMap.steps")


def test_it_draws_the_world_from_our_own_files_only(tab):
    tab.goto("/map/")
    page = tab.page
    wait_map_date(page, "latest")
    assert page.locator("#map-chart path.choroplethlocation").count() > 150
    # The world outline came from our static files...
    assert page.evaluate(
        "performance.getEntriesByType('resource').some(e => "
        "new URL(e.name).pathname.startsWith('/static/vendor/topojson/'))"
    )
    # ...and nothing at all was asked of the internet.
    assert tab.blocked == []
    assert tab.problems() == {}


@pytest.mark.parametrize(("as_of", "expected"), [(BEFORE, NOT_IN), (JOINED, MEMBER)])
def test_it_shows_the_date_asked_for_in_the_address(tab, as_of, expected):
    tab.goto(f"/map/?as_of={as_of}")
    page = tab.page
    wait_map_date(page, as_of)
    expect(page.locator("#map-date-label")).to_have_text(as_of)
    assert czech_everywhere(page) == expected
    assert tab.problems() == {}


def test_it_shows_the_same_states_without_javascript(new_tab):
    """The server-rendered table agrees with the script: CZE is absent, then a member."""
    tab = new_tab(java_script_enabled=False)
    tab.goto(f"/map/?as_of={BEFORE}")
    assert tab.page.locator('#map-table tr[data-iso="CZE"]').count() == 0
    assert tab.page.locator("#map-table tbody tr[data-iso]").count() > 0
    tab.goto(f"/map/?as_of={JOINED}")
    expect(tab.page.locator('#map-table tr[data-iso="CZE"]')).to_have_attribute(
        "data-category", "member"
    )


def test_it_recolours_the_czech_republic_as_the_slider_moves(tab):
    tab.goto(f"/map/?as_of={BEFORE}")
    page = tab.page
    wait_map_date(page, BEFORE)
    assert czech_everywhere(page) == NOT_IN
    before_fill = rendered_fill(page, "CZE")
    dates = steps(page)
    slider = page.locator("#map-date")
    # The slider sits on the last change before 5 May; one step right is 6 May.
    assert dates[int(slider.input_value()) + 1] == JOINED

    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_map_date(page, JOINED)
    expect(page.locator("#map-date-label")).to_have_text(JOINED)
    assert czech_everywhere(page) == MEMBER
    assert rendered_fill(page, "CZE") != before_fill
    expect(page.locator('#map-table tr[data-iso="CZE"]')).to_have_attribute(
        "data-category", "member"
    )

    page.keyboard.press("ArrowLeft")
    previous = dates[dates.index(JOINED) - 1]
    wait_map_date(page, previous)
    assert czech_everywhere(page) == NOT_IN
    assert rendered_fill(page, "CZE") == before_fill

    # Setting the value and sending "input", as a pointer drag does, works the same way.
    slider.evaluate(
        "(el, i) => { el.value = String(i); "
        "el.dispatchEvent(new Event('input', {bubbles: true})); }",
        dates.index(JOINED),
    )
    wait_map_date(page, JOINED)
    assert czech_everywhere(page) == MEMBER

    page.keyboard.press("Home")
    wait_map_date(page, dates[0])
    page.keyboard.press("End")
    wait_map_date(page, "latest")
    assert czech_everywhere(page) == MEMBER
    assert tab.problems() == {}


def test_it_colours_each_category_in_its_own_trace(tab):
    tab.goto("/map/")
    page = tab.page
    wait_map_date(page, "latest")
    traces = page.evaluate(
        "document.getElementById('map-chart').data.map(t => ({"
        "categories: [...new Set(t.customdata)], colour: t.colorscale[0][1], "
        "n: t.locations.length}))"
    )
    for trace in traces:
        assert len(trace["categories"]) <= 1, trace
    colours = [t["colour"] for t in traces]
    assert len(set(colours)) == len(colours), f"two categories share a colour: {colours}"
    # Every state drawn exactly once.
    assert sum(t["n"] for t in traces) == len(map_states(page))


def test_it_plays_through_the_dates_and_pauses(tab):
    tab.goto("/map/")
    page = tab.page
    wait_map_date(page, "latest")
    dates = steps(page)
    play = page.locator("#map-play")
    slider = page.locator("#map-date")
    expect(play).to_have_attribute("aria-pressed", "false")

    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(play).to_have_text("Pause")
    # From the last position, play starts again at the first date, then moves on by itself.
    page.wait_for_function(
        "() => Number(document.getElementById('map-date').value) >= 2", timeout=15_000
    )

    play.click()
    expect(play).to_have_attribute("aria-pressed", "false")
    expect(play).to_have_text("Play")
    stopped_at = int(slider.input_value())
    assert 2 <= stopped_at < len(dates) - 1
    shown = dates[stopped_at]
    wait_map_date(page, shown)
    expect(page.locator("#map-date-label")).to_have_text(shown)
    assert f"as_of={shown}" in page.locator("#map-csv").get_attribute("href")
    page.wait_for_timeout(1600)  # more than two animation ticks: nothing may move now
    assert int(slider.input_value()) == stopped_at
    assert page.locator("#map-chart").get_attribute("data-date") == shown
    assert tab.problems() == {}


@pytest.mark.parametrize("iso", ["USA", "BRA"])
def test_it_opens_a_country_page_when_the_country_is_clicked(tab, iso):
    tab.goto("/map/")
    page = tab.page
    wait_map_date(page, "latest")
    name, slug = map_states(page)[iso]
    assert slug == iso.lower()
    page.locator("#map-chart").scroll_into_view_if_needed()
    x, y = interior_point(page, iso)
    page.mouse.move(x, y)
    expect(page.locator("#map-chart .hoverlayer .hovertext")).to_contain_text(name)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"/actors/{slug}/$"))
    expect(page.locator("h1")).to_have_text(name)
    assert tab.blocked == []


def test_it_shows_the_overlap_of_two_initiatives(tab):
    tab.goto(OVERLAP)
    page = tab.page
    wait_map_date(page, "2022-05-01")
    expected = {"CZE": "both", "NOR": "a-only", "ARG": "b-only"}
    for iso, category in expected.items():
        assert chart_category(page, iso)["category"] == category, iso
        assert table_category(page, iso) == category, iso
        assert script_category(page, iso) == category, iso
    # A state in neither initiative is coloured "neither" and not listed.
    assert chart_category(page, "CHN")["category"] == "neither"
    assert table_category(page, "CHN") is None
    listed = set(
        page.locator("#map-table tbody tr[data-iso]").evaluate_all(
            "rows => rows.map(r => r.dataset.category)"
        )
    )
    assert listed == {"both", "a-only", "b-only"}
    categories = set(
        page.evaluate("document.getElementById('map-chart').data.flatMap(t => t.customdata)")
    )
    assert categories == {"both", "a-only", "b-only", "neither"}
    # Each of the three is painted in its own colour.
    fills = {iso: rendered_fill(page, iso) for iso in (*expected, "CHN")}
    assert len(set(fills.values())) == 4, fills
    assert tab.problems() == {}


def test_it_keeps_the_csv_link_on_the_date_shown(tab):
    tab.goto("/map/")
    page = tab.page
    wait_map_date(page, "latest")
    link = page.locator("#map-csv")
    assert "as_of" not in link.get_attribute("href")
    dates = steps(page)

    for day, czech_role in ((JOINED, "signatory"), (dates[dates.index(JOINED) - 1], "")):
        page.evaluate("(i) => window.atlasMap.setStep(i)", dates.index(day))
        wait_map_date(page, day)
        href = link.get_attribute("href")
        assert f"as_of={day}" in href and "format=csv" in href
        assert "initiative=clean-network" in href
        assert f"as_of={day}" in page.url  # the address follows too, for sharing
        rows = fetch_csv(page, href)
        czech = [r for r in rows if r["iso_alpha3"] == "CZE"]
        assert len(czech) == 1 and czech[0]["clean-network_role"] == czech_role
        # The CSV lists as having a part exactly the states the table lists.
        with_part = {r["iso_alpha3"] for r in rows if r["clean-network_role"]}
        on_screen = set(
            page.locator("#map-table tbody tr[data-iso]").evaluate_all(
                "rows => rows.map(r => r.dataset.iso)"
            )
        )
        assert with_part == on_screen

    page.evaluate("(i) => window.atlasMap.setStep(i)", len(dates) - 1)
    wait_map_date(page, "latest")
    assert "as_of" not in link.get_attribute("href")
    assert "as_of" not in page.url
    assert tab.problems() == {}


def test_it_draws_the_small_map_on_an_initiative_page(tab):
    tab.goto("/initiatives/clean-network/")
    page = tab.page
    wait_chart_ready(page, "#map-chart")
    wait_chart_ready(page, "#growth-chart")
    assert page.locator("#map-chart path.choroplethlocation").count() > 150
    assert chart_category(page, "CZE")["category"] == "member"
    assert tab.problems() == {}
