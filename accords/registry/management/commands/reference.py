"""`accords reference load`: load the shipped agreements and sources (idempotent)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accords.registry.reference import DATA_DIR, reference_data_load


class Command(BaseCommand):
    help = "Load the reference data: agreements, terms, status histories and their sources."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["load"])
        parser.add_argument("--directory", type=Path, default=DATA_DIR)

    def handle(self, *args, verb, directory, **options):
        try:
            counts = reference_data_load(actor=None, directory=directory)
        except ValidationError as error:
            raise CommandError(
                "reference data not loaded, nothing written:\n  "
                + "\n  ".join(
                    error.messages
                    if not hasattr(error, "error_dict")
                    else [f"{f}: {'; '.join(m)}" for f, m in error.message_dict.items()]
                )
            ) from None
        for what, n in counts.items():
            self.stdout.write(f"{n:5d} {what}")
