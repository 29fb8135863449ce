from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ActorKind(models.TextChoices):
    STATE = "state", "state"
    TERRITORY = "territory", "territory"
    ORGANISATION = "organisation", "regional or intergovernmental organisation"
    COMPANY = "company", "company"
    OTHER = "other", "other"


COUNTRY_KINDS = (ActorKind.STATE, ActorKind.TERRITORY)


class ActorQuerySet(models.QuerySet):
    def countries(self):
        """States and territories: everything that has an ISO code and a place on the map."""
        return self.filter(kind__in=COUNTRY_KINDS)

    def companies(self):
        return self.filter(kind=ActorKind.COMPANY)

    def organisations(self):
        return self.filter(kind__in=(ActorKind.ORGANISATION, ActorKind.OTHER))


class Actor(models.Model):
    """A state, territory, organisation or company that takes part in or is targeted by policy."""

    kind = models.CharField(max_length=12, choices=ActorKind.choices, db_index=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    iso_alpha2 = models.CharField("ISO alpha-2", max_length=2, blank=True)
    iso_alpha3 = models.CharField("ISO alpha-3", max_length=3, blank=True)
    headquarters = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headquartered_companies",
        limit_choices_to={"kind__in": COUNTRY_KINDS},
        help_text="Companies only: the state or territory of the headquarters.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A parent company (TikTok → ByteDance) or the organisation a body belongs to.",
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="member_of",
        limit_choices_to={"kind__in": COUNTRY_KINDS},
        help_text="Organisations only: member states.",
    )
    note = models.TextField(blank=True)

    objects = ActorQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_alpha2"], condition=~Q(iso_alpha2=""), name="actor_unique_alpha2"
            ),
            models.UniqueConstraint(
                fields=["iso_alpha3"], condition=~Q(iso_alpha3=""), name="actor_unique_alpha3"
            ),
            # States and territories, and only they, carry both ISO codes, and their
            # slug is the lower-case alpha-3 code (chn, usa, xkx).
            models.CheckConstraint(
                condition=(
                    Q(kind__in=COUNTRY_KINDS)
                    & Q(iso_alpha2__regex=r"^[A-Z]{2}$")
                    & Q(iso_alpha3__regex=r"^[A-Z]{3}$")
                    & Q(slug=Lower("iso_alpha3"))
                )
                | (~Q(kind__in=COUNTRY_KINDS) & Q(iso_alpha2="") & Q(iso_alpha3="")),
                name="actor_iso_codes_match_kind",
            ),
            models.CheckConstraint(
                condition=Q(headquarters__isnull=True) | Q(kind=ActorKind.COMPANY),
                name="actor_only_companies_have_headquarters",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dashboard:actor", args=[self.slug])

    @property
    def is_country(self) -> bool:
        return self.kind in COUNTRY_KINDS
