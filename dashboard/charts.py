"""Pure functions: snapshot rows in, chart data out. The page scripts only draw what these give.

Colours are the Okabe–Ito palette, distinguishable with the common colour-vision
deficiencies; every chart also has a table, and categories are named in the legend.
"""

from collections import defaultdict
from datetime import date

from initiatives.models import ParticipationStatus, Role
from initiatives.partial_dates import PartialDate

MEMBER_ROLES = {Role.FOUNDING_SIGNATORY, Role.SIGNATORY, Role.ENDORSER, Role.PARTICIPANT}
WEAK_ROLES = {Role.WELCOMED_ONLY, Role.COMMITMENT_ONLY}

# (key, label, colour) in legend order; "none" is every state without a part.
CATEGORIES = [
    ("proposer", "Proposer", "#003f88"),
    ("member", "Member (confirmed)", "#0072b2"),
    ("disputed", "Disputed", "#e69f00"),
    ("claimed", "Claimed only", "#cc79a7"),
    ("weak", "Welcomed or committed only", "#56b4e9"),
    ("withdrawn", "Withdrawn", "#6b6b6b"),
    ("none", "Not a participant", "#e8e8e8"),
]
OVERLAP_CATEGORIES = [
    ("both", "In both", "#009e73"),
    ("a-only", "Only in {a}", "#0072b2"),
    ("b-only", "Only in {b}", "#d55e00"),
    ("neither", "In neither", "#e8e8e8"),
]
CATEGORY_LABELS = {key: label for key, label, _ in CATEGORIES}


def map_category(role: str | None, status: str | None) -> str:
    if role is None:
        return "none"
    if status == ParticipationStatus.WITHDRAWN:
        return "withdrawn"
    if status == ParticipationStatus.DISPUTED:
        return "disputed"
    if status == ParticipationStatus.CLAIMED:
        return "claimed"
    if role == Role.PROPOSER:
        return "proposer"
    if role in WEAK_ROLES:
        return "weak"
    return "member"


def shown_date(value: date | None, precision: str) -> str:
    return PartialDate(value, precision).display() if value else "date unknown"


def map_payload(initiatives, intervals, states, today: date) -> dict:
    """Everything the map script needs to colour any date without asking the server again."""
    index = {i.pk: n for n, i in enumerate(initiatives)}
    rows, dates = [], set()
    for r in intervals:
        rows.append(
            [
                index[r.initiative_id],
                r.iso_alpha3,
                map_category(r.role, r.status),
                Role(r.role).label,
                ParticipationStatus(r.status).label,
                r.valid_from.isoformat() if r.valid_from else None,
                r.valid_to.isoformat() if r.valid_to else None,
                shown_date(r.joined_on, r.joined_on_precision),
                r.instrument,
            ]
        )
        dates.update(d for d in (r.valid_from, r.valid_to) if d and d <= today)
    a, b = (initiatives + [None])[:2]
    overlap = [
        (key, label.format(a=a.short_name, b=b.short_name if b else ""), colour)
        for key, label, colour in OVERLAP_CATEGORIES
    ]
    return {
        "initiatives": [{"slug": i.slug, "short_name": i.short_name} for i in initiatives],
        "states": {s.iso_alpha3: [s.name, s.slug] for s in states},
        "intervals": rows,
        "dates": sorted(d.isoformat() for d in dates),
        "today": today.isoformat(),
        "categories": CATEGORIES if len(initiatives) == 1 else overlap,
    }


def growth_payload(series_rows) -> dict:
    """Step lines of participations over time for one initiative: confirmed states, other
    states (claimed, disputed, welcomed), organisations and companies."""
    running = defaultdict(int)
    lines = defaultdict(dict)
    for row in series_rows:
        running[(row.actor_group, row.role, row.status)] = row.count
        day = row.date.isoformat()
        lines["Confirmed states"][day] = sum(
            n
            for (g, role, s), n in running.items()
            if g == "state" and s == "confirmed" and role not in WEAK_ROLES
        )
        lines["States claimed, disputed or welcoming only"][day] = sum(
            n
            for (g, role, s), n in running.items()
            if g == "state" and (s in ("claimed", "disputed") or role in WEAK_ROLES)
        )
        lines["Companies"][day] = sum(n for (g, _, s), n in running.items() if g == "company")
        lines["Organisations"][day] = sum(
            n for (g, _, s), n in running.items() if g == "organisation"
        )
    return {
        "series": [
            {"name": name, "x": list(points), "y": list(points.values())}
            for name, points in lines.items()
            if any(points.values())
        ]
    }


TIMELINE_LANES = [
    ("announcement", "Announcements", "#000000"),
    ("join", "Joins", "#0072b2"),
    ("departure", "Departures", "#6b6b6b"),
    ("measure", "Measures", "#d55e00"),
    ("injunction", "Injunctions", "#e69f00"),
    ("revocation", "Revocations", "#cc79a7"),
    ("measure-ended", "Measures ended", "#999999"),
    ("event", "Events", "#009e73"),
]


def timeline_payload(entries) -> dict:
    lanes = {
        key: {"name": name, "color": colour, "x": [], "text": []}
        for key, name, colour in TIMELINE_LANES
    }
    for entry in entries:
        lane = lanes[entry.kind]
        lane["x"].append(entry.date.isoformat())
        lane["text"].append(f"{shown_date(entry.date, entry.date_precision)}: {entry.title}")
    return {"lanes": [lane for lane in lanes.values() if lane["x"]]}


FATE_COLOURS = {
    "in force": "#d55e00",
    "enjoined": "#e69f00",
    "revoked": "#cc79a7",
    "ended": "#6b6b6b",
}


def company_measures_payload(measures, today: date) -> dict:
    """One bar per measure from its announcement to its end (or today), coloured by fate."""
    from initiatives.serializers import measure_fate

    bars = []
    for m in measures:
        fate = measure_fate(m)
        end = m.ended_on or today
        bars.append(
            {
                "title": m.title,
                "start": m.announced_on.isoformat(),
                "end": end.isoformat(),
                "fate": fate,
                "color": FATE_COLOURS[fate],
                "text": f"{m.title} ({m.issuer.name}), "
                f"{shown_date(m.announced_on, m.announced_on_precision)}: {fate}",
            }
        )
    return {"bars": bars, "fates": FATE_COLOURS}
