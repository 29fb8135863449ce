from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from initiatives.partial_dates import (
    partial_date,
    partial_date_constraints,
    partial_date_fields,
)


class Topic(models.Model):
    """One entry of the controlled taxonomy that principles are tagged with."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name


class Source(models.Model):
    """A public page that supports one or more facts in the Atlas."""

    key = models.SlugField(max_length=120, unique=True)
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=400)
    url = models.URLField(max_length=500, blank=True)
    published_on, published_on_precision = partial_date_fields("published on")
    note = models.TextField(blank=True)
    actors = models.ManyToManyField(
        "actors.Actor",
        blank=True,
        related_name="sources",
        help_text="Facts about actors it supports.",
    )

    history = HistoricalRecords(m2m_fields=[actors])

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_unique_url"),
            *partial_date_constraints("published_on"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    @property
    def published(self):
        return partial_date(self, "published_on")


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", "initiative"
    DECLARATION = "declaration", "declaration"
    PROGRAMME = "programme", "programme"
    TOOLBOX = "toolbox", "toolbox"
    CHAIRS_STATEMENT = "chairs-statement", "chair's statement"
    MOU_SERIES = "mou-series", "MoU series"
    FORUM = "forum", "forum"


class InitiativeStatus(models.TextChoices):
    ACTIVE = "active", "active"
    DORMANT = "dormant", "dormant"
    ARCHIVED = "archived", "archived"
    SUPERSEDED = "superseded", "superseded"
    REVOKED = "revoked", "revoked"


class Initiative(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=250)
    short_name = models.CharField(max_length=60)
    sponsor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="sponsored_initiatives"
    )
    announced_on, announced_on_precision = partial_date_fields("announced on", required=True)
    announced_by = models.CharField(max_length=250, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=InitiativeKind.choices)
    status = models.CharField(max_length=12, choices=InitiativeStatus.choices)
    status_since, status_since_precision = partial_date_fields("status since")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derivatives",
        help_text="The initiative this one derives from or expands.",
    )
    primary_url = models.URLField(max_length=500, blank=True)
    summary = models.TextField()
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="cited_by_initiatives")

    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["announced_on", "slug"]
        constraints = [
            *partial_date_constraints("announced_on"),
            *partial_date_constraints("status_since"),
            models.CheckConstraint(
                condition=Q(status_since__isnull=True) | Q(status_since__gte=F("announced_on")),
                name="initiative_status_after_announcement",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="initiative_not_own_parent"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("dashboard:initiative", args=[self.slug])

    @property
    def announced(self):
        return partial_date(self, "announced_on")

    @property
    def status_changed(self):
        return partial_date(self, "status_since")


class Principle(models.Model):
    """A principle, commitment or line of effort of an initiative, paraphrased."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="principles")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20, blank=True)
    section = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=250)
    paraphrase = models.TextField()
    note = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="principles")
    sources = models.ManyToManyField(Source, related_name="cited_by_principles")

    history = HistoricalRecords(m2m_fields=[topics, sources])

    class Meta:
        ordering = ["initiative", "order"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "order"], name="principle_unique_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="principle_order_positive"),
        ]

    def __str__(self):
        return f"{self.initiative.short_name} {self.order}. {self.title}"

    @property
    def reference(self) -> str:
        """How the dataset refers to it: <initiative>/<order>."""
        return f"{self.initiative.slug}/{self.order}"


class Role(models.TextChoices):
    PROPOSER = "proposer", "proposer"
    FOUNDING_SIGNATORY = "founding-signatory", "founding signatory"
    SIGNATORY = "signatory", "signatory"
    ENDORSER = "endorser", "endorser"
    WELCOMED_ONLY = "welcomed-only", "welcomed only"
    COMMITMENT_ONLY = "commitment-only", "commitment only"
    PARTICIPANT = "participant", "participant"


class ParticipationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "confirmed"
    CLAIMED = "claimed", "claimed"
    DISPUTED = "disputed", "disputed"
    WITHDRAWN = "withdrawn", "withdrawn"


class Participation(models.Model):
    """An actor's part in an initiative, with its honest status and dated by its instrument."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=10, choices=ParticipationStatus.choices)
    joined_on, joined_on_precision = partial_date_fields("joined on")
    left_on, left_on_precision = partial_date_fields("left on")
    instrument = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="cited_by_participations")

    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["initiative", "joined_on", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "actor", "role"], name="participation_unique_role"
            ),
            *partial_date_constraints("joined_on"),
            *partial_date_constraints("left_on"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="participation_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["actor", "initiative"])]

    def __str__(self):
        return f"{self.actor} in {self.initiative} ({self.role}, {self.status})"

    @property
    def joined(self):
        return partial_date(self, "joined_on")

    @property
    def left(self):
        return partial_date(self, "left_on")


class MeasureKind(models.TextChoices):
    ENTITY_LISTING = "entity-listing", "entity listing"
    EXPORT_CONTROL_RULE = "export-control-rule", "export-control rule"
    EXECUTIVE_ORDER = "executive-order", "executive order"
    APP_BAN = "app-ban", "app ban"
    NETWORK_EXCLUSION = "network-exclusion", "network exclusion"
    LICENCE_CONDITION = "licence-condition", "licence condition"
    SECURITY_DESIGNATION = "security-designation", "security designation"
    COURT_INJUNCTION = "court-injunction", "court injunction"
    REVOCATION = "revocation", "revocation"


class Measure(models.Model):
    """A government or court action aimed at named companies, with its links and later fate."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=250)
    issuer = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="measures_issued"
    )
    kind = models.CharField(max_length=24, choices=MeasureKind.choices)
    announced_on, announced_on_precision = partial_date_fields("announced on", required=True)
    effective_on, effective_on_precision = partial_date_fields("effective on")
    ended_on, ended_on_precision = partial_date_fields("ended on")
    targets = models.ManyToManyField("actors.Actor", blank=True, related_name="targeted_by")
    amends = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="amended_by"
    )
    revokes = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="revoked_by"
    )
    enjoins = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="enjoined_by"
    )
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="motivated_measures")
    principles = models.ManyToManyField(Principle, blank=True, related_name="motivated_measures")
    summary = models.TextField()
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="cited_by_measures")

    history = HistoricalRecords(m2m_fields=[targets, initiatives, principles, sources])

    class Meta:
        ordering = ["announced_on", "slug"]
        constraints = [
            *partial_date_constraints("announced_on"),
            *partial_date_constraints("effective_on"),
            *partial_date_constraints("ended_on"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("announced_on")),
                name="measure_ended_after_announced",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def announced(self):
        return partial_date(self, "announced_on")

    @property
    def effective(self):
        return partial_date(self, "effective_on")

    @property
    def ended(self):
        return partial_date(self, "ended_on")


class EventKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "announcement"
    STATEMENT = "statement", "statement"
    CLAIM = "claim", "claim"
    MEETING = "meeting", "meeting"
    RULING = "ruling", "ruling"
    REPORT = "report", "report"
    ARCHIVAL = "archival", "archival"
    DEADLINE = "deadline", "deadline"
    OTHER = "other", "other"


class Event(models.Model):
    """A dated fact that is neither a participation nor a measure."""

    slug = models.SlugField(max_length=120, unique=True)
    date, date_precision = partial_date_fields("date", required=True)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="events")
    actors = models.ManyToManyField("actors.Actor", blank=True, related_name="events")
    measures = models.ManyToManyField(Measure, blank=True, related_name="events")
    sources = models.ManyToManyField(Source, related_name="cited_by_events")

    history = HistoricalRecords(m2m_fields=[initiatives, actors, measures, sources])

    class Meta:
        ordering = ["date", "slug"]
        constraints = [*partial_date_constraints("date")]

    def __str__(self):
        return self.title

    @property
    def dated(self):
        return partial_date(self, "date")
