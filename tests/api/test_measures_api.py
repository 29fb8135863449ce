import pytest

from tests.api.conftest import results

pytestmark = pytest.mark.django_db


def slugs(api, **params):
    return {r["slug"] for r in results(api.get("/api/v1/measures/", {"limit": 500, **params}))}


def test_filter_by_target_issuer_and_kind(api):
    assert slugs(api, target="tiktok") == {"in-2020-06-29-59-apps", "us-eo-13942"}
    assert slugs(api, issuer="swe", kind="licence-condition") == {
        "se-2020-10-20-pts-licence-conditions"
    }
    assert "us-eo-14034" in slugs(api, kind="revocation")


def test_active_on(api):
    assert "us-eo-13942" in slugs(api, active_on="2021-01-01")
    assert "us-eo-13942" not in slugs(api, active_on="2021-06-09")  # revoked that day
    assert "us-eo-13942" not in slugs(api, active_on="2020-08-05")  # not yet issued


def test_fate_and_links(api):
    body = api.get("/api/v1/measures/us-eo-13942/").json()
    assert body["fate"] == "revoked"
    assert "us-eo-14034" in body["revoked_by"]
    assert len(body["enjoined_by"]) >= 2
    assert body["principles"] == ["clean-network/2"]
    wechat_injunction = api.get("/api/v1/measures/us-2020-09-19-wechat-injunction/").json()
    assert wechat_injunction["enjoins"] == ["us-eo-13943"]
