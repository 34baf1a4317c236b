"""`accords check CASE.json --agreement KEY --on DATE|MOMENT`: one case file through every gate.

Exit status: 0 when cleared, 1 when blocked or pending, 2 for bad input.

A what-if: it decides on the file's facts as given, and says so. In the workflow an answer the
file reports for the receiving state, or a notice without its served document's reference and
hash, counts for nothing (docs/provenance.md).

The command keeps Django's own `check` (system checks, `check --deploy`) for every call that
names no case file: `accords check` alone still checks the project.
"""

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from django.core.management.commands.check import Command as SystemCheckCommand

from accords.cases.casefile import case_file_problems, excerpt
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


def considered(on: str) -> date | datetime:
    """The day or the moment `--on` names: a date (YYYY-MM-DD) is that day as it begins, as
    the gates consider a day; a date-time must carry its zone (`2025-07-21T14:30-05:00`, or
    `Z` for UTC) and is taken as that instant in UTC, the engine's clock, whose date is the
    day considered. Windows in hours (24, 6, 72) are then checked at that time of day."""
    if "T" not in on and " " not in on.strip():
        refused = kinds.DAY_CONSIDERED.problems(on)
        if refused:
            raise BadInput(f"--on: {' '.join(refused)}")
        return date.fromisoformat(on)
    try:
        moment = datetime.fromisoformat(on.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"--on: {excerpt(on)} is not a date (YYYY-MM-DD) or a date-time "
                       "with its zone (YYYY-MM-DDTHH:MM+HH:MM)") from None  # fmt: skip
    if moment.tzinfo is None:
        zones = "+02:00, -05:00, or Z for UTC"
        raise BadInput(f"--on: {excerpt(on)} has no time zone: add it ({zones}), as the same "
                       "clock time is a different moment in each")  # fmt: skip
    try:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise BadInput(f"--on: {excerpt(on)} is out of range") from None
    refused = kinds.DAY_CONSIDERED.problems(moment.date().isoformat())
    if refused:
        raise BadInput(f"--on: {' '.join(refused)}")
    return moment


def _explanation(path: Path, agreement_key: str, on: str) -> dict:
    as_of = considered(on)
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    agreement = (
        Agreement.objects.screened().prefetch_related("statuses", "terms").filter(key=agreement_key)
    )
    if not agreement:
        raise BadInput(f"--agreement: no agreement {agreement_key!r} that Accords screens")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise BadInput(f"{path}: {error}") from None
    problems = case_file_problems(doc, counsel=counsel_usernames())
    if problems:
        raise BadInput("\n".join(f"{path.name}: {p.field}: {p.message}" for p in problems))
    terms = agreement_terms(agreement[0], day)
    case = engine_columns(facts_from_case_file(doc), receiving=terms.receiving_state, as_of=as_of)
    return {**explain(case.row(0, named=True), terms, as_of), "what_if": WHAT_IF}


class Command(SystemCheckCommand):
    help = (
        "Check one case file against one agreement on one date, gate by gate "
        "(accords check CASE.json --agreement KEY --on DATE|DATETIME [--explain]). "
        "With no case file: Django's system checks."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--agreement", help="the agreement's key")
        parser.add_argument(
            "--on",
            help="the proposed day, YYYY-MM-DD, or moment with its zone, YYYY-MM-DDTHH:MM+HH:MM",
        )
        parser.add_argument("--explain", action="store_true", help="readable, not JSON")

    def handle(self, *args, agreement=None, on=None, explain=False, **options):
        case_files = [a for a in args if a.endswith(".json")]
        if not case_files:
            return super().handle(*args, **options)
        if len(case_files) > 1 or not agreement or not on:
            self.stderr.write(
                "give one CASE.json with --agreement KEY and --on YYYY-MM-DD or "
                "YYYY-MM-DDTHH:MM+HH:MM"
            )
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
