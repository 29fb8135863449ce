"""Dates known to the day, the month or the year.

A fact such as "the MoU was signed in October 2020" must not be stored as
2020-10-01 and shown as "1 Oct 2020". Each partial date is stored as a DateField
(the first day of the period) plus a precision, and is parsed from and printed
to the dataset as '2020', '2020-10' or '2020-10-21'.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Q


class Precision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


# ASCII digits only: \d alone would take "٢٠٢٠-٠٩" (Arabic-Indic digits) for 2020-09.
PARTIAL_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
PARTIAL_DATE_HELP = "a date as YYYY, YYYY-MM or YYYY-MM-DD"


@dataclass(frozen=True, order=True)
class PartialDate:
    value: date
    precision: str

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        match = PARTIAL_DATE_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not {PARTIAL_DATE_HELP}")
        year, month, day = match.groups()
        try:
            if day is not None:
                return cls(date(int(year), int(month), int(day)), Precision.DAY)
            if month is not None:
                return cls(date(int(year), int(month), 1), Precision.MONTH)
            return cls(date(int(year), 1, 1), Precision.YEAR)
        except ValueError:
            raise ValueError(f"{text!r} is not a real calendar date") from None

    @classmethod
    def from_db(cls, value: date | None, precision: str) -> "PartialDate | None":
        return None if value is None else cls(value, precision)

    def __str__(self) -> str:
        if self.precision == Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def display(self) -> str:
        """How people write it: '2020', 'Sep 2020', '8 Sep 2020'."""
        if self.precision == Precision.YEAR:
            return str(self.value.year)
        month = calendar.month_abbr[self.value.month]
        if self.precision == Precision.MONTH:
            return f"{month} {self.value.year}"
        return f"{self.value.day} {month} {self.value.year}"

    @property
    def last_day(self) -> date:
        """The last day the period covers (the date itself for day precision)."""
        if self.precision == Precision.YEAR:
            return date(self.value.year, 12, 31)
        if self.precision == Precision.MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return date(self.value.year, self.value.month, days)
        return self.value


def partial_date_fields(verbose_name: str, *, required: bool = False):
    """A (date, precision) pair of model fields; unpack both in the class body."""
    return (
        models.DateField(verbose_name, null=not required, blank=not required),
        models.CharField(
            f"{verbose_name} precision",
            max_length=5,
            choices=Precision.choices,
            blank=not required,
            default="" if not required else Precision.DAY,
        ),
    )


def partial_date_constraints(field: str) -> list[models.CheckConstraint]:
    """The precision agrees with the date: set together, and a month or year starts on day 1."""
    precision = f"{field}_precision"
    day_one = Q(**{f"{field}__day": 1})
    january = Q(**{f"{field}__month": 1})
    return [
        models.CheckConstraint(
            condition=(Q(**{f"{field}__isnull": True}) & Q(**{precision: ""}))
            | (Q(**{f"{field}__isnull": False}) & Q(**{f"{precision}__in": Precision.values})),
            name=f"%(app_label)s_%(class)s_{field}_has_precision",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: Precision.MONTH}) | day_one,
            name=f"%(app_label)s_%(class)s_{field}_month_starts",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: Precision.YEAR}) | (day_one & january),
            name=f"%(app_label)s_%(class)s_{field}_year_starts",
        ),
    ]


def partial_date(instance, field: str) -> PartialDate | None:
    return PartialDate.from_db(getattr(instance, field), getattr(instance, f"{field}_precision"))
