"""The data version behind ETags and the status endpoint (one row, updated in place)."""

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


def _bump(counter: str, stamp: str) -> None:
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


def bump_snapshot() -> None:
    """Call inside the transaction that swaps in new snapshot rows."""
    _bump("snapshot_version", "snapshot_refreshed_at")
