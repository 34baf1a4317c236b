"""`accords demo`: a ready demo database: migrated, reference data loaded, one account per role,
a synthetic caseload imported as case files and screened as of today, and a handful of
referrals staged at every step of the transfer workflow."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from accords.cases.models import Person, Screening
from accords.cases.screening import agreements_in_force, screening_run
from accords.cases.services import officer_assign
from accords.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from accords.demo.ledger import demo_ledger_ensure
from accords.demo.reception_care import demo_care_ensure
from accords.demo.reception_oversight import demo_reception_oversight_ensure
from accords.demo.services import caseload_import
from accords.demo.transfers import demo_transfers_ensure
from accords.transparency.models import Publication

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
        if settings.PRODUCTION:
            raise CommandError(
                "accords demo refuses to run in production mode (ACCORDS_PRODUCTION=1): it "
                "creates staff accounts whose password is published and invented cases. Run it "
                "without ACCORDS_PRODUCTION, on a database of its own.",
                returncode=2,
            )
        database = settings.DATABASES["default"]
        self.stdout.write(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        self.stdout.write("[1/7] migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("[2/7] loading the reference data (agreements and their sources)")
        call_command("reference", "load", stdout=self.stdout)
        self.stdout.write("[3/7] collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"[4/7] demo accounts (password for all: {DEMO_PASSWORD})")
        for username, role, state in demo_accounts_ensure():
            serves = "serves" if role == "receiving_officer" else "works for"
            where = f" ({serves} {state})" if state else ""
            self.stdout.write(f"    {username:20s} {role}{where}")
        self.stdout.write(
            f"[5/7] importing {cases} synthetic cases (seed {DEMO_SEED}; all invented), "
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
        self.stdout.write("[6/7] staging referrals at every step of the transfer workflow")
        demo_care_ensure()  # reception's care, first: its flight takes only its own people
        staged = demo_transfers_ensure()
        self.stdout.write(
            f"    {staged['referrals']} demo referrals; manifest {staged['manifest_ready']} is "
            "locked and ready to depart"
        )
        oversight = demo_reception_oversight_ensure()
        self.stdout.write(f"    reception oversight: {oversight['arrivals']} arrivals, "
                          f"{oversight['alerts']} refoulement alert")  # fmt: skip
        money = demo_ledger_ensure()
        self.stdout.write(f"    the ledger: {money['posted']} of the sources' money facts posted")
        for refusal in money["refused"]:
            self.stdout.write(f"    not posted, the ledger refuses it: {refusal}")
        self._screen()
        self._assign()
        self._publish_statistics()

    def _screen(self):
        today = timezone.localdate()
        if Screening.objects.filter(as_of=today).exists():
            self.stdout.write(f"[7/7] the caseload was screened as of {today} already "
                              "(`accords screen --as-of` screens it again)")  # fmt: skip
            return
        total = len(agreements_in_force(today))
        self.stdout.write(f"[7/7] screening every open case against the {total} agreements in "
                          f"force on {today}")  # fmt: skip
        with tqdm(total=total, unit="agreement", desc="screening", file=self.stderr) as bar:
            screening = screening_run(actor=None, as_of=today, progress=lambda *_: bar.update(1))
        decisions = screening.summary["decisions"]
        self.stdout.write(
            "    "
            + ", ".join(f"{decisions.get(o, 0)} {o}" for o in ("cleared", "pending", "blocked"))
        )

    def _assign(self):
        """One case in ten to the demo's sending officer, as a supervisor assigns them, so
        "my cases" on the worklist has something to show."""
        officer = User.objects.get(username="sending.officer")
        if Person.objects.filter(officer=officer).exists():
            return
        people = list(Person.objects.order_by("case_number"))[::10]
        supervisor = User.objects.get(username="sending.supervisor")
        officer_assign(actor=supervisor, people=people, officer=officer)
        self.stdout.write(f"    {len(people)} cases assigned to sending.officer (my cases)")

    def _publish_statistics(self):
        """The public statistics page serves the latest publication: publish the first."""
        if Publication.objects.exists():
            self.stdout.write("    the public statistics were published already "
                              "(`accords statistics publish` publishes them again)")  # fmt: skip
            return
        self.stdout.write("    publishing the public statistics (/statistics/)")
        call_command("statistics", "publish", stdout=self.stdout)
