"""`accords import FILE`: import case files (JSON lines or CSV), checked in full before a
case is written, then written in chunks of whole cases that other writers can interleave with."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accords.cases.casefile import csv_field
from accords.cases.reading import MAX_FILE_BYTES, CaseFileUnreadable, read_case_files
from accords.cases.services import CaseFileErrors, case_import


class _Progress:
    """One bar per step ("checked", "written"), drawn only on a terminal (tqdm decides)."""

    def __init__(self, stream):
        self.stream, self.bars = stream, {}

    def __call__(self, step: str, done: int, total: int):
        bar = self.bars.get(step)
        if bar is None:
            bar = self.bars[step] = tqdm(
                total=total, desc=step, unit="case", file=self.stream, disable=None
            )
        bar.update(done - bar.n)

    def close(self):
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = (
        "Import case files: one JSON case file per line (.jsonl) or one person per row (.csv). "
        "Every record is checked first; a file with errors writes nothing unless "
        "--skip-invalid is given. Importing the same file twice changes nothing, and running "
        "an interrupted import again completes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid records")

    @staticmethod
    def _located(file: Path, problem) -> str:
        """file:line: field: message, the field named as the user wrote it."""
        field = csv_field(problem.field) if file.suffix == ".csv" else problem.field
        return f"{file.name}:{problem.line}: " + (f"{field}: " if field else "") + problem.message

    def handle(self, *args, file: Path, skip_invalid: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file", returncode=2)
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CommandError(
                f"{file.name}: {size / 2**20:,.1f} MB; split it into files of at most "
                f"{MAX_FILE_BYTES / 2**20:,.0f} MB",
                returncode=2,
            )
        try:
            records = read_case_files(file.read_bytes(), name=file.name)
        except CaseFileUnreadable as unreadable:
            self.stderr.write(self._located(file, unreadable.problem))
            message = f"{file.name} cannot be read; nothing was imported"
            raise CommandError(message, returncode=2) from None
        progress = _Progress(sys.stderr)
        try:
            result = case_import(
                actor=None,
                records=records,
                source=file.name,
                skip_invalid=skip_invalid,
                progress=progress,
            )
        except CaseFileErrors as errors:
            progress.close()
            for problem in errors.problems:
                self.stderr.write(self._located(file, problem))
            raise CommandError(
                f"{len(errors.problems)} problem(s) in {file.name}; nothing was imported "
                "(--skip-invalid imports the valid records)",
                returncode=2,
            ) from None
        progress.close()
        self.stdout.write(
            f"{file.name}: {result['created']} created, {result['updated']} updated, "
            f"{result['unchanged']} unchanged, {result['skipped']} skipped"
        )
