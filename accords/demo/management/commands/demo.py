"""`accords demo`: a ready demo database: migrated, reference data loaded, one account per role."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accords.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure


class Command(BaseCommand):
    help = "Prepare the demo: database, reference data and one account per role."

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        self.stdout.write(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        self.stdout.write("[1/4] migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("[2/4] loading the reference data (agreements and their sources)")
        call_command("reference", "load", stdout=self.stdout)
        self.stdout.write("[3/4] collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"[4/4] demo accounts (password for all: {DEMO_PASSWORD})")
        for username, role, state in demo_accounts_ensure():
            where = f" (serves {state})" if state else ""
            self.stdout.write(f"    {username:20s} {role}{where}")
