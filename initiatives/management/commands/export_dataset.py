from pathlib import Path

from django.core.management.base import BaseCommand

from initiatives.dataset.exporter import export_dataset


class Command(BaseCommand):
    help = "Write the database as dataset files (the format load_dataset reads) under DIR."

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder to write into (created if missing)")

    def handle(self, *args, path, **options):
        written = export_dataset(Path(path))
        self.stdout.write(f"Wrote {len(written)} files under {path}.")
