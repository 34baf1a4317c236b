"""`accords screen --as-of DATE`: every open case against every agreement in force."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accords.cases.screening import agreements_in_force, screening_run
from accords.core import validation as kinds


class Command(BaseCommand):
    help = "Screen every open case against every agreement in force on a date; store decisions."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="YYYY-MM-DD")

    def handle(self, *args, as_of: str, **options):
        refused = kinds.DAY_CONSIDERED.problems(as_of)
        if refused:
            raise CommandError(f"--as-of: {' '.join(refused)}")
        day = date.fromisoformat(as_of)
        total = len(agreements_in_force(day))
        with tqdm(total=total, unit="agreement", desc="screening", file=self.stderr) as bar:

            def advance(agreement, cases):
                bar.set_postfix_str(f"{agreement.key}: {cases} cases")
                bar.update(1)

            screening = screening_run(actor=None, as_of=day, progress=advance)
        summary = screening.summary
        self.stdout.write(f"screening #{screening.pk} as of {day}: {summary['agreements']}")
        for outcome in ("cleared", "pending", "blocked"):
            self.stdout.write(f"  {outcome:8s} {summary['decisions'].get(outcome, 0)}")
        self.stdout.write("  blocked by gate:")
        for gate, n in summary["blocked_by_gate"].items():
            self.stdout.write(f"    {gate:32s} {n}")
        self.stdout.write("  pending on gate:")
        for gate, n in summary["pending_on_gate"].items():
            self.stdout.write(f"    {gate:32s} {n}")
        self.stdout.write("  pending, by what would clear them (a case may wait on several):")
        for clears_by, n in summary["pending_clears_by"].items():
            self.stdout.write(f"    {n:8d}  {clears_by or '(not said)'}")
