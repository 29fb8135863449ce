"""The crosswalk in a real browser: narrowing it by topic, and its CSV against the screen."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.support import parse_csv

START = "/compare/?initiatives=gids,clean-network"
CHOSEN = ["backdoors", "app-stores", "cloud"]

# Every (topic, initiative, principle id) cell on screen; an empty cell counts as id "".
ON_SCREEN = """table => {
  const cells = [];
  table.querySelectorAll("tbody tr[data-topic]").forEach(row => {
    row.querySelectorAll("td[data-initiative]").forEach(td => {
      const items = td.querySelectorAll("li[data-principle-id]");
      if (!items.length) { cells.push([row.dataset.topic, td.dataset.initiative, ""]); }
      items.forEach(li => {
        cells.push([row.dataset.topic, td.dataset.initiative, li.dataset.principleId]);
      });
    });
  });
  return cells;
}"""


def topics_on_screen(page) -> list[str]:
    return page.locator("#crosswalk tbody tr[data-topic]").evaluate_all(
        "rows => rows.map(r => r.dataset.topic)"
    )


def cells_on_screen(page) -> list[tuple]:
    return [tuple(cell) for cell in page.locator("#crosswalk").evaluate(ON_SCREEN)]


def download_csv(page) -> list[dict]:
    """Click the page's Download CSV link as a reader would, and read the file saved."""
    with page.expect_download() as info:
        page.locator("#compare-csv").click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".csv")
    return parse_csv(Path(download.path()).read_text(encoding="utf-8"))


def assert_csv_matches_screen(page):
    rows = download_csv(page)
    from_csv = [(r["topic"], r["initiative"], r["principle_id"]) for r in rows]
    on_screen = cells_on_screen(page)
    assert len(from_csv) == len(set(from_csv)), "the CSV repeats a (topic, initiative, principle)"
    assert set(from_csv) == set(on_screen)
    assert len(from_csv) == len(on_screen)
    # Topics in the same order, with the names shown on screen.
    assert list(dict.fromkeys(r["topic"] for r in rows)) == topics_on_screen(page)
    names = dict(
        page.locator("#crosswalk tbody tr[data-topic]").evaluate_all(
            "rows => rows.map(r => [r.dataset.topic, r.querySelector('th').textContent.trim()])"
        )
    )
    assert {r["topic"]: r["topic_name"] for r in rows} == names
    # An empty cell is one row with every principle field empty.
    for r in rows:
        if not r["principle_id"]:
            assert not (r["principle_order"] or r["principle_title"] or r["paraphrase"]), r
    return rows


def test_it_narrows_the_crosswalk_to_the_topics_chosen(tab):
    tab.goto(START)
    page = tab.page
    everything = topics_on_screen(page)
    assert len(everything) > len(CHOSEN)
    assert set(CHOSEN) <= set(everything)

    form = page.locator("#compare-form")
    for slug in CHOSEN:
        form.locator(f'input[name="topic"][value="{slug}"]').check()
    with page.expect_navigation():
        form.get_by_role("button", name="Compare").click()

    assert sorted(topics_on_screen(page)) == sorted(CHOSEN)
    assert page.url.count("topic=") == len(CHOSEN)
    for slug in CHOSEN:
        expect(form.locator(f'input[name="topic"][value="{slug}"]')).to_be_checked()
    for slug in ("gids", "clean-network"):
        expect(form.locator(f'input[name="initiatives"][value="{slug}"]')).to_be_checked()
    # Backdoors: GIDS has a principle on it, the Clean Network none.
    backdoors = page.locator('#crosswalk tr[data-topic="backdoors"]')
    assert backdoors.locator('td[data-initiative="gids"] li[data-principle-id]').count() >= 1
    assert backdoors.locator('td[data-initiative="clean-network"] li').count() == 0
    assert tab.problems() == {}


def test_its_csv_download_equals_the_crosswalk_on_screen(tab):
    tab.goto(START)
    page = tab.page
    everything = assert_csv_matches_screen(page)

    form = page.locator("#compare-form")
    for slug in CHOSEN:
        form.locator(f'input[name="topic"][value="{slug}"]').check()
    with page.expect_navigation():
        form.get_by_role("button", name="Compare").click()
    narrowed = assert_csv_matches_screen(page)
    assert {r["topic"] for r in narrowed} == set(CHOSEN)
    assert len(narrowed) < len(everything)
    assert tab.problems() == {}


def test_its_csv_link_carries_the_page_filters(tab):
    tab.goto(START + "&topic=backdoors&topic=cloud")
    href = tab.page.locator("#compare-csv").get_attribute("href")
    assert href.startswith("/api/v1/compare/?")
    assert "format=csv" in href and "topic=backdoors" in href and "topic=cloud" in href
