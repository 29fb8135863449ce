import pytest

from tests.api.conftest import results

pytestmark = pytest.mark.django_db


def test_list_carries_counts_from_the_snapshot(api):
    rows = {r["slug"]: r for r in results(api.get("/api/v1/initiatives/"))}
    assert len(rows) == 12
    dfi = rows["future-of-the-internet"]
    counts = {(c["actor_group"], c["role"], c["status"]): c["count"] for c in dfi["counts"]}
    assert counts[("state", "endorser", "confirmed")] == 60
    assert counts[("organisation", "endorser", "confirmed")] == 1
    assert counts[("state", "proposer", "confirmed")] == 1
    assert rows["gids"]["principle_count"] == 8
    assert rows["china-las-data-security"]["parent"] == "gids"
    assert set(rows["gids"]["derivatives"]) == {
        "china-las-data-security",
        "china-central-asia-data-security",
    }


def test_detail_has_principles_and_expanded_sources(api):
    body = api.get("/api/v1/initiatives/gids/").json()
    assert [p["order"] for p in body["principles"]] == list(range(1, 9))
    assert body["principles"][6]["topics"] == ["backdoors"]
    assert body["announced_on"] == "2020-09-08" and body["announced_on_precision"] == "day"
    assert all({"key", "publisher", "title", "url"} <= set(s) for s in body["sources"])


def test_filters(api):
    def slugs(**params):
        return {r["slug"] for r in results(api.get("/api/v1/initiatives/", params))}

    assert slugs(sponsor="chn") == {
        "gids",
        "china-las-data-security",
        "china-central-asia-data-security",
        "global-cross-border-data-flow",
    }
    assert slugs(status="archived") == {"clean-network"}
    assert slugs(kind=["toolbox", "chairs-statement"]) == {"eu-5g-toolbox", "prague-proposals"}
    assert slugs(q="internet future") == {"future-of-the-internet"}


def test_ordering(api):
    rows = results(api.get("/api/v1/initiatives/", {"ordering": "-announced_on"}))
    assert rows[0]["slug"] == "global-cross-border-data-flow"
    assert rows[-1]["slug"] == "paris-call"


def test_unknown_slug_is_404_with_a_json_body(api):
    response = api.get("/api/v1/initiatives/atlantis/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Initiative matches the given query."}
