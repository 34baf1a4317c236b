"""`accords demo`: a ready demo database: migrated, reference data loaded, one account per role,
and a synthetic caseload imported as case files."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from tqdm import tqdm

from accords.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from accords.demo.services import caseload_import

DEMO_CASES, DEMO_SEED = 3000, 2026


class Command(BaseCommand):
    help = (
        "Prepare the demo: database, reference data, one account per role and a synthetic "
        "caseload. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", type=int, default=DEMO_CASES, help=f"synthetic cases (default {DEMO_CASES})"
        )

    def handle(self, *args, cases: int, **options):
        database = settings.DATABASES["default"]
        self.stdout.write(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        self.stdout.write("[1/5] migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("[2/5] loading the reference data (agreements and their sources)")
        call_command("reference", "load", stdout=self.stdout)
        self.stdout.write("[3/5] collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"[4/5] demo accounts (password for all: {DEMO_PASSWORD})")
        for username, role, state in demo_accounts_ensure():
            where = f" (serves {state})" if state else ""
            self.stdout.write(f"    {username:20s} {role}{where}")
        self.stdout.write(
            f"[5/5] importing {cases} synthetic cases (seed {DEMO_SEED}; all invented), "
            'some with "counsel" as counsel of record'
        )
        with tqdm(total=cases, unit="case", desc="cases", file=self.stderr) as bar:
            counts = caseload_import(
                actor=None, n=cases, seed=DEMO_SEED, counsel=["counsel"], progress=bar.update
            )
        self.stdout.write(
            f"    {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )
