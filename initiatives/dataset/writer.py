"""Make the database equal to a validated dataset, in one transaction.

Rows are matched on their natural keys (slugs, ISO codes, initiative + order, ...),
so loading the same files twice writes nothing, and a record removed from the files
is removed from the database. Everything is bulk work, so large datasets load in
seconds rather than one query per row.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, models, transaction
from simple_history.models import HistoricalRecords

from actors.models import Actor, ActorKind
from dashboard import bulk
from dashboard.triggers import curated_change
from initiatives.dataset.checks import actor_slug
from initiatives.dataset.reader import Dataset, DatasetError, Problem
from initiatives.models import Event, Initiative, Measure, Participation, Principle, Source, Topic

BATCH = 2000
LOAD_REASON = "load_dataset"


@dataclass
class SyncStats:
    created: dict = field(default_factory=lambda: defaultdict(set))
    updated: dict = field(default_factory=lambda: defaultdict(set))
    deleted: dict = field(default_factory=lambda: defaultdict(int))
    links_added: dict = field(default_factory=lambda: defaultdict(int))
    links_removed: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def changed(self) -> bool:
        return any(
            any(bool(v) for v in table.values())
            for table in (
                self.created,
                self.updated,
                self.deleted,
                self.links_added,
                self.links_removed,
            )
        )

    def lines(self) -> list[str]:
        labels = sorted(set(self.created) | set(self.updated) | set(self.deleted))
        out = []
        for label in labels:
            created = len(self.created[label])
            updated = len(self.updated[label] - self.created[label])
            out.append(
                f"{label}: {created} created, {updated} updated, {self.deleted[label]} deleted"
            )
        for label in sorted(set(self.links_added) | set(self.links_removed)):
            added, removed = self.links_added[label], self.links_removed[label]
            if added or removed:
                out.append(f"{label}: {added} links added, {removed} removed")
        return out


def dated(name: str, value) -> dict:
    return {
        name: value.value if value else None,
        f"{name}_precision": value.precision if value else "",
    }


def _tracked_links(model) -> list:
    """The many-to-many fields whose links the model's audit trail keeps."""
    history = getattr(model, "history", None)
    return getattr(history.model, "_history_m2m_fields", []) if history else []


class _Sync:
    def __init__(self, stats: SyncStats, progress):
        self.stats = stats
        self.progress = progress
        self.stale: list[tuple[type[models.Model], list[int]]] = []
        # For the audit trail, written once the links are in place: per model, the rows
        # created ({pk: instance}), and the keys of rows changed in their fields or in
        # their recorded links.
        self.created: dict = defaultdict(dict)
        self.changed: dict = defaultdict(set)

    def rows(self, model, key_fields: tuple[str, ...], desired: dict[tuple, dict], *, prune=True):
        """Create and update rows to match desired ({key: {field: value}}); return {key: pk}."""
        label = model._meta.verbose_name_plural
        existing = {
            tuple(getattr(obj, f) for f in key_fields): obj
            for obj in model.objects.only(*self._fields(key_fields), *self._fields(desired))
        }
        to_create, to_update, update_fields = [], [], set()
        for key, values in desired.items():
            obj = existing.get(key)
            if obj is None:
                to_create.append(model(**dict(zip(key_fields, key, strict=True)), **values))
                self.stats.created[label].add(key)
                continue
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                to_update.append(obj)
                update_fields.update(changed)
                self.stats.updated[label].add(key)
        model.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            model.objects.bulk_update(to_update, sorted(update_fields), batch_size=BATCH)
        created = self.created[model]
        created.update((obj.pk, obj) for obj in to_create)
        for obj in to_update:
            if obj.pk in created:  # created by this load, completed now (an actor's parent)
                for name in update_fields:
                    setattr(created[obj.pk], name, getattr(obj, name))
            else:
                self.changed[model].add(obj.pk)
        if prune:
            stale = [obj.pk for key, obj in existing.items() if key not in desired]
            if stale:
                self.stale.append((model, stale))
                self.stats.deleted[label] += len(stale)
        self.progress(f"{label}: {len(desired)} in the dataset")
        return {
            tuple(row[:-1]): row[-1]
            for row in model.objects.values_list(*key_fields, "pk").iterator(chunk_size=BATCH)
        }

    def record_history(self):
        """Write the audit trail of this load: a history row for every record it created or
        changed, fields or links, each with the links it has now. (Bulk writes send no
        signals, so django-simple-history records nothing by itself; its bulk writer
        leaves the links out, so a curator's first edit after a load would show every
        source as added by the curator.)"""
        for model in {*self.created, *self.changed}:
            if getattr(model, "history", None) is None:
                continue
            created = list(self.created[model].values())
            changed = sorted(self.changed[model] - self.created[model].keys())
            for start in range(0, len(created), BATCH):
                self._record(model, created[start : start + BATCH], update=False)
            for start in range(0, len(changed), BATCH):
                # Rows updated in place were read with the synced fields only: read them whole.
                rows = list(model.objects.filter(pk__in=changed[start : start + BATCH]))
                self._record(model, rows, update=True)

    def _record(self, model, objs: list, *, update: bool):
        records = model.history.bulk_history_create(
            objs, update=update, default_change_reason=LOAD_REASON
        )
        self._record_links(model, {r.id: r.history_id for r in records})

    @staticmethod
    def _record_links(model, history_ids: dict[int, int]):
        """The links each new history row's record has now, as django-simple-history keeps
        them (one row per link, pointing at the history row)."""
        for m2m in _tracked_links(model):
            left, right = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links = m2m.remote_field.through.objects.filter(**{f"{left}_id__in": list(history_ids)})
            bulk.write_rows(
                HistoricalRecords.m2m_models[m2m],  # the library's own field → model map
                ["id", "history_id", f"{left}_id", f"{right}_id"],
                (
                    (pk, history_ids[a], a, b)
                    for pk, a, b in links.values_list("pk", f"{left}_id", f"{right}_id")
                ),
            )

    @staticmethod
    def _fields(names) -> set[str]:
        if isinstance(names, dict):
            names = next(iter(names.values()), {})
        return {name.removesuffix("_id") for name in names}

    def links(self, model, field_name: str, desired: set[tuple[int, int]]):
        """Make the many-to-many table hold exactly the desired (left pk, right pk) pairs."""
        m2m = model._meta.get_field(field_name)
        through = m2m.remote_field.through
        left, right = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        existing = {
            (a, b): pk
            for pk, a, b in through.objects.values_list("pk", left, right).iterator(
                chunk_size=BATCH
            )
        }
        add = desired - existing.keys()
        removed = {pair: pk for pair, pk in existing.items() if pair not in desired}
        remove = list(removed.values())
        if field_name in {f.name for f in _tracked_links(model)}:
            self.changed[model] |= {a for a, _ in add} | {a for a, _ in removed}
        through.objects.bulk_create(
            [through(**{left: a, right: b}) for a, b in sorted(add)], batch_size=BATCH
        )
        for start in range(0, len(remove), BATCH):
            through.objects.filter(pk__in=remove[start : start + BATCH]).delete()
        label = f"{model._meta.verbose_name} {field_name}"
        self.stats.links_added[label] += len(add)
        self.stats.links_removed[label] += len(remove)

    def delete_stale(self):
        # Children before what they point at, so PROTECT references never block a removal.
        for model, pks in reversed(self.stale):
            for start in range(0, len(pks), BATCH):
                model.objects.filter(pk__in=pks[start : start + BATCH]).delete()


def _write(dataset: Dataset, stats: SyncStats, progress):
    sync = _Sync(stats, progress)

    topic_ids = {
        k[0]: v
        for k, v in sync.rows(
            Topic,
            ("slug",),
            {
                (t["slug"],): {"name": t["name"], "description": t["description"]}
                for t in dataset.topics
            },
        ).items()
    }
    source_ids = {
        k[0]: v
        for k, v in sync.rows(
            Source,
            ("key",),
            {
                (s["key"],): {
                    "publisher": s["publisher"],
                    "title": s["title"],
                    "url": s["url"],
                    **dated("published_on", s["published_on"]),
                    "note": s["note"],
                }
                for s in dataset.sources
            },
        ).items()
    }

    actor_rows = {}
    for s in dataset.states:
        actor_rows[(actor_slug(s),)] = {
            "kind": s["kind"],
            "name": s["name"],
            "short_name": "",
            "iso_alpha2": s["alpha2"],
            "iso_alpha3": s["alpha3"],
            "note": "",
        }
    for o in dataset.organisations:
        actor_rows[(o["slug"],)] = {
            "kind": o["kind"],
            "name": o["name"],
            "short_name": o["short_name"],
            "iso_alpha2": "",
            "iso_alpha3": "",
            "note": o["note"],
        }
    for c in dataset.companies:
        actor_rows[(c["slug"],)] = {
            "kind": ActorKind.COMPANY,
            "name": c["name"],
            "short_name": "",
            "iso_alpha2": "",
            "iso_alpha3": "",
            "note": c["note"],
        }
    # Self-references are set in a second pass, once every actor has a primary key.
    actor_ids = {k[0]: v for k, v in sync.rows(Actor, ("slug",), actor_rows).items()}

    def actor_id(ref):
        return None if ref is None else actor_ids[ref.lower()]

    actor_links = {key: {"headquarters_id": None, "parent_id": None} for key in actor_rows}
    for o in dataset.organisations:
        actor_links[(o["slug"],)]["parent_id"] = actor_id(o["parent"])
    for c in dataset.companies:
        actor_links[(c["slug"],)].update(
            headquarters_id=actor_id(c["headquarters"]), parent_id=actor_id(c["parent"])
        )
    sync.rows(Actor, ("slug",), actor_links, prune=False)

    initiative_rows = {
        (i["slug"],): {
            "name": i["name"],
            "short_name": i["short_name"],
            "sponsor_id": actor_ids[i["sponsor"]],
            **dated("announced_on", i["announced_on"]),
            "announced_by": i["announced_by"],
            "venue": i["venue"],
            "kind": i["kind"],
            "status": i["status"],
            **dated("status_since", i["status_since"]),
            "primary_url": i["primary_url"],
            "summary": i["summary"],
            "note": i["note"],
        }
        for i in dataset.initiatives
    }
    initiative_ids = {k[0]: v for k, v in sync.rows(Initiative, ("slug",), initiative_rows).items()}
    sync.rows(
        Initiative,
        ("slug",),
        {
            (i["slug"],): {"parent_id": initiative_ids[i["parent"]] if i["parent"] else None}
            for i in dataset.initiatives
        },
        prune=False,
    )

    principle_ids = sync.rows(
        Principle,
        ("initiative_id", "order"),
        {
            (initiative_ids[i["slug"]], p["order"]): {
                "code": p["code"],
                "section": p["section"],
                "title": p["title"],
                "paraphrase": p["paraphrase"],
                "note": p["note"],
            }
            for i in dataset.initiatives
            for p in i["principles"]
        },
    )
    participation_ids = sync.rows(
        Participation,
        ("initiative_id", "actor_id", "role"),
        {
            (initiative_ids[i["slug"]], actor_ids[p["actor"]], p["role"]): {
                "status": p["status"],
                **dated("joined_on", p["joined_on"]),
                **dated("left_on", p["left_on"]),
                "instrument": p["instrument"],
                "note": p["note"],
            }
            for i in dataset.initiatives
            for p in i["participations"]
        },
    )
    measure_ids = {
        k[0]: v
        for k, v in sync.rows(
            Measure,
            ("slug",),
            {
                (m["slug"],): {
                    "title": m["title"],
                    "issuer_id": actor_ids[m["issuer"]],
                    "kind": m["kind"],
                    **dated("announced_on", m["announced_on"]),
                    **dated("effective_on", m["effective_on"]),
                    **dated("ended_on", m["ended_on"]),
                    "summary": m["summary"],
                    "note": m["note"],
                }
                for m in dataset.measures
            },
        ).items()
    }
    events = list(dataset.all_events())
    event_ids = {
        k[0]: v
        for k, v in sync.rows(
            Event,
            ("slug",),
            {
                (e["slug"],): {
                    **dated("date", e["date"]),
                    "kind": e["kind"],
                    "title": e["title"],
                    "description": e["description"],
                }
                for e, _ in events
            },
        ).items()
    }

    def principle_id(ref: str) -> int:
        slug, order = ref.rsplit("/", 1)
        return principle_ids[(initiative_ids[slug], int(order))]

    def cited(pk, record):
        return {(pk, source_ids[key]) for key in record["sources"]}

    links = defaultdict(set)
    for o in dataset.organisations:
        for member in o["members"]:
            links[(Actor, "members")].add((actor_ids[o["slug"]], actor_id(member)))
    for record in [*dataset.organisations, *dataset.companies]:
        for key in record["sources"]:
            links[(Source, "actors")].add((source_ids[key], actor_ids[record["slug"]]))
    for i in dataset.initiatives:
        ipk = initiative_ids[i["slug"]]
        links[(Initiative, "sources")] |= cited(ipk, i)
        for p in i["principles"]:
            ppk = principle_ids[(ipk, p["order"])]
            links[(Principle, "sources")] |= cited(ppk, p)
            links[(Principle, "topics")] |= {(ppk, topic_ids[t]) for t in p["topics"]}
        for p in i["participations"]:
            ppk = participation_ids[(ipk, actor_ids[p["actor"]], p["role"])]
            links[(Participation, "sources")] |= cited(ppk, p)
    for m in dataset.measures:
        mpk = measure_ids[m["slug"]]
        links[(Measure, "sources")] |= cited(mpk, m)
        links[(Measure, "targets")] |= {(mpk, actor_ids[t]) for t in m["targets"]}
        for name in ("amends", "revokes", "enjoins"):
            links[(Measure, name)] |= {(mpk, measure_ids[t]) for t in m[name]}
        links[(Measure, "initiatives")] |= {(mpk, initiative_ids[t]) for t in m["initiatives"]}
        links[(Measure, "principles")] |= {(mpk, principle_id(t)) for t in m["principles"]}
    for e, initiative_slugs in events:
        epk = event_ids[e["slug"]]
        links[(Event, "sources")] |= cited(epk, e)
        links[(Event, "initiatives")] |= {(epk, initiative_ids[s]) for s in initiative_slugs}
        links[(Event, "actors")] |= {(epk, actor_ids[a]) for a in e["actors"]}
        links[(Event, "measures")] |= {(epk, measure_ids[m]) for m in e["measures"]}

    all_link_tables = [
        (Actor, "members"),
        (Source, "actors"),
        (Initiative, "sources"),
        (Principle, "sources"),
        (Principle, "topics"),
        (Participation, "sources"),
        (Measure, "sources"),
        (Measure, "targets"),
        (Measure, "amends"),
        (Measure, "revokes"),
        (Measure, "enjoins"),
        (Measure, "initiatives"),
        (Measure, "principles"),
        (Event, "sources"),
        (Event, "initiatives"),
        (Event, "actors"),
        (Event, "measures"),
    ]
    for model, name in all_link_tables:
        sync.links(model, name, links[(model, name)])
    progress("links synced")
    sync.record_history()
    sync.delete_stale()


class _DryRun(Exception):
    pass


def write_dataset(
    dataset: Dataset, *, dry_run: bool = False, refresh: bool = True, progress=lambda m: None
) -> SyncStats:
    """Make the database match dataset in one transaction; with dry_run, roll it back.

    refresh=False leaves the snapshot refresh to the caller (the benchmark times it apart).
    """
    stats = SyncStats()
    try:
        with transaction.atomic():
            _write(dataset, stats, progress)
            if dry_run:
                raise _DryRun
            if stats.changed and refresh:
                curated_change()
    except _DryRun:
        pass
    except (IntegrityError, DatabaseError) as exc:
        # The reader checks everything it can; this is the database's last word.
        raise DatasetError(
            [Problem("dataset", 0, "", "", f"the database rejected it: {exc}")]
        ) from exc
    return stats
