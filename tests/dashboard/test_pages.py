"""Every page renders from the shared filters and snapshot rows within a query bound."""

import pytest
from django.urls import reverse

from tests.bulk import grow

pytestmark = pytest.mark.django_db

PAGES = [
    ("/", 10),
    ("/map/", 8),
    ("/map/?initiative=clean-network&initiative=future-of-the-internet&as_of=2022-05-01", 8),
    ("/compare/?initiatives=gids,clean-network", 8),
    ("/compare/?initiatives=gids&initiatives=paris-call&topic=critical-infrastructure", 9),
    ("/principles/", 8),
    ("/principles/?topic=backdoors&topic=cloud&initiative=gids&q=", 10),
    ("/timeline/", 8),
    ("/timeline/?company=huawei&since=2019-01-01&kind=measure", 9),
    ("/timeline/feed/", 3),
    ("/initiatives/clean-network/", 15),
    ("/actors/huawei/", 14),
    ("/actors/cze/", 13),
    ("/actors/eu/", 10),
    ("/sources/", 5),
    ("/about/", 2),
]


@pytest.mark.parametrize(("url", "bound"), PAGES)
def test_pages_render_within_a_query_bound(client, url, bound, django_assert_max_num_queries):
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/", "/map/", "/timeline/", "/principles/", "/compare/?initiatives=gids,clean-network"]
)
def test_query_count_does_not_grow_with_the_data(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    small = count()
    grow()
    assert count() == small


def test_home_shows_both_initiatives_at_a_glance(client):
    html = client.get("/").content.decode()
    assert 'id="glance-chart"' in html and 'id="glance-data"' in html
    assert "12 initiatives" in html and "Latest on the timeline" in html


def test_map_page_table_follows_the_date(client):
    before = client.get("/map/", {"as_of": "2020-05-05"}).content.decode()
    after = client.get("/map/", {"as_of": "2020-05-06"}).content.decode()
    assert 'data-iso="CZE"' not in before
    assert 'data-iso="CZE" data-category="member"' in after
    assert "as_of=2020-05-06" in after  # the CSV link keeps the date


def test_map_page_overlap(client):
    html = client.get(
        "/map/", {"initiative": ["clean-network", "future-of-the-internet"], "as_of": "2022-05-01"}
    ).content.decode()
    assert 'data-iso="CZE" data-category="both"' in html
    assert 'data-iso="NOR" data-category="a-only"' in html
    assert 'data-iso="ARG" data-category="b-only"' in html


def test_map_page_shows_a_form_error_for_a_bad_date(client):
    response = client.get("/map/", {"as_of": "2020-02-30"})
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()


def test_compare_page_and_its_csv_link(client):
    html = client.get(
        "/compare/",
        {"initiatives": ["gids", "clean-network"], "topic": ["backdoors", "app-stores"]},
    ).content.decode()
    assert 'data-topic="backdoors"' in html and 'data-topic="app-stores"' in html
    assert 'data-topic="cloud"' not in html
    assert (
        'href="/api/v1/compare/?initiatives=gids&amp;initiatives=clean-network&amp;topic=backdoors&amp;topic=app-stores&amp;format=csv"'
        in html
    )


def test_compare_page_asks_for_two_initiatives(client):
    response = client.get("/compare/", {"initiatives": "gids"})
    assert response.status_code == 400 and "Give 2 to 6" in response.content.decode()


def test_principles_page_filters_and_links_the_same_query_as_csv(client):
    html = client.get("/principles/", {"topic": "backdoors", "q": ""}).content.decode()
    assert "2 principles" in html
    assert 'href="/api/v1/principles/?topic=backdoors&amp;format=csv"' in html


def test_timeline_page_filters_and_offers_a_feed(client):
    html = client.get("/timeline/", {"company": "huawei", "kind": "injunction"}).content.decode()
    assert 'data-kind="injunction"' not in html or "Huawei" in html
    assert 'type="application/atom+xml"' in html
    assert "/timeline/feed/?company=huawei&amp;kind=injunction" in html


def test_atom_feed_uses_the_same_filter(client):
    response = client.get("/timeline/feed/", {"company": "tiktok"})
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<feed" in body and "Executive Order 13942" in body
    assert "India blocks 59 apps" in body
    assert "Clean Network" not in body.split("<entry>", 1)[1] or "TikTok" in body
    assert client.get("/timeline/feed/", {"since": "nope"}).status_code == 404


def test_initiative_page_has_growth_chart_and_small_map(client):
    html = client.get(reverse("dashboard:initiative", args=["clean-network"])).content.decode()
    assert 'id="growth-chart"' in html and 'id="map-chart"' in html
    assert "6 May 2020" in html and "Oct 2020" in html


def test_company_page_lists_measures_with_their_fate(client):
    html = client.get(reverse("dashboard:actor", args=["tiktok"])).content.decode()
    assert 'id="measures-chart"' in html
    assert "revoked</span> by" in html and "enjoined</span> by" in html
    assert "The Clean Network" in html  # the line of effort that names it


def test_country_page_shows_camp_and_alignment(client):
    html = client.get(reverse("dashboard:actor", args=["cze"])).content.decode()
    assert "US-led only" in html and "Most aligned states" in html


def test_sources_page_says_what_each_source_supports(client):
    html = client.get("/sources/").content.decode()
    assert "153 sources" in html and "participation" in html


def test_unknown_slugs_are_404(client):
    assert client.get(reverse("dashboard:initiative", args=["no-such"])).status_code == 404
    assert client.get(reverse("dashboard:actor", args=["zzz"])).status_code == 404


def test_about_explains_statuses_and_the_map(client):
    html = client.get(reverse("dashboard:about")).content.decode()
    assert "Welcomed only" in html and "Disputed" in html and "Jaccard" in html


def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("dashboard:home"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_never_load_anything_from_another_host(client):
    for url, _ in PAGES:
        html = client.get(url).content.decode()
        for attribute in ('src="http', "src='http", 'href="//', 'src="//'):
            assert attribute not in html, (url, attribute)


def test_hostile_names_are_escaped(client):
    from actors.models import Actor

    Actor.objects.filter(slug="cze").update(name='<script>alert("x")</script> Czechia')
    html = client.get("/map/", {"as_of": "2021-01-01"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html or "\\u003Cscript\\u003E" in html


@pytest.mark.parametrize(
    ("q", "message"),
    [("x" * 201, "at most 200 characters"), ("a " * 11, "at most 10 words")],
)
def test_an_overlong_search_is_a_form_error_not_a_failure(client, q, message):
    for url in ("/sources/", "/principles/"):
        response = client.get(url, {"q": q})
        assert response.status_code == 400  # the page, with the error next to the form
        assert message in response.content.decode() and "<form" in response.content.decode()


def test_an_overlong_search_is_a_400_in_the_api(client):
    response = client.get("/api/v1/principles/", {"q": "word " * 1200})
    assert response.status_code == 400
    assert "at most 10 words" in response.json()["errors"]["q"][0]
