"""`accords ledger`: the ledger's tools.

accords ledger export --format beancount FILE   the whole ledger, for bean-check ("-": stdout)
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accords.ledger.beancount import beancount_lines

BAD_INPUT = 2
FORMATS = {"beancount": beancount_lines}


class Command(BaseCommand):
    help = "Ledger tools: export."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        export = verbs.add_parser("export", help="write the whole ledger to a file")
        export.add_argument("--format", default="beancount", help="beancount (the default)")
        export.add_argument("file", metavar="FILE", help='where to write it ("-": standard output)')

    def handle(self, *args, verb, **options):
        getattr(self, f"_{verb}")(**options)

    def _export(self, *, format, file, **_):
        if format not in FORMATS:
            raise CommandError(f"--format: unknown format {format[:30]!r}; use beancount.",
                               returncode=BAD_INPUT)  # fmt: skip
        text = "\n".join(FORMATS[format]()) + "\n"
        if file == "-":
            sys.stdout.write(text)
            return
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as error:
            problem = f"FILE: cannot write {file}: {error}"
            raise CommandError(problem, returncode=BAD_INPUT) from None
        self.stdout.write(f"wrote the ledger to {file} ({format})")
