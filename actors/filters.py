import django_filters

from actors.models import Actor, ActorKind
from initiatives.filters import search_filter, words_filter


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=ActorKind.choices, label="Kind (repeatable)."
    )
    q = search_filter("Words in the name, short name, slug or ISO codes.")
    search = staticmethod(words_filter(["name", "short_name", "slug", "iso_alpha2", "iso_alpha3"]))

    class Meta:
        model = Actor
        fields = ["kind", "q"]
