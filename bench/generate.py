"""A deterministic synthetic dataset for the benchmark, over the real states, topics and sources.

Sizes: S is the curated dataset itself; M has about 1,000 initiatives, 10,000 principles,
50,000 participations, 20,000 measures and 100,000 events; L is ten times M. The records
are built in memory in the loader's own form and written by the same service that
load_dataset uses (initiatives.dataset.writer), skipping only the YAML parsing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from initiatives.dataset import schema
from initiatives.dataset.checks import check_dataset
from initiatives.dataset.reader import Dataset, DatasetError, Record, read_dataset
from initiatives.models import (
    EventKind,
    InitiativeKind,
    InitiativeStatus,
    MeasureKind,
    ParticipationStatus,
    Role,
)
from initiatives.partial_dates import PartialDate, Precision

SEED = 20200908


@dataclass(frozen=True)
class Size:
    initiatives: int
    principles_each: int
    participations_each: int
    measures: int
    events: int
    companies: int
    sources: int


SIZES = {
    "S": None,
    "M": Size(1000, 10, 50, 20_000, 100_000, 500, 2_000),
    "L": Size(10_000, 10, 50, 200_000, 1_000_000, 5_000, 20_000),
}
START, END = date(2015, 1, 1), date(2026, 10, 31)
SPAN = (END - START).days
ROLE_WEIGHTS = {
    Role.SIGNATORY: 40,
    Role.ENDORSER: 20,
    Role.PARTICIPANT: 15,
    Role.FOUNDING_SIGNATORY: 10,
    Role.WELCOMED_ONLY: 6,
    Role.COMMITMENT_ONLY: 5,
}
STATUS_WEIGHTS = {
    ParticipationStatus.CONFIRMED: 80,
    ParticipationStatus.CLAIMED: 10,
    ParticipationStatus.DISPUTED: 6,
    ParticipationStatus.WITHDRAWN: 4,
}


def record(spec: str, values: dict) -> Record:
    """A record with every field of its spec, as the reader would have produced it."""
    full = {}
    for fld in schema.SPECS[spec].fields:
        if fld.name in values:
            full[fld.name] = values[fld.name]
        elif fld.kind in (schema.REFS, schema.RECORDS):
            full[fld.name] = []
        elif fld.kind in (schema.DATE, schema.REF, schema.INT):
            full[fld.name] = None
        else:
            full[fld.name] = ""
    name = schema.SPECS[spec].name
    return Record(name, full, "bench", 0, f"{name} {values.get(schema.SPECS[spec].key)}")


class Generator:
    def __init__(self, base: Dataset, size: Size, seed: int):
        self.base = base
        self.size = size
        self.rng = random.Random(seed)
        self.states = [s["alpha3"].lower() for s in base.states]
        self.topics = [t["slug"] for t in base.topics]
        self.sources = [s["key"] for s in base.sources]

    def day(self, after: date | None = None) -> PartialDate:
        start = after or START
        span = max(1, (END - start).days)
        value = start + timedelta(days=self.rng.randrange(span))
        roll = self.rng.random()
        # A coarser precision starts its period earlier; keep it only if it stays after `after`.
        if roll >= 0.95 and value.replace(month=1, day=1) >= start:
            return PartialDate(value.replace(month=1, day=1), Precision.YEAR)
        if roll >= 0.8 and value.replace(day=1) >= start:
            return PartialDate(value.replace(day=1), Precision.MONTH)
        return PartialDate(value, Precision.DAY)

    def cite(self, most=2) -> list[str]:
        return sorted(set(self.rng.sample(self.sources, self.rng.randint(1, most))))

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def build(self) -> Dataset:
        size, rng = self.size, self.rng
        sources = list(self.base.sources) + [
            record(
                "source",
                {
                    "key": f"bench-source-{n}",
                    "publisher": f"Publisher {n % 97}",
                    "title": f"Synthetic report {n}",
                    "url": f"https://bench.invalid/report/{n}",
                    "published_on": self.day(),
                },
            )
            for n in range(size.sources)
        ]
        self.sources += [s["key"] for s in sources[len(self.base.sources) :]]
        companies = list(self.base.companies) + [
            record(
                "company",
                {
                    "slug": f"bench-company-{n}",
                    "name": f"Company {n}",
                    "headquarters": rng.choice(self.states).upper(),
                },
            )
            for n in range(size.companies)
        ]
        company_slugs = [c["slug"] for c in companies]
        initiatives = list(self.base.initiatives)
        for n in range(size.initiatives - len(initiatives)):
            announced = self.day()
            slug = f"bench-initiative-{n}"
            members = rng.sample(self.states, min(len(self.states), size.participations_each))
            participations = []
            for actor in members:
                joined = self.day(announced.value) if rng.random() > 0.03 else None
                status = self.pick(STATUS_WEIGHTS)
                left = None
                if status == ParticipationStatus.WITHDRAWN and joined is not None:
                    left = self.day(joined.last_day)
                participations.append(
                    record(
                        "participation",
                        {
                            "actor": actor,
                            "role": self.pick(ROLE_WEIGHTS),
                            "status": status,
                            "joined_on": joined,
                            "left_on": left,
                            "instrument": rng.choice(
                                ["", "Memorandum of understanding", "Joint declaration"]
                            ),
                            "sources": self.cite(),
                        },
                    )
                )
            principles = [
                record(
                    "principle",
                    {
                        "order": order,
                        "title": f"Principle {order} of {slug}",
                        "paraphrase": " ".join(rng.sample(WORDS, 14)),
                        "topics": sorted(set(rng.sample(self.topics, rng.randint(1, 3)))),
                        "sources": self.cite(),
                    },
                )
                for order in range(1, size.principles_each + 1)
            ]
            initiatives.append(
                record(
                    "initiative",
                    {
                        "slug": slug,
                        "name": f"Synthetic initiative {n}",
                        "short_name": f"SI {n}",
                        "sponsor": rng.choice(
                            ["chn", "usa", "usa", "chn", *rng.sample(self.states, 2)]
                        ),
                        "announced_on": announced,
                        "kind": rng.choice(InitiativeKind.values),
                        "status": rng.choice(InitiativeStatus.values),
                        "summary": " ".join(rng.sample(WORDS, 30)),
                        "sources": self.cite(3),
                        "principles": principles,
                        "participations": participations,
                    },
                )
            )
        measures = list(self.base.measures)
        slugs = [m["slug"] for m in measures]
        initiative_slugs = [i["slug"] for i in initiatives]
        for n in range(size.measures - len(measures)):
            announced = self.day()
            slug = f"bench-measure-{n}"
            earlier = rng.sample(slugs[-500:], 1) if slugs and rng.random() < 0.2 else []
            link = rng.choice(["amends", "revokes", "enjoins"])
            measures.append(
                record(
                    "measure",
                    {
                        "slug": slug,
                        "title": f"Measure {n}",
                        "issuer": rng.choice(self.states),
                        "kind": rng.choice(MeasureKind.values),
                        "announced_on": announced,
                        "ended_on": self.day(announced.last_day) if rng.random() < 0.2 else None,
                        "targets": sorted(set(rng.sample(company_slugs, rng.randint(1, 3)))),
                        link: earlier,
                        "initiatives": [rng.choice(initiative_slugs)] if rng.random() < 0.3 else [],
                        "summary": " ".join(rng.sample(WORDS, 20)),
                        "sources": self.cite(),
                    },
                )
            )
            slugs.append(slug)
        events = list(self.base.events)
        existing = sum(len(i["events"]) for i in initiatives) + len(events)
        for n in range(size.events - existing):
            linked = [] if rng.random() < 0.5 else rng.sample(initiative_slugs, 2)
            events.append(
                record(
                    "event",
                    {
                        "slug": f"bench-event-{n}",
                        "date": self.day(),
                        "kind": rng.choice(EventKind.values),
                        "title": f"Event {n}: {' '.join(rng.sample(WORDS, 6))}",
                        "initiatives": linked,
                        "actors": rng.sample(self.states, rng.randint(0, 3))
                        + rng.sample(company_slugs, rng.randint(0, 1)),
                        "measures": [rng.choice(slugs)] if rng.random() < 0.1 else [],
                        "sources": self.cite(),
                    },
                )
            )
        dataset = Dataset(
            topics=self.base.topics,
            sources=sources,
            states=self.base.states,
            organisations=self.base.organisations,
            companies=companies,
            initiatives=initiatives,
            measures=measures,
            events=events,
            checksum=f"bench-{SEED}",
        )
        problems = check_dataset(dataset)
        if problems:
            raise DatasetError(problems[:20])
        return dataset


WORDS = [
    "data",
    "security",
    "supply",
    "chain",
    "critical",
    "infrastructure",
    "vendor",
    "network",
    "telecom",
    "cloud",
    "app",
    "store",
    "cable",
    "privacy",
    "surveillance",
    "backdoor",
    "sovereignty",
    "cooperation",
    "trust",
    "openness",
    "interoperability",
    "standard",
    "certification",
    "risk",
    "assessment",
    "localisation",
    "transfer",
    "access",
    "law",
    "enforcement",
    "cybercrime",
    "resilience",
    "norms",
    "rights",
    "internet",
    "governance",
    "commitment",
    "partners",
    "platform",
]


def build(size: str, data_dir, seed: int = SEED) -> Dataset:
    base = read_dataset(data_dir)
    spec = SIZES[size]
    return base if spec is None else Generator(base, spec, seed).build()
