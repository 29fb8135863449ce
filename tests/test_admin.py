import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "actor",
    "topic",
    "source",
    "initiative",
    "principle",
    "participation",
    "measure",
    "event",
]


def test_the_admin_needs_a_login(client):
    response = client.get(reverse("admin:initiatives_participation_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_search_and_filter(admin_client, model):
    app = "actors" if model == "actor" else "initiatives"
    url = reverse(f"admin:{app}_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "Huawei"}).status_code == 200


def test_initiative_edit_page_inlines_participations_with_sources(admin_client):
    from initiatives.models import Initiative

    pk = Initiative.objects.get(slug="gids").pk
    html = admin_client.get(
        reverse("admin:initiatives_initiative_change", args=[pk])
    ).content.decode()
    assert "participations-TOTAL_FORMS" in html and "principles-TOTAL_FORMS" in html


def test_public_pages_offer_no_write_methods(client):
    response = client.post(reverse("dashboard:home"))
    assert response.status_code in (403, 405)
