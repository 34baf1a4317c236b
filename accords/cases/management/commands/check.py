"""`accords check CASE.json --agreement KEY --on DATE`: one case file through every gate.

Exit status: 0 when cleared, 1 when blocked or pending, 2 for bad input.

A what-if: it decides on the file's facts as given, and says so. In the workflow an answer the
file reports for the receiving state, or a notice without its served document's reference and
hash, counts for nothing (docs/provenance.md).

The command keeps Django's own `check` (system checks, `check --deploy`) for every call that
names no case file: `accords check` alone still checks the project.
"""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.commands.check import Command as SystemCheckCommand

from accords.cases.casefile import case_file_problems
from accords.cases.facts import engine_columns, facts_from_case_file
from accords.cases.screening import agreement_terms
from accords.cases.services import counsel_usernames
from accords.core import validation as kinds
from accords.law.evaluate import explain
from accords.registry.models import Agreement

WHAT_IF = (
    "What-if: decided on the file's facts as given. In the workflow the receiving state's "
    "answer counts only from that state, and a notice only when Accords served it or the file "
    "names the served document's reference and SHA-256."
)


class BadInput(Exception):
    pass


def _explanation(path: Path, agreement_key: str, on: str) -> dict:
    refused = kinds.DAY_CONSIDERED.problems(on)
    if refused:
        raise BadInput(f"--on: {' '.join(refused)}")
    day = date.fromisoformat(on)
    agreement = Agreement.objects.prefetch_related("statuses", "terms").filter(key=agreement_key)
    if not agreement:
        raise BadInput(f"--agreement: no agreement {agreement_key!r}")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise BadInput(f"{path}: {error}") from None
    problems = case_file_problems(doc, counsel=counsel_usernames())
    if problems:
        raise BadInput("\n".join(f"{path.name}: {p.field}: {p.message}" for p in problems))
    terms = agreement_terms(agreement[0], day)
    case = engine_columns(facts_from_case_file(doc), receiving=terms.receiving_state, as_of=day)
    return {**explain(case.row(0, named=True), terms, day), "what_if": WHAT_IF}


class Command(SystemCheckCommand):
    help = (
        "Check one case file against one agreement on one date, gate by gate "
        "(accords check CASE.json --agreement KEY --on DATE [--explain]). "
        "With no case file: Django's system checks."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--agreement", help="the agreement's key")
        parser.add_argument("--on", help="the proposed date, YYYY-MM-DD")
        parser.add_argument("--explain", action="store_true", help="readable, not JSON")

    def handle(self, *args, agreement=None, on=None, explain=False, **options):
        case_files = [a for a in args if a.endswith(".json")]
        if not case_files:
            return super().handle(*args, **options)
        if len(case_files) > 1 or not agreement or not on:
            self.stderr.write("give one CASE.json with --agreement KEY and --on YYYY-MM-DD")
            sys.exit(2)
        try:
            result = _explanation(Path(case_files[0]), agreement, on)
        except BadInput as error:
            self.stderr.write(str(error))
            sys.exit(2)
        if explain:
            self.stdout.write(readable(result))
        else:
            self.stdout.write(json.dumps(result, default=str, indent=2))
        sys.exit(0 if result["decision"] == "cleared" else 1)


def readable(result: dict) -> str:
    mark = {"pass": "PASS   ", "pending": "PENDING", "block": "BLOCK  "}
    lines = [
        f"{result['case_id']} under {result['agreement']} on {result['as_of']}: "
        f"{str(result['decision']).upper()}",
        f"  {result['what_if']}",
        f"  rules: regime {result['regime_version']}, rule code {result['rule_code']}",
    ]
    if result.get("earliest_clear"):
        lines.append(f"  could clear on {result['earliest_clear']}")
    if result.get("programme"):
        lines.append(f"  by the law alone: {str(result['law_decision']).upper()}")
    for gate in result["gates"]:
        lines.append(f"  {mark[gate['outcome']]} {gate['gate']}: {gate['reason']}")
        if gate.get("programme"):
            lines.append(f"           beside the law: {gate['programme']}")
        if gate["outcome"] != "pass":
            source = "programme policy" if gate.get("layer") == "programme" else "law"
            lines.append(f"           {source}: {gate['citation']}")
            if gate.get("clears_by"):
                lines.append(f"           clears by: {gate['clears_by']}")
            if gate.get("earliest_clear"):
                lines.append(f"           earliest: {gate['earliest_clear']}")
    return "\n".join(lines)
