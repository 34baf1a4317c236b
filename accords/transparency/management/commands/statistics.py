"""`accords statistics publish`: count, protect and publish the public statistics.

The page, the CSV and the API serve the latest publication; a national caseload takes too
long to count inside a request, so this runs on a schedule (after each day's work) instead.
"""

from django.core.management.base import BaseCommand

from accords.transparency.services import statistics_publish


class Command(BaseCommand):
    help = "Public statistics: publish counts every measure and protects them."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        verbs.add_parser("publish", help="count, round, suppress and publish the statistics")

    def handle(self, *args, verb, **options):
        publication = statistics_publish(actor=None)
        summary = publication.summary
        self.stdout.write(
            f"published the statistics as of {publication.as_of}: {summary['months']} months, "
            f"{summary['cells']} figures, {summary['suppressed_small']} small counts "
            f"suppressed and {summary['suppressed_to_protect']} more to protect them, "
            f"in {summary['seconds']} s"
        )
