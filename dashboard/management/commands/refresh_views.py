from django.core.management.base import BaseCommand, CommandError

from dashboard import services
from initiatives.models import Initiative


class Command(BaseCommand):
    help = "Rebuild the snapshot tables now, in this process (all of them, or one initiative's)."

    def add_arguments(self, parser):
        parser.add_argument("--initiative", metavar="SLUG", help="refresh one initiative only")

    def handle(self, *args, initiative=None, **options):
        initiative_id = None
        if initiative:
            initiative_id = (
                Initiative.objects.filter(slug=initiative).values_list("pk", flat=True).first()
            )
            if initiative_id is None:
                raise CommandError(f"No initiative with slug {initiative!r}.")
        try:
            run = services.refresh(initiative_id, eager=True, worker="manage.py refresh_views")
        except Exception as exc:
            raise CommandError(f"Refresh failed, previous snapshot kept: {exc}") from exc
        self.stdout.write(
            f"Refreshed {run.scope}: {run.rows_written} rows in {run.duration_ms} ms."
        )
