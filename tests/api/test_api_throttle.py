import pytest
from django.core.cache import cache

from dashboard import rate_limit

pytestmark = pytest.mark.django_db


def test_anonymous_clients_are_throttled_with_429(api, settings):
    settings.API_ANON_RATE = "3/minute"
    cache.clear()
    codes = [api.get("/api/v1/topics/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    refused = api.get("/api/v1/topics/")
    assert refused.json() == {"detail": "Request was throttled; retry later."}
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_refusals_are_not_logged_as_warnings_but_errors_are(api, settings, caplog):
    settings.API_ANON_RATE = "1/minute"
    with caplog.at_level("INFO", logger="django.request"):
        codes = [api.get("/api/v1/topics/", REMOTE_ADDR="10.0.0.4").status_code for _ in range(3)]
        api.get("/api/v1/actors/no-such-actor/", REMOTE_ADDR="10.0.0.5")
    assert codes == [200, 429, 429]
    logged = [(r.levelname, getattr(r, "status_code", None)) for r in caplog.records]
    assert logged == [("WARNING", 404)]


def test_throttling_counts_each_client_address_apart(api, settings):
    settings.API_ANON_RATE = "2/minute"
    cache.clear()
    first = [api.get("/api/v1/topics/", REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]
    other = api.get("/api/v1/topics/", REMOTE_ADDR="10.0.0.2").status_code
    assert first == [200, 200, 429]
    assert other == 200


def test_while_redis_is_down_each_process_still_throttles(api, settings, redis_down):
    settings.API_ANON_RATE = "2/minute"
    codes = [api.get("/api/v1/topics/", REMOTE_ADDR="10.0.0.3").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_pages_are_not_throttled(client, settings):
    settings.API_ANON_RATE = "1/minute"
    cache.clear()
    assert [client.get("/sources/").status_code for _ in range(3)] == [200, 200, 200]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(rf, settings):
    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert rate_limit.client_ip(request) == "203.0.113.9"
    settings.TRUSTED_PROXIES = 0
    assert rate_limit.client_ip(request) == "10.0.0.1"


def test_a_window_resets_after_its_period():
    cache.clear()
    start = 60 * 16_667 + 20.0  # 20 s into a minute window
    hits = [rate_limit.hit("t", "ip", "2/minute", now=start)[0] for _ in range(3)]
    assert hits == [True, True, False]
    assert rate_limit.hit("t", "ip", "2/minute", now=start)[1] == 40
    assert rate_limit.hit("t", "ip", "2/minute", now=start + 40)[0] is True


@pytest.mark.parametrize("rate", ["", "300", "x/minute", "0/minute", "5/fortnight", "-1/s"])
def test_malformed_rates_are_refused(rate):
    with pytest.raises(ValueError, match="Not a rate"):
        rate_limit.parse_rate(rate)


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("300/minute", (300, 60)),
        ("5/s", (5, 1)),
        ("1000/hour", (1000, 3600)),
        ("9/day", (9, 86400)),
        ("5/15m", (5, 900)),
    ],
)
def test_rates_parse(rate, parsed):
    assert rate_limit.parse_rate(rate) == parsed


def test_a_malformed_rate_setting_fails_the_system_check(settings):
    from dashboard.checks import rate_settings

    assert rate_settings(None) == []
    settings.ADMIN_LOGIN_RATE = "five a minute"
    errors = rate_settings(None)
    assert [e.id for e in errors] == ["atlas.E001"] and "ADMIN_LOGIN_RATE" in errors[0].hint
