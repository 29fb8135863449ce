import pytest

from tests.api.conftest import all_pages

pytestmark = pytest.mark.django_db


def entries(api, **params):
    return all_pages(api, "/api/v1/events/", params, limit=50)


def test_the_timeline_is_date_ordered_and_complete(api):
    rows = entries(api)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    kinds = {r["kind"] for r in rows}
    assert {
        "announcement",
        "join",
        "measure",
        "injunction",
        "revocation",
        "measure-ended",
        "event",
    } <= kinds


def test_filters(api):
    huawei = entries(api, company="huawei")
    assert huawei and all("huawei" in r["actors"] for r in huawei)
    window = entries(api, since="2020-09-01", until="2020-09-30", kind="join")
    assert window and all("2020-09-01" <= r["date"] <= "2020-09-30" for r in window)
    assert {r["kind"] for r in window} == {"join"}
    clean = entries(api, initiative="clean-network", kind="join", actor="cze")
    assert [(r["date"], r["source_kind"]) for r in clean] == [("2020-05-06", "participation")]


def test_company_must_be_a_company(api):
    response = api.get("/api/v1/events/", {"company": "chn"})
    assert response.status_code == 400 and "company" in response.json()["errors"]
