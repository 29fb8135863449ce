import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_every_initiative(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Global Initiative on Data Security" in html and "The Clean Network" in html
    assert "12 initiatives" in html


def test_initiative_page_shows_dates_at_their_precision(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard:initiative", args=["clean-network"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "6 May 2020" in html  # Czech Republic, known to the day
    assert "Oct 2020" in html  # Cyprus, known to the month
    assert "disputed" in html and "claimed" in html


def test_initiative_page_query_count_does_not_grow_with_participants(
    client, django_assert_max_num_queries
):
    # The Declaration for the Future of the Internet has 62 participations; GIDS has 5.
    for slug in ("gids", "future-of-the-internet"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse("dashboard:initiative", args=[slug])).status_code == 200


def test_actor_page_lists_participations_and_measures(client):
    response = client.get(reverse("dashboard:actor", args=["cze"]))
    assert response.status_code == 200
    assert "The Clean Network" in response.content.decode()
    huawei = client.get(reverse("dashboard:actor", args=["huawei"])).content.decode()
    assert "Measures targeting Huawei" in huawei


def test_unknown_slugs_are_404(client):
    assert client.get(reverse("dashboard:initiative", args=["no-such"])).status_code == 404
    assert client.get(reverse("dashboard:actor", args=["zzz"])).status_code == 404


def test_about_explains_statuses(client):
    html = client.get(reverse("dashboard:about")).content.decode()
    assert "Welcomed only" in html and "Disputed" in html


def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("dashboard:home"))
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
