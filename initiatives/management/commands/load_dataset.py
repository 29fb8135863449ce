from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.dataset.reader import DatasetError, read_dataset
from initiatives.dataset.writer import write_dataset

MAX_PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Validate the curated dataset, then make the database equal to it in one transaction. "
        "Nothing is written if any file has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None, help="dataset folder (default: data/)")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report changes, write nothing"
        )

    def handle(self, *args, path=None, dry_run=False, verbosity=1, **options):
        root = Path(path) if path else settings.ATLAS_DATA_DIR
        quiet = verbosity < 1

        def progress(message):
            if not quiet:
                self.stderr.write(f"  {message}")

        try:
            if not quiet:
                self.stderr.write(f"Reading {root} ...")
            dataset = read_dataset(root)
            if not quiet:
                self.stderr.write("Valid. Writing ..." if not dry_run else "Valid. Dry run ...")
            stats = write_dataset(dataset, dry_run=dry_run, progress=progress)
        except DatasetError as exc:
            shown = exc.problems[:MAX_PROBLEMS_SHOWN]
            for problem in shown:
                self.stderr.write(self.style.ERROR(str(problem)))
            more = len(exc.problems) - len(shown)
            if more:
                self.stderr.write(f"... and {more} more")
            raise CommandError(
                f"{len(exc.problems)} problem(s) in the dataset; the database was not changed."
            ) from None
        for line in stats.lines():
            self.stdout.write(line)
        verb = "would change" if dry_run else "changed"
        if stats.changed:
            self.stdout.write(
                self.style.SUCCESS(f"Dataset {dataset.checksum[:12]}: database {verb}.")
            )
        else:
            self.stdout.write(
                f"Dataset {dataset.checksum[:12]}: already up to date, nothing written."
            )
