import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


def results(response):
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def all_pages(api, url, params=None, limit=7):
    """Every row of a list endpoint, read page by page through limit/offset."""
    rows, offset = [], 0
    while True:
        response = api.get(url, {**(params or {}), "limit": limit, "offset": offset})
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        rows.extend(body["results"])
        offset += limit
        if offset >= body["count"]:
            assert len(rows) == body["count"]
            return rows
