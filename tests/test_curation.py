"""Who may write: the curators group, the rate-limited admin sign-in, the audit trail."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from curation.groups import CURATORS
from initiatives.models import Topic

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-curator-passphrase"


@pytest.fixture
def curator():
    user = User.objects.create_user("curator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS))
    return user


def sign_in(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_the_curators_group_holds_the_curated_models_and_nothing_more():
    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=CURATORS).permissions.select_related("content_type")
    }
    assert {
        "initiatives.change_participation",
        "actors.add_actor",
        "initiatives.delete_event",
    } <= perms
    assert "initiatives.view_historicalparticipation" in perms
    assert "dashboard.view_refreshrun" in perms and "dashboard.change_refreshrun" not in perms
    assert not {p for p in perms if p.split(".")[0] in {"auth", "django_celery_beat", "sessions"}}


def test_a_curator_edits_and_the_audit_trail_shows_who_and_what(client, curator):
    assert sign_in(client, "curator", PASSWORD).status_code == 302
    topic = Topic.objects.get(slug="supply-chain")
    url = reverse("admin:initiatives_topic_change", args=[topic.pk])
    response = client.post(
        url,
        {"name": "Supply-chain security", "slug": topic.slug, "description": "Edited."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    record = topic.history.first()
    assert record.history_user == curator and record.history_type == "~"
    assert record.prev_record.history_change_reason == "load_dataset"
    assert {c.field for c in record.diff_against(record.prev_record).changes} == {
        "name",
        "description",
    }
    history = client.get(reverse("admin:initiatives_topic_history", args=[topic.pk]))
    html = history.content.decode()
    assert history.status_code == 200
    assert "curator" in html and "Supply-chain security" in html and "Edited." in html


def test_a_curators_first_edit_after_a_load_shows_only_what_they_changed(client, curator):
    from initiatives.models import Participation

    assert sign_in(client, "curator", PASSWORD).status_code == 302
    china = Participation.objects.get(initiative__slug="gids", actor__slug="chn")
    url = reverse("admin:initiatives_participation_change", args=[china.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(sources=[s.pk for s in china.sources.all()], note="Checked by a curator.")
    data.update(left_on="", left_on_precision="")
    assert client.post(url, data).status_code == 302

    record = china.history.first()
    assert record.history_user == curator
    # The sources were loaded with the record and left as they were: not shown as added.
    assert [c.field for c in record.diff_against(record.prev_record).changes] == ["note"]


def test_staff_outside_the_group_cannot_edit(client):
    User.objects.create_user("visitor", password=PASSWORD, is_staff=True)
    sign_in(client, "visitor", PASSWORD)
    topic = Topic.objects.get(slug="supply-chain")
    url = reverse("admin:initiatives_topic_change", args=[topic.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "slug": topic.slug}).status_code == 403
    assert Topic.objects.get(pk=topic.pk).name == topic.name


def test_a_curator_cannot_manage_users_or_the_schedule(client, curator):
    sign_in(client, "curator", PASSWORD)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 403
    )


def test_sign_in_is_refused_after_too_many_failures_even_with_the_right_password(
    client, curator, settings
):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    for _ in range(3):
        wrong = sign_in(client, "curator", "wrong")
        assert (
            wrong.status_code == 200 and "correct username and password" in wrong.content.decode()
        )
    locked = sign_in(client, "curator", PASSWORD)
    assert locked.status_code == 200
    assert "Too many failed sign-ins. Try again in 15 minutes." in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out by this one's failures.
    assert sign_in(client, "curator", PASSWORD, ip="198.51.100.7").status_code == 302


def test_guessing_one_user_name_from_many_addresses_is_limited_too(client, curator, settings):
    settings.ADMIN_LOGIN_RATE = "2/15m"  # per address; four times that per user name
    for n in range(8):
        sign_in(client, "curator", "wrong", ip=f"203.0.113.{n}")
    locked = sign_in(client, "curator", PASSWORD, ip="203.0.113.99")
    assert "Too many failed sign-ins" in locked.content.decode()


def test_sign_in_stays_limited_while_redis_is_down(client, curator, settings, redis_down):
    settings.ADMIN_LOGIN_RATE = "3/15m"
    for _ in range(3):
        assert "correct username and password" in sign_in(client, "curator", "x").content.decode()
    locked = sign_in(client, "curator", PASSWORD)
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "curator", PASSWORD, ip="198.51.100.7").status_code == 302


def test_refresh_runs_are_read_only_in_the_admin(admin_client):
    from dashboard.models import RefreshRun

    run = RefreshRun.objects.order_by("-pk").first()
    assert admin_client.get(reverse("admin:dashboard_refreshrun_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:dashboard_refreshrun_add")).status_code == 403
    page = admin_client.get(reverse("admin:dashboard_refreshrun_change", args=[run.pk]))
    assert page.status_code == 200 and "Save" not in page.content.decode()
