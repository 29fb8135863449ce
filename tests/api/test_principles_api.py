import pytest
from django.db import connection

from tests.api.conftest import results

pytestmark = pytest.mark.django_db


def keys(api, **params):
    return {
        (r["initiative"], r["order"])
        for r in results(api.get("/api/v1/principles/", {"limit": 500, **params}))
    }


def test_filter_by_initiative(api):
    assert keys(api, initiative="gids") == {("gids", n) for n in range(1, 9)}
    both = keys(api, initiative=["gids", "paris-call"])
    assert len(both) == 17


def test_filter_by_one_topic(api):
    assert keys(api, topic="backdoors") == {
        ("gids", 7),
        ("china-central-asia-data-security", 3),
    }


def test_several_topics_any_or_all(api):
    any_ = keys(api, topic=["backdoors", "user-lock-in"])
    all_ = keys(api, topic=["backdoors", "mass-surveillance"], topic_match="all")
    assert ("gids", 8) in any_ and ("gids", 7) in any_
    assert all_ == {("china-central-asia-data-security", 3)}
    assert keys(api, topic=["backdoors", "user-lock-in"], topic_match="all") == set()


def test_full_text_search(api):
    rows = results(api.get("/api/v1/principles/", {"q": "backdoors"}))
    assert ("gids", 7) in {(r["initiative"], r["order"]) for r in rows}
    if connection.vendor == "postgresql":
        # Ranked: the principle with the word in its title comes first.
        assert (rows[0]["initiative"], rows[0]["order"]) == ("gids", 7)
    assert results(api.get("/api/v1/principles/", {"q": "zzzqqq"})) == []


def test_search_combines_with_filters(api):
    assert keys(api, q="surveillance", initiative="future-of-the-internet") == {
        ("future-of-the-internet", 9)
    }


def test_topics_endpoint_counts_principles(api):
    rows = {r["slug"]: r for r in results(api.get("/api/v1/topics/", {"limit": 100}))}
    assert len(rows) == 32
    assert rows["backdoors"]["principle_count"] == 2
    assert api.get("/api/v1/topics/backdoors/").json()["name"] == "Backdoors"
