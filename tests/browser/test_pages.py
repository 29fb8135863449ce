"""Every page, at desktop and phone sizes: no error of any kind, charts drawn, a screenshot.

"No error" means: nothing written to the console as an error, no uncaught exception, no
Content-Security-Policy violation, no request that failed, answered 4xx/5xx or left
127.0.0.1. Screenshots go to artifacts/screenshots/<name>-<desktop|phone>.png.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.support import DESKTOP, PHONE, ROOT, wait_chart_ready

SCREENSHOTS = ROOT / "artifacts" / "screenshots"

# (screenshot name, address, the charts that must be drawn there)
PAGES = [
    ("home", "/", ["#glance-chart"]),
    ("map", "/map/", ["#map-chart"]),
    (
        "map-overlap",
        "/map/?initiative=clean-network&initiative=future-of-the-internet",
        ["#map-chart"],
    ),
    ("compare", "/compare/?initiatives=gids,clean-network", []),
    ("principles-backdoors", "/principles/?topic=backdoors", []),
    ("timeline", "/timeline/", ["#timeline-chart"]),
    ("timeline-huawei", "/timeline/?company=huawei", ["#timeline-chart"]),
    ("initiative-clean-network", "/initiatives/clean-network/", ["#growth-chart", "#map-chart"]),
    ("initiative-gids", "/initiatives/gids/", ["#growth-chart", "#map-chart"]),
    ("actor-cze", "/actors/cze/", []),
    ("actor-huawei", "/actors/huawei/", ["#measures-chart"]),
    ("actor-chn", "/actors/chn/", []),
    ("sources", "/sources/", []),
    ("about", "/about/", []),
    ("api-docs", "/api/docs/", []),
]
# What each page must show once it has settled, besides its charts.
CONTENT = {
    "compare": "#crosswalk tbody tr[data-topic]",
    "principles-backdoors": "#principles-table tbody tr[data-principle-id]",
    "timeline": "#timeline-table tbody tr[data-kind]",
    "timeline-huawei": "#timeline-table tbody tr[data-kind]",
    "map": "#map-table tbody tr[data-iso]",
    "map-overlap": "#map-table tbody tr[data-iso]",
    # Swagger UI has read the schema and listed the operations.
    "api-docs": ".swagger-ui .opblock",
}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("name", "path", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_it_loads_cleanly_and_draws_its_charts(new_tab, screenshots, name, path, charts, size):
    tab = new_tab(**SIZES[size])
    page = tab.page
    tab.goto(path)
    # Every chart on the page, not only the expected ones, must finish drawing.
    on_page = page.locator(".chart").evaluate_all("nodes => nodes.map(n => '#' + n.id)")
    assert sorted(on_page) == sorted(charts)
    for chart in charts:
        wait_chart_ready(page, chart)
        expect(page.locator(chart + " .main-svg").first).to_be_visible()
    if name in CONTENT:
        expect(page.locator(CONTENT[name]).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshots / f"{name}-{size}.png"), full_page=True)
    assert tab.problems() == {}


# The elements sticking out past the right edge, innermost first, for the failure message.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = (e) => e.getBoundingClientRect().right > width + 1;
  return Array.from(document.querySelectorAll("body *"))
    .filter((e) => out(e) && !Array.from(e.children).some(out))
    .slice(0, 5)
    .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
      (typeof e.className === "string" && e.className ? "." + e.className.replace(/ /g, ".") : "") +
      " (" + Math.round(e.getBoundingClientRect().width) + "px): " +
      (e.textContent || "").trim().slice(0, 80));
}"""


@pytest.mark.parametrize(("name", "path", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_it_fits_a_phone_screen_without_sideways_scrolling(new_tab, name, path, charts):
    """Wide tables scroll inside themselves; the page itself must not be wider than the phone."""
    tab = new_tab(**PHONE)
    page = tab.page
    tab.goto(path)
    for chart in charts:
        wait_chart_ready(page, chart)
    if name in CONTENT:
        expect(page.locator(CONTENT[name]).first).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"{path} is {widths[0]}px wide on a {widths[1]}px phone; "
        f"sticking out: {page.evaluate(OVERFLOWING)}"
    )
