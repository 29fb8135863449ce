"""Fixed-window rate limits kept in the cache: one atomic increment per request.

Used for the anonymous API and for admin login attempts. A sliding list of timestamps
(DRF's throttle) reads and rewrites the whole list on every request and loses counts
when requests race; a counter per window does neither. While the shared cache (Redis)
is unreachable, each process counts in its own memory: a limit per process is looser
than one for the site, but a sign-in is never left open to guessing at speed.
"""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

PERIODS = {"s": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
PERIODS |= {"d": 86400, "day": 86400}


# Windows counted while the shared cache is down; old ones expire with their window.
_process_counts = LocMemCache("atlas-rate-limit", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """'300/minute' → (300, 60); '5/15m' → (5, 900). Raises ValueError on anything else."""
    match = RATE.match(rate.lower())
    unit = match and match[3]
    seconds = match and (PERIODS.get(unit) or PERIODS.get(unit.removesuffix("s")))
    if not seconds or int(match[1]) < 1 or match[2] == "0":
        raise ValueError(f"Not a rate: {rate!r} (expected e.g. '300/minute' or '5/15m')")
    return int(match[1]), seconds * int(match[2] or 1)


def _key(scope: str, ident: str, period: int, now: float) -> str:
    return f"atlas:rate:{scope}:{ident}:{period}:{int(now // period)}"


def _increment(store, key: str, period: int) -> int | None:
    """Count one hit in the window's key; None if the store cannot count right now."""
    if hasattr(store, "incr_window"):  # Redis: one round trip; None while it is down
        return store.incr_window(key, period + 1)
    store.add(key, 0, timeout=period + 1)  # starts the window at 0 if it is new
    try:
        return store.incr(key)
    except ValueError:  # evicted between the two calls
        return None


def hit(scope: str, ident: str, rate: str, now: float | None = None) -> tuple[bool, int]:
    """Count one request; return (allowed, seconds until the window resets)."""
    limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window = int(now // period)
    retry_after = max(1, int((window + 1) * period - now))
    key = _key(scope, ident, period, now)
    count = _increment(cache, key, period)
    if count is None:  # the shared cache is down: this process counts on its own
        count = _increment(_process_counts, key, period)
    if count is None:
        return True, retry_after
    return count <= limit, retry_after


def count(scope: str, ident: str, rate: str, now: float | None = None) -> int:
    """The requests counted so far in the current window, without counting one: the
    shared count, or this process's own if it counted more while the cache was down."""
    _, period = parse_rate(rate)
    key = _key(scope, ident, period, time.time() if now is None else now)
    return max(cache.get(key, 0), _process_counts.get(key, 0))


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXIES = n reverse proxies in
    front, the address the outermost of them saw (n-th from the right of
    X-Forwarded-For). Entries further left are written by the client and not trusted."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if forwarded:
            return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
