import django_filters

from actors.models import Actor, ActorKind
from initiatives.filters import words_filter


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=ActorKind.choices, label="Kind (repeatable)."
    )
    q = django_filters.CharFilter(
        method="search", label="Words in the name, short name, slug or ISO codes."
    )
    search = staticmethod(words_filter(["name", "short_name", "slug", "iso_alpha2", "iso_alpha3"]))

    class Meta:
        model = Actor
        fields = ["kind", "q"]
