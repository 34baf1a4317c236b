"""`accords caseload --cases N --seed S [--bulk]`: add a synthetic caseload to the database."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accords.cases.services import CaseFileErrors, counsel_usernames
from accords.demo.services import caseload_bulk_load, caseload_import


class Command(BaseCommand):
    help = (
        "Add N synthetic cases (the same for the same seed; all invented). By default they "
        "go through the case-file import, as files from another system would; --bulk writes "
        "them straight into the tables, for large N. Cases already there are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
        parser.add_argument("--seed", type=int, default=2026, help="the caseload's seed")
        parser.add_argument("--bulk", action="store_true", help="write straight to the tables")
        parser.add_argument(
            "--counsel",
            nargs="*",
            help="usernames of counsel of record to assign (default: every user with the "
            "counsel role)",
        )

    def handle(self, *args, cases: int, seed: int, bulk: bool, counsel, **options):
        if cases < 0 or seed < 0:
            raise CommandError("--cases and --seed must not be negative")
        counsel = sorted(counsel_usernames()) if counsel is None else counsel
        load = caseload_bulk_load if bulk else caseload_import
        how = "bulk" if bulk else "import"
        with tqdm(
            total=cases, unit="case", desc=f"caseload {seed} ({how})", file=self.stderr
        ) as bar:
            try:
                result = load(actor=None, n=cases, seed=seed, counsel=counsel, progress=bar.update)
            except (ValueError, CaseFileErrors) as error:
                raise CommandError(str(error)) from None
        done = ", ".join(f"{result[k]} {k}" for k in ("created", "updated", "unchanged", "present")
                         if k in result)  # fmt: skip
        self.stdout.write(f"caseload {seed}: {cases} cases: {done}")
