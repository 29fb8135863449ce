"""A Redis cache that degrades to "no cache" while Redis is unreachable.

Everything the Atlas keeps in the cache can be recomputed from PostgreSQL: rendered
responses, the snapshot generation, the refresh debounce mark and the throttle counters.
So when Redis stops, reads miss, writes are dropped and the site keeps answering from the
database; once Redis is back, the next request uses it again. One warning a minute says so.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY_SECONDS = 60


def _failsafe(name, fallback):
    """Wrap RedisCache.<name> so that an unreachable Redis gives fallback(args, kwargs)."""

    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
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


class FailSafeRedisCache(RedisCache):
    last_warning = float("-inf")

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
