from django.core.management.base import BaseCommand

from initiatives.backup import backup_dataset


class Command(BaseCommand):
    help = (
        "Write a backup of the curated dataset under ATLAS_BACKUP_DIR (or --dir), keeping "
        "the newest ATLAS_BACKUP_KEEP. Restore with: manage.py load_dataset <backup folder>."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="folder that holds the backups")

    def handle(self, *args, dir=None, **options):
        folder = backup_dataset(dir)
        self.stdout.write(f"Backup written to {folder}")
