"""Snapshot rows written by the refresh jobs; pages and the API read these, never aggregate.

Each table is rebuilt as a whole (or per initiative) and swapped in inside one
transaction, so a reader sees either the previous snapshot or the new one.
"""

from django.db import models

from initiatives.models import ParticipationStatus, Role
from initiatives.partial_dates import Precision


class ActorGroup(models.TextChoices):
    STATE = "state", "states and territories"
    ORGANISATION = "organisation", "organisations"
    COMPANY = "company", "companies"


class SignatoryCount(models.Model):
    """How many participations an initiative has, by actor group, role and status, from `date`.

    Rows are deltas: one for each date on which a (group, role, status) count changes,
    holding its new value (0 when it drops out). The count in force on day D is the latest
    row on or before D. Rows with no date count participations whose date is unknown.
    """

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(null=True)
    actor_group = models.CharField(max_length=12, choices=ActorGroup.choices)
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=10, choices=ParticipationStatus.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["initiative", "date", "actor_group", "role", "status"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "date", "actor_group", "role", "status"],
                name="signatory_count_unique",
            )
        ]

    def __str__(self):
        return f"{self.date}: {self.actor_group} {self.role} {self.status} = {self.count}"


class MapInterval(models.Model):
    """A state's role and status in an initiative from valid_from until valid_to (exclusive).

    "As of D" is one indexed range query: valid_from <= D < valid_to (or valid_to null).
    valid_from is null for a participation whose date is unknown: it appears in the
    latest view only, never on a dated map.
    """

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey("actors.Actor", on_delete=models.CASCADE, related_name="+")
    participation = models.ForeignKey(
        "initiatives.Participation", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=10, choices=ParticipationStatus.choices)
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)
    # Denormalised for hover text, so a map needs no join back to the curated tables.
    iso_alpha3 = models.CharField(max_length=3)
    joined_on = models.DateField(null=True)
    joined_on_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    instrument = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["initiative", "iso_alpha3", "valid_from"]
        indexes = [
            models.Index(fields=["initiative", "valid_from", "valid_to"]),
            models.Index(fields=["actor", "initiative"]),
        ]

    def __str__(self):
        return f"{self.iso_alpha3} {self.role} {self.status} {self.valid_from}–{self.valid_to}"


class Camp(models.TextChoices):
    CHINA = "china", "China-led only"
    US = "us", "US-led only"
    BOTH = "both", "both"
    NEITHER = "neither", "neither"


class StateCamp(models.Model):
    """Which side a state stands with: its confirmed part in China- and US-led initiatives."""

    actor = models.OneToOneField("actors.Actor", on_delete=models.CASCADE, related_name="camp")
    camp = models.CharField(max_length=8, choices=Camp.choices)
    china_led = models.PositiveIntegerField()
    us_led = models.PositiveIntegerField()
    memberships = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.actor_id}: {self.camp}"


class StateAlignment(models.Model):
    """Two states' shared confirmed memberships and their Jaccard index (stored both ways)."""

    actor = models.ForeignKey("actors.Actor", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("actors.Actor", on_delete=models.CASCADE, related_name="+")
    shared = models.PositiveIntegerField()
    union = models.PositiveIntegerField()
    jaccard = models.FloatField()

    class Meta:
        ordering = ["actor", "-jaccard", "other"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "other"], name="alignment_unique_pair")
        ]
        indexes = [models.Index(fields=["actor", "jaccard"])]

    def __str__(self):
        return f"{self.actor_id}~{self.other_id}: {self.jaccard:.2f}"


class TimelineKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "announcement"
    JOIN = "join", "join"
    DEPARTURE = "departure", "departure"
    MEASURE = "measure", "measure"
    INJUNCTION = "injunction", "injunction"
    REVOCATION = "revocation", "revocation"
    MEASURE_ENDED = "measure-ended", "measure ended"
    EVENT = "event", "event"


class TimelineEntry(models.Model):
    """One row of the unified timeline, with the links that let it be filtered."""

    date = models.DateField()
    date_precision = models.CharField(max_length=5, choices=Precision.choices)
    kind = models.CharField(max_length=14, choices=TimelineKind.choices)
    detail = models.CharField(max_length=24, blank=True)  # role, measure kind or event kind
    title = models.CharField(max_length=400)
    # Where the entry comes from: exactly one of these is set.
    initiative = models.ForeignKey(
        "initiatives.Initiative", null=True, on_delete=models.CASCADE, related_name="+"
    )
    participation = models.ForeignKey(
        "initiatives.Participation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    measure = models.ForeignKey(
        "initiatives.Measure", null=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "initiatives.Event", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # What it is about, for filtering: initiatives, and actors (companies included).
    initiatives = models.ManyToManyField("initiatives.Initiative", related_name="+")
    actors = models.ManyToManyField("actors.Actor", related_name="+")
    # The initiative whose refresh owns this row (null: owned by the full refresh).
    scope = models.ForeignKey(
        "initiatives.Initiative", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # Denormalised at refresh time so the API and the CSV export read one row per entry,
    # with no joins: slugs joined by ";" (sorted), and what the entry records.
    initiative_keys = models.TextField(blank=True)
    actor_keys = models.TextField(blank=True)
    source_kind = models.CharField(max_length=14, default="")
    source_key = models.CharField(max_length=120, default="")

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["date", "id"]),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["scope"]),
        ]

    def __str__(self):
        return f"{self.date} {self.kind}: {self.title}"


class RefreshRun(models.Model):
    """One run of a refresh job: when, how long, how many rows, and whether it succeeded."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "running"
        SUCCESS = "success", "success"
        FAILED = "failed", "failed"
        # Still marked running when a later refresh finished: its worker stopped mid-run.
        LOST = "lost", "lost"

    scope = models.CharField(max_length=100)  # "all" or "initiative:<slug>"
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    duration_ms = models.PositiveIntegerField(null=True)
    rows_written = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.RUNNING)
    error = models.TextField(blank=True)
    eager = models.BooleanField(default=True, help_text="Run in-process rather than by a worker.")
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["outcome", "-finished_at"])]

    def __str__(self):
        return f"{self.scope} {self.outcome} at {self.started_at:%Y-%m-%d %H:%M:%S}"


class DataVersion(models.Model):
    """One row: counters that change whenever what the API serves can change.

    data_version moves in the same transaction as every curated change; snapshot_version
    with every successful refresh. Together they make the API's ETag, so a client that
    polls gets 304 until something it could see has changed.
    """

    data_version = models.PositiveBigIntegerField(default=0)
    data_changed_at = models.DateTimeField(null=True)
    snapshot_version = models.PositiveBigIntegerField(default=0)
    snapshot_refreshed_at = models.DateTimeField(null=True)
    # The data_version the latest refresh that settled every owed change was built from.
    refreshed_data_version = models.PositiveBigIntegerField(default=0)
    # While data_version is ahead of it: the one initiative every change since was scoped
    # to (its refresh settles them), or null when some change needs the full refresh.
    owed_initiative = models.PositiveBigIntegerField(null=True, blank=True)

    def __str__(self):
        return f"data {self.data_version}, snapshot {self.snapshot_version}"
