"""The data version behind ETags and the status endpoint (one row, updated in place)."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from dashboard.models import DataVersion

SINGLETON = 1


def current() -> DataVersion:
    # The row is created by a migration; get_or_create only guards a hand-emptied table.
    version = DataVersion.objects.filter(pk=SINGLETON).first()
    if version is None:
        version, _ = DataVersion.objects.get_or_create(pk=SINGLETON)
    return version


def tag(version: DataVersion) -> str:
    """What a public answer is a function of: the code, the curated data, the snapshot."""
    return f"v{settings.ATLAS_VERSION}-d{version.data_version}-s{version.snapshot_version}"


def last_modified(version: DataVersion) -> int | None:
    stamps = [t for t in (version.data_changed_at, version.snapshot_refreshed_at) if t]
    return int(max(stamps).timestamp()) if stamps else None


def _bump(counter: str, stamp: str) -> None:
    from dashboard import generation

    # After commit, so no reader can fetch the new epoch and still see the old rows;
    # once per transaction, however many changes it holds.
    if generation.rotate not in {func for _, func, _ in connection.run_on_commit}:
        transaction.on_commit(generation.rotate)
    updated = DataVersion.objects.filter(pk=SINGLETON).update(
        **{counter: F(counter) + 1, stamp: timezone.now()}
    )
    if not updated:
        DataVersion.objects.get_or_create(
            pk=SINGLETON, defaults={counter: 1, stamp: timezone.now()}
        )


def bump_data() -> None:
    """Call inside the transaction that changes curated data."""
    _bump("data_version", "data_changed_at")


def bump_snapshot(built_from: int | None = None) -> None:
    """Call inside the transaction that swaps in new snapshot rows; built_from is the data
    version a full refresh read before building."""
    _bump("snapshot_version", "snapshot_refreshed_at")
    if built_from is not None:
        DataVersion.objects.filter(pk=SINGLETON, refreshed_data_version__lt=built_from).update(
            refreshed_data_version=built_from
        )


SWAP_LOCK = 0x61746C73  # any constant unique to this lock ("atls")


def lock_for_swap() -> None:
    """Call first in a swap transaction: two refreshes that overlap swap one after the
    other (each deletes then inserts; interleaved, both sets of rows would survive).
    An advisory lock, so curated edits (which update the version row) never wait for a
    swap. SQLite lets one writer in at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWAP_LOCK])


def refresh_owed(settled_for: timedelta = timedelta(0)) -> bool:
    """True when curated data changed after the latest full refresh read it, and the last
    change is at least settled_for old: the refresh it queued was lost (broker down,
    worker killed) or has not run yet."""
    version = current()
    settled = version.data_changed_at is None or (
        version.data_changed_at <= timezone.now() - settled_for
    )
    return version.data_version > version.refreshed_data_version and settled
