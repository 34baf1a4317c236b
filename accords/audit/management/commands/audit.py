"""`accords audit verify`: recompute the whole audit log and say whether it checks out."""

from django.core.management.base import BaseCommand, CommandError

from accords.audit.log import log_verify


class Command(BaseCommand):
    help = "Audit log tools. `verify` recomputes every entry's hash in order."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["verify"])

    def handle(self, *args, verb, **options):
        result = log_verify()
        if not result.ok:
            raise CommandError(f"audit log FAILS after {result.entries} entries: {result.problem}")
        self.stdout.write(f"audit log verifies: {result.entries} entries, hash chain intact")
