"""Every list endpoint runs the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bulk import grow

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("/api/v1/initiatives/", {}, 8),
    ("/api/v1/initiatives/gids/", {}, 10),
    ("/api/v1/principles/", {}, 6),
    ("/api/v1/topics/", {}, 4),
    ("/api/v1/actors/", {}, 4),
    ("/api/v1/actors/usa/", {}, 16),
    ("/api/v1/participations/", {}, 5),
    ("/api/v1/measures/", {}, 15),
    ("/api/v1/events/", {}, 6),
    ("/api/v1/sources/", {}, 4),
    ("/api/v1/compare/", {"initiatives": "gids,clean-network"}, 6),
    (
        "/api/v1/map/",
        {"initiative": ["clean-network", "future-of-the-internet"], "as_of": "2021-01-01"},
        5,
    ),
    ("/api/v1/status/", {}, 12),
]


def queries(api, url, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = api.get(url, {**params, "limit": 500} if url.endswith("s/") else params)
    assert response.status_code == 200, response.content[:300]
    return len(context)


@pytest.mark.parametrize(("url", "params", "bound"), ENDPOINTS)
def test_query_count_does_not_grow_with_the_data(
    api, url, params, bound, django_assert_max_num_queries
):
    with django_assert_max_num_queries(bound):
        small = queries(api, url, params)
    grow()
    with django_assert_max_num_queries(bound):
        large = queries(api, url, params)
    assert large == small


@pytest.mark.parametrize("url", ["/api/v1/participations/", "/api/v1/events/", "/api/v1/measures/"])
def test_csv_query_count_does_not_grow_with_the_data(api, url):
    def count():
        with CaptureQueriesContext(connection) as context:
            b"".join(api.get(url, {"format": "csv"}).streaming_content)
        return len(context)

    small = count()
    grow()
    assert count() == small
