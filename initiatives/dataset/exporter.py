"""Write the database back as dataset files, in the one canonical form the loader reads.

Key order follows the schema, empty optional fields are left out, lists of keys are
sorted, and records are sorted by a stable natural order, so load → export of the
committed files reproduces them byte for byte.
"""

from collections import defaultdict
from pathlib import Path

from actors.models import Actor, ActorKind
from initiatives.dataset import schema, yaml_io
from initiatives.models import (
    Event,
    Initiative,
    Measure,
    Participation,
    Principle,
    Role,
    Source,
    Topic,
)
from initiatives.partial_dates import partial_date

ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def _value(fld: schema.Field, value):
    if fld.kind == schema.DATE:
        return None if value is None else yaml_io.QuotedDate(str(value))
    if fld.kind == schema.REFS:
        return sorted(value)
    return value


def _document(spec_name: str, values: dict) -> dict:
    spec = schema.SPECS[spec_name]
    out = {}
    for fld in spec.fields:
        value = _value(fld, values.get(fld.name))
        if not fld.required and (value is None or value == "" or value == []):
            continue
        out[fld.name] = value
    return out


def _m2m(model, field_name: str, key_of) -> dict[int, list[str]]:
    """{left pk: [keys of the right side]} for one many-to-many table, in one query."""
    m2m = model._meta.get_field(field_name)
    through = m2m.remote_field.through
    left, right = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    out = defaultdict(list)
    for a, b in through.objects.values_list(left, right).iterator(chunk_size=5000):
        out[a].append(key_of[b])
    return out


def _date_sort_key(value):
    return (value is None, value.value if value else None)


def export_dataset(root: Path) -> list[Path]:
    """Write the dataset files under root; return the paths written."""
    root = Path(root)
    (root / "actors").mkdir(parents=True, exist_ok=True)
    (root / schema.INITIATIVES_DIR).mkdir(parents=True, exist_ok=True)
    written = []

    def write(relpath: str, document):
        path = root / relpath
        path.write_text(yaml_io.dump(document), encoding="utf-8")
        written.append(path)

    actors = {a.pk: a for a in Actor.objects.all()}
    actor_key = {pk: a.iso_alpha3 if a.is_country else a.slug for pk, a in actors.items()}
    actor_slug = {pk: a.slug for pk, a in actors.items()}
    sources = {s.pk: s for s in Source.objects.all()}
    source_key = {pk: s.key for pk, s in sources.items()}
    topic_key = dict(Topic.objects.values_list("pk", "slug"))
    initiatives = {i.pk: i for i in Initiative.objects.all()}
    initiative_key = {pk: i.slug for pk, i in initiatives.items()}
    principles = list(Principle.objects.all())
    principle_key = {p.pk: f"{initiative_key[p.initiative_id]}/{p.order}" for p in principles}
    measures = list(Measure.objects.all())
    measure_key = {m.pk: m.slug for m in measures}

    write(
        "topics.yaml",
        {"topics": [_document("topic", t) for t in Topic.objects.order_by("slug").values()]},
    )
    write(
        "sources.yaml",
        {
            "sources": [
                _document("source", {**vars(s), "published_on": s.published})
                for s in sorted(sources.values(), key=lambda s: s.key)
            ]
        },
    )

    members = _m2m(Actor, "members", actor_key)
    actor_sources = defaultdict(list)
    for source_pk, actor_pk in Source.actors.through.objects.values_list("source_id", "actor_id"):
        actor_sources[actor_pk].append(source_key[source_pk])
    by_kind = defaultdict(list)
    for actor in actors.values():
        by_kind[actor.kind].append(actor)
    countries = sorted(
        by_kind[ActorKind.STATE] + by_kind[ActorKind.TERRITORY], key=lambda a: a.iso_alpha3
    )
    write(
        "actors/states.yaml",
        {
            "states": [
                _document(
                    "state",
                    {
                        "alpha3": a.iso_alpha3,
                        "alpha2": a.iso_alpha2,
                        "name": a.name,
                        "kind": a.kind,
                    },
                )
                for a in countries
            ]
        },
    )
    organisations = sorted(
        by_kind[ActorKind.ORGANISATION] + by_kind[ActorKind.OTHER], key=lambda a: a.slug
    )
    write(
        "actors/organisations.yaml",
        {
            "organisations": [
                _document(
                    "organisation",
                    {
                        **vars(a),
                        "parent": actor_slug.get(a.parent_id),
                        "members": members.get(a.pk, []),
                        "sources": actor_sources.get(a.pk, []),
                    },
                )
                for a in organisations
            ]
        },
    )
    write(
        "actors/companies.yaml",
        {
            "companies": [
                _document(
                    "company",
                    {
                        **vars(a),
                        "headquarters": actor_key.get(a.headquarters_id),
                        "parent": actor_slug.get(a.parent_id),
                        "sources": actor_sources.get(a.pk, []),
                    },
                )
                for a in sorted(by_kind[ActorKind.COMPANY], key=lambda a: a.slug)
            ]
        },
    )

    measure_links = {
        name: _m2m(Measure, name, key_of)
        for name, key_of in (
            ("targets", actor_slug),
            ("amends", measure_key),
            ("revokes", measure_key),
            ("enjoins", measure_key),
            ("initiatives", initiative_key),
            ("principles", principle_key),
            ("sources", source_key),
        )
    }
    write(
        "measures.yaml",
        {
            "measures": [
                _document(
                    "measure",
                    {
                        **vars(m),
                        "issuer": actor_slug[m.issuer_id],
                        "announced_on": m.announced,
                        "effective_on": m.effective,
                        "ended_on": m.ended,
                        **{name: links.get(m.pk, []) for name, links in measure_links.items()},
                    },
                )
                for m in sorted(measures, key=lambda m: (m.announced_on, m.slug))
            ]
        },
    )

    event_links = {
        name: _m2m(Event, name, key_of)
        for name, key_of in (
            ("initiatives", initiative_key),
            ("actors", actor_slug),
            ("measures", measure_key),
            ("sources", source_key),
        )
    }
    events_by_initiative = defaultdict(list)
    loose_events = []
    for event in Event.objects.order_by("date", "slug"):
        values = {
            **vars(event),
            "date": event.dated,
            **{name: links.get(event.pk, []) for name, links in event_links.items()},
        }
        if len(values["initiatives"]) == 1:
            events_by_initiative[values["initiatives"][0]].append(
                _document("initiative_event", values)
            )
        else:
            loose_events.append(_document("event", values))
    write("events.yaml", {"events": loose_events})

    principle_sources = _m2m(Principle, "sources", source_key)
    principle_topics = _m2m(Principle, "topics", topic_key)
    principles_by_initiative = defaultdict(list)
    for p in sorted(principles, key=lambda p: p.order):
        principles_by_initiative[p.initiative_id].append(
            _document(
                "principle",
                {
                    **vars(p),
                    "topics": principle_topics.get(p.pk, []),
                    "sources": principle_sources.get(p.pk, []),
                },
            )
        )
    participation_sources = _m2m(Participation, "sources", source_key)
    participations_by_initiative = defaultdict(list)
    for p in Participation.objects.all():
        participations_by_initiative[p.initiative_id].append(p)
    initiative_sources = _m2m(Initiative, "sources", source_key)
    for initiative in initiatives.values():
        rows = sorted(
            participations_by_initiative[initiative.pk],
            key=lambda p: (*_date_sort_key(p.joined), actor_slug[p.actor_id], ROLE_ORDER[p.role]),
        )
        document = _document(
            "initiative",
            {
                **vars(initiative),
                "sponsor": actor_slug[initiative.sponsor_id],
                "announced_on": initiative.announced,
                "status_since": initiative.status_changed,
                "parent": initiative_key.get(initiative.parent_id),
                "sources": initiative_sources.get(initiative.pk, []),
                "principles": principles_by_initiative[initiative.pk],
                "participations": [
                    _document(
                        "participation",
                        {
                            **vars(p),
                            "actor": actor_slug[p.actor_id],
                            "joined_on": partial_date(p, "joined_on"),
                            "left_on": partial_date(p, "left_on"),
                            "sources": participation_sources.get(p.pk, []),
                        },
                    )
                    for p in rows
                ],
                "events": events_by_initiative[initiative.slug],
            },
        )
        write(f"{schema.INITIATIVES_DIR}/{initiative.slug}.yaml", document)
    return written
