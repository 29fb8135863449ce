"""Bad parameters give a 400 naming the parameter, never a 500; the API is read-only."""

import pytest

pytestmark = pytest.mark.django_db

LISTS = [
    "initiatives",
    "principles",
    "topics",
    "actors",
    "participations",
    "measures",
    "events",
    "sources",
]

BAD = [
    ("principles", {"initiative": "atlantis"}, "initiative"),
    ("principles", {"topic": "nope"}, "topic"),
    ("principles", {"topic_match": "some"}, "topic_match"),
    ("participations", {"as_of": "2020-13-01"}, "as_of"),
    ("participations", {"as_of": "yesterday"}, "as_of"),
    ("participations", {"actor": "ZZZ"}, "actor"),
    ("participations", {"role": "king"}, "role"),
    ("measures", {"active_on": "2020-1-1"}, "active_on"),
    ("measures", {"target": "nobody"}, "target"),
    ("events", {"since": "2020-02-30"}, "since"),
    ("events", {"kind": "party"}, "kind"),
    ("actors", {"kind": "planet"}, "kind"),
    ("initiatives", {"status": "asleep"}, "status"),
]


@pytest.mark.parametrize(("endpoint", "params", "name"), BAD)
def test_bad_filter_values_are_400_naming_the_parameter(api, endpoint, params, name):
    response = api.get(f"/api/v1/{endpoint}/", params)
    assert response.status_code == 400
    body = response.json()
    assert name in body["errors"] and name in body["detail"]


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"format": "xml"}, "format"),
        ({"colour": "red"}, "colour"),
        ({"ordering": "nonsense"}, "ordering"),
    ],
)
def test_every_list_refuses_bad_paging_format_ordering_and_unknown_parameters(
    api, endpoint, params, name
):
    response = api.get(f"/api/v1/{endpoint}/", params)
    assert response.status_code == 400, response.content
    assert name in response.json()["errors"]


def test_an_error_asked_for_as_csv_is_still_json(api):
    response = api.get("/api/v1/participations/", {"format": "csv", "as_of": "nope"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused(api, method):
    for url in ("/api/v1/initiatives/", "/api/v1/initiatives/gids/", "/api/v1/compare/"):
        response = getattr(api, method)(url, {})
        assert response.status_code == 405


def test_unacceptable_accept_header_is_406(api):
    assert api.get("/api/v1/topics/", HTTP_ACCEPT="image/png").status_code == 406


def test_empty_and_repeated_single_parameters_are_400(api):
    empty = api.get("/api/v1/principles/", {"q": ""})
    assert empty.status_code == 400 and empty.json()["errors"]["q"] == ["Must not be empty."]
    twice = api.get("/api/v1/principles/?limit=1&limit=2")
    assert twice.status_code == 400 and twice.json()["errors"]["limit"] == [
        "Give this parameter once."
    ]
    # Filters that take several values may repeat.
    assert api.get("/api/v1/principles/?topic=backdoors&topic=cloud").status_code == 200


def test_detail_endpoints_are_json_only(api):
    response = api.get("/api/v1/initiatives/gids/", {"format": "csv"})
    assert response.status_code == 400 and "format" in response.json()["errors"]
