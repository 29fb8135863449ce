from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CurationConfig(AppConfig):
    """Who may write: the curators group, a rate-limited admin sign-in, an audit trail."""

    name = "curation"
    verbose_name = "Curation"

    def ready(self):
        from curation.groups import ensure_curators_group

        # After every migrate, once Django has created the permissions of new models.
        post_migrate.connect(ensure_curators_group, sender=self)
