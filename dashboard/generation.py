"""The snapshot generation: a counter bumped after every successful refresh.

Anything cached from snapshot rows keys itself by the generation, so a refresh
invalidates every such cache entry at once without knowing what was cached.
"""

from django.core.cache import cache

KEY = "atlas:snapshot-generation"


def current() -> int:
    return cache.get(KEY, 0)


def bump() -> int:
    try:
        return cache.incr(KEY)
    except ValueError:  # not set yet (new cache, or evicted)
        cache.add(KEY, 1, timeout=None)
        return cache.get(KEY, 1)
