import pytest

from tests.api.conftest import all_pages, results

pytestmark = pytest.mark.django_db


def actors(api, **params):
    return {r["actor"] for r in all_pages(api, "/api/v1/participations/", params)}


def test_as_of_gives_memberships_in_force_that_day(api):
    before = actors(api, initiative="clean-network", actor_kind="state", as_of="2020-05-05")
    after = actors(api, initiative="clean-network", actor_kind="state", as_of="2020-05-06")
    assert before == {"rou", "pol", "est", "lva"}
    assert after == before | {"cze"}


def test_filters_by_role_status_and_actor(api):
    disputed = actors(api, initiative="clean-network", status="disputed")
    assert disputed == {"bra", "jpn", "cyp"}
    welcomed = actors(api, role="welcomed-only")
    assert welcomed == {"pak", "rus", "phl", "lao"}
    rows = all_pages(
        api, "/api/v1/participations/", {"actor": "xkx", "initiative": "clean-network"}
    )
    assert {r["role"] for r in rows} == {"commitment-only", "signatory"}


def test_rows_carry_dates_with_their_precision(api):
    rows = results(
        api.get("/api/v1/participations/", {"actor": "cyp", "initiative": "clean-network"})
    )
    assert rows[0]["joined_on"] == "2020-10-01" and rows[0]["joined_on_precision"] == "month"
    assert rows[0]["status"] == "disputed" and rows[0]["sources"]


def test_a_state_is_found_by_its_alpha3_slug(api):
    body = api.get("/api/v1/actors/chn/").json()
    assert body["iso_alpha3"] == "CHN"
    assert {p["initiative"] for p in body["participations"]} >= {"gids", "osaka-track"}
    assert body["camp"]["camp"] == "china"


def test_actor_filters(api):
    companies = {r["slug"] for r in all_pages(api, "/api/v1/actors/", {"kind": "company"})}
    assert {"huawei", "tiktok", "bytedance"} <= companies and "chn" not in companies
    assert {r["slug"] for r in results(api.get("/api/v1/actors/", {"q": "Czech"}))} == {"cze"}
    tiktok = api.get("/api/v1/actors/tiktok/").json()
    assert tiktok["parent"] == "bytedance"
    assert "us-eo-13942" in tiktok["targeted_by"]
