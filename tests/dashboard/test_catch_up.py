"""A refresh owed by curated changes is run by the catch-up task when its own was lost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard import services, tasks, versioning
from dashboard.models import DataVersion, RefreshRun
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def age_last_change(minutes: int) -> None:
    DataVersion.objects.update(data_changed_at=timezone.now() - timedelta(minutes=minutes))


def runs() -> int:
    return RefreshRun.objects.count()


def test_a_full_refresh_records_the_data_version_it_was_built_from():
    services.refresh()
    version = versioning.current()
    assert version.refreshed_data_version == version.data_version
    assert not versioning.refresh_owed()


def test_a_change_whose_refresh_was_lost_is_caught_up():
    services.refresh()
    versioning.bump_data()  # a curated change whose queued refresh never ran
    age_last_change(minutes=3)
    assert versioning.refresh_owed(settled_for=timedelta(minutes=2))
    before = runs()
    result = tasks.catch_up.apply().get()
    assert result["rows"] > 0 and runs() == before + 1
    assert not versioning.refresh_owed()
    # Idempotent: nothing is owed any more, so a second run does nothing.
    assert tasks.catch_up.apply().get() is None and runs() == before + 1


def test_a_recent_change_is_left_to_its_own_queued_refresh():
    services.refresh()
    versioning.bump_data()
    before = runs()
    assert tasks.catch_up.apply().get() is None and runs() == before


def initiative(slug: str) -> int:
    return Initiative.objects.get(slug=slug).pk


def latest_scope() -> str:
    return RefreshRun.objects.order_by("-pk").values_list("scope", flat=True).first()


def test_an_initiative_refresh_does_not_settle_what_a_full_one_owes():
    services.refresh()
    versioning.bump_data()
    services.refresh(initiative("gids"))
    age_last_change(minutes=3)
    assert versioning.refresh_owed(settled_for=timedelta(minutes=2))


def test_an_initiative_refresh_settles_changes_that_were_all_its_own():
    services.refresh()
    versioning.bump_data(initiative("gids"))
    versioning.bump_data(initiative("gids"))
    assert versioning.refresh_owed()
    services.refresh(initiative("gids"))
    assert not versioning.refresh_owed()
    # So the catch-up has nothing left to do: no full refresh after every curator's edit.
    age_last_change(minutes=3)
    assert tasks.catch_up.apply().get() is None


def test_changes_to_two_initiatives_are_caught_up_in_full():
    services.refresh()
    versioning.bump_data(initiative("gids"))
    versioning.bump_data(initiative("clean-network"))
    services.refresh(initiative("gids"))
    assert versioning.refresh_owed()  # clean-network's rows are still owed
    age_last_change(minutes=3)
    tasks.catch_up.apply().get()
    assert latest_scope() == "all" and not versioning.refresh_owed()


def test_the_catch_up_refreshes_only_the_initiative_owed():
    services.refresh()
    versioning.bump_data(initiative("clean-network"))
    age_last_change(minutes=3)
    tasks.catch_up.apply().get()
    assert latest_scope() == "initiative:clean-network" and not versioning.refresh_owed()


def test_an_edit_to_the_initiative_during_its_refresh_is_still_owed(monkeypatch):
    from dashboard import snapshots

    gids = initiative("gids")
    build = snapshots.build_initiative_timeline

    def build_while_a_curator_edits(*args, **kwargs):
        versioning.bump_data(gids)
        return build(*args, **kwargs)

    services.refresh()
    versioning.bump_data(gids)
    monkeypatch.setattr(snapshots, "build_initiative_timeline", build_while_a_curator_edits)
    services.refresh(gids)
    assert versioning.refresh_owed()


def test_an_edit_committed_during_a_refresh_is_still_owed(monkeypatch):
    from dashboard import snapshots

    build = snapshots.build_global_timeline

    def build_while_a_curator_edits():
        versioning.bump_data()
        return build()

    services.refresh()
    monkeypatch.setattr(snapshots, "build_global_timeline", build_while_a_curator_edits)
    services.refresh()
    assert versioning.refresh_owed()


def test_the_catch_up_and_the_backup_are_on_the_beat_schedule():
    from config.celery import app

    tasks_scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"dashboard.catch_up", "initiatives.backup_dataset", "dashboard.refresh_views"} <= (
        tasks_scheduled
    )
