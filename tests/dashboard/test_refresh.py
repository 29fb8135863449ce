"""Refreshing snapshots: atomic swaps, recorded runs, triggers after commit, failures."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from dashboard import generation, selectors, services, triggers, versioning
from dashboard.models import MapInterval, RefreshRun, SignatoryCount, TimelineEntry
from initiatives.models import Initiative, Participation

pytestmark = pytest.mark.django_db


def snapshot_state():
    return (
        list(
            SignatoryCount.objects.order_by("pk").values_list(
                "initiative_id", "date", "role", "count"
            )
        ),
        list(MapInterval.objects.order_by("pk").values_list("iso_alpha3", "role", "valid_from")),
        TimelineEntry.objects.count(),
    )


def refreshes(callbacks):
    """The refreshes queued among a transaction's on-commit callbacks."""
    return [c for c in callbacks if hasattr(c, "refresh_scope")]


def test_a_full_refresh_records_its_run_and_moves_the_cache_epoch(
    django_capture_on_commit_callbacks,
):
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.refresh()
    assert run.outcome == "success" and run.scope == "all"
    assert run.rows_written == (
        SignatoryCount.objects.count()
        + MapInterval.objects.count()
        + TimelineEntry.objects.count()
        + selectors.StateAlignment.objects.count()
        + selectors.StateCamp.objects.count()
    )
    assert run.duration_ms is not None and run.finished_at >= run.started_at
    assert generation.current() != before
    assert selectors.last_refresh() == run


def test_refreshing_twice_gives_the_same_snapshot():
    services.refresh()
    first = snapshot_state()
    services.refresh()
    second = snapshot_state()
    assert [row[1:] for row in first[0]] == [row[1:] for row in second[0]]
    assert first[1:] == second[1:]


def test_an_initiative_refresh_touches_only_its_own_rows():
    clean = Initiative.objects.get(slug="clean-network")
    gids_rows = list(
        SignatoryCount.objects.filter(initiative__slug="gids").values_list("pk", flat=True)
    )
    Participation.objects.filter(initiative=clean, actor__slug="cze").delete()
    run = services.refresh(clean.pk)
    assert run.scope == "initiative:clean-network"
    assert "CZE" not in {r.iso_alpha3 for r in selectors.map_as_of([clean.pk], date(2021, 1, 1))}
    assert (
        list(SignatoryCount.objects.filter(initiative__slug="gids").values_list("pk", flat=True))
        == gids_rows
    )
    # Measures and events belong to the full refresh and are untouched.
    assert TimelineEntry.objects.filter(scope__isnull=True).exists()


def test_a_refresh_that_fails_halfway_leaves_the_previous_snapshot_served(client, monkeypatch):
    services.refresh()
    good = services.refresh()
    before = snapshot_state()

    # Let the first tables be swapped, then break the timeline half of the swap.
    def broken(rows):
        raise RuntimeError("disk full while writing the timeline")

    monkeypatch.setattr(services, "_save_timeline", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        services.refresh()

    assert snapshot_state() == before
    failed = RefreshRun.objects.order_by("-started_at").first()
    assert failed.outcome == "failed" and "disk full" in failed.error
    assert selectors.last_refresh() == good

    page = client.get(reverse("dashboard:home")).content.decode()
    assert f"{good.finished_at:%H:%M}" in page  # the footer still names the last good refresh
    status = client.get(reverse("api:status")).json()
    assert status["last_refresh"]["finished_at"] == good.finished_at.isoformat().replace(
        "+00:00", "Z"
    )
    assert "disk full" in status["last_failed_refresh"]["error"]


def test_a_failed_eager_refresh_does_not_break_the_edit_that_queued_it(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "_save_timeline", lambda rows: 1 / 0)
    participation = Participation.objects.get(initiative__slug="gids", actor__slug="pak")
    url = reverse("admin:initiatives_participation_change", args=[participation.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        initiative=participation.initiative_id,
        actor=participation.actor_id,
        sources=[s.pk for s in participation.sources.all()],
        note="Edited by a curator.",
        joined_on="2020-09-14",
        joined_on_precision="day",
        left_on="",
        left_on_precision="",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.note == "Edited by a curator."
    assert RefreshRun.objects.order_by("-started_at").first().outcome == "failed"


def test_an_admin_save_refreshes_that_initiative_after_commit(
    admin_client, django_capture_on_commit_callbacks
):
    clean = Initiative.objects.get(slug="clean-network")
    czech = Participation.objects.get(initiative=clean, actor__slug="cze")
    url = reverse("admin:initiatives_participation_delete", args=[czech.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        admin_client.post(url, {"post": "yes"})
    assert len(refreshes(callbacks)) == 1
    run = RefreshRun.objects.order_by("-started_at").first()
    assert run.scope == "initiative:clean-network" and run.outcome == "success"
    assert "CZE" not in {r.iso_alpha3 for r in selectors.map_as_of([clean.pk])}
    assert not versioning.refresh_owed()  # settled: no full refresh follows from beat


def test_moving_a_participation_to_another_initiative_refreshes_both(
    admin_client, django_capture_on_commit_callbacks
):
    clean = Initiative.objects.get(slug="clean-network")
    paris = Initiative.objects.get(slug="paris-call")
    czech = Participation.objects.get(initiative=clean, actor__slug="cze")
    url = reverse("admin:initiatives_participation_change", args=[czech.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(initiative=paris.pk, sources=[s.pk for s in czech.sources.all()])
    data.update(left_on="", left_on_precision="")
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    assert RefreshRun.objects.order_by("-started_at").first().scope == "all"
    assert "CZE" not in {r.iso_alpha3 for r in selectors.map_as_of([clean.pk])}
    assert "CZE" in {r.iso_alpha3 for r in selectors.map_as_of([paris.pk])}


@pytest.mark.parametrize(
    ("model", "changed", "scope"),
    [
        (Initiative, {"summary", "name"}, "own"),
        (Initiative, {"slug"}, None),  # copied into measures' and events' timeline rows
        (Participation, {"status", "note"}, "initiative"),
        (Participation, {"initiative"}, None),
    ],
)
def test_what_an_admin_change_refreshes(model, changed, scope):
    from django.contrib import admin

    obj = model.objects.filter(**({"slug": "gids"} if model is Initiative else {})).first()
    expected = {"own": obj.pk, "initiative": getattr(obj, "initiative_id", None), None: None}
    assert admin.site._registry[model].change_scope(obj, changed) == expected[scope]


def test_a_burst_of_triggers_in_one_transaction_gives_one_refresh(
    django_capture_on_commit_callbacks,
):
    runs = RefreshRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(5):
            triggers.queue_refresh()
    assert len(refreshes(callbacks)) == 1
    assert RefreshRun.objects.count() == runs + 1


def test_a_pending_refresh_absorbs_later_triggers(django_capture_on_commit_callbacks):
    runs = RefreshRun.objects.count()
    cache.add(triggers.pending_key(None), 1)  # a refresh is queued and has not started
    try:
        with django_capture_on_commit_callbacks(execute=True):
            triggers.queue_refresh()
        assert RefreshRun.objects.count() == runs
    finally:
        cache.delete(triggers.pending_key(None))


def test_load_dataset_queues_a_refresh_only_when_something_changed(
    data_dir, tmp_path, django_capture_on_commit_callbacks
):
    import shutil

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("load_dataset", str(data_dir), verbosity=0)
    assert callbacks == []

    root = tmp_path / "data"
    shutil.copytree(data_dir, root)
    path = root / "initiatives/clean-network.yaml"
    path.write_text(path.read_text().replace("joined_on: '2020-05-06'", "joined_on: '2020-05-20'"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("load_dataset", str(root), verbosity=0)
    assert len(refreshes(callbacks)) == 1
    clean = Initiative.objects.get(slug="clean-network")
    assert "CZE" not in {r.iso_alpha3 for r in selectors.map_as_of([clean.pk], date(2020, 5, 10))}
    assert "CZE" in {r.iso_alpha3 for r in selectors.map_as_of([clean.pk], date(2020, 5, 20))}


def test_refresh_views_command(capsys):
    call_command("refresh_views")
    assert "Refreshed all:" in capsys.readouterr().out
    call_command("refresh_views", "--initiative", "gids")
    assert "Refreshed initiative:gids" in capsys.readouterr().out
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No initiative"):
        call_command("refresh_views", "--initiative", "nope")


def test_snapshot_reads_are_a_fixed_number_of_queries(django_assert_num_queries):
    small = Initiative.objects.get(slug="gids").pk
    large = Initiative.objects.get(slug="future-of-the-internet").pk
    for initiative_id in (small, large):
        with django_assert_num_queries(1):
            selectors.signatory_counts_as_of(initiative_id, date(2023, 1, 1))
        with django_assert_num_queries(1):
            list(selectors.map_as_of([initiative_id], date(2023, 1, 1)))
        with django_assert_num_queries(1):
            list(selectors.signatory_series(initiative_id))
    china = Initiative.objects.get(slug="gids").sponsor_id
    with django_assert_num_queries(2):
        selectors.alignment_for(china)


def test_a_run_left_running_by_a_dead_worker_is_marked_lost_by_the_next_success():
    from datetime import timedelta

    from django.utils import timezone

    dead = RefreshRun.objects.create(
        scope="all", started_at=timezone.now() - timedelta(minutes=5), eager=False
    )
    services.refresh()
    dead.refresh_from_db()
    assert dead.outcome == "lost" and "stopped" in dead.error


@pytest.mark.django_db(transaction=True)
def test_overlapping_refreshes_swap_one_after_the_other():
    """Two full refreshes at once: each swap waits for the other, so the tables hold one
    snapshot's rows, not both (on SQLite the database itself lets one writer in)."""
    import threading

    from django.db import connection

    from dashboard import snapshots

    call_command("load_dataset", verbosity=0)
    services.refresh()
    expected = snapshot_state()
    build = snapshots.build_global_timeline
    both_built = threading.Barrier(2, timeout=30)

    def build_then_wait():
        rows = build()
        both_built.wait()  # both refreshes have built their rows before either swaps
        return rows

    errors = []

    def refresh_in_thread():
        try:
            services.refresh()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    original, snapshots.build_global_timeline = build, build_then_wait
    try:
        threads = [threading.Thread(target=refresh_in_thread) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        snapshots.build_global_timeline = original
    if connection.vendor == "postgresql":
        assert errors == []
    after = snapshot_state()
    assert [r[1:] for r in after[0]] == [r[1:] for r in expected[0]]
    assert after[1:] == expected[1:]
