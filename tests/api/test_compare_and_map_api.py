import pytest

pytestmark = pytest.mark.django_db


def test_compare_gives_each_topic_each_initiatives_principles(api):
    body = api.get("/api/v1/compare/", {"initiatives": "gids,clean-network"}).json()
    assert [i["slug"] for i in body["initiatives"]] == ["gids", "clean-network"]
    rows = {
        r["topic"]: {c["initiative"]: c["principles"] for c in r["cells"]} for r in body["rows"]
    }
    assert [p["order"] for p in rows["backdoors"]["gids"]] == [7]
    assert rows["backdoors"]["clean-network"] == []
    assert [p["title"] for p in rows["app-stores"]["clean-network"]] == [
        "Clean Store",
        "Clean Apps",
    ]


def test_compare_topic_filter_keeps_exactly_those_rows(api):
    body = api.get(
        "/api/v1/compare/",
        {
            "initiatives": "gids,clean-network,prague-proposals",
            "topic": ["supply-chain", "backdoors"],
        },
    ).json()
    assert [r["topic"] for r in body["rows"]] == ["supply-chain", "backdoors"]


def test_compare_rejects_bad_parameters(api):
    for params, name in (
        ({"initiatives": "gids"}, "initiatives"),
        ({"initiatives": "gids,atlantis"}, "initiatives"),
        ({"initiatives": "gids,paris-call", "topic": "nope"}, "topic"),
        ({}, "initiatives"),
    ):
        response = api.get("/api/v1/compare/", params)
        assert response.status_code == 400 and name in response.json()["errors"]


def state_rows(api, **params):
    body = api.get("/api/v1/map/", params).json()
    return {s["iso_alpha3"]: s for s in body["states"]}


def test_map_colours_every_state_on_a_date(api):
    before = state_rows(api, initiative="clean-network", as_of="2020-05-05")
    after = state_rows(api, initiative="clean-network", as_of="2020-05-06")
    assert len(after) == 250
    assert before["CZE"]["cells"] == []
    assert after["CZE"]["cells"][0]["role"] == "signatory"
    assert after["CZE"]["cells"][0]["instrument"].startswith("United States – Czech Republic")


def test_map_overlap_of_two_initiatives(api):
    rows = state_rows(
        api, initiative=["clean-network", "future-of-the-internet"], as_of="2022-05-01"
    )
    assert rows["CZE"]["overlap"] == "both"
    assert rows["NOR"]["overlap"] == "a-only"
    assert rows["ARG"]["overlap"] == "b-only"
    assert rows["CHN"]["overlap"] == "neither"


def test_map_latest_includes_undated_claims(api):
    latest = state_rows(api, initiative="clean-network")
    dated = state_rows(api, initiative="clean-network", as_of="2030-01-01")
    assert latest["KOR"]["cells"][0]["status"] == "claimed"
    assert dated["KOR"]["cells"] == []


def test_map_rejects_bad_parameters(api):
    for params, name in (
        ({"initiative": ["a", "b", "c"]}, "initiative"),
        ({"initiative": "clean-network", "as_of": "2020-02-30"}, "as_of"),
        ({"initiative": "clean-network", "as_of": "05/06/2020"}, "as_of"),
        ({"initiative": "atlantis"}, "initiative"),
    ):
        response = api.get("/api/v1/map/", params)
        assert response.status_code == 400 and name in response.json()["errors"], params
