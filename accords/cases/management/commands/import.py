"""`accords import FILE`: import case files (JSON lines or CSV), all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accords.cases.casefile import csv_field, read_case_files
from accords.cases.services import CaseFileErrors, case_import


class Command(BaseCommand):
    help = (
        "Import case files: one JSON case file per line (.jsonl) or one person per row (.csv). "
        "Every record is validated first; a file with errors writes nothing unless "
        "--skip-invalid is given. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid records")

    def handle(self, *args, file: Path, skip_invalid: bool, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        records = read_case_files(file.read_text(encoding="utf-8"), name=file.name)
        try:
            result = case_import(
                actor=None, records=records, source=file.name, skip_invalid=skip_invalid
            )
        except CaseFileErrors as errors:
            is_csv = file.suffix == ".csv"
            for problem in errors.problems:
                field = csv_field(problem.field) if is_csv else problem.field
                self.stderr.write(f"{file.name}:{problem.line}: {field}: {problem.message}")
            raise CommandError(
                f"{len(errors.problems)} problem(s) in {file.name}; nothing was imported "
                "(--skip-invalid imports the valid records)"
            ) from None
        self.stdout.write(
            f"{file.name}: {result['created']} created, {result['updated']} updated, "
            f"{result['unchanged']} unchanged, {result['skipped']} skipped"
        )
