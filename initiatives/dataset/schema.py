"""What each kind of record in the dataset files may hold, in the order files write it.

The same declarations drive validation (reader), the database sync (writer) and the
canonical output (exporter), so the three can never disagree about a field.
"""

from dataclasses import dataclass, field

from actors.models import ActorKind
from initiatives.models import (
    EventKind,
    InitiativeKind,
    InitiativeStatus,
    MeasureKind,
    ParticipationStatus,
    Role,
)

# Kinds of value a field holds.
TEXT = "text"  # a string, may be empty unless required
SLUG = "slug"  # lower-case letters, digits, hyphens
CODE2 = "code2"  # two upper-case letters
CODE3 = "code3"  # three upper-case letters
URL = "url"
DATE = "date"  # a partial date
INT = "int"
CHOICE = "choice"
REF = "ref"  # one reference to another record, by key
REFS = "refs"  # a list of references
RECORDS = "records"  # a nested list of records


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    target: str = ""  # for REF/REFS: the namespace referred to; for RECORDS: the record spec name
    max_length: int = 0


@dataclass(frozen=True)
class Spec:
    name: str
    key: str  # the field that identifies a record
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _choices(enum) -> tuple[str, ...]:
    return tuple(enum.values)


SOURCES = Field("sources", REFS, required=True, target="source")

SPECS = {
    "topic": Spec(
        "topic",
        "slug",
        (
            Field("slug", SLUG, required=True, max_length=60),
            Field("name", TEXT, required=True, max_length=100),
            Field("description", TEXT),
        ),
    ),
    "source": Spec(
        "source",
        "key",
        (
            Field("key", SLUG, required=True, max_length=120),
            Field("publisher", TEXT, required=True, max_length=200),
            Field("title", TEXT, required=True, max_length=400),
            Field("url", URL, max_length=500),
            Field("published_on", DATE),
            Field("note", TEXT),
        ),
    ),
    "state": Spec(
        "state",
        "alpha3",
        (
            Field("alpha3", CODE3, required=True),
            Field("alpha2", CODE2, required=True),
            Field("name", TEXT, required=True, max_length=200),
            Field("kind", CHOICE, required=True, choices=(ActorKind.STATE, ActorKind.TERRITORY)),
        ),
    ),
    "organisation": Spec(
        "organisation",
        "slug",
        (
            Field("slug", SLUG, required=True, max_length=80),
            Field("name", TEXT, required=True, max_length=200),
            Field("short_name", TEXT, max_length=60),
            Field("kind", CHOICE, required=True, choices=(ActorKind.ORGANISATION, ActorKind.OTHER)),
            Field("parent", REF, target="organisation"),
            Field("members", REFS, target="state"),
            Field("note", TEXT),
            Field("sources", REFS, target="source"),
        ),
    ),
    "company": Spec(
        "company",
        "slug",
        (
            Field("slug", SLUG, required=True, max_length=80),
            Field("name", TEXT, required=True, max_length=200),
            Field("headquarters", REF, target="state"),
            Field("parent", REF, target="company"),
            Field("note", TEXT),
            Field("sources", REFS, target="source"),
        ),
    ),
    "initiative": Spec(
        "initiative",
        "slug",
        (
            Field("slug", SLUG, required=True, max_length=80),
            Field("name", TEXT, required=True, max_length=250),
            Field("short_name", TEXT, required=True, max_length=60),
            Field("sponsor", REF, required=True, target="actor"),
            Field("announced_on", DATE, required=True),
            Field("announced_by", TEXT, max_length=250),
            Field("venue", TEXT, max_length=300),
            Field("kind", CHOICE, required=True, choices=_choices(InitiativeKind)),
            Field("status", CHOICE, required=True, choices=_choices(InitiativeStatus)),
            Field("status_since", DATE),
            Field("parent", REF, target="initiative"),
            Field("primary_url", URL, max_length=500),
            Field("summary", TEXT, required=True),
            Field("note", TEXT),
            SOURCES,
            Field("principles", RECORDS, target="principle"),
            Field("participations", RECORDS, target="participation"),
            Field("events", RECORDS, target="initiative_event"),
        ),
    ),
    "principle": Spec(
        "principle",
        "order",
        (
            Field("order", INT, required=True),
            Field("code", TEXT, max_length=20),
            Field("section", TEXT, max_length=200),
            Field("title", TEXT, required=True, max_length=250),
            Field("paraphrase", TEXT, required=True),
            Field("note", TEXT),
            Field("topics", REFS, target="topic"),
            SOURCES,
        ),
    ),
    "participation": Spec(
        "participation",
        "actor",
        (
            Field("actor", REF, required=True, target="actor"),
            Field("role", CHOICE, required=True, choices=_choices(Role)),
            Field("status", CHOICE, required=True, choices=_choices(ParticipationStatus)),
            Field("joined_on", DATE),
            Field("left_on", DATE),
            Field("instrument", TEXT, max_length=300),
            Field("note", TEXT),
            SOURCES,
        ),
    ),
    "measure": Spec(
        "measure",
        "slug",
        (
            Field("slug", SLUG, required=True, max_length=80),
            Field("title", TEXT, required=True, max_length=250),
            Field("issuer", REF, required=True, target="actor"),
            Field("kind", CHOICE, required=True, choices=_choices(MeasureKind)),
            Field("announced_on", DATE, required=True),
            Field("effective_on", DATE),
            Field("ended_on", DATE),
            Field("targets", REFS, target="actor"),
            Field("amends", REFS, target="measure"),
            Field("revokes", REFS, target="measure"),
            Field("enjoins", REFS, target="measure"),
            Field("initiatives", REFS, target="initiative"),
            Field("principles", REFS, target="principle"),
            Field("summary", TEXT, required=True),
            Field("note", TEXT),
            SOURCES,
        ),
    ),
}

_EVENT_FIELDS = (
    Field("slug", SLUG, required=True, max_length=120),
    Field("date", DATE, required=True),
    Field("kind", CHOICE, required=True, choices=_choices(EventKind)),
    Field("title", TEXT, required=True, max_length=250),
    Field("description", TEXT),
)
_EVENT_LINKS = (
    Field("actors", REFS, target="actor"),
    Field("measures", REFS, target="measure"),
    SOURCES,
)
# An event inside an initiative file concerns that initiative alone; events.yaml names its own.
SPECS["initiative_event"] = Spec("event", "slug", _EVENT_FIELDS + _EVENT_LINKS)
SPECS["event"] = Spec(
    "event",
    "slug",
    _EVENT_FIELDS + (Field("initiatives", REFS, target="initiative"),) + _EVENT_LINKS,
)

# The files of the dataset: relative path (or folder of one-record files), top-level key, spec.
LIST_FILES = (
    ("topics.yaml", "topics", "topic"),
    ("sources.yaml", "sources", "source"),
    ("actors/states.yaml", "states", "state"),
    ("actors/organisations.yaml", "organisations", "organisation"),
    ("actors/companies.yaml", "companies", "company"),
    ("measures.yaml", "measures", "measure"),
    ("events.yaml", "events", "event"),
)
INITIATIVES_DIR = "initiatives"
