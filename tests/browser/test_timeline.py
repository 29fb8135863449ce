"""The timeline's exports as a reader reaches them: the Atom feed and the CSV of a filter."""

import re
import xml.etree.ElementTree as ET

from tests.browser.support import fetch_csv, wait_chart_ready

ATOM = "{http://www.w3.org/2005/Atom}"
FILTER = "/timeline/?company=huawei"


def entry_ids_on_screen(page) -> list[int]:
    ids = page.locator("#timeline-table tbody tr[data-kind]").evaluate_all(
        "rows => rows.map(r => r.id)"
    )
    return [int(re.fullmatch(r"entry-(\d+)", i).group(1)) for i in ids]


def read_feed(tab):
    href = tab.page.locator("a#timeline-feed").get_attribute("href")
    response = tab.page.request.get(tab.url(href))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert re.search(r'<feed\b[^>]*\sxmlns="http://www\.w3\.org/2005/Atom"', response.text())
    return href, ET.fromstring(response.body())  # raises on XML that is not well-formed


def test_it_links_a_valid_atom_feed_of_the_filter(tab):
    tab.goto(FILTER)
    page = tab.page
    wait_chart_ready(page, "#timeline-chart")
    href, feed = read_feed(tab)
    assert href == "/timeline/feed/?company=huawei"
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    on_screen = entry_ids_on_screen(page)
    assert 0 < len(entries) == min(50, len(on_screen))
    for entry in entries:
        for child in ("title", "id", "link", "published"):
            assert entry.find(f"{ATOM}{child}") is not None, f"an entry has no {child}"
    # The feed holds the filter's entries, newest first, and only them.
    linked = [e.find(f"{ATOM}id").text for e in entries]
    feed_ids = [int(re.match(r"atlas-timeline-(\d+)-", i).group(1)) for i in linked]
    assert set(feed_ids) <= set(on_screen)
    dates = [e.find(f"{ATOM}published").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    # The page advertises the same feed for feed readers.
    alternate = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == href
    assert tab.problems() == {}


def test_its_feed_says_where_the_filtered_feed_lives(tab):
    """Atom's rel="self" is the address a feed reader keeps: it must keep the filter."""
    tab.goto(FILTER)
    href, feed = read_feed(tab)
    self_links = [link.get("href") for link in feed.findall(f"{ATOM}link[@rel='self']")]
    assert self_links == [tab.url(href)]


def test_its_feed_has_every_element_atom_requires(tab):
    """RFC 4287: a feed and each of its entries need exactly one id, title and updated."""
    tab.goto(FILTER)
    _, feed = read_feed(tab)
    missing = [
        f"{where} has {len(node.findall(ATOM + child))} <{child}>"
        for where, node in [("feed", feed)]
        + [(f"entry {n}", e) for n, e in enumerate(feed.findall(f"{ATOM}entry"))]
        for child in ("id", "title", "updated")
        if len(node.findall(ATOM + child)) != 1
    ]
    assert not missing, f"{len(missing)} problems, first: {missing[:3]}"


def test_its_csv_holds_the_entries_on_screen(tab):
    tab.goto(FILTER)
    page = tab.page
    on_screen = entry_ids_on_screen(page)
    kinds = page.locator("#timeline-table tbody tr[data-kind]").evaluate_all(
        "rows => rows.map(r => r.dataset.kind)"
    )
    assert 0 < len(on_screen) < 100  # one page: the table shows every entry
    rows = fetch_csv(page, page.locator("a#timeline-csv").get_attribute("href"))
    assert [int(r["id"]) for r in rows] == on_screen
    assert [r["kind"] for r in rows] == kinds
    assert all("huawei" in r["actors"].split("; ") for r in rows)
    assert tab.problems() == {}
