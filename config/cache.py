"""A Redis cache that degrades to "no cache" while Redis is unreachable.

Everything the Atlas keeps in the cache can be recomputed from PostgreSQL: rendered
responses, the snapshot generation, the refresh debounce mark and the throttle counters.
So when Redis stops, reads miss, writes are dropped and the site keeps answering from the
database; once Redis is back, the next request uses it again. One warning a minute says so.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_SECONDS = 60


def _failsafe(name, fallback, call=None):
    """Wrap RedisCache.<name> (or call) so that an unreachable Redis gives
    fallback(args, kwargs)."""
    call = call or getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return call(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            now = time.monotonic()
            if now - FailSafeRedisCache.last_warning >= WARN_EVERY_SECONDS:
                FailSafeRedisCache.last_warning = now
                logger.warning("Cache unavailable (%s: %s); serving without it", name, exc)
            return fallback(args, kwargs)

    method.__name__ = name
    return method


def _missing_key(args, kwargs):
    raise ValueError(f"Key {args[0]!r} is not available while the cache is down")


class OneClientPerPool(RedisCacheClient):
    """Django builds a new redis.Redis object for every cache call, which cost a third of
    a cached page; one per connection pool does (redis.Redis is safe to share)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def incr_window(self, key, timeout):
        # One round trip: the count, and the window's expiry set only when it starts.
        pipe = self.get_client(key, write=True).pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, timeout, nx=True)
        count, _ = pipe.execute()
        return count


class FailSafeRedisCache(RedisCache):
    last_warning = float("-inf")

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerPool

    get = _failsafe("get", lambda a, kw: kw.get("default", a[1] if len(a) > 1 else None))
    get_many = _failsafe("get_many", lambda a, kw: {})
    has_key = _failsafe("has_key", lambda a, kw: False)
    set = _failsafe("set", lambda a, kw: None)
    set_many = _failsafe("set_many", lambda a, kw: list(a[0]))
    # True while Redis is down: callers use add() to claim work (the refresh debounce),
    # and doing it twice is better than never doing it.
    add = _failsafe("add", lambda a, kw: True)
    touch = _failsafe("touch", lambda a, kw: False)
    incr = _failsafe("incr", _missing_key)
    delete = _failsafe("delete", lambda a, kw: False)
    delete_many = _failsafe("delete_many", lambda a, kw: None)
    clear = _failsafe("clear", lambda a, kw: False)
    # Counts one hit in a fixed window and returns the count; None while Redis is down.
    incr_window = _failsafe(
        "incr_window",
        lambda a, kw: None,
        lambda self, key, timeout: self._cache.incr_window(
            self.make_and_validate_key(key), timeout
        ),
    )
