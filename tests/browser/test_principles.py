"""The principles list filtered by topic, and its CSV against the rows on screen."""

from playwright.sync_api import expect

from tests.browser.support import fetch_csv


def test_its_topic_filter_and_csv_agree_with_the_screen(tab):
    tab.goto("/principles/?topic=backdoors")
    page = tab.page
    rows = page.locator("#principles-table tbody tr[data-principle-id]")
    expect(rows.first).to_be_visible()
    on_screen = rows.evaluate_all("rows => rows.map(r => r.dataset.principleId)")
    csv_rows = fetch_csv(page, page.locator("a#principles-csv").get_attribute("href"))
    assert [r["id"] for r in csv_rows] == on_screen
    assert all("backdoors" in r["topics"].split("; ") for r in csv_rows)

    # Adding a topic through the form widens the list to principles on either topic.
    form = page.locator("#principles-form")
    form.locator('input[name="topic"][value="cloud"]').check()
    with page.expect_navigation():
        form.get_by_role("button", name="Filter").click()
    widened = rows.evaluate_all("rows => rows.map(r => r.dataset.principleId)")
    assert set(on_screen) < set(widened)
    csv_rows = fetch_csv(page, page.locator("a#principles-csv").get_attribute("href"))
    assert [r["id"] for r in csv_rows] == widened
    assert all({"backdoors", "cloud"} & set(r["topics"].split("; ")) for r in csv_rows)
    assert tab.problems() == {}
