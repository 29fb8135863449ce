from django import template

from initiatives.partial_dates import PartialDate

register = template.Library()


@register.filter
def precise(value: PartialDate | None, unknown: str = "date unknown") -> str:
    """A partial date as people write it, at its real precision: 2020, Sep 2020, 8 Sep 2020."""
    return value.display() if value else unknown


@register.filter
def precise_date(value, precision: str) -> str:
    """The same, from a date and its precision stored side by side (snapshot rows)."""
    return PartialDate(value, precision).display() if value else "date unknown"


@register.filter
def iso(value: PartialDate | None) -> str:
    return str(value) if value else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")
