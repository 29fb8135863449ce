from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.generate import SEED, SIZES, build
from initiatives.dataset.reader import DatasetError
from initiatives.dataset.writer import write_dataset


class Command(BaseCommand):
    help = "Load the benchmark's synthetic dataset (S, M or L) through the dataset writer."

    def add_arguments(self, parser):
        parser.add_argument("size", choices=sorted(SIZES))
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args, size, seed, **options):
        try:
            dataset = build(size, settings.ATLAS_DATA_DIR, seed)
        except DatasetError as exc:
            raise CommandError(f"generated dataset is invalid: {exc}") from exc
        stats = write_dataset(
            dataset, refresh=False, progress=lambda m: self.stderr.write(f"  {m}")
        )
        for line in stats.lines():
            self.stdout.write(line)
