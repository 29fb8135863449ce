from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiatives.models import Initiative, Measure, Participation, Principle, Source, Topic


def keys(slug_field="slug", **kwargs):
    return serializers.SlugRelatedField(slug_field=slug_field, many=True, read_only=True, **kwargs)


def key(slug_field="slug", **kwargs):
    return serializers.SlugRelatedField(slug_field=slug_field, read_only=True, **kwargs)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "key",
            "publisher",
            "title",
            "url",
            "published_on",
            "published_on_precision",
            "note",
        ]


class TopicSerializer(serializers.ModelSerializer):
    principle_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "principle_count"]


class PrincipleSerializer(serializers.ModelSerializer):
    initiative = key()
    topics = keys()
    sources = keys("key")

    class Meta:
        model = Principle
        fields = [
            "id",
            "initiative",
            "order",
            "code",
            "section",
            "title",
            "paraphrase",
            "note",
            "topics",
            "sources",
        ]


class CountSerializer(serializers.Serializer):
    actor_group = serializers.CharField()
    role = serializers.CharField()
    status = serializers.CharField()
    count = serializers.IntegerField()


class InitiativeSerializer(serializers.ModelSerializer):
    sponsor = key()
    parent = key(allow_null=True)
    derivatives = keys()
    sources = keys("key")
    principle_count = serializers.IntegerField(read_only=True)
    counts = serializers.SerializerMethodField(
        help_text="Today's participations by actor group, role and status (from the snapshot)."
    )

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "name",
            "short_name",
            "sponsor",
            "announced_on",
            "announced_on_precision",
            "announced_by",
            "venue",
            "kind",
            "status",
            "status_since",
            "status_since_precision",
            "parent",
            "derivatives",
            "primary_url",
            "summary",
            "note",
            "principle_count",
            "counts",
            "sources",
        ]

    @extend_schema_field(CountSerializer(many=True))
    def get_counts(self, obj):
        counts = self.context.get("counts", {}).get(obj.pk, {})
        return [
            {"actor_group": group, "role": role, "status": status, "count": n}
            for (group, role, status), n in sorted(counts.items())
        ]


class InitiativeDetailSerializer(InitiativeSerializer):
    principles = PrincipleSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta(InitiativeSerializer.Meta):
        fields = [*InitiativeSerializer.Meta.fields, "principles"]


class ParticipationSerializer(serializers.ModelSerializer):
    initiative = key()
    actor = key()
    actor_name = serializers.CharField(source="actor.name", read_only=True)
    actor_kind = serializers.CharField(source="actor.kind", read_only=True)
    sources = keys("key")

    class Meta:
        model = Participation
        fields = [
            "id",
            "initiative",
            "actor",
            "actor_name",
            "actor_kind",
            "role",
            "status",
            "joined_on",
            "joined_on_precision",
            "left_on",
            "left_on_precision",
            "instrument",
            "note",
            "sources",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    issuer = key()
    targets = keys()
    amends = keys()
    revokes = keys()
    enjoins = keys()
    amended_by = keys()
    revoked_by = keys()
    enjoined_by = keys()
    initiatives = keys()
    principles = serializers.SerializerMethodField(
        help_text="Lines of effort, as initiative/order."
    )
    fate = serializers.SerializerMethodField(
        help_text="in force, ended, enjoined (by a court, while not revoked) or revoked."
    )
    sources = keys("key")

    class Meta:
        model = Measure
        fields = [
            "slug",
            "title",
            "issuer",
            "kind",
            "announced_on",
            "announced_on_precision",
            "effective_on",
            "effective_on_precision",
            "ended_on",
            "ended_on_precision",
            "targets",
            "amends",
            "revokes",
            "enjoins",
            "amended_by",
            "revoked_by",
            "enjoined_by",
            "initiatives",
            "principles",
            "fate",
            "summary",
            "note",
            "sources",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_principles(self, obj):
        return [p.reference for p in obj.principles.all()]

    @extend_schema_field(serializers.ChoiceField(["in force", "ended", "enjoined", "revoked"]))
    def get_fate(self, obj):
        return measure_fate(obj)


def measure_fate(measure: Measure) -> str:
    if measure.revoked_by.all():
        return "revoked"
    if measure.ended_on is not None:
        return "ended"
    if measure.enjoined_by.all():
        return "enjoined"
    return "in force"
