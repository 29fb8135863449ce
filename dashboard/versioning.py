"""The data version behind ETags and the status endpoint (one row, updated in place)."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, PositiveBigIntegerField, Value, When
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


def _bump(counter: str, stamp: str, **also) -> None:
    from dashboard import generation

    # After commit, so no reader can fetch the new epoch and still see the old rows;
    # once per transaction, however many changes it holds.
    if generation.rotate not in {func for _, func, _ in connection.run_on_commit}:
        transaction.on_commit(generation.rotate)
    updated = DataVersion.objects.filter(pk=SINGLETON).update(
        **{counter: F(counter) + 1, stamp: timezone.now()}, **also
    )
    if not updated:  # a hand-emptied table: owed_initiative stays null (everything owed)
        DataVersion.objects.get_or_create(
            pk=SINGLETON, defaults={counter: 1, stamp: timezone.now()}
        )


def bump_data(initiative_id: int | None = None) -> None:
    """Call inside the transaction that changes curated data; initiative_id when the change
    reaches no snapshot rows but that initiative's (and the alignment, which every refresh
    rebuilds)."""
    owed = Value(None, output_field=PositiveBigIntegerField())
    if initiative_id is not None:
        # Evaluated against the row before this update: the first change since the last
        # settled refresh names the initiative owed; a change to another one widens it.
        owed = Case(
            When(data_version=F("refreshed_data_version"), then=Value(initiative_id)),
            When(owed_initiative=initiative_id, then=Value(initiative_id)),
            default=Value(None),
            output_field=PositiveBigIntegerField(),
        )
    _bump("data_version", "data_changed_at", owed_initiative=owed)


def bump_snapshot(built_from: int | None = None, initiative_id: int | None = None) -> None:
    """Call inside the transaction that swaps in new snapshot rows; built_from is the data
    version the refresh read before building, initiative_id the one it rebuilt (None: all).
    A full refresh settles every change up to built_from; an initiative's refresh only
    changes that were all its own, with none committed since it read."""
    _bump("snapshot_version", "snapshot_refreshed_at")
    if built_from is None:
        return
    settled = DataVersion.objects.filter(pk=SINGLETON, refreshed_data_version__lt=built_from)
    if initiative_id is not None:
        settled = settled.filter(owed_initiative=initiative_id, data_version=built_from)
    settled.update(refreshed_data_version=built_from)


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
    """True when curated data changed after the latest settling refresh read it, and the
    last change is at least settled_for old: the refresh it queued was lost (broker down,
    worker killed) or has not run yet. current().owed_initiative says what is owed."""
    version = current()
    settled = version.data_changed_at is None or (
        version.data_changed_at <= timezone.now() - settled_for
    )
    return version.data_version > version.refreshed_data_version and settled
