from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.models import Actor
from initiatives.serializers import ParticipationSerializer, SourceSerializer, key, keys


class ActorSerializer(serializers.ModelSerializer):
    headquarters = key(allow_null=True)
    parent = key(allow_null=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "kind",
            "name",
            "short_name",
            "iso_alpha2",
            "iso_alpha3",
            "headquarters",
            "parent",
        ]


class AlignmentSerializer(serializers.Serializer):
    actor = serializers.CharField(source="other.slug")
    name = serializers.CharField(source="other.name")
    shared = serializers.IntegerField()
    union = serializers.IntegerField()
    jaccard = serializers.FloatField()


class CampSerializer(serializers.Serializer):
    camp = serializers.CharField()
    china_led = serializers.IntegerField()
    us_led = serializers.IntegerField()
    memberships = serializers.IntegerField()


class ActorDetailSerializer(ActorSerializer):
    note = serializers.CharField()
    members = keys()
    member_of = keys()
    children = keys()
    participations = ParticipationSerializer(many=True, read_only=True)
    measures_issued = keys()
    targeted_by = keys()
    sources = SourceSerializer(many=True, read_only=True)
    camp = serializers.SerializerMethodField(
        help_text="States only: China-led, US-led, both, neither."
    )
    most_aligned = serializers.SerializerMethodField()
    least_aligned = serializers.SerializerMethodField()

    class Meta(ActorSerializer.Meta):
        fields = [
            *ActorSerializer.Meta.fields,
            "note",
            "members",
            "member_of",
            "children",
            "participations",
            "measures_issued",
            "targeted_by",
            "camp",
            "most_aligned",
            "least_aligned",
            "sources",
        ]

    @extend_schema_field(CampSerializer(allow_null=True))
    def get_camp(self, obj):
        camp = self.context.get("camp")
        return CampSerializer(camp).data if camp else None

    @extend_schema_field(AlignmentSerializer(many=True))
    def get_most_aligned(self, obj):
        return AlignmentSerializer(self.context.get("alignment", ([], []))[0], many=True).data

    @extend_schema_field(AlignmentSerializer(many=True))
    def get_least_aligned(self, obj):
        return AlignmentSerializer(self.context.get("alignment", ([], []))[1], many=True).data
