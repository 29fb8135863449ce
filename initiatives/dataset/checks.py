"""Checks across records: unique keys, references that resolve, and ordered dates."""

from initiatives.dataset import schema
from initiatives.dataset.reader import Dataset, Problem, Record


def actor_slug(record: Record) -> str:
    return record["alpha3"].lower() if record.spec == "state" else record["slug"]


class _Checker:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.problems: list[Problem] = []
        self.keys: dict[str, dict[str, Record]] = {}

    def problem(self, record: Record, field_name: str, message: str):
        self.problems.append(
            Problem(record.file, record.line_of(field_name), record.where, field_name, message)
        )

    def register(self, namespace: str, key: str, record: Record, field_name: str):
        seen = self.keys.setdefault(namespace, {})
        if key in seen:
            first = seen[key]
            self.problem(
                record,
                field_name,
                f"duplicate {namespace} {key!r} (first at {first.file}:{first.line})",
            )
        else:
            seen[key] = record

    def build_namespaces(self):
        ds = self.dataset
        for record in ds.topics:
            self.register("topic", record["slug"], record, "slug")
        for record in ds.sources:
            self.register("source", record["key"], record, "key")
            if record["url"]:
                self.register("source url", record["url"], record, "url")
        for record in ds.states:
            self.register("state", record["alpha3"], record, "alpha3")
            self.register("alpha-2 code", record["alpha2"], record, "alpha2")
        for record in ds.organisations:
            self.register("organisation", record["slug"], record, "slug")
        for record in ds.companies:
            self.register("company", record["slug"], record, "slug")
        for record in [*ds.states, *ds.organisations, *ds.companies]:
            self.register(
                "actor", actor_slug(record), record, "slug" if record.spec != "state" else "alpha3"
            )
        for record in ds.initiatives:
            self.register("initiative", record["slug"], record, "slug")
            for principle in record["principles"]:
                self.register(
                    "principle", f"{record['slug']}/{principle['order']}", principle, "order"
                )
        for record in ds.measures:
            self.register("measure", record["slug"], record, "slug")
        for record, _ in ds.all_events():
            self.register("event", record["slug"], record, "slug")

    def check_refs(self, record: Record):
        for fld in schema.SPECS[self._spec_key(record)].fields:
            if fld.kind == schema.REF and record[fld.name] is not None:
                self._resolve(record, fld, [record[fld.name]])
            elif fld.kind == schema.REFS:
                self._resolve(record, fld, record[fld.name])

    @staticmethod
    def _spec_key(record: Record) -> str:
        if record.spec == "event" and "initiatives" not in record.values:
            return "initiative_event"
        return record.spec

    def _resolve(self, record: Record, fld, keys):
        known = self.keys.get(fld.target, {})
        for key in keys:
            if key not in known:
                self.problem(record, fld.name, f"unknown {fld.target} {key!r}")

    def check_dates(self, record: Record, first: str, later: str):
        a, b = record[first], record[later]
        if a is not None and b is not None and b.value < a.value:
            self.problem(record, later, f"{b} is before {first} {a}")

    def run(self) -> list[Problem]:
        ds = self.dataset
        self.build_namespaces()
        for record in [*ds.organisations, *ds.companies, *ds.measures, *ds.events]:
            self.check_refs(record)
        for initiative in ds.initiatives:
            self.check_refs(initiative)
            self.check_dates(initiative, "announced_on", "status_since")
            if initiative["parent"] == initiative["slug"]:
                self.problem(initiative, "parent", "an initiative cannot be its own parent")
            orders = [p["order"] for p in initiative["principles"]]
            if sorted(orders) != list(range(1, len(orders) + 1)):
                self.problem(
                    initiative,
                    "principles",
                    f"orders must run 1..{len(orders)} with no gap, got {sorted(orders)}",
                )
            for principle in initiative["principles"]:
                self.check_refs(principle)
            seen_roles = {}
            for participation in initiative["participations"]:
                self.check_refs(participation)
                self.check_dates(participation, "joined_on", "left_on")
                key = (participation["actor"], participation["role"])
                if key in seen_roles:
                    self.problem(
                        participation,
                        "role",
                        f"{participation['actor']} already has the role {participation['role']!r} "
                        f"here (line {seen_roles[key].line})",
                    )
                seen_roles.setdefault(key, participation)
            for event in initiative["events"]:
                self.check_refs(event)
        for event in ds.events:
            if len(event["initiatives"]) == 1:
                self.problem(
                    event,
                    "initiatives",
                    "an event about one initiative belongs in "
                    f"initiatives/{event['initiatives'][0]}.yaml",
                )
        for measure in ds.measures:
            self.check_dates(measure, "announced_on", "ended_on")
            self.check_dates(measure, "effective_on", "ended_on")
            for link in ("amends", "revokes", "enjoins"):
                if measure["slug"] in measure[link]:
                    self.problem(measure, link, "a measure cannot refer to itself")
        for record in ds.organisations:
            if record["members"] and not record["sources"]:
                self.problem(record, "sources", "member states need a source")
        self.check_cycles(ds.initiatives, "initiative")
        self.check_cycles([*ds.organisations, *ds.companies], "actor")
        return self.problems

    def check_cycles(self, records, label):
        parents = {actor_slug(r) if label == "actor" else r["slug"]: r for r in records}
        for slug, record in parents.items():
            seen = {slug}
            current = record["parent"]
            while current is not None and current in parents:
                if current in seen:
                    self.problem(
                        record, "parent", f"the {label} parents form a cycle through {current!r}"
                    )
                    break
                seen.add(current)
                current = parents[current]["parent"]


def check_dataset(dataset: Dataset) -> list[Problem]:
    return _Checker(dataset).run()
