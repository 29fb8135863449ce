"""Properties of the API list filters: no value is a server error, and a valid filter returns
exactly the rows that satisfy it.

The parameter names are read from each view's FilterSet, so a filter added later is fuzzed
too. Rows are compared with the unfiltered list filtered here in Python, so a filter that
drops a matching row is caught as well as one that lets a wrong row through.
"""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from actors.models import Actor, ActorKind
from config.api import COMMON_PARAMETERS
from config.api_urls import router
from dashboard.models import TimelineKind
from initiatives.models import (
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    Measure,
    MeasureKind,
    ParticipationStatus,
    Role,
    Topic,
)
from tests.factories import ParticipationFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EXACT = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

ENDPOINTS = ["initiatives", "participations", "events", "measures", "principles"]
VIEWSETS = {prefix: viewset for prefix, viewset, _ in router.registry}


def filter_names(endpoint: str) -> list[str]:
    return sorted(VIEWSETS[endpoint].filterset_class.base_filters)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def no_throttle(settings):
    # Hundreds of requests per test from one address: the anonymous rate limit would answer
    # 429 and hide what the filters do.
    settings.API_ANON_RATE = "1000000/minute"


# Values no form would send: control characters, SQL and LIKE metacharacters, markup,
# right-to-left overrides, impossible dates, numbers where slugs go, very long strings.
NASTY = [
    "\x00",
    "a\x00b",
    "%",
    "%%",
    "_",
    "\\",
    "'",
    '"',
    "' OR '1'='1",
    "'; DROP TABLE initiatives_initiative; --",
    "<script>alert(1)</script>",
    "\u202egids",
    "\ufeff",
    "\u3000",
    "gids,clean-network",
    "2020-02-30",
    "2020-13-01",
    "0000-01-01",
    "9999-12-31",
    "99999-01-01",
    "2020-1-1",
    "٢٠٢٠-٠١-٠١",
    "-1",
    "0",
    "1e309",
    "NaN",
    "None",
    "null",
    "[]",
    "{}",
    "confirmed ",
    "CONFIRMED",
    # and some valid values, so that the 200 side is reached too
    "confirmed",
    "gids",
    "huawei",
    "2020-05-06",
    "announced_on",
    "-id",
    "5",
]
# Long values, as one word and as many: a search over 200 characters or 10 words is a 400
# (unbounded, a thousand words was a server error on SQLite and seconds on PostgreSQL).
long_text = st.builds(
    lambda part, n, sep: sep.join([("".join(part.split()) or "x")] * n),
    st.text(min_size=1, max_size=8),
    st.integers(300, 1200),
    st.sampled_from(["", " "]),
).map(lambda text: text[:5000])
values = st.one_of(st.text(), st.sampled_from(NASTY), long_text)


def check_answer(response, names):
    """200 with a page of results, or 400 with the error shape naming a parameter given."""
    assert response.status_code in (200, 400), (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("text/csv"):  # ?format=csv, or a drawn "csv"
        assert response.status_code == 200
        return
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    if response.status_code == 400:
        assert isinstance(body["detail"], str) and body["detail"]
        assert body["errors"] and set(body["errors"]) <= set(names)
        assert all(name in body["detail"] for name in body["errors"])
        assert all(
            isinstance(messages, list) and all(isinstance(m, str) for m in messages)
            for messages in body["errors"].values()
        )
    else:
        assert isinstance(body["results"], list) and body["count"] >= len(body["results"])


@pytest.mark.parametrize(
    ("endpoint", "name"),
    [
        (endpoint, name)
        for endpoint in ENDPOINTS
        for name in filter_names(endpoint) + sorted(COMMON_PARAMETERS)
    ],
)
@FUZZ
@given(value=values)
def test_any_value_of_one_parameter_is_200_or_a_400_naming_it(api, endpoint, name, value):
    response = api.get(f"/api/v1/{endpoint}/", {name: value})
    check_answer(response, [name])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@FUZZ
@given(data=st.data())
def test_any_mix_of_parameters_is_200_or_400(api, endpoint, data):
    names = filter_names(endpoint) + ["limit", "offset", "ordering", "unknown"]
    params = data.draw(
        st.dictionaries(st.sampled_from(names), st.lists(values, min_size=1, max_size=3))
    )
    response = api.get(f"/api/v1/{endpoint}/", params)
    check_answer(response, list(params))


# -- valid filters return exactly the rows that satisfy them --------------------------------
#
# For each endpoint: every filter with a strategy for its valid values and the predicate a
# row must meet. One property per filter on its own (so date boundaries and slug lists are
# hit often), and one per endpoint for random combinations of them.


def everything(api, endpoint, **params):
    response = api.get(f"/api/v1/{endpoint}/", {**params, "limit": 500})
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert body["count"] == len(body["results"]), "more rows than one page: raise the limit"
    return body["results"]


def subsets(choices):
    return st.lists(st.sampled_from(sorted(choices)), min_size=1, max_size=3, unique=True)


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True).distinct())


any_date = st.dates(min_value=date(2016, 1, 1), max_value=date(2026, 12, 31))


def dates_near(rows, *columns):
    """Any date, or one on or next to a date of the data, where off-by-one bugs live. The
    column is drawn first, so a rare one (left_on, effective_on) is hit as often as the rest."""
    near = [
        st.builds(
            lambda day, shift: date.fromisoformat(day) + timedelta(days=shift),
            st.sampled_from(sorted({row[c] for row in rows if row[c]})),
            st.sampled_from([-1, 0, 1]),
        )
        for c in columns
        if any(row[c] for row in rows)
    ]
    return st.one_of(any_date, *near)


@pytest.fixture
def boundary_rows():
    """The curated data has no departure and one measure taking effect after its
    announcement: add one of each, so the in-force filters meet every boundary."""
    usa = Actor.objects.get(slug="usa")
    ParticipationFactory(
        actor=Actor.objects.get(slug="bra"),
        status=ParticipationStatus.WITHDRAWN,
        joined_on=date(2020, 3, 10),
        joined_on_precision="day",
        left_on=date(2021, 4, 20),
        left_on_precision="day",
    )
    ParticipationFactory(
        actor=usa,
        joined_on=date(2019, 6, 1),
        joined_on_precision="month",
        left_on=date(2022, 1, 1),
        left_on_precision="year",
    )
    Measure.objects.create(
        slug="boundary-measure",
        title="A measure with every date",
        issuer=usa,
        kind=MeasureKind.APP_BAN,
        announced_on=date(2020, 8, 6),
        announced_on_precision="day",
        effective_on=date(2020, 9, 20),
        effective_on_precision="day",
        ended_on=date(2021, 6, 9),
        ended_on_precision="day",
        summary="Boundaries.",
    )


def one_of_them(column):
    return lambda wanted: lambda row: row[column] in wanted


def shares_one(column):
    return lambda wanted: lambda row: bool(set(wanted) & set(row[column]))


def participation_filters(api):
    rows = everything(api, "participations")

    def in_force(day):
        day = day.isoformat()
        # Joined on or before that day and not yet left; no known date: left out.
        return lambda row: (
            row["joined_on"] is not None
            and row["joined_on"] <= day
            and (row["left_on"] is None or row["left_on"] > day)
        )

    return {
        "status": (subsets(ParticipationStatus.values), one_of_them("status")),
        "role": (subsets(Role.values), one_of_them("role")),
        "actor_kind": (subsets(ActorKind.values), one_of_them("actor_kind")),
        "initiative": (subsets({r["initiative"] for r in rows}), one_of_them("initiative")),
        "actor": (subsets({r["actor"] for r in rows}), one_of_them("actor")),
        "as_of": (dates_near(rows, "joined_on", "left_on"), in_force),
    }


def event_filters(api):
    rows = everything(api, "events")
    when = dates_near(rows, "date")
    actors = {a for r in rows for a in r["actors"]}
    companies = set(slugs(Actor.objects.companies()))
    return {
        "since": (when, lambda day: lambda row: row["date"] >= day.isoformat()),
        "until": (when, lambda day: lambda row: row["date"] <= day.isoformat()),
        "kind": (subsets(TimelineKind.values), one_of_them("kind")),
        "initiative": (subsets(slugs(Initiative.objects.all())), shares_one("initiatives")),
        "actor": (subsets(actors), shares_one("actors")),
        "company": (subsets(actors & companies | {"huawei"}), shares_one("actors")),
    }


def measure_filters(api):
    rows = everything(api, "measures")

    def in_force(day):
        day = day.isoformat()
        # Taken effect (or announced, with no effective date) and not yet ended.
        return lambda row: (
            (row["effective_on"] or row["announced_on"]) <= day
            and (row["ended_on"] is None or row["ended_on"] > day)
        )

    # Every issuer and target, and a few actors that are neither (a filter matching nothing).
    issuers = {r["issuer"] for r in rows} | {"fra", "bra"}
    targets = {t for r in rows for t in r["targets"]} | {"usa", "eu"}
    return {
        "kind": (subsets(MeasureKind.values), one_of_them("kind")),
        "issuer": (subsets(issuers), one_of_them("issuer")),
        "target": (subsets(targets), shares_one("targets")),
        "initiative": (subsets(slugs(Initiative.objects.all())), shares_one("initiatives")),
        "active_on": (
            dates_near(rows, "announced_on", "effective_on", "ended_on"),
            in_force,
        ),
    }


def initiative_filters(api):
    rows = everything(api, "initiatives")
    fields = ("name", "short_name", "summary")
    # Words taken from the initiatives themselves, so searches find something; ASCII only,
    # because SQLite's LIKE folds the case of ASCII letters only.
    words = sorted(
        {
            word.lower()
            for row in rows
            for field in fields
            for word in (w.strip(".,;:()'\"") for w in row[field].split())
            if word.isascii() and len(word) > 2
        }
    )

    def every_word(text):
        # Every word appears in one of the fields (a word never spans two of them).
        return lambda row: all(any(word in row[f].lower() for f in fields) for word in text.split())

    return {
        "kind": (subsets(InitiativeKind.values), one_of_them("kind")),
        "status": (subsets(InitiativeStatus.values), one_of_them("status")),
        "sponsor": (subsets({r["sponsor"] for r in rows}), one_of_them("sponsor")),
        "q": (st.lists(st.sampled_from(words), min_size=1, max_size=3).map(" ".join), every_word),
    }


def principle_filters(api):
    topics = slugs(Topic.objects.filter(principles__isnull=False))
    return {
        "initiative": (subsets(slugs(Initiative.objects.all())), one_of_them("initiative")),
        # Alone, topic means any of them; with topic_match=all, see the combined property.
        "topic": (subsets(topics), shares_one("topics")),
        "topic_match": (st.sampled_from(["any", "all"]), lambda _: lambda row: True),
    }


FILTERS = {
    "participations": participation_filters,
    "events": event_filters,
    "measures": measure_filters,
    "initiatives": initiative_filters,
    "principles": principle_filters,
}
KEYS = {"measures": "slug", "initiatives": "slug"}


def encode(params: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}


def assert_exact(api, endpoint, params, keep):
    """The filtered list is the unfiltered list, in the same order, minus the rows `keep`
    refuses: a wrong row let through and a matching row dropped both fail."""
    key = KEYS.get(endpoint, "id")
    every = everything(api, endpoint)
    got = everything(api, endpoint, **encode(params))
    assert [row[key] for row in got] == [row[key] for row in every if keep(row)], params


@pytest.mark.parametrize(
    ("endpoint", "name"),
    [
        (endpoint, name)
        for endpoint in FILTERS
        for name in sorted(VIEWSETS[endpoint].filterset_class.base_filters)
        if (endpoint, name) != ("principles", "q")  # ranked full text: its own property
    ],
)
@EXACT
@given(data=st.data())
def test_each_filter_returns_exactly_the_matching_rows(api, boundary_rows, endpoint, name, data):
    strategy, predicate = FILTERS[endpoint](api)[name]  # KeyError: a filter with no property
    value = data.draw(strategy, label=name)
    assert_exact(api, endpoint, {name: value}, predicate(value))


@pytest.mark.parametrize("endpoint", FILTERS)
@EXACT
@given(data=st.data())
def test_combined_filters_return_exactly_the_rows_matching_all_of_them(
    api, boundary_rows, endpoint, data
):
    table = FILTERS[endpoint](api)
    params = data.draw(
        st.fixed_dictionaries({}, optional={name: s for name, (s, _) in table.items()})
    )
    if endpoint == "events" and params.get("since", date.min) > params.get("until", date.max):
        response = api.get("/api/v1/events/", encode(params))
        assert response.status_code == 400 and "until" in response.json()["errors"]
        return
    keeps = [table[name][1](value) for name, value in params.items()]
    if endpoint == "principles" and params.get("topic_match") == "all" and "topic" in params:
        wanted = set(params["topic"])
        keeps.append(lambda row: wanted <= set(row["topics"]))
    assert_exact(api, endpoint, params, lambda row: all(keep(row) for keep in keeps))


def searchable(word: str) -> bool:
    """False for an English stop word, which PostgreSQL's full-text search leaves out."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s))", [word])
        return cursor.fetchone()[0] > 0


@EXACT
@given(data=st.data())
def test_principle_search_finds_every_principle_with_the_words(api, data):
    # PostgreSQL ranks and stems (so it may find more, in another order); SQLite matches
    # words inside the text. Both must find a principle whose title or paraphrase has
    # every word of the query as a whole word.
    every = everything(api, "principles")
    source = data.draw(st.sampled_from(every), label="principle")
    words = sorted({w for w in re.findall(r"[a-z]+", source["title"].lower()) if len(w) > 3})
    assume(words)
    query = data.draw(st.lists(st.sampled_from(words).filter(searchable), min_size=1, max_size=2))
    got = everything(api, "principles", q=" ".join(query))
    ids = [row["id"] for row in got]
    assert len(ids) == len(set(ids)) and set(ids) <= {row["id"] for row in every}

    def whole_words(row):
        return set(re.findall(r"[a-z]+", f"{row['title']} {row['paraphrase']}".lower()))

    wanted = {row["id"] for row in every if set(query) <= whole_words(row)}
    assert source["id"] in wanted  # the words come from its title
    assert wanted <= set(ids), (query, wanted - set(ids))


def test_the_exact_filter_checks_are_not_vacuous(api):
    """The properties above compare with the unfiltered list: on this dataset a filter
    really narrows it, so an endpoint that ignored its filters would fail them."""
    every = everything(api, "participations")
    confirmed = everything(api, "participations", status="confirmed")
    in_2021 = everything(api, "participations", as_of="2021-01-01")
    assert 0 < len(confirmed) < len(every) and 0 < len(in_2021) < len(every)
    events = everything(api, "events", since="2020-01-01", until="2020-12-31")
    assert 0 < len(events) < len(everything(api, "events"))
