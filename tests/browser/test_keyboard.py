"""The pages work with the keyboard alone: skip link, the map's slider, the compare form."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import describe_focus, focused, tab_to, wait_map_date


@pytest.mark.parametrize(
    "path", ["/", "/map/", "/compare/?initiatives=gids,clean-network", "/timeline/", "/actors/cze/"]
)
def test_it_reaches_the_skip_link_first_and_it_moves_focus_to_main(tab, path):
    tab.goto(path)
    page = tab.page
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link"), f"first Tab focused {describe_focus(page)}"
    skip = page.locator("a.skip-link")
    expect(skip).to_have_attribute("href", "#main")
    # Hidden off-screen until focused, then visible inside the viewport.
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    # The next Tab continues inside the main content, past the site navigation.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => document.getElementById('main').contains(document.activeElement)"
    ), f"Tab after the skip link focused {describe_focus(page)}"
    assert tab.problems() == {}


def test_it_moves_the_map_slider_with_the_arrow_keys(tab):
    tab.goto("/map/")
    page = tab.page
    wait_map_date(page, "latest")
    dates = page.evaluate("window.atlasMap.steps")
    label = page.locator("#map-date-label")
    slider = page.locator("#map-date")
    expect(label).to_have_text("latest")

    tab_to(page, "#map-date")
    page.keyboard.press("ArrowLeft")
    wait_map_date(page, dates[-2])
    expect(label).to_have_text(dates[-2])
    expect(slider).to_have_attribute("aria-valuetext", dates[-2])

    page.keyboard.press("Home")
    wait_map_date(page, dates[0])
    expect(label).to_have_text(dates[0])
    page.keyboard.press("ArrowRight")
    wait_map_date(page, dates[1])
    expect(label).to_have_text(dates[1])
    expect(page.locator("#map-date-heading")).to_have_text(f"as of {dates[1]}")

    page.keyboard.press("End")
    wait_map_date(page, "latest")
    expect(label).to_have_text("latest")
    assert focused(page, "#map-date")
    assert tab.problems() == {}


def test_it_plays_the_map_from_the_keyboard(tab):
    tab.goto("/map/")
    page = tab.page
    wait_map_date(page, "latest")
    play = page.locator("#map-play")
    tab_to(page, "#map-play")
    page.keyboard.press("Enter")
    expect(play).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => Number(document.getElementById('map-date').value) >= 1")
    page.keyboard.press("Space")
    expect(play).to_have_attribute("aria-pressed", "false")
    assert tab.problems() == {}


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_it_submits_the_compare_form_from_the_keyboard(tab, key):
    tab.goto("/compare/?initiatives=gids,clean-network")
    page = tab.page
    backdoors = page.locator('#compare-form input[name="topic"][value="backdoors"]')
    expect(backdoors).not_to_be_checked()

    tab_to(page, '#compare-form input[name="topic"][value="backdoors"]')
    page.keyboard.press("Space")
    expect(backdoors).to_be_checked()
    tab_to(page, '#compare-form button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press(key)

    assert "topic=backdoors" in page.url
    topics = page.locator("#crosswalk tbody tr[data-topic]").evaluate_all(
        "rows => rows.map(r => r.dataset.topic)"
    )
    assert topics == ["backdoors"]
    expect(page.locator('#compare-form input[name="topic"][value="backdoors"]')).to_be_checked()
    assert tab.problems() == {}
