"""The curators group: the model permissions a curator needs, and nothing else.

Curators edit the curated data (initiatives, principles, participations, measures,
events, actors, sources, topics) and read its history and the refresh runs; they cannot
manage users, groups or the task schedule. Recomputed on every migrate, so a new curated
model or permission reaches the group without a hand edit.
"""

from django.apps import apps as global_apps

CURATORS = "Curators"
CURATED_MODELS = [
    "actors.actor",
    "initiatives.topic",
    "initiatives.source",
    "initiatives.initiative",
    "initiatives.principle",
    "initiatives.participation",
    "initiatives.measure",
    "initiatives.event",
]
READ_ONLY_MODELS = ["dashboard.refreshrun"]
ACTIONS = ("add", "change", "delete", "view")


def curator_permission_codenames() -> set[tuple[str, str]]:
    """(app_label, codename) pairs the group holds."""
    wanted = set()
    for label in CURATED_MODELS:
        app_label, model = label.split(".")
        wanted |= {(app_label, f"{action}_{model}") for action in ACTIONS}
        # The audit trail of each curated model (django-simple-history's own model).
        wanted.add((app_label, f"view_historical{model}"))
    for label in READ_ONLY_MODELS:
        app_label, model = label.split(".")
        wanted.add((app_label, f"view_{model}"))
    return wanted


def ensure_curators_group(apps=global_apps, **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CURATORS)
    wanted = curator_permission_codenames()
    found = [
        p
        for p in Permission.objects.filter(
            codename__in={code for _, code in wanted}
        ).select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    group.permissions.set(found)
    return group
