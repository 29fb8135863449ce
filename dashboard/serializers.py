from rest_framework import serializers

from dashboard.models import TimelineEntry
from initiatives.models import Principle


def keys(text: str) -> list[str]:
    return text.split(";") if text else []


class TimelineEntrySerializer(serializers.ModelSerializer):
    initiatives = serializers.SerializerMethodField(help_text="Initiative slugs it concerns.")
    actors = serializers.SerializerMethodField(help_text="Actor slugs it concerns.")
    source_kind = serializers.CharField(
        help_text="What the entry records: initiative, participation, measure or event."
    )
    source_id = serializers.CharField(
        source="source_key",
        help_text="Its id (an initiative's or measure's slug; a participation's or event's id).",
    )

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "date",
            "date_precision",
            "kind",
            "detail",
            "title",
            "initiatives",
            "actors",
            "source_kind",
            "source_id",
        ]

    def get_initiatives(self, obj) -> list[str]:
        return keys(obj.initiative_keys)

    def get_actors(self, obj) -> list[str]:
        return keys(obj.actor_keys)


class PrincipleCellSerializer(serializers.ModelSerializer):
    sources = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = Principle
        fields = ["id", "order", "code", "title", "paraphrase", "sources"]


class CompareCellSerializer(serializers.Serializer):
    initiative = serializers.CharField()
    principles = PrincipleCellSerializer(many=True)


class CompareRowSerializer(serializers.Serializer):
    topic = serializers.CharField()
    topic_name = serializers.CharField()
    cells = CompareCellSerializer(many=True)


class InitiativeRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    short_name = serializers.CharField()
    name = serializers.CharField()


class CompareSerializer(serializers.Serializer):
    initiatives = InitiativeRefSerializer(many=True)
    rows = CompareRowSerializer(many=True)


class MapCellSerializer(serializers.Serializer):
    initiative = serializers.CharField()
    role = serializers.CharField()
    status = serializers.CharField()
    joined_on = serializers.DateField(allow_null=True)
    joined_on_precision = serializers.CharField()
    instrument = serializers.CharField()


class MapStateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    iso_alpha3 = serializers.CharField()
    iso_alpha2 = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    cells = MapCellSerializer(many=True, help_text="Its part in each initiative on that date.")
    overlap = serializers.ChoiceField(
        ["a-only", "b-only", "both", "neither"],
        allow_null=True,
        help_text="With two initiatives: where it stands (withdrawn counts as out).",
    )


class MapSerializer(serializers.Serializer):
    as_of = serializers.DateField(allow_null=True, help_text="null: the latest state.")
    initiatives = InitiativeRefSerializer(many=True)
    states = MapStateSerializer(many=True)


class RefreshSerializer(serializers.Serializer):
    scope = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_ms = serializers.IntegerField(allow_null=True)
    rows_written = serializers.IntegerField()
    by_worker = serializers.BooleanField()
    error = serializers.CharField(allow_null=True)


class StatusSerializer(serializers.Serializer):
    data_version = serializers.IntegerField()
    data_changed_at = serializers.DateTimeField(allow_null=True)
    snapshot_version = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    last_refresh = RefreshSerializer(allow_null=True)
    last_failed_refresh = RefreshSerializer(allow_null=True)
