"""`accords screenings_prune [--keep N]`: delete stored screenings but the latest N and any a
standing names (the retention policy: README, "Caseload")."""

from django.core.management.base import BaseCommand, CommandError

from accords.cases.screening import SCREENINGS_KEPT, screenings_prune


class Command(BaseCommand):
    help = "Delete stored screenings but the latest N (default 3) and any a standing names."

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=SCREENINGS_KEPT)

    def handle(self, *args, keep: int, **options):
        if keep < 1:
            raise CommandError("--keep: at least the latest screening is kept (1 or more)")
        result = screenings_prune(actor=None, keep=keep)
        self.stdout.write(
            f"deleted {len(result['screenings'])} screenings and {result['decisions']} decisions"
        )
