"""The cache epoch: a token that says "the data and snapshot are as they were when this
was cached", so a cached answer can be validated without asking the database.

Where the cache is shared by every process (Redis), the epoch is a random token kept in
the cache and replaced after every commit that moves the version row (a curated change,
a snapshot swap): one cache read fetches the epoch together with the cached answer.
Readers fetch the epoch before they read the database, so an answer rendered from data
older than a commit is always stored under an epoch that the commit's rotation has
already made, or is about to make, stale: never served as current.

Where each process has its own cache (the embedded default's in-process cache), a token
rotated in one process (a `load_dataset` in a terminal) would never reach the server's,
so the epoch is the version row itself: one query.
"""

import uuid

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

KEY = "atlas:cache-epoch"


def shared() -> bool:
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def read(keys: list[str]) -> tuple[str, dict, object]:
    """The current epoch, whatever of keys the cache holds (one round trip), and the
    version row if it had to be read."""
    if not shared():
        from dashboard import versioning

        version = versioning.current()
        return versioning.tag(version), cache.get_many(keys), version
    found = cache.get_many([KEY, *keys])
    epoch = found.pop(KEY, None)
    if epoch is None:  # a new or flushed cache (or Redis down: then nothing is kept anyway)
        candidate = uuid.uuid4().hex
        epoch = candidate if cache.add(KEY, candidate, timeout=None) else cache.get(KEY, candidate)
    return epoch, found, None


def current() -> str:
    return read([])[0]


def rotate() -> None:
    """Call after the commit that moved the version row: every entry cached under the
    previous epoch stops being served."""
    if shared():
        cache.set(KEY, uuid.uuid4().hex, timeout=None)
