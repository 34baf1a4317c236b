"""The case-file format: one JSON document per case, validated against its JSON Schema
(`case-file.schema.json`, also at docs/) and then against the rules a schema cannot state
(an order final before it was entered, a stay that ends before it starts, unknown countries).

A CSV file carries the same facts, one row per person, in the flat columns of `CSV_COLUMNS`.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from accords.core import validation as kinds

SCHEMA_PATH = Path(__file__).with_name("case-file.schema.json")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record: where (line, field) and what."""

    line: int
    field: str
    message: str

    def __post_init__(self):
        # A message may quote the value it refuses (JSON Schema's do); a 50-megabyte value
        # must not come back whole to a terminal or an API client.
        object.__setattr__(self, "field", excerpt(self.field, limit=120, quoted=False))
        object.__setattr__(self, "message", excerpt(self.message, limit=300, quoted=False))

    def __str__(self) -> str:
        return f"line {self.line}: {self.field or '(record)'}: {self.message}"


def excerpt(text: str, *, limit: int = 60, quoted: bool = True) -> str:
    """`text` as a message may quote it: its beginning and end around what is cut."""
    if len(text) > limit:
        keep = (limit - 10) // 2
        text = f"{text[:keep]}…[{len(text) - 2 * keep:,} characters]…{text[-keep:]}"
    return f'"{text}"' if quoted else text


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# Every field of the case file with the kind of input it is (`accords.core.validation`), the
# same kinds the model fields, the forms and the API check; "[]" stands for each item of a list.
FIELD_KINDS: dict[str, kinds.Kind] = {
    "person.given_name": kinds.text(100),
    "person.family_name": kinds.text(100),
    "person.birth_date": kinds.BIRTH_DATE,
    "person.country_of_birth": kinds.COUNTRY,
    "person.nationalities[]": kinds.COUNTRY,
    "person.languages[]": kinds.LANGUAGE,
    "person.family": kinds.text(40),
    # "person.counsel" as a username is checked with its kind in `_counsel_problems`
    "person.counsel.name": kinds.text(100),
    "person.counsel.bar_number": kinds.text(40),
    "person.counsel.bar": kinds.text(60),
    "person.counsel.address": kinds.text(500, lines=True),
    "person.counsel.email": kinds.text(254),
    "person.counsel.account": kinds.text(150),
    "person.family_members[].birth_date": kinds.BIRTH_DATE,
    "removal_orders[].entered_on": kinds.EVENT_DATE,
    "removal_orders[].final_on": kinds.EVENT_DATE,
    "removal_orders[].designated_countries[]": kinds.COUNTRY,
    "protections[].country": kinds.COUNTRY,
    "protections[].granted_on": kinds.EVENT_DATE,
    "proceedings[].filed_on": kinds.EVENT_DATE,
    "proceedings[].decided_on": kinds.EVENT_DATE,
    "stays[].granted_by": kinds.text(40),
    "stays[].scope": kinds.STAY_SCOPE,
    "stays[].valid_from": kinds.STAY_START,
    "stays[].valid_until": kinds.STAY_END,
    "stay_requests[].requested_of": kinds.text(40),
    "stay_requests[].filed_on": kinds.EVENT_DATE,
    "stay_requests[].decided_on": kinds.EVENT_DATE,
    "assurances[].receiving_state": kinds.COUNTRY,
    "assurances[].agreement": kinds.text(40),
    "assurances[].given_on": kinds.EVENT_DATE,
    "assurances[].document_reference": kinds.text(100),
    "criminal_history[].offence_category": kinds.OFFENCE_CATEGORY,
    "criminal_history[].on": kinds.EVENT_DATE,
    "notices[].destination": kinds.COUNTRY,
    "notices[].served_at": kinds.EVENT_MOMENT,
    "notices[].language": kinds.LANGUAGE,
    "notices[].method": kinds.text(40),
    "notices[].interpreter_name": kinds.text(100),
    "notices[].interpreter_language": kinds.LANGUAGE,
    "notices[].counsel_bar_number": kinds.text(40),
    "fear_claims[].country": kinds.COUNTRY,
    "fear_claims[].stated_on": kinds.EVENT_DATE,
    "fear_claims[].referred_on": kinds.EVENT_DATE,
    "fear_claims[].interview_noticed_at": kinds.EVENT_MOMENT,
    "fear_claims[].screened_on": kinds.EVENT_DATE,
    "acceptances[].receiving_state": kinds.COUNTRY,
    "acceptances[].decided_on": kinds.EVENT_DATE,
    "acceptances[].reasons": kinds.FREE_TEXT,
    "acceptances[].lapsed_on": kinds.EVENT_DATE,
    "country_requests[].country": kinds.COUNTRY,
    "country_requests[].asked_on": kinds.EVENT_DATE,
    "uk.asylum_claim_on": kinds.EVENT_DATE,
    "uk.asylum_refused_on": kinds.EVENT_DATE,
    "uk.inadmissible_on": kinds.EVENT_DATE,
    "uk.age_dispute_resolved_on": kinds.EVENT_DATE,
    "uk.intent_notice_served_on": kinds.EVENT_DATE,
    "uk.removal_directions_notified_at": kinds.EVENT_MOMENT,
}


def _values(doc, steps: list[str], at: str = ""):
    """(field path, value) of every value the path `steps` reaches in the document."""
    if not steps:
        yield at, doc
        return
    step, rest = steps[0], steps[1:]
    if step == "[]":
        for i, item in enumerate(doc if isinstance(doc, list) else []):
            yield from _values(item, rest, f"{at}[{i}]")
    elif isinstance(doc, dict) and doc.get(step) is not None:
        yield from _values(doc[step], rest, f"{at}.{step}" if at else step)


def _steps(path: str) -> list[str]:
    return [step for part in path.split(".") for step in part.replace("[]", ".[]").split(".")]


def _kind_problems(doc: dict, line: int) -> list[Problem]:
    """Each value checked as its kind; an empty text is no value (the schema says which
    fields must have one)."""
    return [
        Problem(line, field, message)
        for path, kind in FIELD_KINDS.items()
        for field, value in _values(doc, _steps(path))
        if value != ""
        for message in kind.problems(value)
    ]


def _ordered(doc: dict):
    """(field path, earlier, later) pairs that must not run backwards."""
    for i, order in enumerate(doc.get("removal_orders", [])):
        yield f"removal_orders[{i}].final_on", order["entered_on"], order.get("final_on")
    for i, stay in enumerate(doc.get("stays", [])):
        yield f"stays[{i}].valid_until", stay["valid_from"], stay.get("valid_until")
    for i, request in enumerate(doc.get("stay_requests", [])):
        yield f"stay_requests[{i}].decided_on", request["filed_on"], request.get("decided_on")
    for i, proceeding in enumerate(doc.get("proceedings", [])):
        yield f"proceedings[{i}].decided_on", proceeding["filed_on"], proceeding.get("decided_on")
    for i, claim in enumerate(doc.get("fear_claims", [])):
        yield f"fear_claims[{i}].screened_on", claim["stated_on"], claim.get("screened_on")
    for i, answer in enumerate(doc.get("acceptances", [])):
        yield f"acceptances[{i}].lapsed_on", answer["decided_on"], answer.get("lapsed_on")


def case_file_problems(doc, *, line: int = 1, counsel: frozenset[str] = frozenset()):
    """Everything wrong with one case file; an empty list means it may be written."""
    problems = [
        Problem(line, _path(error.absolute_path), error.message)
        for error in sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        return problems
    problems = _kind_problems(doc, line)
    if problems:
        return problems
    for field, earlier, later in _ordered(doc):
        if later is not None and later < earlier:
            problems.append(Problem(line, field, f"{later} is before {earlier}"))
    for i, record in enumerate(doc.get("criminal_history", [])):
        if record["kind"] == "conviction" and record.get("charge_outcome"):
            problems.append(
                Problem(
                    line,
                    f"criminal_history[{i}].charge_outcome",
                    "a conviction has no charge outcome (a dismissed charge is a charge)",
                )
            )
    problems += _counsel_problems(doc["person"].get("counsel"), line, counsel)
    return problems


def _counsel_problems(named, line: int, counsel: frozenset[str]) -> list[Problem]:
    """Counsel named by an Accords username must be counsel in Accords; counsel described by
    bar number and address need not be, unless the file links an account."""
    if isinstance(named, dict):
        field, name = "person.counsel.account", named.get("account")
    else:
        field, name = "person.counsel", named
        said = kinds.text(150).problems(name) if name else []
        if said:
            return [Problem(line, field, message) for message in said]
    if name and name not in counsel:
        outside = "counsel outside Accords is described by name, bar, bar number and address"
        return [Problem(line, field, f'no counsel "{name}" in Accords ({outside})')]
    return []


def case_file_hash(doc: dict) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


# --- CSV: one row per person; lists are separated by ";" ------------------------------------

CSV_COLUMNS = {
    "case_number": "the case's stable identifier",
    "given_name": "given name",
    "family_name": "family name",
    "birth_date": "YYYY-MM-DD",
    "country_of_birth": "ISO alpha-2",
    "nationalities": "ISO alpha-2 codes separated by ;",
    "languages": "ISO 639 codes separated by ;",
    "family": "a key shared by members of one family",
    "unaccompanied_minor": "true/false",
    "detained": "true/false",
    "counsel": "username of counsel of record",
    "order_basis": "INA240, INA241a5, INA238b, expedited or uk_removal (empty: no order)",
    "order_entered_on": "YYYY-MM-DD",
    "order_final_on": "YYYY-MM-DD (empty: not final)",
    "order_final_how": "bia_dismissed, appeal_waived, no_appeal, in_absentia, ...",
    "order_designated_countries": "ISO alpha-2 codes separated by ;",
    "protection_kind": (
        "withholding, cat_withholding, cat_deferral, uk_refugee, uk_humanitarian or"
        " uk_article_3 (empty: none)"
    ),
    "protection_countries": "ISO alpha-2 codes separated by ;",
    "protection_granted_on": "YYYY-MM-DD",
    "convictions": "offence categories separated by ; (convictions only, never charges)",
    "convicted_on": "YYYY-MM-DD of the convictions",
}

_CSV_FIELD = {
    "person.birth_date": "birth_date",
    "removal_orders[0].entered_on": "order_entered_on",
    "removal_orders[0].final_on": "order_final_on",
    "removal_orders[0].basis": "order_basis",
}


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _flag(value: str):
    lowered = (value or "").strip().lower()
    return {
        "true": True,
        "yes": True,
        "1": True,
        "false": False,
        "no": False,
        "0": False,
        "": False,
    }.get(lowered, value)


def csv_row_to_case_file(row: dict) -> dict:
    """Build the case-file document a CSV row stands for (validation comes after)."""
    person = {
        "given_name": row.get("given_name", ""),
        "family_name": row.get("family_name", ""),
        "birth_date": row.get("birth_date", ""),
        "nationalities": _split(row.get("nationalities")),
        "languages": _split(row.get("languages")),
        "unaccompanied_minor": _flag(row.get("unaccompanied_minor")),
        "detained": _flag(row.get("detained")),
    }
    for optional in ("country_of_birth", "family", "counsel"):
        if row.get(optional):
            person[optional] = row[optional]
    doc = {"format": 1, "case_number": row.get("case_number", ""), "person": person}
    if row.get("order_basis"):
        order = {
            "basis": row["order_basis"],
            "entered_on": row.get("order_entered_on", ""),
            "designated_countries": _split(row.get("order_designated_countries")),
        }
        if row.get("order_final_on"):
            order["final_on"] = row["order_final_on"]
            order["final_how"] = row.get("order_final_how", "")
        doc["removal_orders"] = [order]
    if row.get("protection_kind"):
        doc["protections"] = [
            {
                "kind": row["protection_kind"],
                "country": c,
                "granted_on": row.get("protection_granted_on", ""),
            }
            for c in _split(row.get("protection_countries"))
        ]
    if row.get("convictions"):
        doc["criminal_history"] = [
            {"kind": "conviction", "offence_category": c, "on": row.get("convicted_on", "")}
            for c in _split(row["convictions"])
        ]
    return doc


def csv_field(field: str) -> str:
    """The CSV column a case-file field came from, for errors that name what the user wrote."""
    return _CSV_FIELD.get(field, field.removeprefix("person."))
